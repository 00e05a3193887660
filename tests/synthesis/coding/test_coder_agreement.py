"""Several coders: kappa per code at segment level over the documents both coded, disagreements,
and consensus codings that settle them without changing either coder's own coding."""

from __future__ import annotations

import pytest

from synthesist.errors import UserError
from synthesist.services.synthesis.agreement import (
    agree_document,
    coder_agreement,
    list_disagreements,
    resolve_disagreement,
)
from synthesist.services.synthesis.codes import create_code
from synthesist.services.synthesis.coding import apply_code
from synthesist.services.synthesis.documents import add_document
from synthesist.services.synthesis.snapshot import coding_snapshot
from synthesist.synthesis.model import CodingOrigin, Document
from synthesist.workspace import Workspace
from tests.synthesis_helpers import FINDINGS


@pytest.fixture
def doc(studies: Workspace) -> Document:
    document = add_document(studies, "Cooper 2008", text=FINDINGS)  # 6 segments
    add_document(studies, "Matthias 2010", text="Only alice coded this one.")
    for name in ("listened to", "trust", "information"):
        create_code(studies, name)
    code = {"alice": [("listened to", 1), ("listened to", 2), ("trust", 3), ("information", 4)],
            "bob": [("listened to", 2), ("trust", 3), ("information", 5)]}  # fmt: skip
    for coder, applied in code.items():
        for name, segment in applied:
            apply_code(studies, document.id, name, segment=segment, kind="quote", coder=coder)
    apply_code(studies, "Matthias 2010", "trust", segment=1, kind="quote", coder="alice")
    return document


def test_kappa_per_code_counts_the_segments_of_documents_both_coded(
    studies: Workspace, doc: Document
) -> None:
    [pair] = coder_agreement(studies)
    assert (pair.first, pair.second, pair.documents) == ("alice", "bob", 1)
    rows = {pair.code_names[row.code_id]: row for row in pair.per_code if row.code_id is not None}
    listened = rows["listened to"]
    assert (listened.segments, listened.both, listened.first_only, listened.second_only) == (6, 1, 1, 0)
    assert listened.percent == pytest.approx(100 * 5 / 6)
    # 2x2 table [[1, 1], [0, 4]]: po = 5/6, pe = (2/6)(1/6) + (4/6)(5/6) = 22/36
    assert listened.kappa == pytest.approx((5 / 6 - 22 / 36) / (1 - 22 / 36))
    assert rows["trust"].kappa == pytest.approx(1.0), "the Matthias document only alice coded is left out"
    assert rows["information"].both == 0 and rows["information"].kappa == pytest.approx(-0.2)
    assert pair.overall.segments == 18


def test_agreement_names_coders_who_have_not_coded(studies: Workspace, doc: Document) -> None:
    with pytest.raises(UserError, match="'carol' has coded nothing"):
        coder_agreement(studies, ["alice", "carol"])
    with pytest.raises(UserError, match="name two different coders"):
        coder_agreement(studies, ["alice", "alice"])


def test_consensus_codes_what_both_coded_and_settles_each_disagreement(
    studies: Workspace, doc: Document
) -> None:
    open_before = list_disagreements(studies, ["alice", "bob"])
    assert [(d.segment.number, d.coded_by) for _, d in open_before] == [
        (1, "alice"),
        (4, "alice"),
        (5, "bob"),
    ]
    made = agree_document(studies, doc.id, ["bob", "alice"])
    assert [(c.coder, c.origin) for c in made] == [("alice & bob", CodingOrigin.CONSENSUS)] * 2
    assert agree_document(studies, doc.id, ["alice", "bob"]) == [], "agreeing again adds nothing"

    kept = resolve_disagreement(studies, doc.id, "listened to", segment=1, coders=["alice", "bob"], keep=True)
    assert kept is not None and kept.coder == "alice & bob"
    assert (
        resolve_disagreement(studies, doc.id, "information", segment=5, coders=["alice", "bob"], keep=False)
        is None
    )
    assert [(d.segment.number, d.coded_by) for _, d in list_disagreements(studies, ["alice", "bob"])] == [
        (4, "alice")
    ]
    with pytest.raises(
        UserError, match=r"segment 5 of document .* has no open disagreement on 'information'"
    ):
        resolve_disagreement(studies, doc.id, "information", segment=5, coders=["alice", "bob"], keep=True)

    [pair] = coder_agreement(studies, ["alice", "bob"])
    rows = {pair.code_names[row.code_id]: row for row in pair.per_code if row.code_id is not None}
    assert (rows["listened to"].both, rows["listened to"].first_only) == (1, 1), (
        "consensus leaves the coders' own"
    )
    consensus = [c for c in coding_snapshot(studies).codings if c.origin is CodingOrigin.CONSENSUS]
    assert len(consensus) == 3
    with studies.unit_of_work(write=False) as uow:
        outcomes = [e.payload["outcome"] for e in uow.events.list(types=["synthesis.disagreement_resolved"])]
    assert outcomes == ["agreed", "keep", "drop"]
