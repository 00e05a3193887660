"""Synthesist JSON reader: streaming over any layout, record validation, broken files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from synthesist.errors import ImportFileError
from synthesist.importing.base import ReadOptions
from synthesist.importing.formats import json_records
from synthesist.importing.formats.json_records import JsonRecordsReader
from synthesist.records.model import Author
from tests.importing.structured_helpers import assert_sniff_discriminates, read_all, records, write

READER = JsonRecordsReader()
RECORD = {
    "record_id": 4,
    "source": "Scopus",
    "title": "Patient-centredness in physiotherapy",
    "authors": [{"family": "Cooper", "given": "Kay"}, {"family": "UK BEAM Trial Team", "organisation": True}],
    "year": 2008,
    "doi": "10.1016/j.physio.2007.10.006",
    "keywords": ["physiotherapy"],
}


def _document(*items: object) -> str:
    return json.dumps({"synthesist_export": 1, "records": list(items)}, indent=2, ensure_ascii=False)


def test_sniff() -> None:
    assert_sniff_discriminates(READER, confident=1.0)


def test_reads_records_with_lines_and_builds_raw_when_absent(tmp_path: Path) -> None:
    parsed, rejected = read_all(
        READER, write(tmp_path, "x.json", _document(RECORD, {**RECORD, "year": None}))
    )
    assert not rejected
    assert [item.line for item in parsed] == [4, 24]
    record = parsed[0].record
    assert record.authors == [Author("Cooper", "Kay"), Author("UK BEAM Trial Team", organisation=True)]
    assert (record.year, record.doi, record.keywords) == (
        2008,
        "10.1016/j.physio.2007.10.006",
        ["physiotherapy"],
    )
    assert record.raw["source"] == ["Scopus"] and record.raw["record_id"] == ["4"]


def test_invalid_record_is_rejected_and_the_rest_read(tmp_path: Path) -> None:
    text = _document(
        RECORD, {**RECORD, "year": "2008"}, [1, 2], {**RECORD, "authors": [{"given": "K"}]}, RECORD
    )
    parsed, rejected = read_all(READER, write(tmp_path, "x.json", text))
    assert len(parsed) == 2
    assert [item.reason for item in rejected] == [
        "'year' must be a whole number or null",
        "a record must be a JSON object, not list",
        "each author must be an object with a 'family' string",
    ]
    assert rejected[0].line == 24 and rejected[0].excerpt.startswith('{"record_id": 4')


def test_small_chunks_split_values_anywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_records, "_CHUNK", 7)
    many = [{**RECORD, "record_id": n, "year": 2000 + n} for n in range(30)]
    found = records(READER, write(tmp_path, "x.json", json.dumps({"synthesist_export": 1, "records": many})))
    assert [record.year for record in found] == [2000 + n for n in range(30)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"synthesist_export": 1, "records": [{"title": "a"},', r"x\.json:1: invalid JSON"),
        (
            '{"synthesist_export": 1, "records": [\n{"title": "a"}\n{"title": "b"}]}',
            r"x\.json:3: expected '\]' but found '\{'",
        ),
        ('{"records": []}', 'no "synthesist_export" field'),
        ('{"synthesist_export": 2, "records": []}', "unsupported export version 2"),
        ('{"synthesist_export": 1}', 'no "records" list'),
        ("[1, 2]", "expected '\\{'"),
    ],
)
def test_broken_files(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ImportFileError, match=message):
        list(READER.read(write(tmp_path, "x.json", text), ReadOptions()))


def test_empty_export_has_no_records(tmp_path: Path) -> None:
    assert records(READER, write(tmp_path, "x.json", '{"synthesist_export": 1, "records": []}')) == []
