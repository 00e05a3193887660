"""Importing extracted values from CSV (wide and long), all or nothing, and the round trip through
the CSV of included studies."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synthesist.errors import ImportFileError
from synthesist.extraction.values import ValueProblem, parse_value
from synthesist.review.extraction_settings import ExtractionField
from synthesist.services.extraction.csv_import import import_values
from synthesist.services.extraction.table import export_included_studies
from synthesist.services.extraction.values import complete_study, included_extractions, set_value
from synthesist.services.records.reading import read_log
from synthesist.workspace import Workspace
from tests.extraction.conftest import act_as

FORM = [
    {"name": "country", "required": True},
    {"name": "design", "type": "choice", "choices": ["Grounded theory", "Phenomenology", "Descriptive"]},
    {"name": "collection", "type": "multi_choice", "choices": ["Interviews", "Focus groups", "Observation"]},
    {"name": "sample_size", "type": "number", "integer": True, "min": 1},
    {"name": "participants", "type": "participant_counts", "groups": ["patients", "professionals"]},
    {"name": "recruited", "type": "date"},
    {"name": "findings", "type": "long_text"},
]


@pytest.fixture
def ws(studies: Workspace, with_form: Callable[..., Workspace]) -> Workspace:
    return with_form(studies, fields=FORM)


def write(tmp_path: Path, text: str, name: str = "extraction.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def values(ws: Workspace) -> dict[str, dict[str, str | None]]:
    return {
        study.label: {field.name: study.extraction.final_value(field.name) for field in study.extraction.form}
        for study in included_extractions(ws)
    }


def test_a_wide_sheet_one_row_per_study(ws: Workspace, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "\ufeffStudy,Country,design,collection,Sample size,participants,recruited,findings\r\n"
        "Cooper 2008,United Kingdom,grounded theory,"
        '"focus groups; interviews",25,"patients=25",2006-05,"Two\n\nparagraphs"\r\n'
        "3,Sweden,,,,,,\r\n"
        ",,,,,,,\r\n",
    )
    done = import_values(ws, path)
    assert (done.layout, done.studies, done.values, done.changed) == ("wide", 2, 8, 8)
    found = values(ws)
    assert found["Cooper 2008"] == {
        "country": "United Kingdom",
        "design": "Grounded theory",
        "collection": "Interviews; Focus groups",
        "sample_size": "25",
        "participants": "patients=25, total=25",
        "recruited": "2006-05",
        "findings": "Two\n\nparagraphs",
    }
    assert found["Matthias 2010"]["country"] == "Sweden" and found["Matthias 2010"]["design"] is None
    [event] = read_log(ws, types=["extraction.imported"])
    assert event.payload["file_name"] == "extraction.csv" and len(event.payload["values"]) == 8
    # importing the same file again changes nothing, and empty cells never erase
    set_value(ws, "Cooper 2008", "design", "Phenomenology")
    again = import_values(
        ws, write(tmp_path, "study;country\nCooper 2008;United Kingdom\n", "semicolons.csv")
    )
    assert (again.values, again.changed) == (1, 0)
    assert values(ws)["Cooper 2008"]["design"] == "Phenomenology"


def test_a_long_sheet_one_row_per_value(ws: Workspace, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "study,field,value\nCooper 2008,country,Scotland\nS1,sample_size,30\n"
        "4,Recruited,4 March 2012\n4,findings,\n",
    )
    done = import_values(ws, path)
    assert (done.layout, done.studies, done.values) == ("long", 2, 3)
    assert values(ws)["Östlund 2001"]["recruited"] == "2012-03-04"
    assert values(ws)["Cooper 2008"]["sample_size"] == "30"


def test_every_problem_is_listed_by_line_and_column_and_nothing_is_imported(
    ws: Workspace, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "study,country,design,sample_size,contry\n"
        "Cooper 2008,Wales,Ethnography,abc,x\n"
        "Matthias 2010,Sweden,,12\n"
        "Nobody 1999,France,,,\n"
        "3,Norway,,,\n",
    )
    with pytest.raises(ImportFileError) as raised:
        import_values(ws, path)
    lines = raised.value.message.splitlines()
    assert len(lines) == 6 and lines[0] == "extraction.csv: nothing was imported; 5 problem(s):"
    assert (
        "extraction.csv:1: column 5 ('contry'): "
        "the extraction form has no field 'contry' (did you mean 'country'?)"
    ) in lines
    assert "extraction.csv:4: column 1 (study): no included study called 'Nobody 1999'" in lines
    assert "extraction.csv:5: column 1 (study): study 'Matthias 2010' is also on line 3" in lines
    assert (
        "extraction.csv:2: column 3 (design), study 'Cooper 2008': 'Ethnography' is not one of the choices: "
        '"Grounded theory", "Phenomenology", "Descriptive"'
    ) in lines
    assert (
        "extraction.csv:2: column 4 (sample_size), study 'Cooper 2008': "
        "'abc' is not a number; expected e.g. 12 or 3.5"
    ) in lines
    assert (
        read_log(ws, types=["extraction.imported", "extraction.value_set", "fulltext.study_grouped"])[1:]
        == []
    )
    assert all(value is None for study in values(ws).values() for value in study.values())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "extraction.csv: the file is empty"),
        ("study,country\n", "extraction.csv: there is a header but no row of values"),
        ("country\nWales\n", "extraction.csv:1: no study column; the header needs a column 'study'"),
        ('study,country\nCooper 2008,"Wales\n', "extraction.csv:2: not valid CSV: unexpected end of data"),
        (
            "study,country\nCooper 2008,Wales,extra\n",
            "extraction.csv:2: 3 cells but the header has 2 columns",
        ),
        (
            "study,country\nCooper 2008,\n",
            "extraction.csv: there is no value to import (every cell is empty)",
        ),
        (
            "study,field,value\nCooper 2008,country,Wales\nS1,country,Scotland\n",
            "extraction.csv:3: country of study 'Cooper 2008' is also on line 2",
        ),
    ],
)
def test_a_malformed_file_is_refused(ws: Workspace, tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ImportFileError) as raised:
        import_values(ws, write(tmp_path, text))
    assert message in raised.value.message
    assert read_log(ws, types=["extraction.imported"]) == []


def test_a_file_that_is_not_utf8_is_refused_at_its_line(ws: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path, "study,country\nÖstlund 2001,Sverige\n", encoding="cp1252")
    with pytest.raises(ImportFileError, match=r"extraction\.csv:2: not UTF-8 text"):
        import_values(ws, path)


def test_a_refused_study_refuses_the_whole_file(
    ws: Workspace, tmp_path: Path, with_form: Callable[..., Workspace]
) -> None:
    with_form(ws, mode="dual")
    for name in ("alice", "bob"):
        act_as(ws, name)
        set_value(ws, "Cooper 2008", "country", "Wales")
        complete_study(ws, "Cooper 2008")
    path = write(tmp_path, "study,country\nMatthias 2010,Sweden\nCooper 2008,Scotland\n")
    with pytest.raises(ImportFileError) as raised:
        import_values(ws, path)
    assert (
        "extraction.csv:3: both extractions of study 'Cooper 2008' are complete and compared"
        in raised.value.message
    )
    assert values(ws)["Matthias 2010"]["country"] is None  # line 2 was fine, and is not kept either


def _text_for(field: dict[str, object]) -> st.SearchStrategy[str]:
    model = ExtractionField.model_validate(field)

    def fits(text: str) -> bool:
        try:
            return parse_value(model, text) is not None
        except ValueProblem:
            return False

    kinds = {
        "short_text": st.text(min_size=1, max_size=30),
        "long_text": st.text(min_size=1, max_size=80),
        "choice": st.sampled_from(model.choices),
        "multi_choice": st.lists(st.sampled_from(model.choices), min_size=1, unique=True).map("; ".join),
        "number": st.integers(1, 100_000).map(str),
        "participant_counts": st.tuples(st.integers(0, 500), st.integers(0, 50)).map(
            lambda pair: f"patients={pair[0]}, professionals={pair[1]}"
        ),
        "date": st.dates().map(lambda day: day.strftime("%d %B %Y")),
    }
    return kinds[model.type].filter(fits)


_ROWS = st.fixed_dictionaries({str(f["name"]): st.one_of(st.none(), _text_for(f)) for f in FORM})


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(_ROWS, min_size=3, max_size=3))
def test_exported_values_import_back_unchanged(
    ws: Workspace, tmp_path: Path, rows: list[dict[str, str | None]]
) -> None:
    """Values typed in any accepted form, imported, exported as the CSV of included studies and
    imported again give the same values; the export is the same both times."""
    form = [field["name"] for field in FORM]
    sheet = io.StringIO()
    writer = csv.writer(sheet)
    writer.writerow(["study", *form])
    for label, row in zip(("Cooper 2008", "Matthias 2010", "Östlund 2001"), rows, strict=True):
        writer.writerow([label, *(row[name] or "" for name in form)])
    # a fresh start each example: every field of every study set, by this file or emptied
    for study in ("Cooper 2008", "Matthias 2010", "Östlund 2001"):
        for name in form:
            set_value(ws, study, name, "")
    if any(value for row in rows for value in row.values()):
        import_values(ws, write(tmp_path, sheet.getvalue(), "typed.csv"))
    expected = {
        label: {
            name: parse_value(ExtractionField.model_validate(f), row[name] or "")
            for f in FORM
            for name in [str(f["name"])]
        }
        for label, row in zip(("Cooper 2008", "Matthias 2010", "Östlund 2001"), rows, strict=True)
    }
    assert values(ws) == expected

    first = io.StringIO()
    export_included_studies(ws, first)
    if any(value for row in rows for value in row.values()):
        import_values(ws, write(tmp_path, first.getvalue(), "exported.csv"))
    second = io.StringIO()
    export_included_studies(ws, second)
    assert second.getvalue() == first.getvalue()
    assert values(ws) == expected
    header = next(csv.reader(io.StringIO(first.getvalue())))
    assert header == ["study_id", "study", "records", "appraisal_rating", *form]
