"""The thematic synthesis, as plain data (Thomas & Harden 2008).

The findings of each included study become a :class:`Document` (its text kept exactly, with page
numbers where it came from a PDF). Coders apply :class:`Code` s to spans of that text
(:class:`Coding`: character offsets into the document's text, many codes per span allowed). Codes
are grouped under descriptive themes, and those under analytical themes (:class:`Theme`, a tree:
a code may sit under several themes; a theme's parent is a theme one level up). A coding "rolls up"
to every theme above its code.

These types are what the storage layer returns and what every output (theme × study matrix,
evidence view, CERQual, REFI-QDA export, the report) is computed from: :class:`CodingSnapshot`
holds one consistent read of all of it. Nothing here touches a database.

Offsets are Python string indices into ``Document.text`` (Unicode code points), ``end`` exclusive.
A document's text never changes in place: a new version gets a new ``text_sha256``, and codings made
on the old text are re-anchored or flagged (see :class:`AnchorStatus`), never silently shifted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

__all__ = [
    "ASSISTANT",
    "AnchorStatus",
    "Code",
    "Coding",
    "CodingOrigin",
    "CodingSnapshot",
    "Document",
    "DocumentSource",
    "Page",
    "SpanKind",
    "Theme",
    "ThemeLevel",
]

ASSISTANT = "assistant"
"""The coder name of machine suggestions. Never a human's; its codings never count as human coding
until a reviewer accepts them (which makes a new coding in that reviewer's name)."""


class DocumentSource(StrEnum):
    """Where a document's text came from."""

    PDF = "pdf"  # a report attached at full text, pages kept
    DOCX = "docx"
    TEXT = "text"  # a .txt file
    PASTED = "pasted"


class SpanKind(StrEnum):
    """What a coded span is (Thomas & Harden code both, and readers weigh them differently)."""

    QUOTE = "participant_quote"
    INTERPRETATION = "author_interpretation"


class ThemeLevel(StrEnum):
    DESCRIPTIVE = "descriptive"
    ANALYTICAL = "analytical"


class CodingOrigin(StrEnum):
    HUMAN = "human"
    SUGGESTED = "suggested"  # by the assistant, not accepted (yet)
    CONSENSUS = "consensus"  # agreed by the coders after a disagreement


class AnchorStatus(StrEnum):
    """Whether a coding still points at the text it was made on."""

    OK = "ok"
    REANCHORED = "reanchored"  # the text changed; the coded words were found again, unambiguously
    LOST = "lost"  # the text changed and the coded words are gone or ambiguous: a reviewer must look


@dataclass(frozen=True, slots=True)
class Page:
    """A page of a document: its number as printed/in the PDF, and where it starts in the text."""

    number: int
    start: int


@dataclass(frozen=True, slots=True)
class Document:
    """The findings text of one study (one study may have several documents, e.g. two reports)."""

    id: int
    study_id: int
    title: str
    source: DocumentSource
    text: str
    text_sha256: str
    pages: tuple[Page, ...] = ()
    report_id: int | None = None  # the full-text report it was taken from, if any
    added_by: str = ""
    added_at: datetime | None = None
    version: int = 1  # 1 for the text as added; each replacement of the text adds one

    def page_at(self, offset: int) -> int | None:
        """The page the character at ``offset`` is on, or None for a document without pages."""
        number = None
        for page in self.pages:
            if page.start > offset:
                break
            number = page.number
        return number


@dataclass(frozen=True, slots=True)
class Code:
    """A code of the codebook. ``theme_ids``: the descriptive (or analytical) themes it sits under."""

    id: int
    name: str
    definition: str = ""
    memo: str = ""
    theme_ids: tuple[int, ...] = ()
    merged_into: int | None = None  # set when merged away; such a code has no codings left
    key_terms: tuple[str, ...] = ()  # words that suggest the code (synthesis suggest)


@dataclass(frozen=True, slots=True)
class Theme:
    """A descriptive or analytical theme, with the key terms that define it (the review's Table 2)."""

    id: int
    name: str
    level: ThemeLevel
    definition: str = ""
    key_terms: tuple[str, ...] = ()
    parent_id: int | None = None  # a descriptive theme's analytical theme
    position: int = 0  # display order among its siblings (the matrix's column order)


@dataclass(frozen=True, slots=True)
class Coding:
    """One code applied to one span of one document by one coder."""

    id: int
    document_id: int
    code_id: int
    start: int
    end: int
    coder: str
    kind: SpanKind
    origin: CodingOrigin = CodingOrigin.HUMAN
    anchor: AnchorStatus = AnchorStatus.OK
    text: str = ""  # the coded words as they were when coded (used to re-anchor)
    page: int | None = None
    memo: str = ""
    created_at: datetime | None = None
    score: float | None = None  # a suggestion's score (0-1), None for a person's coding


@dataclass(frozen=True, slots=True)
class CodingSnapshot:
    """Everything coded so far, read at one moment: the input of every synthesis output."""

    documents: tuple[Document, ...] = ()
    codes: tuple[Code, ...] = ()
    themes: tuple[Theme, ...] = ()
    codings: tuple[Coding, ...] = ()
    study_labels: dict[int, str] = field(default_factory=dict)  # study id -> "Author Year"
