"""Read model of the protocol page, and its one form post: a section of review.toml saved.

Every section shows what review.toml says now (read from the file, so a comment-only or hand edit
is seen too), with the version the form was shown at. A refused save shows the section again as it
was typed, each problem beside the input it names (the CLI's message), and the others as they are.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from synthesist.appraisal.checklist import load_checklists
from synthesist.errors import ChangedMeanwhile, ProtocolEditRefused, ProtocolError, UserError
from synthesist.review.project import Project
from synthesist.services.protocol_edit.duties import Duty, DutyMember, duties_of, set_all_duties
from synthesist.services.protocol_edit.editing import edit_protocol, read_protocol_text, section_version
from synthesist.services.protocol_edit.forms import SECTIONS, FormData, input_for, row_count, section_values
from synthesist.workspace import Workspace

__all__ = ["ProtocolPage", "SectionView", "protocol_page", "save_protocol_section"]

DUTIES_SECTION = "duties"


@dataclass(frozen=True)
class SectionView:
    name: str
    title: str
    values: dict[str, str]  # input name -> what it shows
    version: str
    rows: dict[str, int] = field(default_factory=dict)  # table-list prefix -> rows to show
    errors: dict[str, str] = field(default_factory=dict)  # input name -> the CLI's message
    problems: tuple[str, ...] = ()  # messages that name no input of the form
    stale: bool = False  # refused because someone else saved it first

    def value(self, name: str) -> str:
        return self.values.get(name, "")

    def lines(self, name: str) -> int:
        """Rows for a textarea of ``name``: its lines (a long one wraps, at about 70 characters) and one
        more, at least 3, at most 15."""
        wrapped = sum(1 + len(line) // 70 for line in self.value(name).split("\n"))
        return max(3, min(15, wrapped + 1))


@dataclass(frozen=True)
class ProtocolPage:
    sections: list[SectionView]
    team: list[DutyMember]
    duties: list[Duty]
    duties_version: str
    duties_error: str | None
    checklists: list[tuple[str, str]]  # (id, name)
    file_name: str
    text: str  # review.toml as it is, for reading whole


def protocol_page(
    workspace: Workspace,
    *,
    submitted: tuple[str, FormData] | None = None,
    error: UserError | None = None,
) -> ProtocolPage:
    """The page; with ``submitted`` and ``error``, that section as typed and what is wrong with it."""
    text = read_protocol_text(workspace.project)
    data = tomllib.loads(text)
    failed, form = submitted if submitted is not None and error is not None else ("", {})
    sections = [
        _section(name, data, text, form if name == failed else None, error if name == failed else None)
        for name in SECTIONS
    ]
    team, duties = duties_of(workspace)
    return ProtocolPage(
        sections=sections,
        team=team,
        duties=duties,
        duties_version=section_version(text, DUTIES_SECTION),
        duties_error=error.message if error is not None and failed == DUTIES_SECTION else None,
        checklists=_checklists(workspace.project),
        file_name=workspace.project.protocol_path.name,
        text=text,
    )


def _section(
    name: str, data: Mapping[str, object], text: str, form: FormData | None, error: UserError | None
) -> SectionView:
    spec = SECTIONS[name]
    # saved by someone else meanwhile: the section as it is now, to make the change again on
    stale = isinstance(error, ChangedMeanwhile)
    typed = form is not None and not stale
    values = section_values(form) if form is not None and typed else spec.values(data)
    blank = 0 if typed else 1  # a refused form comes back with the rows as submitted
    rows = {prefix: row_count(values, prefix, blank=blank) for prefix in spec.tables}
    errors: dict[str, str] = {}
    problems: list[str] = []
    if isinstance(error, ProtocolEditRefused):
        for path, message in error.problems.items():
            target = input_for(path, set(values))
            if target is None:
                problems.append(message)
            else:
                errors[target] = f"{errors[target]}\n{message}" if target in errors else message
    elif error is not None:
        problems.append(error.message if not error.hint else f"{error.message}. {error.hint}")
    # a corrected form is still checked against the version it was first shown at
    version = _one(form, "version") if form is not None and typed else section_version(text, name)
    return SectionView(name, spec.title, values, version, rows, errors, tuple(problems), stale)


def _one(form: FormData, name: str) -> str:
    values = form.get(name) or [""]
    return values[-1]


def _checklists(project: Project) -> list[tuple[str, str]]:
    try:
        loaded = load_checklists(project.root, project.protocol.appraisal.checklists)
    except ProtocolError:
        loaded = load_checklists()  # a project checklist with a mistake: the built-in ones still
    return [(item.checklist.id, item.checklist.name) for item in loaded]


def save_protocol_section(workspace: Workspace, section: str, form: FormData) -> Project:
    """Save one section's form to review.toml (the form carries the ``version`` it was shown at)."""
    version = _one(form, "version") or None
    if section == DUTIES_SECTION:
        stages = [duty.stage for duty in duties_of(workspace)[1]]
        chosen: dict[str, Sequence[str]] = {stage: list(form.get(f"duties.{stage}", ())) for stage in stages}
        return set_all_duties(workspace, chosen, expected_version=version)
    spec = SECTIONS.get(section)
    if spec is None:
        raise UserError(
            f"the protocol has no section {section!r} to edit here",
            hint="Reload the protocol page and use its forms.",
        )
    return edit_protocol(workspace, section, spec.change(form), expected_version=version)
