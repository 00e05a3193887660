"""Extracted values: each field type's checks, its canonical form, and the CSV round trip."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from synthesist.extraction.values import (
    ValueProblem,
    derived_value,
    display_value,
    export_text,
    parse_value,
    same_value,
)
from synthesist.records.model import Author, Record
from synthesist.review.extraction_settings import DEFAULT_FORM, ExtractionField

SAMPLE = ExtractionField(name="sample_size", type="number", unit="participants", integer=True, min=1)
AGE = ExtractionField(name="mean_age", type="number", unit="years")
DESIGN = ExtractionField(
    name="methodology", type="choice", choices=["Grounded theory", "Phenomenology", "Ethnography"]
)
COLLECTION = ExtractionField(
    name="data_collection",
    type="multi_choice",
    choices=["Semi-structured interviews", "Focus groups", "Observation"],
)
WHEN = ExtractionField(name="recruited", type="date")
PEOPLE = ExtractionField(name="participants", type="participant_counts", groups=["patients", "professionals"])
TOTAL = ExtractionField(name="sample", type="participant_counts")
SHORT = ExtractionField(name="country")
LONG = ExtractionField(name="findings", type="long_text")


@pytest.mark.parametrize(
    ("field", "typed", "stored"),
    [
        (SHORT, "  United\tKingdom \n", "United Kingdom"),
        (SHORT, "Sweden\x00", "Sweden"),
        (LONG, "Line one  \r\nline two\n\n\n\nNew paragraph\x0c", "Line one\nline two\n\nNew paragraph"),
        (SAMPLE, "24", "24"),
        (SAMPLE, "24 participants", "24"),
        (SAMPLE, "+24.0", "24"),
        (AGE, "47.50", "47.5"),
        (AGE, "-0.0", "0"),
        (AGE, ".5 years", "0.5"),
        (DESIGN, "grounded  THEORY", "Grounded theory"),
        (COLLECTION, "observation; Focus groups;", "Focus groups; Observation"),
        (COLLECTION, "Focus groups\nfocus groups", "Focus groups"),
        (WHEN, "2012-03-04", "2012-03-04"),
        (WHEN, "2012/3/4", "2012-03-04"),
        (WHEN, "4 March 2012", "2012-03-04"),
        (WHEN, "March 4, 2012", "2012-03-04"),
        (WHEN, "4 Mar. 2012", "2012-03-04"),
        (WHEN, "Sept 2012", "2012-09"),
        (WHEN, "2012", "2012"),
        (WHEN, "2012-03", "2012-03"),
        (WHEN, "04.03.2012", "2012-03-04"),
        (WHEN, "31/12/2012", "2012-12-31"),
        (WHEN, "12/31/2012", "2012-12-31"),
        (WHEN, "05/05/2012", "2012-05-05"),
        (PEOPLE, "patients=12, professionals=3", "patients=12, professionals=3, total=15"),
        (PEOPLE, "12 patients; 3 Professionals", "patients=12, professionals=3, total=15"),
        (PEOPLE, "professionals: 3\npatients 12", "patients=12, professionals=3, total=15"),
        (PEOPLE, "patients=12, total=20", "patients=12, total=20"),
        (PEOPLE, "total=20", "total=20"),
        (TOTAL, "24", "total=24"),
        (TOTAL, "total: 24", "total=24"),
    ],
)
def test_values_are_kept_in_one_canonical_form(field: ExtractionField, typed: str, stored: str) -> None:
    assert parse_value(field, typed) == stored
    assert parse_value(field, export_text(field, stored)) == stored


@pytest.mark.parametrize("field", [SHORT, LONG, SAMPLE, DESIGN, COLLECTION, WHEN, PEOPLE])
def test_an_empty_value_is_no_value(field: ExtractionField) -> None:
    assert parse_value(field, "  \n ") is None


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        (SAMPLE, "abc", "'abc' is not a number; expected e.g. 12 or 3.5 (in participants)"),
        (SAMPLE, "1,234", "'1,234' has a comma; write numbers with a point for decimals"),
        (SAMPLE, "12.5", "'12.5' is not a whole number"),
        (SAMPLE, "0", "0 is below the smallest allowed value, 1"),
        (AGE, "1e3", "'1e3' is not a number"),
        (AGE, "NaN", "'NaN' is not a number"),
        (AGE, "about 40", "'about 40' is not a number"),
        (
            DESIGN,
            "Grounded thery",
            "'Grounded thery' is not one of the choices (did you mean \"Grounded theory\"?): "
            '"Grounded theory", "Phenomenology", "Ethnography"',
        ),
        (COLLECTION, "Focus groups; Diaries", "'Diaries' is not one of the choices"),
        (WHEN, "03/04/2012", "could be day/month or month/day; write it as 2012-04-03 or 2012-03-04"),
        (WHEN, "2012-02-30", "'2012-02-30' is not a day of the calendar"),
        (WHEN, "2012-13", "has no month 13"),
        (WHEN, "spring 2012", "'spring 2012' is not a date; expected e.g. 2012-03-04"),
        (WHEN, "4th March 2012", "is not a date"),
        (
            PEOPLE,
            "carers=4",
            '\'carers\' is not one of the groups counted ("patients", "professionals") or total',
        ),
        (PEOPLE, "patients=12, patients=3", "'patients' is counted twice"),
        (PEOPLE, "patients=12, total=10", "the total, 10, is less than the groups' sum, 12"),
        (PEOPLE, "patients=-2", "the count for patients is negative (-2)"),
        (
            PEOPLE,
            "lots of patients",
            "'lots of patients' is not a count; write e.g. patients=12, professionals=3",
        ),
        (TOTAL, "patients=4", "'patients' is not one of the groups counted (none: give only the total)"),
    ],
)
def test_a_value_that_does_not_fit_says_why(field: ExtractionField, typed: str, message: str) -> None:
    with pytest.raises(ValueProblem) as raised:
        parse_value(field, typed)
    assert message in str(raised.value)


def test_values_read_well_in_a_table() -> None:
    assert (
        display_value(PEOPLE, "patients=12, professionals=3, total=15")
        == "12 patients, 3 professionals (total 15)"
    )
    assert display_value(PEOPLE, "total=20") == "20"
    assert display_value(AGE, "47.5") == "47.5 years"
    assert display_value(SHORT, None) == ""


def test_two_extractions_agree_on_text_regardless_of_case_and_spacing() -> None:
    assert same_value(LONG, "Patients valued\nbeing heard.", "patients valued being  heard.")
    assert not same_value(LONG, "Patients valued being heard.", "Patients valued being seen.")
    assert not same_value(AGE, "47.5", None)
    assert same_value(AGE, None, None)


def test_authors_and_year_come_from_the_record() -> None:
    record = Record(
        title="Patient-centredness in physiotherapy",
        authors=[
            Author("Cooper", "Karen"),
            Author("Smith", "B. H."),
            Author("Pain Research Group", organisation=True),
        ],
        year=2008,
        journal="Physiotherapy",
    )
    authors, year = DEFAULT_FORM[0], DEFAULT_FORM[1]
    assert derived_value(authors, record) == "Cooper K, Smith BH, Pain Research Group"
    assert derived_value(year, record) == "2008"
    assert derived_value(DEFAULT_FORM[2], record) is None  # country is not on a record
    assert derived_value(year, Record(title="Undated")) is None
    assert derived_value(year, Record(year=1066)) is None  # outside the default form's range
    assert derived_value(authors, None) is None


_TYPED = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)


@pytest.mark.parametrize("field", [SHORT, LONG, SAMPLE, AGE, DESIGN, COLLECTION, WHEN, PEOPLE, TOTAL])
@given(typed=_TYPED)
def test_whatever_is_accepted_reads_back_unchanged(field: ExtractionField, typed: str) -> None:
    try:
        stored = parse_value(field, typed)
    except ValueProblem:
        return
    if stored is not None:
        assert parse_value(field, export_text(field, stored)) == stored
        assert same_value(field, stored, stored)


@given(
    patients=st.integers(0, 10_000),
    professionals=st.one_of(st.none(), st.integers(0, 10_000)),
    extra=st.integers(0, 50),
)
def test_participant_counts_round_trip(patients: int, professionals: int | None, extra: int) -> None:
    typed = f"{patients} patients" + (f", professionals={professionals}" if professionals is not None else "")
    typed += f"; total {patients + (professionals or 0) + extra}"
    stored = parse_value(PEOPLE, typed)
    assert stored is not None and stored.endswith(f"total={patients + (professionals or 0) + extra}")
    assert parse_value(PEOPLE, stored) == stored
