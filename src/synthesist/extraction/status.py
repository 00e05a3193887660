"""Where a study's extraction stands, derived from what is stored and the protocol's mode (pure).

Nothing here is stored: status, discrepancies and the final value of each field follow from the
reviewers' values, the consensus values, the flags and who marked the study complete. So changing
a value, resolving a flag or switching mode can never leave a stale status behind.

- **single**: the value of a field is the last one entered (any reviewer may correct it); the
  study is complete when its extractor says so and every required field has a value.
- **single-verified**: as single; then a second reviewer checks the study, flagging fields. Each
  flag stays open until the extractor corrects the value or keeps it (saying why). The study is
  verified once the verifier has checked it and no flag is open.
- **dual**: two reviewers extract independently and blind. When both have marked the study
  complete their values are compared field by field; each difference is a discrepancy until a
  consensus value is recorded. The study is agreed when no discrepancy is left.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from synthesist.extraction.model import Completion, ConsensusValue, ExtractedValue, Flag, Role
from synthesist.extraction.values import same_value
from synthesist.review.extraction_settings import ExtractionField, ExtractionMode

__all__ = ["DUAL_EXTRACTORS", "Discrepancy", "ExtractionStatus", "StudyExtraction"]

DUAL_EXTRACTORS = 2


class ExtractionStatus(StrEnum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    COMPLETE = "complete"  # single: done; single-verified: waiting for the check
    FLAGGED = "flagged"  # single-verified: a verifier's flag is open
    VERIFIED = "verified"
    COMPARED = "discrepancies"  # dual: both extractions complete, some fields differ
    AGREED = "agreed"


# The status in which a study's values are final (ready for the table of characteristics).
FINAL: dict[str, ExtractionStatus] = {
    "single": ExtractionStatus.COMPLETE,
    "single-verified": ExtractionStatus.VERIFIED,
    "dual": ExtractionStatus.AGREED,
}


@dataclass(frozen=True)
class Discrepancy:
    """A field two extractions disagree on: each reviewer's value (None: left empty)."""

    field: ExtractionField
    values: dict[str, str | None]


@dataclass(frozen=True)
class StudyExtraction:
    """Everything stored about one study's extraction, and what follows from it."""

    study_id: int | None  # None: a record that is a study of its own and has no extraction yet
    form: tuple[ExtractionField, ...]
    mode: ExtractionMode
    values: Sequence[ExtractedValue] = ()
    derived: dict[str, str] = field(default_factory=dict)  # prefilled from the study's record
    consensus: dict[str, ConsensusValue] = field(default_factory=dict)
    flags: Sequence[Flag] = ()
    completions: Sequence[Completion] = ()

    # -- who ---------------------------------------------------------------------------------

    @property
    def extractors(self) -> list[str]:
        """Reviewers who entered values or marked the study complete as extractor, first come first."""
        events = [(value.entered_at, value.reviewer) for value in self.values]
        events += [
            (done.completed_at, done.reviewer) for done in self.completions if done.role is Role.EXTRACTOR
        ]
        seen: list[str] = []
        for _, reviewer in sorted(events):
            if reviewer not in seen:
                seen.append(reviewer)
        return seen

    def completed_by(self, role: Role) -> list[str]:
        return [done.reviewer for done in self.completions if done.role is role]

    @property
    def open_flags(self) -> list[Flag]:
        return [flag for flag in self.flags if flag.open]

    # -- values ------------------------------------------------------------------------------

    def own_value(self, reviewer: str, name: str) -> str | None:
        """The reviewer's own value of a field, else what the study's record fills in."""
        for value in self.values:
            if value.reviewer == reviewer and value.field == name:
                return value.value
        return self.derived.get(name)

    def latest_value(self, name: str) -> str | None:
        """The value last entered by anyone (single modes), else what the record fills in."""
        entered = [value for value in self.values if value.field == name]
        if entered:
            return max(entered, key=lambda value: value.entered_at).value
        return self.derived.get(name)

    def final_value(self, name: str) -> str | None:
        """The value that counts: the consensus, else (single modes) the latest value, else (dual)
        the value both extractions agree on once both are complete."""
        if name in self.consensus:
            return self.consensus[name].value
        if self.mode != "dual":
            return self.latest_value(name)
        if not self.compared:
            return None
        first, second = self._pair
        ours = self.own_value(first, name)
        return ours if same_value(self._field(name), ours, self.own_value(second, name)) else None

    def missing_required(self, reviewer: str | None = None) -> list[ExtractionField]:
        """Required fields without a value (the reviewer's own in dual mode, else the latest)."""
        if reviewer is not None and self.mode == "dual":
            return [f for f in self.form if f.required and self.own_value(reviewer, f.name) is None]
        return [f for f in self.form if f.required and self.latest_value(f.name) is None]

    # -- dual --------------------------------------------------------------------------------

    @property
    def _pair(self) -> tuple[str, str]:
        first, second = self.completed_by(Role.EXTRACTOR)[:DUAL_EXTRACTORS]
        return first, second

    @property
    def compared(self) -> bool:
        """Dual mode: two extractions are complete, so they may be compared (and seen)."""
        return self.mode == "dual" and len(self.completed_by(Role.EXTRACTOR)) >= DUAL_EXTRACTORS

    def discrepancies(self, *, resolved: bool = False) -> list[Discrepancy]:
        """Fields where the two complete extractions differ (those with a consensus value only when
        ``resolved``); none before both are complete."""
        if not self.compared:
            return []
        first, second = self._pair
        found = []
        for item in self.form:
            ours, theirs = self.own_value(first, item.name), self.own_value(second, item.name)
            if same_value(item, ours, theirs) or (item.name in self.consensus and not resolved):
                continue
            found.append(Discrepancy(item, {first: ours, second: theirs}))
        return found

    # -- status ------------------------------------------------------------------------------

    @property
    def status(self) -> ExtractionStatus:
        if not self.values and not self.completions and not self.consensus:
            return ExtractionStatus.NOT_STARTED
        if self.mode == "dual":
            if not self.compared:
                return ExtractionStatus.IN_PROGRESS
            return ExtractionStatus.COMPARED if self.discrepancies() else ExtractionStatus.AGREED
        if not self.completed_by(Role.EXTRACTOR) or self.missing_required():
            return ExtractionStatus.IN_PROGRESS
        if self.mode == "single":
            return ExtractionStatus.COMPLETE
        if self.open_flags:
            return ExtractionStatus.FLAGGED
        if self.completed_by(Role.VERIFIER):
            return ExtractionStatus.VERIFIED
        return ExtractionStatus.COMPLETE

    @property
    def final(self) -> bool:
        return self.status is FINAL[self.mode]

    def _field(self, name: str) -> ExtractionField:
        return next(item for item in self.form if item.name == name)
