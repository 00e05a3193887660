"""Coding: codes on spans given by segment, offsets or phrase; bad spans, overlaps and unknown codes
or themes refused with nothing written; themes roll up; merge, split and rename keep history."""

from __future__ import annotations

import pytest

from synthesist.errors import InvalidTransition, NotFound, UserError
from synthesist.services.synthesis.codes import (
    code_detail,
    create_code,
    define_code,
    merge_codes,
    rename_code,
    split_code,
    write_code_memo,
)
from synthesist.services.synthesis.coding import apply_code, remove_coding
from synthesist.services.synthesis.documents import add_document
from synthesist.services.synthesis.snapshot import coding_snapshot
from synthesist.services.synthesis.themes import assign_code_to_theme, change_theme, create_theme
from synthesist.synthesis.entries import HistoryAction
from synthesist.synthesis.model import CodingOrigin, Document, SpanKind, ThemeLevel
from synthesist.synthesis.segments import segments
from synthesist.synthesis.themes import themes_of_coding
from synthesist.workspace import Workspace
from tests.synthesis.coding.conftest import act_as
from tests.synthesis_helpers import FINDINGS


@pytest.fixture
def doc(studies: Workspace) -> Document:
    document = add_document(studies, "Cooper 2008", text=FINDINGS)
    create_code(studies, "listened to")
    create_code(studies, "trust")
    return document


def written(ws: Workspace) -> tuple[int, int, int, int]:
    """(codings, codes, themes, events): what a refused action must leave as it was."""
    with ws.unit_of_work(write=False) as uow:
        s = uow.synthesis
        return len(s.codings(active_only=False)), len(s.codes()), len(s.themes()), len(uow.events.list())


def test_a_span_can_be_given_by_segment_offsets_or_phrase(studies: Workspace, doc: Document) -> None:
    first = segments(doc.text)[0]
    by_segment = apply_code(studies, doc.id, "listened to", segment=1, kind="interpretation")
    assert (by_segment.start, by_segment.end) == (first.content_start, first.content_end)
    assert by_segment.kind is SpanKind.INTERPRETATION and by_segment.coder == "tester"
    by_phrase = apply_code(studies, "Cooper 2008", "trust", text="trust  GREW over", kind="q", coder="alice")
    assert by_phrase.text == "Trust grew over" and by_phrase.kind is SpanKind.QUOTE
    start = doc.text.index("really")
    by_offsets = apply_code(studies, f"D{doc.id}", "trust", span=f"{start - 1}:{start + 6}", kind="quote")
    assert by_offsets.text == "really", "whitespace around a span is trimmed"
    in_segment = apply_code(
        studies, doc.id, "listened to", segment="2", text="listened", kind="quote", coder="bob"
    )
    assert in_segment.start == doc.text.index("listened to me")
    with studies.unit_of_work(write=False) as uow:
        events = [e for e in uow.events.list() if e.type == "synthesis.coding_applied"]
    assert [e.payload["coding_id"] for e in events] == [
        by_segment.id,
        by_phrase.id,
        by_offsets.id,
        in_segment.id,
    ]
    assert events[1].actor == "tester" and events[1].payload["coder"] == "alice"


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        ({"span": "10:5"}, r"span 10:5 of document \d+ \('pasted text'\) is empty or reversed"),
        ({"span": "5:5"}, "is empty or reversed"),
        ({"span": "5000:5010"}, "is outside document"),
        (
            {"span": "370:400"},
            r"crosses the end of document \d+ \('pasted text'\), whose text has 375 characters",
        ),
        ({"span": "80:81"}, "holds no text, only whitespace"),
        ({"segment": 99}, r"has segments 1 to 6; there is no segment 99"),
        ({"segment": "3-2"}, "there is no segment 3-2"),
        ({"text": "not in the text"}, "is not in document"),
        ({"text": "physiotherap"}, r"occurs 2 times in document \d+ .* \(segments 1, 6\)"),
        ({"segment": 1, "span": "0:4"}, "either --segment or --span"),
        ({}, "say which text to code"),
    ],
)
def test_bad_spans_are_refused_naming_the_document_and_nothing_is_written(
    studies: Workspace, doc: Document, request_: dict[str, object], message: str
) -> None:
    before = written(studies)
    with pytest.raises(UserError, match=message):
        apply_code(studies, doc.id, "trust", kind="quote", **request_)  # type: ignore[arg-type]
    assert written(studies) == before


