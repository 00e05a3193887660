"""The PRISMA2020 R package's CSV: written so the package draws our counts, read back unchanged.

``data/prisma2020_shiny_export.csv`` is laid out as R's ``write.csv`` saves the package's template
(a row-number column, every text quoted, ``NA`` bare, CRLF line ends) with a review's numbers filled in
the package's way, thousands commas included.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synthesist.errors import InconsistentCounts, PrismaCsvError
from synthesist.reporting.prisma import NamedCount, PrismaCounts
from synthesist.reporting.prisma_csv import (
    COLUMNS,
    parse_prisma_csv,
    prisma_csv_text,
    read_prisma_csv,
)
from tests.reporting.prisma_examples import BOTH_COLUMNS, NO_OTHER_METHODS, REFERENCE

DATA = Path(__file__).parent / "data"


def _rows(text: str) -> dict[str, dict[str, str]]:
    return {row["data"]: row for row in csv.DictReader(io.StringIO(text)) if row["data"] != "NA"}


def _with_n(text: str, **values: str) -> str:
    """The CSV text with the ``n`` of some rows replaced, as someone filling the template would."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in csv.reader(io.StringIO(text)):
        writer.writerow([*row[:-1], values.get(row[0], row[-1])])
    return out.getvalue()


@pytest.mark.parametrize(
    "counts", [REFERENCE, NO_OTHER_METHODS, BOTH_COLUMNS], ids=["reference", "no-other", "both"]
)
def test_write_then_read_gives_the_same_counts(counts: PrismaCounts) -> None:
    # marks of hand-given numbers are not part of the package's format
    assert parse_prisma_csv(prisma_csv_text(counts)) == dataclasses.replace(counts, manual=frozenset())


def test_the_file_has_the_template_columns_rows_and_numbers() -> None:
    text = prisma_csv_text(REFERENCE)
    assert text.splitlines()[0] == ",".join(COLUMNS) == "data,node,box,description,boxtext,tooltips,url,n"
    rows = _rows(text)
    assert list(rows)[:4] == [
        "previous_studies",
        "previous_reports",
        "database_results",
        "database_specific_results",
    ]
    assert rows["database_results"]["n"] == "757"
    assert rows["database_specific_results"]["n"] == (
        "Cochrane Library, 61; CINAHL, 148; MEDLINE, 214; EMBASE, 231; PsycINFO, 103"
    )
    assert rows["duplicates"]["n"] == "81"
    assert rows["records_screened"]["n"] == "738"
    assert rows["records_excluded"]["n"] == "708"
    assert rows["dbr_sought_reports"]["n"] == rows["dbr_assessed"]["n"] == "30"
    assert rows["dbr_excluded"]["n"] == (
        "Not chronic back pain, 9; Cancer pain management, 4; "
        "No focus on patient–professional partnership or self-management, 7"
    )
    assert rows["new_studies"]["n"] == rows["total_studies"]["n"] == "10"
    assert rows["previous_studies"]["n"] == "0"


def test_other_sources_go_to_the_row_of_their_kind_with_their_names_as_labels() -> None:
    rows = _rows(prisma_csv_text(REFERENCE))
    # both are citation searching; order is kept, and the second takes the citations row
    assert (rows["website_results"]["boxtext"], rows["website_results"]["n"]) == ("Reference lists", "38")
    assert (rows["citations_results"]["boxtext"], rows["citations_results"]["n"]) == (
        "Citation indexes",
        "24",
    )
    assert (rows["organisation_results"]["boxtext"], rows["organisation_results"]["n"]) == (
        "Organisations",
        "0",
    )
    counts = dataclasses.replace(
        REFERENCE, other_sources=(NamedCount("Websites", 40), NamedCount("Citation searching", 22))
    )
    rows = _rows(prisma_csv_text(counts))
    assert rows["website_results"]["n"] == "40"
    assert rows["citations_results"]["n"] == "22"


def test_a_fourth_source_shares_the_last_row() -> None:
    sources = tuple(
        NamedCount(name, n) for name, n in (("Websites", 10), ("Experts", 5), ("Theses", 30), ("Grey", 17))
    )
    counts = dataclasses.replace(REFERENCE, other_sources=sources)
    back = parse_prisma_csv(prisma_csv_text(counts))
    assert back.other_sources == (
        NamedCount("Websites", 10),
        NamedCount("Experts", 5),
        NamedCount("Theses / Grey", 47),
    )
    assert back.other_records_screened == 62


