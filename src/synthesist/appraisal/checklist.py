"""Appraisal checklists: data files, one per tool, read like ``review.toml``.

A checklist file names its tool, version and licence, its answer scale, and its questions; it may
group the questions into sections. A section marked ``category = true`` is one of several
alternatives (MMAT 2018's five study designs): a study is appraised against the other sections plus
the one category chosen for it. A section marked ``rated = false`` is asked but does not count
towards the overall rating (MMAT's two screening questions). Example::

    id = "my-tool"
    name = "Our adapted checklist"
    version = "1"
    licence = "CC BY 4.0"

    [[answers]]
    id = "yes"
    label = "Yes"
    abbreviation = "Y"
    judgement = "favourable"

    [[answers]]
    id = "no"
    label = "No"
    abbreviation = "N"
    judgement = "unfavourable"

    [[questions]]
    id = "1"
    text = "Was there a clear statement of the aims of the research?"
    hint = "What was the goal? Why was it thought important?"

Built-in checklists ship in ``synthesist/appraisal/checklists/``; a project adds its own as
``checklists/*.toml`` in the project folder or lists files in review.toml (``[appraisal]
checklists``). Unknown keys are refused and every mistake is reported with the file, the line and
what to write instead (:mod:`synthesist.toml_errors`).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from synthesist.errors import ProtocolError, UnknownPlugin, UserError
from synthesist.toml_errors import (
    ItemProblem,
    describe_validation_error,
    protocol_error,
    syntax_error,
)

__all__ = [
    "RESERVED_KEYS",
    "AnswerOption",
    "Checklist",
    "ChecklistSection",
    "Judgement",
    "LoadedChecklist",
    "Question",
    "builtin_checklist_files",
    "find_checklist",
    "load_checklist",
    "load_checklists",
    "parse_checklist",
]

Judgement = Literal["favourable", "unfavourable", "unclear", "not_applicable"]
"""What an answer says about the study, for colours and symbols in plots (never for the rating,
which comes from the protocol's rules)."""

RESERVED_KEYS = frozenset("bsq?")
"""Keys the terminal session keeps for back, skip, quit and help."""

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_ANSWER_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def _identifier(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(
            "is not allowed; expected letters, digits, '.', '-' or '_' without spaces, "
            'such as "1" or "S1"'
        )
    return value


def _answer_id(value: str) -> str:
    if not _ANSWER_ID.match(value):
        raise ValueError('is not allowed; expected lower-case letters, digits and _, such as "cant_tell"')
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Identifier = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_identifier)]
AnswerId = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_answer_id)]

_DEFAULT_SYMBOL = {"favourable": "+", "unfavourable": "−", "unclear": "?", "not_applicable": "NA"}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AnswerOption(_Model):
    id: AnswerId
    label: Text
    abbreviation: Text = Field(max_length=4)
    judgement: Judgement
    # the key pressed in the terminal session; by default the first letter of the id
    key: Annotated[str, StringConstraints(min_length=1, max_length=1)] | None = None
    symbol: Annotated[str, StringConstraints(min_length=1, max_length=2)] | None = None

    @property
    def key_char(self) -> str:
        return (self.key or self.id[0]).lower()

    @property
    def plot_symbol(self) -> str:
        return self.symbol or _DEFAULT_SYMBOL[self.judgement]


class ChecklistSection(_Model):
    id: Identifier
    title: Text
    category: bool = False  # one of alternative sections: a study gets exactly one of them
    rated: bool = True  # False: asked, but not counted by the rating rules
    note: str = ""


class Question(_Model):
    id: Identifier
    text: Text
    hint: str = ""
    section: Identifier | None = None
    short: Text | None = None  # column heading in tables and plots; default "Q1" for id "1"

    @property
    def heading(self) -> str:
        if self.short:
            return self.short
        return f"Q{self.id}" if self.id[0].isdigit() else self.id


