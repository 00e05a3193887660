"""Several coders: agreement per code (kappa at segment level), the disagreements between two
coders, and consensus — codings both made become consensus codings, each disagreement is settled
by keeping the code (a consensus coding) or dropping it. Consensus codings carry the coder
"alice & bob" (names sorted) and origin ``consensus``; the two coders' own codings stay as they were,
so agreement can be measured again at any time and is never inflated by the consensus.

Agreement with the assistant compares its suggestions (pending, accepted and rejected alike) with
each person's own codings — those not made by accepting a suggestion, which would agree by
construction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from synthesist.errors import UserError
from synthesist.events import CodingDisagreementResolved
from synthesist.ports import UnitOfWork
from synthesist.services.synthesis.coding import apply_in, check_coder
from synthesist.services.synthesis.documents import load_document
from synthesist.services.synthesis.refs import find_code
from synthesist.synthesis.coder_agreement import CodeAgreement, Disagreement, compare, disagreements
from synthesist.synthesis.entries import CodingStatus, ResolutionOutcome, StoredCoding
from synthesist.synthesis.model import ASSISTANT, Code, Coding, CodingOrigin, Document
from synthesist.synthesis.spans import describe, segment_range
from synthesist.workspace import Workspace

__all__ = [
    "AssistantAgreement",
    "PairAgreement",
    "agree_document",
    "assistant_agreement",
    "coder_agreement",
    "consensus_name",
    "list_disagreements",
    "resolve_disagreement",
]


@dataclass(frozen=True)
class PairAgreement:
    first: str
    second: str
    documents: int  # documents both coded
    per_code: list[CodeAgreement]
    overall: CodeAgreement
    code_names: dict[int, str]


@dataclass(frozen=True)
class AssistantAgreement:
    pairs: list[PairAgreement]  # the assistant against each person
    pending: int
    accepted: int
    rejected: int


def consensus_name(coders: Sequence[str]) -> str:
    return " & ".join(sorted(coders))


def coder_agreement(workspace: Workspace, coders: Sequence[str] | None = None) -> list[PairAgreement]:
    """Agreement between the two coders named, or between every pair of coders who coded."""
    with workspace.unit_of_work(write=False) as uow:
        documents, codes, stored = _read(uow)
    human = [s.coding for s in stored if s.active and s.coding.origin is CodingOrigin.HUMAN]
    present = sorted({c.coder for c in human})
    if coders:
        if len(coders) != 2 or coders[0] == coders[1]:
            raise UserError("name two different coders: --coders alice bob")
        for name in coders:
            if name not in present:
                raise UserError(
                    f"{name!r} has coded nothing", hint=f"Coders so far: {', '.join(present) or 'none'}."
                )
        pairs = [(coders[0], coders[1])]
    else:
        pairs = list(combinations(present, 2))
        if not pairs:
            raise UserError(
                "agreement needs two coders; "
                + (f"only {present[0]} has coded" if present else "nobody has coded yet")
            )
    return [_pair(documents, codes, human, first, second) for first, second in pairs]


def assistant_agreement(workspace: Workspace) -> AssistantAgreement:
    with workspace.unit_of_work(write=False) as uow:
        documents, codes, stored = _read(uow)
    suggestions = [s for s in stored if s.coding.origin is CodingOrigin.SUGGESTED]
    own = [
        s.coding
        for s in stored
        if s.active and s.coding.origin is CodingOrigin.HUMAN and s.source_coding_id is None
    ]
    assistant = [s.coding for s in suggestions if s.status is not CodingStatus.REMOVED]
    pairs = [
        _pair(documents, codes, [*assistant, *own], ASSISTANT, person)
        for person in sorted({c.coder for c in own})
    ]
    return AssistantAgreement(
        pairs,
        pending=sum(1 for s in suggestions if s.active),
        accepted=sum(1 for s in suggestions if s.status is CodingStatus.ACCEPTED),
        rejected=sum(1 for s in suggestions if s.status is CodingStatus.REJECTED),
    )


def list_disagreements(
    workspace: Workspace, coders: Sequence[str], document: str | int | None = None
) -> list[tuple[Document, Disagreement]]:
    """Segments where exactly one of the two coders applied a code, not yet settled."""
    first, second = _two(coders)
    with workspace.unit_of_work(write=False) as uow:
        documents = [load_document(uow, document)] if document is not None else uow.synthesis.documents()
        return [(doc, found) for doc in documents for found in _open(uow, doc, first, second)]


def agree_document(workspace: Workspace, document: str | int, coders: Sequence[str]) -> list[Coding]:
    """Consensus codings wherever the two coders applied the same code to overlapping text (the
    words both coded). Running it again adds only what is new."""
    first, second = _two(coders)
    name = consensus_name((first, second))
    with workspace.unit_of_work() as uow:
        doc = load_document(uow, document)
        codings = [s.coding for s in uow.synthesis.codings(document_ids=[doc.id])]
        mine = [c for c in codings if c.coder == first and c.origin is CodingOrigin.HUMAN]
        theirs = [c for c in codings if c.coder == second and c.origin is CodingOrigin.HUMAN]
        if not mine or not theirs:
            who = first if not mine else second
            raise UserError(f"{who} has not coded {describe(doc)}")
        codes = {code.id: code for code in uow.synthesis.codes()}
        made: list[Coding] = []
        for a in mine:
            for b in theirs:
                start, end = max(a.start, b.start), min(a.end, b.end)
                if a.code_id != b.code_id or start >= end:
                    continue
                existing = [c for c in codings + made if c.coder == name and c.code_id == a.code_id]
                if any(c.start < end and start < c.end for c in existing):
                    continue
                kind = a.kind if a.kind == b.kind else b.kind if a.coder > b.coder else a.kind
                made.append(
                    apply_in(
                        uow, workspace, doc, codes[a.code_id], start, end, kind=kind, coder=name,
                        origin=CodingOrigin.CONSENSUS, log=False,
                    )
                )  # fmt: skip
        if made:
            event = CodingDisagreementResolved(
                doc.id, sorted((first, second)), "agreed", [c.id for c in made]
            )
            uow.events.append(event, workspace.actor)
        uow.commit()
    return made


def resolve_disagreement(
    workspace: Workspace,
    document: str | int,
    code: str,
    *,
    segment: str | int,
    coders: Sequence[str],
    keep: bool,
    note: str | None = None,
) -> Coding | None:
    """Settle one disagreement: keep the code on the segment (a consensus coding over the words the
    coder who applied it coded there) or drop it. Returns the consensus coding when kept."""
    first, second = _two(coders)
    with workspace.unit_of_work() as uow:
        doc = load_document(uow, document)
        found = find_code(uow.synthesis.codes(), code)
        number, last = segment_range(doc, segment)
        if number != last:
            raise UserError("settle one segment at a time: --segment N")
        open_here = [
            d for d in _open(uow, doc, first, second) if d.segment.number == number and d.code_id == found.id
        ]
        if not open_here:
            raise UserError(
                f"segment {number} of {describe(doc)} has no open disagreement on {found.name!r} "
                f"between {first} and {second}",
                hint="`synthesist code disagreements --coders A B` lists them.",
            )
        disputed = open_here[0]
        seg = disputed.segment
        start, end = max(seg.content_start, disputed.coding.start), min(seg.content_end, disputed.coding.end)
        coding = None
        if keep:
            coding = apply_in(
                uow, workspace, doc, found, start, end, kind=disputed.coding.kind,
                coder=consensus_name((first, second)), origin=CodingOrigin.CONSENSUS, log=False,
            )  # fmt: skip
        outcome = ResolutionOutcome.KEEP if keep else ResolutionOutcome.DROP
        uow.synthesis.add_resolution(
            document_id=doc.id,
            code_id=found.id,
            start=seg.content_start,
            end=seg.content_end,
            coders=(first, second),
            outcome=outcome,
            coding_id=coding.id if coding else None,
            by=workspace.actor,
            note=note,
        )
        event = CodingDisagreementResolved(
            doc.id,
            sorted((first, second)),
            outcome.value,
            [coding.id] if coding else [],
            found.name,
            number,
            note,
        )
        uow.events.append(event, workspace.actor)
        uow.commit()
    return coding


def _two(coders: Sequence[str]) -> tuple[str, str]:
    names = [check_coder(name) for name in coders]
    if len(names) != 2 or names[0] == names[1]:
        raise UserError("name the two coders: --with alice --with bob")
    return names[0], names[1]


def _open(uow: UnitOfWork, doc: Document, first: str, second: str) -> list[Disagreement]:
    codings = [s.coding for s in uow.synthesis.codings(document_ids=[doc.id])]
    mine = [c for c in codings if c.coder == first and c.origin is CodingOrigin.HUMAN]
    theirs = [c for c in codings if c.coder == second and c.origin is CodingOrigin.HUMAN]
    if not mine or not theirs:
        return []
    pair = sorted((first, second))
    name = consensus_name(pair)
    settled = [
        (r.code_id, r.start, r.end)
        for r in uow.synthesis.resolutions()
        if r.document_id == doc.id and sorted(r.coders) == pair
    ]
    agreed = [c for c in codings if c.coder == name]
    return [
        d
        for d in disagreements(doc, mine, theirs, (first, second))
        if not any(
            code == d.code_id and s < d.segment.content_end and d.segment.content_start < e
            for code, s, e in settled
        )
        and not any(
            c.code_id == d.code_id and c.start < d.segment.content_end and d.segment.content_start < c.end
            for c in agreed
        )
    ]


def _read(uow: UnitOfWork) -> tuple[list[Document], dict[int, Code], list[StoredCoding]]:
    documents = uow.synthesis.documents()
    codes = {code.id: code for code in uow.synthesis.codes() if code.merged_into is None}
    return documents, codes, uow.synthesis.codings(active_only=False)


def _pair(
    documents: Sequence[Document], codes: dict[int, Code], codings: Sequence[Coding], first: str, second: str
) -> PairAgreement:
    mine = [c for c in codings if c.coder == first]
    theirs = [c for c in codings if c.coder == second]
    used = sorted({c.code_id for c in (*mine, *theirs)} & set(codes))
    per_code, overall = compare(documents, mine, theirs, used)
    shared = len({c.document_id for c in mine} & {c.document_id for c in theirs})
    return PairAgreement(first, second, shared, per_code, overall, {i: codes[i].name for i in used})
