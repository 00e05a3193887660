"""``prisma.toml``: counts for steps done outside Synthesist, laid over the counts it computes.

Some boxes of the flow diagram can only come from the review team: a register searched by hand whose
records were never imported, reports that could not be retrieved, or reports found by citation
searching and assessed outside Synthesist. ``prisma.toml`` gives those numbers; each one replaces the
computed number of its box, and the diagram marks it (see ``PrismaCounts.manual``). Lists are merged by
name: a database, register, source or reason named in the file replaces the computed entry of that name
or is added after the others. A list given without its total (``databases`` without
``database_records``) makes the total the sum of the merged list. Example::

    [identification]
    registers = { "ClinicalTrials.gov" = 12 }

    [screening]
    records_screened = 750
    reports_not_retrieved = 2

    [screening.reports_excluded]
    "Not chronic back pain" = 9

    [other_methods]
    sources = { "Websites" = 4 }
    reports_sought = 4
    reports_assessed = 4

    [included]
    studies = 10
    reports = 12

The file is read like ``review.toml``: unknown keys are refused, and every mistake is reported with
the file, the key and its line (:mod:`synthesist.toml_errors`).
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError

from synthesist.errors import InconsistentCounts, ProtocolError
from synthesist.reporting.prisma import (
    MANUAL_FILE_NAME,
    NamedCount,
    PrismaCounts,
    manual_key,
)
from synthesist.toml_errors import (
    ItemProblem,
    KeyProblem,
    describe_validation_error,
    protocol_error,
    render_key_path,
    syntax_error,
)
from synthesist.toml_lines import find_key_line, key_lines

__all__ = [
    "FIELD_BY_KEY",
    "ManualCounts",
    "ManualCountsFile",
    "apply_manual_counts",
    "load_manual_counts",
    "parse_manual_counts",
]

_COUNT_EXPECTED = "is not allowed; expected a whole number of 0 or more (no quotes)"


def _count(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(_COUNT_EXPECTED)
    return value


def _named_counts(value: Any) -> Any:
    if not isinstance(value, dict):
        raise ValueError('is not allowed; expected names with numbers, e.g. { "MEDLINE" = 214 }')
    for name, count in value.items():
        if not name.strip():
            raise ItemProblem("has no name; write the name between the quotes", name)
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ItemProblem(_COUNT_EXPECTED, name)
    return value


Count = Annotated[int | None, BeforeValidator(_count)]
NamedCounts = Annotated[dict[str, int] | None, BeforeValidator(_named_counts)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IdentificationCounts(_Section):
    database_records: Count = None
    databases: NamedCounts = None
    register_records: Count = None
    registers: NamedCounts = None
    duplicates_removed: Count = None
    automation_removed: Count = None
    other_removed: Count = None


class ScreeningCounts(_Section):
    records_screened: Count = None
    records_excluded: Count = None
    reports_sought: Count = None
    reports_not_retrieved: Count = None
    reports_assessed: Count = None
    reports_excluded: NamedCounts = None
    # a review finished outside Synthesist has none; one still going on may say how many are open
    records_awaiting: Count = None
    reports_awaiting: Count = None


class OtherMethodsCounts(_Section):
    sources: NamedCounts = None
    screened_with_databases: Count = None
    reports_sought: Count = None
    reports_not_retrieved: Count = None
    reports_assessed: Count = None
    reports_excluded: NamedCounts = None


class IncludedCounts(_Section):
    studies: Count = None
    reports: Count = None


class ManualCountsFile(_Section):
    """The schema of ``prisma.toml``: one section per part of the diagram, every key optional."""

    identification: IdentificationCounts = IdentificationCounts()
    screening: ScreeningCounts = ScreeningCounts()
    other_methods: OtherMethodsCounts = OtherMethodsCounts()
    included: IncludedCounts = IncludedCounts()


FIELD_BY_KEY: Mapping[tuple[str, str], str] = {
    **{("identification", name): name for name in IdentificationCounts.model_fields},
    **{("screening", name): name for name in ScreeningCounts.model_fields},
    ("other_methods", "sources"): "other_sources",
    ("other_methods", "screened_with_databases"): "other_records_screened",
    ("other_methods", "reports_sought"): "other_reports_sought",
    ("other_methods", "reports_not_retrieved"): "other_reports_not_retrieved",
    ("other_methods", "reports_assessed"): "other_reports_assessed",
    ("other_methods", "reports_excluded"): "other_reports_excluded",
    ("included", "studies"): "studies_included",
    ("included", "reports"): "reports_included",
}
"""``prisma.toml`` key (section, name) -> the :class:`PrismaCounts` field it gives."""

_KEY_BY_FIELD = {field_name: key for key, field_name in FIELD_BY_KEY.items()}


@dataclass(frozen=True, slots=True)
class ManualCounts:
    """What ``prisma.toml`` gives: numbers and lists by :class:`PrismaCounts` field, and their lines."""

    counts: Mapping[str, int] = field(default_factory=dict)
    entries: Mapping[str, tuple[NamedCount, ...]] = field(default_factory=dict)
    lines: Mapping[str, int] = field(default_factory=dict)  # manual key -> line in the file
    file_name: str = MANUAL_FILE_NAME

    def __bool__(self) -> bool:
        return bool(self.counts or self.entries)

    def where(self, key: str) -> str:
        """``prisma.toml:12`` for a manual key, or just the file name when the line is unknown."""
        line = self.lines.get(key)
        return self.file_name if line is None else f"{self.file_name}:{line}"


def load_manual_counts(path: Path) -> ManualCounts:
    """Read ``prisma.toml``; a file that does not exist gives nothing (every count is computed)."""
    if not path.exists():
        return ManualCounts(file_name=path.name)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProtocolError(
            f"not UTF-8 text (byte {exc.start})",
            location=path.name,
            hint="Save the file as UTF-8 in your editor.",
        ) from exc
    return parse_manual_counts(text, path.name)


def parse_manual_counts(text: str, file_name: str = MANUAL_FILE_NAME) -> ManualCounts:
    """Check ``prisma.toml`` text; every mistake becomes one :class:`ProtocolError` with its lines."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise syntax_error(exc, text, file_name) from exc
    try:
        model = ManualCountsFile.model_validate(data)
    except ValidationError as exc:
        raise _file_error(describe_validation_error(exc, ManualCountsFile, data, text), file_name) from exc

    lines = key_lines(text)
    counts: dict[str, int] = {}
    entries: dict[str, tuple[NamedCount, ...]] = {}
    where: dict[str, int] = {}
    for (section, key), field_name in FIELD_BY_KEY.items():
        value = getattr(getattr(model, section), key)
        if value is None:
            continue
        line = find_key_line(text, (section, key), lines)
        if isinstance(value, dict):
            entries[field_name] = tuple(NamedCount(name, n) for name, n in value.items())
            for name in value:
                entry_line = find_key_line(text, (section, key, name), lines)
                if entry_line is not None:
                    where[manual_key(field_name, name)] = entry_line
        else:
            counts[field_name] = value
        if line is not None:
            where[field_name] = line
    return ManualCounts(counts, entries, where, file_name)