class Checklist(_Model):
    id: Identifier
    name: Text
    version: Text
    licence: Text
    licence_note: str = ""
    source: str = ""
    citation: str = ""
    notes: str = ""
    answers: list[AnswerOption] = Field(min_length=2)
    sections: list[ChecklistSection] = Field(default_factory=list)
    questions: list[Question] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Checklist:
        _unique([a.id for a in self.answers], "answer id", "answers", "id")
        _unique([a.abbreviation.casefold() for a in self.answers], "abbreviation", "answers", "abbreviation")
        keys = [a.key_char for a in self.answers]
        for index, key in enumerate(keys):
            if key in RESERVED_KEYS:
                raise ItemProblem(
                    f"uses the key {key!r}, which the terminal session keeps for back (b), skip (s), "
                    'quit (q) and help (?); give the answer another one, e.g. key = "x"',
                    "answers",
                    index,
                )
        _unique(keys, "key", "answers", "key")
        _unique([s.id for s in self.sections], "section id", "sections", "id")
        _unique([q.id for q in self.questions], "question id", "questions", "id")
        sections = {s.id for s in self.sections}
        for index, question in enumerate(self.questions):
            if question.section is None and self.sections:
                raise ItemProblem(
                    "has no section; this checklist has sections, so name one", "questions", index
                )
            if question.section is not None and question.section not in sections:
                known = ", ".join(f'"{s}"' for s in sections) or "none (add [[sections]])"
                raise ItemProblem(
                    f"names a section that is not in the checklist; sections: {known}",
                    "questions",
                    index,
                    "section",
                )
        for index, section in enumerate(self.sections):
            if not any(q.section == section.id for q in self.questions):
                raise ItemProblem(
                    "has no questions; remove it or add questions with this section", "sections", index
                )
        if len([s for s in self.sections if s.category]) == 1:
            raise ItemProblem(
                "is the only category; categories are alternatives, so there must be two or more "
                "(or remove category = true)",
                "sections",
                next(i for i, s in enumerate(self.sections) if s.category),
                "category",
            )
        return self

    # -- reading the checklist ---------------------------------------------------------------------
    @property
    def categories(self) -> list[ChecklistSection]:
        return [section for section in self.sections if section.category]

    def category(self, wanted: str) -> ChecklistSection:
        """A category by id or title (case-insensitive), or its number in the list (1-based)."""
        text = wanted.strip()
        options = self.categories
        if not options:
            raise UserError(
                f"the {self.name} checklist has no categories; every study gets all its questions"
            )
        for number, section in enumerate(options, start=1):
            if text.casefold() in (section.id.casefold(), section.title.casefold()) or text == str(number):
                return section
        listed = "; ".join(f"{n}. {s.id} ({s.title})" for n, s in enumerate(options, start=1))
        raise UserError(f"{wanted!r} is not a category of {self.name}", hint=f"Categories: {listed}.")

    def questions_for(self, category: str | None) -> list[Question]:
        """The questions a study answers: every question outside the categories, plus those of
        its category (none of them while the category is not chosen)."""
        in_category = {s.id for s in self.categories}
        return [q for q in self.questions if q.section not in in_category or q.section == category]

    def rated_questions(self, category: str | None) -> list[Question]:
        unrated = {s.id for s in self.sections if not s.rated}
        return [q for q in self.questions_for(category) if q.section not in unrated]

    def rated_counts(self) -> list[int]:
        """The distinct numbers of rated questions a study can have (one per category, or one)."""
        if not self.categories:
            return [len(self.rated_questions(None))]
        return sorted({len(self.rated_questions(section.id)) for section in self.categories})

    def section(self, section_id: str | None) -> ChecklistSection | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def question(self, wanted: str) -> Question:
        """A question by id, or by its heading (``Q3``), case-insensitive."""
        text = wanted.strip()
        for question in self.questions:
            if text.casefold() in (question.id.casefold(), question.heading.casefold()):
                return question
        ids = ", ".join(q.id for q in self.questions)
        raise UserError(f"{self.id} has no question {wanted!r}", hint=f"Its questions: {ids}.")

    def answer(self, wanted: str) -> AnswerOption:
        """An answer by id, label, abbreviation or key, case-insensitive (``cant_tell``, ``Can't
        tell``, ``CT``, ``c``); typographic apostrophes count as plain ones."""
        text = wanted.strip().replace("’", "'").casefold()
        for option in self.answers:
            names = (option.id, option.label.replace("’", "'"), option.abbreviation, option.key_char)
            if text in {name.casefold() for name in names} or text == option.id.replace("_", " "):
                return option
        raise UserError(
            f"{wanted!r} is not an answer of {self.name}",
            hint=f"Answers: {self.scale_words()}.",
        )

    def scale_words(self) -> str:
        return ", ".join(f"{a.id} ({a.abbreviation}, key {a.key_char})" for a in self.answers)

    @property
    def labels(self) -> dict[str, str]:
        return {answer.id: answer.label for answer in self.answers}