def test_names_with_commas_or_semicolons_are_written_so_the_package_reads_them_whole() -> None:
    reasons = (NamedCount("Wrong population, e.g. children", 12), NamedCount("Not qualitative;mixed", 8))
    text = prisma_csv_text(dataclasses.replace(REFERENCE, reports_excluded=reasons))
    value = _rows(text)["dbr_excluded"]["n"]
    assert value == "Wrong population - e.g. children, 12; Not qualitative - mixed, 8"
    # the package's rule: split at ";", the name is what precedes the first comma
    assert [part.split(",")[0] for part in re.split(r";\s?", value)] == [
        "Wrong population - e.g. children",
        "Not qualitative - mixed",
    ]


def test_a_total_without_reasons_is_a_bare_number() -> None:
    counts = dataclasses.replace(REFERENCE, reports_excluded=(NamedCount("", 20),))
    text = prisma_csv_text(counts)
    assert _rows(text)["dbr_excluded"]["n"] == "20"
    assert parse_prisma_csv(text) == counts


def test_a_file_saved_by_r_from_the_shiny_app_is_read() -> None:
    counts = read_prisma_csv(DATA / "prisma2020_shiny_export.csv")
    assert counts.database_records == 1840
    assert counts.databases == (
        NamedCount("MEDLINE", 1020),
        NamedCount("Embase", 620),
        NamedCount("CINAHL", 200),
    )
    assert counts.registers == (NamedCount("ClinicalTrials.gov", 20), NamedCount("ICTRP", 15))
    assert counts.other_sources == (
        NamedCount("Websites", 12),
        NamedCount("Organisations", 3),
        NamedCount("Citation searching", 25),
    )
    assert counts.other_records_screened == 0  # 1,840 + 35 - 375 = 1,500 screened: none joined them
    assert (counts.records_screened, counts.records_excluded) == (1500, 1410)
    assert (counts.reports_sought, counts.reports_not_retrieved, counts.reports_assessed) == (90, 4, 86)
    assert counts.reports_excluded == (
        NamedCount("Wrong population", 40),
        NamedCount("Wrong intervention", 21),
        NamedCount("Not qualitative", 10),
    )
    assert (
        counts.other_reports_sought,
        counts.other_reports_not_retrieved,
        counts.other_reports_assessed,
    ) == (40, 2, 38)
    assert counts.other_reports_excluded == (
        NamedCount("Wrong population", 30),
        NamedCount("Duplicate report", 4),
    )
    assert (counts.studies_included, counts.reports_included) == (17, 19)


def test_the_templates_placeholders_count_as_not_given() -> None:
    text = _with_n(
        prisma_csv_text(PrismaCounts()),
        database_specific_results="Database 1, xxx; Database 2, xxx; Database 3, xxx",
        register_specific_results="Register 1, xxx; Register 2, xxx; Register 3, xxx",
        dbr_excluded="Reason1, xxx; Reason2, xxx; Reason3, xxx",
        other_excluded="Reason1, xxx; Reason2, xxx; Reason3, xxx",
    )
    assert parse_prisma_csv(text) == PrismaCounts()


def test_missing_rows_count_zero_and_totals_come_from_the_lists() -> None:
    text = (
        "data,n\n"
        'database_specific_results,"MEDLINE, 10; Embase, 5"\n'
        "records_screened,15\n"
        "records_excluded,15\n"
    )
    counts = parse_prisma_csv(text)
    assert counts.database_records == 15
    assert counts.studies_included == 0


def test_only_totals_filled_in_are_read_as_the_new_studies() -> None:
    text = _with_n(prisma_csv_text(REFERENCE), new_studies="0", new_reports="0")
    assert parse_prisma_csv(text) == REFERENCE


