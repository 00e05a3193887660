"""PrismaCounts: the identities the PRISMA 2020 diagram implies are enforced, and only those."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from synthesist.errors import InconsistentCounts, UserError
from synthesist.reporting.prisma import NamedCount, PrismaCounts
from tests.reporting.prisma_examples import BOTH_COLUMNS, NO_OTHER_METHODS, REFERENCE


def _problems(**changes: Any) -> tuple[str, ...]:
    with pytest.raises(InconsistentCounts) as caught:
        dataclasses.replace(REFERENCE, **changes)
    return caught.value.problems


def test_the_reference_review_adds_up() -> None:
    assert REFERENCE.other_records == 62
    assert REFERENCE.reports_excluded_total == 20
    assert REFERENCE.has_other_methods
    # all 62 records from other methods were screened with the database records: no retrieval column
    assert not REFERENCE.other_reports_column


def test_examples_with_and_without_other_methods_add_up() -> None:
    assert not NO_OTHER_METHODS.has_other_methods
    assert BOTH_COLUMNS.other_reports_column


def test_an_empty_diagram_is_valid() -> None:
    assert PrismaCounts().records_screened == 0


def test_lists_are_stored_as_tuples_and_marks_as_a_frozenset() -> None:
    # callers building counts from query results pass lists and sets; the types say tuple and frozenset
    loose: dict[str, Any] = {"databases": [NamedCount("MEDLINE", 3)], "manual": {"databases"}}
    counts = PrismaCounts(database_records=3, records_screened=3, **loose)
    assert counts.databases == (NamedCount("MEDLINE", 3),)
    assert counts.manual == frozenset({"databases"})
    assert hash(counts) == hash(dataclasses.replace(counts))


def test_records_screened_must_be_identified_minus_removed() -> None:
    (problem,) = _problems(records_screened=700, records_excluded=670)
    assert problem.startswith("Records screened: n = 700, but records identified from databases (757)")
    assert "+ records from other methods screened with them (62)" in problem
    assert "- duplicates removed (81)" in problem
    assert problem.endswith("= 738")


def test_records_from_other_methods_may_go_to_retrieval_instead_of_screening() -> None:
    counts = dataclasses.replace(
        REFERENCE,
        other_records_screened=0,
        records_screened=676,
        records_excluded=646,
        other_reports_sought=5,
        other_reports_assessed=5,
        other_reports_excluded=(NamedCount("Not qualitative", 5),),
    )
    assert counts.other_reports_column


def test_more_records_screened_with_the_databases_than_found_is_refused() -> None:
    problems = _problems(other_records_screened=70, records_screened=746)
    assert problems == (
        "Records from other methods screened with those from databases and registers: n = 70 is more "
        "than the records identified via other methods (n = 62)",
    )


def test_databases_listed_must_add_up_to_the_total() -> None:
    (problem,) = _problems(database_records=758, records_screened=739)
    assert problem == (
        "Records identified from databases: n = 758, but the databases listed add up to 757 "
        "(Cochrane Library 61 + CINAHL 148 + MEDLINE 214 + EMBASE 231 + PsycINFO 103)"
    )


def test_a_total_without_a_list_of_databases_is_fine() -> None:
    assert dataclasses.replace(REFERENCE, databases=()).database_records == 757


def test_reports_assessed_must_be_sought_minus_not_retrieved() -> None:
    (problem,) = _problems(reports_not_retrieved=2)
    assert problem == (
        "Reports assessed for eligibility: n = 30, but reports sought for retrieval (30) "
        "- reports not retrieved (2) = 28"
    )


def test_reports_of_included_studies_must_be_assessed_minus_excluded() -> None:
    problems = _problems(reports_included=11)
    assert problems[0].startswith("Reports of included studies: n = 11, but reports assessed (30)")
    assert problems[0].endswith("= 10")


def test_more_studies_than_reports_is_refused_but_fewer_is_normal() -> None:
    # several reports of one study: 10 reports, 8 studies
    assert dataclasses.replace(REFERENCE, studies_included=8).studies_included == 8
    (problem,) = _problems(studies_included=11)
    assert (
        "Studies included in review: n = 11 is more than the reports of included studies (n = 10)" in problem
    )
    (problem,) = _problems(studies_included=0)
    assert problem == "Studies included in review: n = 0, but there are 10 reports of included studies"


def test_records_and_reports_are_not_forced_to_match() -> None:
    # 30 records passed screening but 32 reports were sought (a record with two reports): allowed
    counts = dataclasses.replace(REFERENCE, reports_sought=32, reports_not_retrieved=2, reports_assessed=30)
    assert counts.reports_sought == 32


def test_more_excluded_than_screened_or_assessed_is_refused() -> None:
    problems = _problems(records_excluded=739)
    assert problems == ("Records excluded: n = 739 is more than the records screened (n = 738)",)
    problems = _problems(reports_excluded=(NamedCount("Not chronic back pain", 31),), reports_included=0)
    assert "Reports excluded: n = 31 is more than the reports assessed for eligibility (n = 30)" in problems


def test_the_other_methods_column_has_its_own_retrieval_arithmetic() -> None:
    with pytest.raises(InconsistentCounts) as caught:
        dataclasses.replace(BOTH_COLUMNS, other_reports_assessed=8, reports_included=13)
    assert caught.value.problems[0] == (
        "Reports assessed for eligibility (other methods): n = 8, but reports sought for retrieval "
        "(9 from prisma.toml) - reports not retrieved (2 from prisma.toml) = 7"
    )


def test_every_problem_is_listed_in_one_message() -> None:
    with pytest.raises(InconsistentCounts) as caught:
        dataclasses.replace(REFERENCE, records_screened=700, reports_included=12, studies_included=13)
    message = str(caught.value)
    assert message.startswith("the PRISMA counts do not add up:\n- Records screened: n = 700")
    assert message.count("\n- ") == len(caught.value.problems) == 4


def test_the_error_is_a_user_error_and_a_value_error() -> None:
    with pytest.raises(InconsistentCounts) as caught:
        dataclasses.replace(REFERENCE, records_screened=1)
    assert isinstance(caught.value, UserError)
    assert isinstance(caught.value, ValueError)


def test_hand_given_numbers_are_named_in_the_message() -> None:
    (problem,) = _problems(records_screened=700, records_excluded=670, manual={"records_screened"})
    assert problem.startswith("Records screened: n = 700 from prisma.toml, but")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"duplicates_removed": -1}, "Duplicate records removed: n = -1 is negative"),
        ({"records_screened": True}, "Records screened: True is not a whole number"),
        ({"records_screened": 738.0}, "Records screened: 738.0 is not a whole number"),
        (
            {"databases": (*REFERENCE.databases, NamedCount("MEDLINE", 0))},
            'Databases listed: "MEDLINE" is listed twice',
        ),
        (
            {"other_sources": (NamedCount(" ", 62),)},
            "Records identified via other methods: an entry has no name",
        ),
        ({"manual": {"record_screened"}}, "'record_screened' is marked as given by hand but is not a box"),
        (
            {"reports_excluded": (NamedCount("Not chronic back pain", -20),)},
            'Reports excluded: "Not chronic back pain" has n = -20, which is negative',
        ),
    ],
)
def test_malformed_counts_are_refused_before_any_sum(changes: dict[str, Any], expected: str) -> None:
    problems = _problems(**changes)
    assert any(problem.startswith(expected) for problem in problems), problems


def test_a_reason_may_be_unnamed_a_total_without_reasons() -> None:
    counts = dataclasses.replace(REFERENCE, reports_excluded=(NamedCount("", 20),))
    assert counts.reports_excluded_total == 20


def test_is_manual_covers_a_whole_list_and_its_entries() -> None:
    assert BOTH_COLUMNS.is_manual("registers")
    assert BOTH_COLUMNS.is_manual("registers", "ClinicalTrials.gov")
    assert not BOTH_COLUMNS.is_manual("databases")
    assert BOTH_COLUMNS.is_manual("other_reports_sought")
    assert not BOTH_COLUMNS.is_manual("reports_sought")