def _unique(values: Sequence[str], what: str, *path: str) -> None:
    seen: set[str] = set()
    for index, value in enumerate(values):
        if value in seen:
            raise ItemProblem(
                f"repeats the {what} {value!r}; each must be given once", path[0], index, *path[1:]
            )
        seen.add(value)


@dataclass(frozen=True)
class LoadedChecklist:
    checklist: Checklist
    origin: str  # "built-in" or the file it came from
    builtin: bool
    text: str  # the file as written, comments included


_HINT = (
    "Edit the checklist file at the line shown; "
    "`synthesist appraise checklist show casp-qualitative --toml` prints a valid one."
)


def parse_checklist(text: str, file_name: str) -> Checklist:
    """Validate a checklist's TOML text; errors name ``file_name`` and the line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise syntax_error(exc, text, file_name) from None
    try:
        return Checklist.model_validate(data)
    except ValidationError as exc:
        problems = describe_validation_error(exc, Checklist, data, text)
        raise protocol_error(problems, file_name, hint=_HINT) from None


def load_checklist(path: Path, shown_as: str | None = None) -> Checklist:
    return _read_checklist(path, shown_as or str(path))[0]


def _read_checklist(path: Path, name: str) -> tuple[Checklist, str]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ProtocolError(
            f"cannot read the checklist {name}: {exc.strerror or exc}",
            hint="Check the path in review.toml [appraisal] checklists.",
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ProtocolError(
            "is not UTF-8 text", location=f"{name}:{line}", hint="Save the file as UTF-8."
        ) from None
    return parse_checklist(text, name), text


def builtin_checklist_files() -> list[str]:
    folder = resources.files("synthesist.appraisal").joinpath("checklists")
    return sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".toml"))


def load_checklists(project_root: Path | None = None, extra: Sequence[str] = ()) -> list[LoadedChecklist]:
    """The built-in checklists, then the project's (``checklists/*.toml`` and the files review.toml
    lists, relative to the project folder). Two checklists with one id are refused, naming both."""
    folder = resources.files("synthesist.appraisal").joinpath("checklists")
    loaded: list[LoadedChecklist] = []
    for name in builtin_checklist_files():
        text = folder.joinpath(name).read_text(encoding="utf-8")
        loaded.append(LoadedChecklist(parse_checklist(text, name), "built-in", True, text))
    paths: list[Path] = []
    if project_root is not None:
        paths += sorted((project_root / "checklists").glob("*.toml"))
        for entry in extra:
            path = (project_root / entry).resolve()
            if path not in [p.resolve() for p in paths]:
                paths.append(path)
    for path in paths:
        shown = _shown(path, project_root)
        checklist, text = _read_checklist(path, shown)
        loaded.append(LoadedChecklist(checklist, shown, False, text))
    seen: dict[str, LoadedChecklist] = {}
    for item in loaded:
        earlier = seen.get(item.checklist.id)
        if earlier is not None:
            raise ProtocolError(
                f'{item.origin}: the checklist id "{item.checklist.id}" is already used by {earlier.origin}',
                hint="Give your checklist an id of its own (e.g. add your team's name to it).",
            )
        seen[item.checklist.id] = item
    return loaded


def _shown(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return str(path.resolve().relative_to(root.resolve()))
        except ValueError:
            pass
    return str(path)


def find_checklist(
    checklist_id: str, project_root: Path | None = None, extra: Sequence[str] = ()
) -> LoadedChecklist:
    """The checklist with this id; an unknown id lists the ones there are."""
    loaded = load_checklists(project_root, extra)
    for item in loaded:
        if item.checklist.id == checklist_id:
            return item
    known = ", ".join(item.checklist.id for item in loaded)
    raise UnknownPlugin(
        f'there is no appraisal checklist "{checklist_id}"',
        hint=f"Checklists: {known}. Add your own as checklists/NAME.toml in the project folder.",
    )