def test_files_round_trip_on_disk_with_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "PRISMA.csv"
    path.write_bytes(b"\xef\xbb\xbf" + prisma_csv_text(BOTH_COLUMNS).encode("utf-8"))
    assert read_prisma_csv(path) == dataclasses.replace(BOTH_COLUMNS, manual=frozenset())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("box,count\nduplicates,3\n", r"x\.csv:1: not a PRISMA2020 CSV: .* 'data' and 'n' are needed"),
        ("data,n\nduplicates,about 40\n", r"x\.csv:2: duplicates: 'about 40' is not a number"),
        (
            "data,n\nduplicates,3\nduplicates,4\n",
            r"x\.csv:3: 'duplicates' is given twice \(first on line 2\)",
        ),
        (
            'data,n\ndbr_excluded,"Wrong population; Not qualitative, 3"\n',
            r"x\.csv:2: dbr_excluded: 'Wrong population' has no count",
        ),
        ("data,n\nprevious_studies,12\n", r"x\.csv: the file describes an updated review"),
    ],
)
def test_unreadable_files_say_where(text: str, message: str) -> None:
    with pytest.raises(PrismaCsvError, match=message):
        parse_prisma_csv(text, "x.csv")


def test_counts_that_do_not_add_up_name_the_file() -> None:
    text = _with_n(prisma_csv_text(REFERENCE), records_excluded="800")
    with pytest.raises(
        InconsistentCounts, match=r"^x\.csv: the PRISMA counts do not add up: Records excluded: n = 800"
    ):
        parse_prisma_csv(text, "x.csv")


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "PRISMA.csv"
    path.write_bytes("data,n\nduplicates,3\nx,\xe9\n".encode("latin-1"))
    with pytest.raises(PrismaCsvError, match=r"PRISMA\.csv: not UTF-8"):
        read_prisma_csv(path)


# -- round trip of any consistent counts -----------------------------------------------------------------
_names = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("C", "Z"), exclude_characters=",;")
    | st.just(" "),
    min_size=1,
    max_size=20,
).filter(lambda name: name == name.strip() and any(char.isalpha() for char in name))
_n = st.integers(min_value=0, max_value=5000)


def _named(
    min_size: int = 0, max_size: int = 4, positive: bool = False
) -> st.SearchStrategy[tuple[NamedCount, ...]]:
    counts = st.integers(min_value=1, max_value=5000) if positive else _n
    return st.lists(
        st.tuples(_names, counts), min_size=min_size, max_size=max_size, unique_by=lambda e: e[0]
    ).map(lambda entries: tuple(NamedCount(name, n) for name, n in entries))


@st.composite
def consistent_counts(draw: st.DrawFn) -> PrismaCounts:
    databases = draw(_named(max_size=6))
    database_records = sum(e.n for e in databases) if databases else draw(_n)
    registers = draw(_named(max_size=2))
    register_records = sum(e.n for e in registers) if registers else draw(_n)
    # a zero count under the row's own label cannot be told from an empty row: give sources records
    sources = draw(_named(max_size=3, positive=True))
    joined = draw(st.integers(min_value=0, max_value=sum(e.n for e in sources)))
    identified = database_records + register_records + joined
    removed = draw(st.integers(min_value=0, max_value=identified))
    screened = identified - removed
    excluded = draw(st.integers(min_value=0, max_value=screened))
    columns = []
    for _ in range(2):
        reasons = draw(_named(max_size=3, positive=True))
        assessed = sum(e.n for e in reasons) + draw(_n)
        missing = draw(_n)
        columns.append((assessed + missing, missing, reasons))
    (sought, missing, reasons), (other_sought, other_missing, other_reasons) = columns
    if not sources:
        other_sought = other_missing = 0
        other_reasons = ()
    reports = (
        sought
        - missing
        - sum(e.n for e in reasons)
        + other_sought
        - other_missing
        - sum(e.n for e in other_reasons)
    )
    studies = draw(st.integers(min_value=1 if reports else 0, max_value=reports))
    duplicates = draw(st.integers(min_value=0, max_value=removed))
    return PrismaCounts(
        database_records=database_records,
        databases=databases,
        register_records=register_records,
        registers=registers,
        duplicates_removed=duplicates,
        other_removed=removed - duplicates,
        other_sources=sources,
        other_records_screened=joined,
        records_screened=screened,
        records_excluded=excluded,
        reports_sought=sought,
        reports_not_retrieved=missing,
        reports_assessed=sought - missing,
        reports_excluded=reasons,
        other_reports_sought=other_sought,
        other_reports_not_retrieved=other_missing,
        other_reports_assessed=other_sought - other_missing,
        other_reports_excluded=other_reasons,
        studies_included=studies,
        reports_included=reports,
    )


@settings(max_examples=150, deadline=None)
@given(consistent_counts())
def test_any_consistent_counts_survive_the_round_trip(counts: PrismaCounts) -> None:
    assert parse_prisma_csv(prisma_csv_text(counts)) == counts