def test_one_coder_cannot_apply_a_code_twice_to_overlapping_text(studies: Workspace, doc: Document) -> None:
    first = apply_code(studies, doc.id, "trust", segment=3, kind="interpretation")
    before = written(studies)
    with pytest.raises(
        UserError,
        match=rf"tester already coded 'trust' on \[.*\] of document {doc.id} .*\(coding {first.id}\)",
    ):
        apply_code(studies, doc.id, "trust", text="Trust grew", kind="interpretation")
    assert written(studies) == before
    apply_code(studies, doc.id, "listened to", segment=3, kind="interpretation")  # another code: fine
    apply_code(studies, doc.id, "trust", segment=3, kind="interpretation", coder="bob")  # another coder: fine
    remove_coding(studies, first.id)
    again = apply_code(studies, doc.id, "trust", text="Trust grew", kind="interpretation")
    snapshot = coding_snapshot(studies)
    assert first.id not in {c.id for c in snapshot.codings} and again.id in {c.id for c in snapshot.codings}
    with pytest.raises(InvalidTransition, match=f"coding {first.id} is removed already"):
        remove_coding(studies, first.id)


def test_unknown_codes_kinds_coders_and_documents_are_named(studies: Workspace, doc: Document) -> None:
    before = written(studies)
    with pytest.raises(NotFound, match=r"no code called 'trusst' \(did you mean 'trust'\?\)"):
        apply_code(studies, doc.id, "trusst", segment=1, kind="quote")
    with pytest.raises(UserError, match="'citation' is not a kind of coded span"):
        apply_code(studies, doc.id, "trust", segment=1, kind="citation")
    with pytest.raises(UserError, match="'assistant' is the name of the coding assistant"):
        apply_code(studies, doc.id, "trust", segment=1, kind="quote", coder="assistant")
    with pytest.raises(NotFound, match="no document 999"):
        apply_code(studies, 999, "trust", segment=1, kind="quote")
    with pytest.raises(NotFound, match="no document for 'Matthias 2010'"):
        apply_code(studies, "Matthias 2010", "trust", segment=1, kind="quote")
    assert written(studies) == before


def test_a_coding_rolls_up_to_every_theme_above_its_code(studies: Workspace, doc: Document) -> None:
    create_theme(studies, "Mutual understanding", level="analytical", key_terms="trust, beliefs")
    create_theme(studies, "Feeling believed", parent="Mutual understanding")
    create_theme(studies, "Continuity", parent="Feeling believed")
    assign_code_to_theme(studies, "trust", "Continuity")
    coding = apply_code(studies, doc.id, "trust", segment=3, kind="interpretation")
    snapshot = coding_snapshot(studies)
    names = {t.id: t.name for t in snapshot.themes}
    [stored] = snapshot.codings
    assert stored.id == coding.id
    rolled = [names[i] for i in themes_of_coding(stored, snapshot.codes, snapshot.themes)]
    assert rolled == ["Continuity", "Feeling believed", "Mutual understanding"]


def test_theme_mistakes_are_refused_and_nothing_is_written(studies: Workspace, doc: Document) -> None:
    create_theme(studies, "Mutual understanding", level="analytical")
    create_theme(studies, "Feeling believed", parent="Mutual understanding")
    before = written(studies)
    with pytest.raises(NotFound, match="no theme called 'Mutual understandng'"):
        assign_code_to_theme(studies, "trust", "Mutual understandng")
    with pytest.raises(NotFound, match="no theme called 'Nowhere'"):
        create_code(studies, "new code", themes=["Nowhere"])
    with pytest.raises(NotFound, match="no theme called 'Nowhere'"):
        create_theme(studies, "Orphan", parent="Nowhere")
    with pytest.raises(
        UserError, match="analytical theme 'Big' cannot go under descriptive theme 'Feeling believed'"
    ):
        create_theme(studies, "Big", level="analytical", parent="Feeling believed")
    with pytest.raises(UserError, match="cannot go under 'Feeling believed': a theme cannot be under itself"):
        change_theme(studies, "Mutual understanding", parent="Feeling believed")
    with pytest.raises(UserError, match="a theme called 'feeling believed' exists already"):
        create_theme(studies, "feeling believed")
    with pytest.raises(UserError, match="'middle' is not a theme level"):
        create_theme(studies, "Other", level="middle")
    assert written(studies) == before


