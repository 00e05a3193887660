"""How far two coders agree, code by code, at segment level. Pure functions.

For each code, every segment of every document *both* coders coded (each has at least one coding
in it) is an item; each coder rates it "applies" when one of their codings of that code shares a
visible character with the segment (its text without the whitespace around it). Cohen's kappa,
percent agreement and PABAK come from :func:`synthesist.screening.agreement.agreement`. A document
only one of them coded is left out: not coding it yet is not a disagreement.

The same comparison measures the assistant against a person (its suggestions against their own
codings), and lists the disagreements a consensus has to settle.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from synthesist.screening.agreement import Agreement, agreement
from synthesist.synthesis.model import Coding, Document
from synthesist.synthesis.segments import Segment, segments

__all__ = ["CodeAgreement", "Disagreement", "compare", "disagreements", "rated_segments"]


@dataclass(frozen=True, slots=True)
class CodeAgreement:
    """Agreement on one code (``code_id`` None: all codes pooled, one item per segment and code)."""

    code_id: int | None
    segments: int
    both: int
    first_only: int
    second_only: int
    statistics: Agreement[bool] | None  # None when there is no segment to compare

    @property
    def kappa(self) -> float | None:
        return self.statistics.kappa if self.statistics else None

    @property
    def percent(self) -> float | None:
        return 100 * self.statistics.observed if self.statistics else None


@dataclass(frozen=True, slots=True)
class Disagreement:
    document_id: int
    segment: Segment
    code_id: int
    coded_by: str  # the one of the two who applied the code
    coding: Coding  # their coding that touches the segment


def _touches(coding: Coding, segment: Segment) -> bool:
    return coding.start < segment.content_end and segment.content_start < coding.end


def rated_segments(
    documents: Sequence[Document], first: Sequence[Coding], second: Sequence[Coding]
) -> list[tuple[Document, Segment]]:
    """The segments of the documents both coded, in document order."""
    shared = {c.document_id for c in first} & {c.document_id for c in second}
    return [(doc, segment) for doc in documents if doc.id in shared for segment in segments(doc.text)]


def compare(
    documents: Sequence[Document],
    first: Sequence[Coding],
    second: Sequence[Coding],
    code_ids: Iterable[int],
) -> tuple[list[CodeAgreement], CodeAgreement]:
    """Agreement per code, and pooled over the codes, between two coders' codings."""
    items = rated_segments(documents, first, second)
    per_code: list[CodeAgreement] = []
    pooled: list[tuple[bool, bool]] = []
    for code_id in code_ids:
        mine = [c for c in first if c.code_id == code_id]
        theirs = [c for c in second if c.code_id == code_id]
        pairs = [
            (
                any(c.document_id == doc.id and _touches(c, seg) for c in mine),
                any(c.document_id == doc.id and _touches(c, seg) for c in theirs),
            )
            for doc, seg in items
        ]
        pooled += pairs
        per_code.append(_summary(code_id, pairs))
    return per_code, _summary(None, pooled)


def disagreements(
    document: Document, first: Sequence[Coding], second: Sequence[Coding], names: tuple[str, str]
) -> list[Disagreement]:
    """Segments of ``document`` where exactly one of the two coders applied a code."""
    found: list[Disagreement] = []
    for segment in segments(document.text):
        for code_id in sorted({c.code_id for c in (*first, *second)}):
            a = [c for c in first if c.code_id == code_id and _touches(c, segment)]
            b = [c for c in second if c.code_id == code_id and _touches(c, segment)]
            if bool(a) != bool(b):
                coding = (a or b)[0]
                found.append(Disagreement(document.id, segment, code_id, names[0] if a else names[1], coding))
    return found


def _summary(code_id: int | None, pairs: list[tuple[bool, bool]]) -> CodeAgreement:
    both = sum(1 for a, b in pairs if a and b)
    first_only = sum(1 for a, b in pairs if a and not b)
    second_only = sum(1 for a, b in pairs if b and not a)
    stats = agreement(pairs, categories=(True, False)) if pairs else None
    return CodeAgreement(code_id, len(pairs), both, first_only, second_only, stats)
