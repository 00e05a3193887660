"""Extraction in its three modes: single, single-verified (flags), dual (blind, then consensus)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from synthesist.errors import InvalidTransition, NotFound, UserError
from synthesist.extraction.status import ExtractionStatus
from synthesist.services.extraction.review import flag_field, list_discrepancies, resolve, verify_study
from synthesist.services.extraction.values import (
    complete_study,
    extraction_status,
    included_extractions,
    save_values,
    set_value,
    studies_to_extract,
    study_form,
)
from synthesist.services.fulltext.reports import list_studies, ungroup_records
from synthesist.services.records.reading import read_log
from synthesist.workspace import Workspace
from tests.extraction.conftest import act_as

REQUIRED = {
    "country": "United Kingdom",
    "design_and_aim": "Qualitative interviews; to explore patient-centred physiotherapy.",
    "recruitment_and_sample": "25 patients from three physiotherapy departments.",
    "health_condition": "Chronic low back pain",
    "data_collection_and_analysis": "Semi-structured interviews; framework analysis.",
    "main_findings": "Patients valued being listened to.",
}


def fill(ws: Workspace, study: str, values: dict[str, str] = REQUIRED) -> None:
    for name, value in values.items():
        set_value(ws, study, name, value)


def status_of(ws: Workspace, label: str) -> ExtractionStatus:
    return next(s.extraction.status for s in included_extractions(ws) if s.label == label)


def test_single_extraction_from_first_value_to_complete(studies: Workspace) -> None:
    assert [s.label for s in included_extractions(studies)] == [
        "Cooper 2008",
        "Matthias 2010",
        "Östlund 2001",
    ]
    assert status_of(studies, "Matthias 2010") is ExtractionStatus.NOT_STARTED
    # authors and year come from the study's record, editable
    form = study_form(studies, "Matthias 2010")
    assert [(e.field.name, e.value, e.prefilled) for e in form.entries[:3]] == [
        ("authors", "Matthias MS, Smith BH", True),
        ("year", "2010", True),
        ("country", None, False),
    ]
    result = set_value(studies, "3", "authors", "Matthias MS, Miech EJ, Myers LJ")
    assert result.changed and result.previous == "Matthias MS, Smith BH"
    assert result.study.ref == "S2"  # the record had no study row; it has one now
    assert [s.study.id for s in list_studies(studies, included_only=True)] == [1, 2, None]
    assert status_of(studies, "Matthias 2010") is ExtractionStatus.IN_PROGRESS

    with pytest.raises(UserError) as missing:
        complete_study(studies, "Matthias 2010")
    assert missing.value.message.startswith(
        "study 'Matthias 2010' cannot be marked complete: required fields have no value: "
        "Country (country), Study design and aim (design_and_aim), "
    )
    assert "Recommendations" not in missing.value.message  # not required
    fill(studies, "S2")
    found, new = complete_study(studies, "matthias 2010")
    assert new and found.extraction.status is ExtractionStatus.COMPLETE and found.extraction.final
    assert complete_study(studies, "S2")[1] is False  # once is enough
    # single mode: anyone may correct a value; the latest counts
    act_as(studies, "bob")
    set_value(studies, "S2", "country", "United States")
    assert study_form(studies, "S2").entries[2].value == "United States"
    assert [e.payload["reviewer"] for e in read_log(studies, types=["extraction.value_set"])][-1] == "bob"
    # clearing a required field takes the study out of complete
    set_value(studies, "S2", "country", "")
    assert status_of(studies, "Matthias 2010") is ExtractionStatus.IN_PROGRESS
    assert [s.label for s in studies_to_extract(studies)] == ["Cooper 2008", "Matthias 2010", "Östlund 2001"]


def test_setting_the_same_value_again_changes_nothing(studies: Workspace) -> None:
    set_value(studies, "Cooper 2008", "country", "United Kingdom")
    again = set_value(studies, "Cooper 2008", "country", " United  Kingdom ")
    assert not again.changed
    assert len(read_log(studies, types=["extraction.value_set"])) == 1
    assert not set_value(studies, "Cooper 2008", "year", "2008").changed  # as the record says
    same = set_value(studies, "Matthias 2010", "year", "2010")
    assert not same.changed and same.study.ref == "3"  # no study row was kept for nothing
    assert [s.study.id for s in list_studies(studies, included_only=True)] == [1, None, None]


def test_a_value_that_does_not_fit_is_refused_naming_study_and_field(
    studies: Workspace, with_form: Callable[..., Workspace]
) -> None:
    with_form(
        studies,
        fields=[
            {"name": "design", "type": "choice", "choices": ["Grounded theory", "Phenomenology"]},
            {"name": "sample_size", "type": "number", "integer": True},
        ],
    )
    with pytest.raises(UserError) as raised:
        set_value(studies, "Cooper 2008", "design", "Ethnography")
    assert raised.value.message == (
        "study 'Cooper 2008', field 'design' (Design): 'Ethnography' is not one of the choices: "
        '"Grounded theory", "Phenomenology"'
    )
    with pytest.raises(
        UserError, match=r"study 'Östlund 2001', field 'sample_size' \(Sample size\): 'abc' is not"
    ):
        set_value(studies, "4", "sample_size", "abc")
    with pytest.raises(
        UserError, match="the extraction form has no field 'sample' \\(did you mean 'sample_size'\\?\\)"
    ):
        set_value(studies, "4", "sample", "12")
    with pytest.raises(
        NotFound, match="no included study called 'Coper 2008' \\(did you mean 'Cooper 2008'\\?\\)"
    ):
        set_value(studies, "Coper 2008", "sample_size", "12")
    with pytest.raises(NotFound, match="record 5 is not a report of an included study"):
        set_value(studies, "5", "sample_size", "12")
    # nothing was written, not even the study row a lone record gets on its first value
    assert read_log(studies, types=["extraction.value_set"]) == []
    assert len(read_log(studies, types=["fulltext.study_grouped"])) == 1  # the fixture's "Cooper 2008"
    assert [s.study.id for s in list_studies(studies, included_only=True)] == [1, None, None]


def test_single_verified_flags_are_resolved_by_the_extractor(
    studies: Workspace, with_form: Callable[..., Workspace]
) -> None:
    with_form(studies, mode="single-verified")
    act_as(studies, "alice")
    fill(studies, "Cooper 2008")
    act_as(studies, "bob")
    with pytest.raises(
        InvalidTransition, match="is in progress; it is checked once the extractor marks it complete"
    ):
        verify_study(studies, "Cooper 2008")
    act_as(studies, "alice")
    complete_study(studies, "Cooper 2008")
    with pytest.raises(
        InvalidTransition, match="alice extracted study 'Cooper 2008'; a second person checks it"
    ):
        flag_field(studies, "Cooper 2008", "country", "?")

    act_as(studies, "bob")
    with pytest.raises(UserError, match="say what is wrong with the value"):
        flag_field(studies, "Cooper 2008", "country", "  ")
    raised = flag_field(studies, "Cooper 2008", "country", "Table 1 says Scotland", suggest="Scotland")
    assert (raised.field, raised.flagged_by, raised.suggested_value) == ("country", "bob", "Scotland")
    with pytest.raises(InvalidTransition, match="already flagged by bob"):
        flag_field(studies, "Cooper 2008", "country", "again")
    flag_field(studies, "Cooper 2008", "health_condition", "It says chronic non-specific low back pain")
    with pytest.raises(InvalidTransition, match="you are checking study 'Cooper 2008'"):
        set_value(studies, "Cooper 2008", "country", "Scotland")
    verify_study(studies, "Cooper 2008")
    assert status_of(studies, "Cooper 2008") is ExtractionStatus.FLAGGED
    assert [(i.field.name, i.current) for i in list_discrepancies(studies)] == [
        ("country", "United Kingdom"),
        ("health_condition", "Chronic low back pain"),
    ]
    with pytest.raises(InvalidTransition, match="bob raised this flag"):
        resolve(studies, "Cooper 2008", "country", keep=True, note="no")

    act_as(studies, "alice")
    with pytest.raises(UserError, match="say why the value stands"):
        resolve(studies, "Cooper 2008", "health_condition", keep=True)
    kept = resolve(studies, "Cooper 2008", "health_condition", keep=True, note="the abstract says chronic")
    assert (kept.resolution, kept.value) == ("kept", "Chronic low back pain")
    taken = resolve(studies, "Cooper 2008", "country", take="bob")
    assert (taken.resolution, taken.value) == ("corrected", "Scotland")
    assert taken.study.extraction.status is ExtractionStatus.VERIFIED and taken.study.extraction.final
    assert list_discrepancies(studies) == []
    with pytest.raises(NotFound, match="nothing to resolve on country of study 'Cooper 2008'"):
        resolve(studies, "Cooper 2008", "country", "Wales")
    with pytest.raises(InvalidTransition, match="is verified; a value changes only through a flag"):
        set_value(studies, "Cooper 2008", "country", "Wales")
    resolved = [e.payload for e in read_log(studies, types=["extraction.flag_resolved"])]
    assert [(p["field"], p["resolution"], p["note"]) for p in resolved] == [
        ("health_condition", "kept", "the abstract says chronic"),
        ("country", "corrected", None),
    ]


def test_dual_extraction_is_blind_until_both_are_complete(
    studies: Workspace, with_form: Callable[..., Workspace]
) -> None:
    with_form(studies, mode="dual")
    act_as(studies, "alice")
    fill(studies, "Cooper 2008")
    complete_study(studies, "Cooper 2008")
    act_as(studies, "bob")
    # bob sees the record's prefill and his own values, never alice's
    assert [e.value for e in study_form(studies, "Cooper 2008").entries[:3]] == [
        "Cooper K, Smith BH",
        "2008",
        None,
    ]
    assert list_discrepancies(studies) == []
    assert status_of(studies, "Cooper 2008") is ExtractionStatus.IN_PROGRESS
    fill(
        studies,
        "Cooper 2008",
        REQUIRED | {"country": "Scotland", "main_findings": "patients valued  being listened to."},
    )
    set_value(studies, "Cooper 2008", "year", "2009")
    act_as(studies, "carol")
    with pytest.raises(
        InvalidTransition, match="is extracted by alice and bob already; dual extraction takes two"
    ):
        set_value(studies, "Cooper 2008", "country", "Wales")
    act_as(studies, "bob")
    complete_study(studies, "Cooper 2008")

    items = list_discrepancies(studies)
    assert [(i.field.name, i.discrepancy and i.discrepancy.values) for i in items] == [
        ("year", {"alice": "2008", "bob": "2009"}),
        ("country", {"alice": "United Kingdom", "bob": "Scotland"}),
    ]  # main findings differ only in case and spacing: the same
    [progress] = [p for p in extraction_status(studies) if p.study.label == "Cooper 2008"]
    assert (progress.status, progress.discrepancies, progress.completed) == (
        ExtractionStatus.COMPARED,
        2,
        ["alice", "bob"],
    )
    with pytest.raises(
        InvalidTransition, match="both extractions of study 'Cooper 2008' are complete and compared"
    ):
        set_value(studies, "Cooper 2008", "country", "Wales")
    with pytest.raises(
        UserError, match="'dave' did not extract study 'Cooper 2008'; take the value of alice or bob"
    ):
        resolve(studies, "Cooper 2008", "year", take="dave")
    with pytest.raises(UserError, match="give exactly one of"):
        resolve(studies, "Cooper 2008", "year")
    resolve(studies, "Cooper 2008", "year", take="alice", note="the 2009 paper is the second report")
    done = resolve(studies, "Cooper 2008", "country", "Scotland (UK)")
    assert done.resolution == "consensus" and done.study.extraction.status is ExtractionStatus.AGREED
    assert done.study.extraction.final_value("country") == "Scotland (UK)"
    assert done.study.extraction.final_value("main_findings") == "Patients valued being listened to."
    [event] = [
        e.payload for e in read_log(studies, types=["extraction.consensus"]) if e.payload["field"] == "year"
    ]
    assert event["values"] == {"alice": "2008", "bob": "2009"} and event["value"] == "2008"


def test_a_study_with_extracted_data_keeps_its_last_record(studies: Workspace) -> None:
    set_value(studies, "3", "country", "United States")
    with pytest.raises(InvalidTransition, match="study 2 has data extracted or appraised for it"):
        ungroup_records(studies, [3])
    assert [s.study.id for s in list_studies(studies, included_only=True)] == [1, 2, None]


def test_reviewers_listed_in_the_protocol_are_the_only_ones(
    studies: Workspace, with_form: Callable[..., Workspace]
) -> None:
    with_form(studies, reviewers=["alice"])
    act_as(studies, "mallory")
    with pytest.raises(
        UserError, match=r"'mallory' is not one of the extraction reviewers in review.toml \(alice\)"
    ):
        set_value(studies, "Cooper 2008", "country", "Wales")


def test_checking_is_for_the_single_verified_mode(studies: Workspace) -> None:
    with pytest.raises(UserError, match='checking an extraction is for extraction mode "single-verified"'):
        verify_study(studies, "Cooper 2008")


def test_a_form_saved_at_once_is_written_whole_or_not_at_all(studies: Workspace) -> None:
    with studies.unit_of_work(write=False) as uow:
        events = len(uow.events.list())
    with pytest.raises(UserError, match="cannot be marked complete"):
        save_values(studies, "Matthias 2010", {"country": "Sweden"}, complete=True)
    with pytest.raises(UserError):
        save_values(studies, "Matthias 2010", {"country": "Sweden", "no_such_field": "x"})
    with studies.unit_of_work(write=False) as uow:
        assert len(uow.events.list()) == events, "nothing of a refused form is written"
    after, changed = save_values(studies, "Matthias 2010", REQUIRED, complete=True)
    assert sorted(changed) == sorted(REQUIRED)
    assert after.extraction.status is ExtractionStatus.COMPLETE
    assert save_values(studies, "Matthias 2010", REQUIRED)[1] == []  # the same values again: no change
