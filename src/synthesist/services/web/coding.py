"""What the web app's coding page and live matrix need beyond the coding services: coding a span
chosen in the browser (an existing code, or a new one put under a theme, in one transaction), the
codebook as a tree with counts, and the theme × study matrix with a count of codings per cell.

The browser sends a span as character offsets *and* the words it saw there: the offsets are used
only when the document still has those words at that place (the text may have been replaced since
the page was loaded, or the browser may count characters differently), otherwise the words are
looked for in the document, as ``synthesist code apply --text`` does. Without JavaScript a coder
picks whole segments, optionally narrowed to a phrase within them, exactly like ``--segment`` and
``--text``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from synthesist.errors import ChangedMeanwhile, DatabaseError, Forbidden, StorageFull, UserError
from synthesist.services.synthesis.codes import create_code_in
from synthesist.services.synthesis.coding import apply_in, check_coder
from synthesist.services.synthesis.documents import load_document
from synthesist.services.synthesis.outputs import included_rows, study_ratings
from synthesist.services.synthesis.refs import find_code, find_theme
from synthesist.services.synthesis.snapshot import coding_snapshot
from synthesist.synthesis.matrix import code_themes, counts_as_evidence, theme_matrix
from synthesist.synthesis.model import Code, Coding, CodingSnapshot, Document, Theme, ThemeLevel
from synthesist.synthesis.spans import SpanRequest, parse_kind, resolve_span
from synthesist.synthesis.themes import children
from synthesist.workspace import Workspace

__all__ = [
    "CodeNode",
    "CodeTree",
    "CountedMatrix",
    "MatrixStudyColumn",
    "MatrixThemeRow",
    "SpanChoice",
    "ThemeNode",
    "code_selection",
    "code_tree",
    "code_tree_of",
    "counted_matrix",
]


@dataclass(frozen=True)
class SpanChoice:
    """The span a coder chose on the page: offsets with the words seen there (from the script), or
    segment numbers (checkboxes) and/or a phrase."""

    start: int | None = None
    end: int | None = None
    quote: str = ""
    segments: Sequence[int] = ()
    phrase: str = ""


# Refusals that are no input's fault: the database's, or the person's right to code at all
_NOT_AN_INPUT = (DatabaseError, StorageFull, ChangedMeanwhile, Forbidden)


@contextmanager
def _said_of(field: str, *, hint: str | None = None) -> Iterator[None]:
    """A refusal raised in the block is about ``field`` (set on it, so the page shows it beside that
    field and keeps the rest of the form); ``hint``, when given, replaces one naming the command line."""
    try:
        yield
    except UserError as refused:
        if not isinstance(refused, _NOT_AN_INPUT):
            refused.field = field
            if hint is not None:
                refused.hint = hint
        raise


# The page's own hints, where the service's name the command line (``code remove``, ``--segment``):
# on the page a coding has a Remove button, and a selection is made with the mouse or the ticks
_OVERLAP_HINT = (
    "One coder applies a code once to a passage: remove your earlier coding (its Remove button is "
    "under its segment) and code the whole passage."
)

_NAME_TAKEN_HINT = "Choose that code from the list above, or give the new code another name."
_SELECT_AGAIN = "The text may have changed since the page was loaded: select the words again."
_PHRASE_HINT = "Type the words as the text has them, tick the segment they are in, or select them."


def _offsets(document: Document, choice: SpanChoice) -> tuple[int, int]:
    """The span chosen; a refusal is said of the ``selection``."""
    if choice.start is not None and choice.end is not None:
        seen = choice.quote
        with _said_of("selection", hint=_SELECT_AGAIN):
            if not seen or document.text[choice.start : choice.end] == seen:
                return resolve_span(document, SpanRequest(span=(choice.start, choice.end)))
            return resolve_span(document, SpanRequest(text=seen))  # the text moved: find the words
    segment = None
    if choice.segments:
        numbers = sorted(set(choice.segments))
        if numbers[-1] - numbers[0] + 1 != len(numbers):
            raise UserError(
                f"segments {', '.join(map(str, numbers))} are not next to each other",
                field="selection",
                hint="A coding is one passage: tick adjacent segments, or code each passage on its own.",
            )
        segment = f"{numbers[0]}-{numbers[-1]}"
    phrase = choice.phrase.strip() or None
    if segment is None and phrase is None:
        raise UserError(
            "say which text to code",
            field="selection",
            hint="Select the words in the text, tick one or more adjacent segments, or type a phrase.",
        )
    with _said_of("selection", hint=_PHRASE_HINT if phrase else None):
        return resolve_span(document, SpanRequest(segment=segment, text=phrase))


def code_selection(
    workspace: Workspace,
    document_id: int,
    choice: SpanChoice,
    *,
    code: str = "",
    new_code: str = "",
    theme: str = "",
    kind: str = "interpretation",
    memo: str = "",
) -> Coding:
    """Apply ``code`` (an existing code's name) or ``new_code`` (created here, under ``theme`` when
    one is named) to the chosen span as the workspace's actor. One transaction: a refused coding
    (an overlap, an empty span) leaves no new code behind. A refusal of one input names it in its
    ``field``: ``code``, ``new_code``, ``theme``, ``kind`` or ``selection``."""
    who = check_coder(workspace.actor)
    with _said_of("kind"):
        span_kind = parse_kind(kind)
    if bool(code.strip()) == bool(new_code.strip()):
        raise UserError(
            "choose one code: an existing one from the list, or type the name of a new one",
            field="code",
            hint="Leave the list on “—” to create the new code you typed.",
        )
    if theme.strip() and not new_code.strip():
        raise UserError(
            "a theme can only be given to a new code here",
            field="theme",
            hint="Put an existing code under a theme with synthesist theme assign CODE THEME.",
        )
    with workspace.unit_of_work() as uow:
        document = load_document(uow, document_id)
        start, end = _offsets(document, choice)
        if new_code.strip():
            themes = [theme.strip()] if theme.strip() else []
            with _said_of("theme"):  # looked up first, so that only the name's refusal is the new code's
                for name in themes:
                    find_theme(uow.synthesis.themes(), name)
            with _said_of("new_code", hint=_NAME_TAKEN_HINT):
                chosen = create_code_in(uow, workspace, new_code, themes=themes)
        else:
            with _said_of("code"):
                chosen = find_code(uow.synthesis.codes(), code)
        with _said_of("selection", hint=_OVERLAP_HINT):  # the code is on this text already
            coding = apply_in(
                uow, workspace, document, chosen, start, end, kind=span_kind, coder=who, memo=memo
            )
        uow.commit()
    return coding


# -- the codebook as a tree ------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeNode:
    code: Code
    codings: int  # people's active codings, every document
    here: int  # of those, in the document being looked at


@dataclass(frozen=True)
class ThemeNode:
    theme: Theme
    codes: list[CodeNode]
    children: list[ThemeNode]
    codings: int  # people's codings that roll up to the theme


@dataclass(frozen=True)
class CodeTree:
    themes: list[ThemeNode]  # the top level: themes without a parent
    loose: list[CodeNode]  # codes under no theme
    codes: list[Code]  # every live code, by name (for the form's list)
    all_themes: list[Theme]  # every theme, in display order (for the form's list)


def code_tree(workspace: Workspace, document_id: int | None = None) -> CodeTree:
    return code_tree_of(coding_snapshot(workspace), document_id)


def code_tree_of(snapshot: CodingSnapshot, document_id: int | None = None) -> CodeTree:
    """The codebook as a tree with counts, from a snapshot the caller has read."""
    human = [coding for coding in snapshot.codings if counts_as_evidence(coding)]
    live = sorted((c for c in snapshot.codes if c.merged_into is None), key=lambda c: c.name.casefold())
    nodes = {
        code.id: CodeNode(
            code,
            sum(1 for c in human if c.code_id == code.id),
            sum(1 for c in human if c.code_id == code.id and c.document_id == document_id),
        )
        for code in live
    }
    rolled = code_themes(snapshot)

    def node(theme: Theme) -> ThemeNode:
        return ThemeNode(
            theme,
            [nodes[code.id] for code in live if theme.id in code.theme_ids],
            [node(child) for child in children(theme.id, snapshot.themes)],
            sum(1 for c in human if theme.id in rolled.get(c.code_id, ())),
        )

    top = [node(theme) for theme in children(None, snapshot.themes)]
    ordered: list[Theme] = []

    def flatten(items: list[ThemeNode]) -> None:
        for item in items:
            ordered.append(item.theme)
            flatten(item.children)

    flatten(top)
    loose = [nodes[code.id] for code in live if not code.theme_ids]
    return CodeTree(top, loose, live, ordered)


# -- the matrix with counts ------------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixStudyColumn:
    id: int | None
    label: str
    rating: str | None
    codings: int  # people's codings in the study that roll up to a theme of the level


@dataclass(frozen=True)
class MatrixThemeRow:
    theme: Theme
    cells: list[int]  # codings per study, in the order of the columns
    studies: int  # studies where the theme is present
    codings: int
    flagged: frozenset[int] = field(default_factory=frozenset)  # study ids resting on lost anchors


@dataclass(frozen=True)
class CountedMatrix:
    level: ThemeLevel
    studies: list[MatrixStudyColumn]
    rows: list[MatrixThemeRow]
    rating_note: str | None
    not_included: tuple[str, ...]

    @property
    def total(self) -> int:
        return len(self.studies)


def counted_matrix(workspace: Workspace, level: ThemeLevel = ThemeLevel.ANALYTICAL) -> CountedMatrix:
    """The theme × study matrix of :func:`synthesist.synthesis.matrix.theme_matrix` (the same rule
    for what counts), turned for the screen: a row per theme, a column per included study, and in
    each cell the number of codings behind the mark."""
    snapshot = coding_snapshot(workspace)
    matrix = theme_matrix(snapshot, included_rows(workspace), level)
    ratings = study_ratings(workspace)
    study_of_document = {document.id: document.study_id for document in snapshot.documents}
    rolled = code_themes(snapshot)
    wanted = {column.theme.id for column in matrix.columns}
    cells: dict[tuple[int, int], int] = {}
    per_study: dict[int, int] = {}
    for coding in snapshot.codings:
        if not counts_as_evidence(coding):
            continue
        study_id = study_of_document.get(coding.document_id)
        hits = [theme_id for theme_id in rolled.get(coding.code_id, ()) if theme_id in wanted]
        if study_id is None or not hits:
            continue
        per_study[study_id] = per_study.get(study_id, 0) + 1
        for theme_id in hits:
            cells[(theme_id, study_id)] = cells.get((theme_id, study_id), 0) + 1
    columns = [
        MatrixStudyColumn(
            study.id,
            study.label,
            ratings.by_study.get(study.id) if study.id is not None else None,
            per_study.get(study.id, 0) if study.id is not None else 0,
        )
        for study in matrix.studies
    ]
    rows = [
        MatrixThemeRow(
            column.theme,
            [cells.get((column.theme.id, s.id), 0) if s.id is not None else 0 for s in matrix.studies],
            len(column.studies),
            column.codings,
            column.flagged,
        )
        for column in matrix.columns
    ]
    return CountedMatrix(level, columns, rows, ratings.note, matrix.not_included)