def apply_manual_counts(computed: PrismaCounts, manual: ManualCounts) -> PrismaCounts:
    """``computed`` with the numbers of ``prisma.toml`` in their boxes, each marked as given by hand.

    The result is checked like any :class:`PrismaCounts`; when the hand-given numbers do not fit the
    computed ones, the error's hint says where in the file they are.
    """
    if not manual:
        return computed
    changes: dict[str, Any] = dict(manual.counts)
    marks = set(computed.manual) | set(manual.counts)
    for field_name, given in manual.entries.items():
        merged = {entry.name: entry for entry in getattr(computed, field_name)}
        merged.update((entry.name, entry) for entry in given)  # a known name keeps its place
        changes[field_name] = tuple(merged.values())
        marks.update(manual_key(field_name, entry.name) for entry in given)
    for total, listed in (("database_records", "databases"), ("register_records", "registers")):
        if listed in manual.entries and total not in manual.counts:
            changes[total] = sum(entry.n for entry in changes[listed])
            marks.add(total)  # it adds up hand-given numbers
    try:
        return dataclasses.replace(computed, **changes, manual=frozenset(marks))
    except InconsistentCounts as exc:
        # whole boxes only (a list's line is where it starts): the hint names keys as written in the file
        by_line = sorted((line, key) for key, line in manual.lines.items() if "[" not in key)
        places = ", ".join(f"{render_key_path(_KEY_BY_FIELD[key])} (line {line})" for line, key in by_line)
        raise InconsistentCounts(
            exc.problems,
            hint=f"Numbers marked 'from {manual.file_name}' are given in {manual.file_name}: {places}. "
            "Correct them there, or give the other boxes they must agree with.",
        ) from exc


def _file_error(problems: list[KeyProblem], file_name: str) -> ProtocolError:
    """One ProtocolError listing every problem with its own ``file:line`` (as for review.toml)."""
    hint = f"Edit {file_name} at the line shown; its keys follow the boxes of the PRISMA diagram."
    return protocol_error(problems, file_name, hint)