def test_rename_define_and_memos_are_kept_in_the_code_s_history(studies: Workspace, doc: Document) -> None:
    rename_code(studies, "trust", "trusting the professional")
    define_code(studies, "trusting the professional", "Patients rely on them", key_terms="trust, rely")
    write_code_memo(studies, "trusting the professional", "Close to continuity of care.")
    with pytest.raises(UserError, match="a code called 'listened to' exists already"):
        rename_code(studies, "trusting the professional", "Listened  to")
    detail = code_detail(studies, "Trusting the professional")
    assert detail.code.definition == "Patients rely on them" and detail.code.key_terms == ("trust", "rely")
    assert detail.code.memo == "Close to continuity of care."
    assert [h.action for h in detail.history] == [
        HistoryAction.CREATED,
        HistoryAction.RENAMED,
        HistoryAction.DEFINED,
    ]
    assert detail.history[1].detail == {"old": "trust", "new": "trusting the professional"}


def test_merging_moves_codings_and_themes_and_folds_overlaps(studies: Workspace, doc: Document) -> None:
    create_theme(studies, "Communication", level="analytical")
    assign_code_to_theme(studies, "listened to", "Communication")
    a = apply_code(studies, doc.id, "listened to", segment=2, kind="quote")
    b = apply_code(studies, doc.id, "trust", text="I felt understood", kind="quote")  # inside segment 2
    c = apply_code(studies, doc.id, "listened to", segment=5, kind="quote", coder="bob")
    result = merge_codes(studies, "listened to", "trust")
    assert sorted(result.moved) == [a.id, c.id] and result.folded == [a.id]
    snapshot = coding_snapshot(studies)
    trust = next(code for code in snapshot.codes if code.name == "trust")
    merged = next(code for code in snapshot.codes if code.name == "listened to")
    assert merged.merged_into == trust.id and merged.theme_ids == ()
    assert [t.name for t in snapshot.themes if t.id in trust.theme_ids] == ["Communication"]
    by_id = {coding.id: coding for coding in snapshot.codings}
    assert set(by_id) == {b.id, c.id}, "a's words are now b's: one coding, not two overlapping ones"
    assert (by_id[b.id].start, by_id[b.id].end) == (a.start, a.end)
    assert all(coding.code_id == trust.id for coding in snapshot.codings)
    with pytest.raises(UserError, match="code 'listened to' was merged into 'trust'"):
        apply_code(studies, doc.id, "listened to", segment=1, kind="quote")
    history = code_detail(studies, "listened to").history
    assert history[-1].action is HistoryAction.MERGED and history[-1].detail["into_name"] == "trust"
    with studies.unit_of_work(write=False) as uow:
        event = uow.events.list()[-1]
    assert event.type == "synthesis.codes_merged" and sorted(event.payload["codings"]) == [a.id, c.id]


def test_splitting_moves_the_codings_named_to_a_new_code_under_the_same_themes(
    studies: Workspace, doc: Document
) -> None:
    create_theme(studies, "Mutual understanding", level="analytical")
    assign_code_to_theme(studies, "trust", "Mutual understanding")
    keep = apply_code(studies, doc.id, "trust", segment=3, kind="interpretation")
    move = apply_code(studies, doc.id, "trust", segment=5, kind="quote")
    other = apply_code(studies, doc.id, "listened to", segment=1, kind="interpretation")
    before = written(studies)
    with pytest.raises(UserError, match=f"coding {other.id} is not an active coding of code 'trust'"):
        split_code(studies, "trust", into="distrust", codings=[move.id, other.id])
    with pytest.raises(UserError, match="that is every coding of 'trust': rename it instead"):
        split_code(studies, "trust", into="distrust", codings=[keep.id, move.id])
    assert written(studies) == before
    result = split_code(studies, "trust", into="distrust", codings=[f"C{move.id}"])
    assert result.created and result.moved == [move.id]
    snapshot = coding_snapshot(studies)
    distrust = next(code for code in snapshot.codes if code.name == "distrust")
    trust = next(code for code in snapshot.codes if code.name == "trust")
    assert distrust.theme_ids == trust.theme_ids
    assert {c.id: c.code_id for c in snapshot.codings} == {
        keep.id: trust.id,
        move.id: distrust.id,
        other.id: other.code_id,
    }
    assert code_detail(studies, "trust").history[-1].detail["codings"] == [move.id]


def test_consensus_and_suggested_codings_are_told_apart_in_the_snapshot(
    studies: Workspace, doc: Document
) -> None:
    apply_code(act_as(studies, "alice"), doc.id, "trust", segment=3, kind="interpretation")
    [coding] = coding_snapshot(studies).codings
    assert coding.origin is CodingOrigin.HUMAN and coding.coder == "alice"
    theme = create_theme(studies, "Level check", level=ThemeLevel.ANALYTICAL)
    assert theme.level is ThemeLevel.ANALYTICAL
