"""Which steps of the review wait on a member, by the duties the protocol gives them: one rule for
the dashboard's "your next tasks" (pages_dashboard.py) and the menu's counts (waiting_counts.py), so
the two cannot disagree. A step whose reviewer list is empty is every screening member's."""

from __future__ import annotations

from dataclasses import dataclass

from synthesist.review.project import Project
from synthesist.screening.model import Stage

__all__ = ["Duties", "duties_of"]


@dataclass(frozen=True)
class Duties:
    screening: tuple[Stage, ...]  # the stages they screen, in the review's order
    extraction: bool  # the protocol has an extraction form and they extract
    appraisal: bool  # they appraise (when the protocol has an appraisal tool)


def duties_of(project: Project, reviewer: str) -> Duties:
    """``reviewer``'s duties (the name the protocol lists: the login or the display name). The caller
    checks first that the member's role may write at all."""
    protocol = project.protocol

    def named(listed: list[str]) -> bool:
        return not listed or reviewer in listed

    stages = (
        (Stage.TITLE_ABSTRACT, protocol.screening.title_abstract.reviewers),
        (Stage.FULL_TEXT, protocol.screening.full_text.reviewers),
    )
    return Duties(
        screening=tuple(stage for stage, listed in stages if named(listed)),
        extraction=bool(protocol.extraction.fields) and named(protocol.extraction.reviewers),
        appraisal=named(protocol.appraisal.reviewers),
    )
