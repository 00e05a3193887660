"""Naming a study: label, record id, or S + study id."""

from __future__ import annotations

import pytest

from synthesist.errors import NotFound, UserError
from synthesist.fulltext.model import Study
from synthesist.screening.model import RecordState
from synthesist.services.fulltext.reports import StudyView
from synthesist.services.fulltext.study_refs import resolve_study, study_ref


def view(study_id: int | None, label: str, *record_ids: int) -> StudyView:
    return StudyView(
        Study(study_id, label, record_ids),
        {r: RecordState.INCLUDED for r in record_ids},
        dict.fromkeys(record_ids, 0),
    )


VIEWS = [
    view(1, "Cooper 2008", 1, 2),
    view(None, "May 2001", 5),
    view(3, "Cooper  2009", 7),
    view(None, "May 2001", 9),
]


def test_a_study_by_label_record_or_id() -> None:
    assert resolve_study(VIEWS, "cooper 2008") is VIEWS[0]
    assert resolve_study(VIEWS, "Cooper 2009") is VIEWS[2]  # spacing does not matter
    assert resolve_study(VIEWS, "2") is VIEWS[0]
    assert resolve_study(VIEWS, " s3 ") is VIEWS[2]
    assert resolve_study(VIEWS, "9") is VIEWS[3]
    assert [study_ref(v) for v in VIEWS] == ["S1", "5", "S3", "9"]


def test_unknown_and_ambiguous_names_are_refused_with_what_would_do() -> None:
    with pytest.raises(UserError) as ambiguous:
        resolve_study(VIEWS, "May 2001")
    assert ambiguous.value.message == "2 studies are called 'May 2001': 5 (records 5); 9 (records 9)"
    with pytest.raises(NotFound, match="no included study S2"):
        resolve_study(VIEWS, "S2")
    with pytest.raises(NotFound, match="record 4 is not a report of an included study"):
        resolve_study(VIEWS, "4")
    with pytest.raises(NotFound, match=r"no included study called 'Coper 2008' \(did you mean 'Cooper 2008'"):
        resolve_study(VIEWS, "Coper 2008")
    with pytest.raises(UserError, match="name the included study"):
        resolve_study(VIEWS, "  ")
