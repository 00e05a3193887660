"""Read and write the CSV of the PRISMA2020 R package and Shiny app (Haddaway et al. 2022).

The format, as checked in the package's own files (repository prisma-flowdiagram/PRISMA2020, formerly
nealhaddaway/PRISMA2020): the template ``inst/extdata/PRISMA.csv`` has the columns
``data,node,box,description,boxtext,tooltips,url,n``, one row per box; ``R/PRISMA_data.R`` finds each
value by the ``data`` column and reads the number from ``n`` (``PRISMA_format_number_`` drops thousands
commas), and the label of a source box from ``boxtext``. ``database_specific_results``,
``register_specific_results``, ``dbr_excluded`` and ``other_excluded`` hold lists written
``Name, count; Name, count`` (``PRISMA_parse_reasons_`` in ``R/utils.R``: split at ``;``, the name is
the text before the first comma, the count what follows it; a bare number is a total without reasons).

What the CSV cannot say, and how it is handled:

- A name containing a comma or semicolon would be cut by the package, so those are written as " - ".
- Other methods have three rows (websites, organisations, citation searching). Sources keep their
  order and go to the rows of their kind where that order allows, each with its name as the row's
  ``boxtext`` (the label the package draws); a fourth source and beyond share the last row, their
  names joined by " / ".
- Records from other methods screened with the database records have no row: reading infers them from
  ``records_screened``, the only number they can explain.
- Marks of hand-given counts are not part of the format and are not written.
- Updated reviews (``previous_studies``) are outside the new-review template: reading refuses them.
- Records and reports still awaiting a decision (an interim diagram) have no row in the template: they
  are written as two extra rows, ``records_awaiting`` and ``reports_awaiting``, only when there are
  some (the package looks rows up by ``data`` and passes over others), and read back from them.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from synthesist.errors import InconsistentCounts, PrismaCsvError
from synthesist.exporting.safe_csv import restore_cell, safe_writer
from synthesist.reporting.prisma import NamedCount, PrismaCounts

__all__ = ["parse_prisma_csv", "prisma_csv_text", "read_prisma_csv"]

COLUMNS = ("data", "node", "box", "description", "boxtext", "tooltips", "url", "n")

_REASONS_HELP = "[separate reasons and numbers using ; e.g. Reason1, xxx; Reason2, xxx; Reason3, xxx]"
_PLACEHOLDERS = frozenset(
    {
        "Database 1, xxx; Database 2, xxx; Database 3, xxx",
        "Register 1, xxx; Register 2, xxx; Register 3, xxx",
        "Reason1, xxx; Reason2, xxx; Reason3, xxx",
    }
)

# The template's rows, in its order, without ``n``: data, node, box, description, boxtext, tooltips, url.
# (prisma-flowdiagram/PRISMA2020, inst/extdata/PRISMA.csv, English template.)
_TEMPLATE: tuple[tuple[str, ...], ...] = (
    ("NA", "node4", "prevstud", "Grey title box; Previous studies", "Previous studies",
     "Grey title box; Previous studies", "prevstud.html"),
    ("previous_studies", "node5", "box1", "Studies included in previous version of review",
     "Studies included in previous version of review", "Studies included in previous version of review",
     "previous_studies.html"),
    ("previous_reports", "NA", "box1", "Reports of studies included in previous version of review",
     "Reports of studies included in previous version of review", "NA", "previous_reports.html"),
    ("NA", "node6", "newstud", "Yellow title box; Identification of new studies via databases and registers",
     "Identification of new studies via databases and registers",
     "Yellow title box; Identification of new studies via databases and registers", "newstud.html"),
    ("database_results", "node7", "box2", "Records identified from: Databases", "Databases",
     "Records identified from: Databases and Registers", "database_results.html"),
    ("database_specific_results", "NA", "box2", "Records identified from: specific databases",
     "Specific Databases", "NA", "database_results.html"),
    ("register_results", "NA", "box2", "Records identified from: Registers", "Registers", "NA", "NA"),
    ("register_specific_results", "NA", "box2", "Records identified from: specific registers",
     "Specific Registers", "NA", "database_results.html"),
    ("NA", "node16", "othstud", "Grey title box; Identification of new studies via other methods",
     "Identification of new studies via other methods",
     "Grey title box; Identification of new studies via other methods", "othstud.html"),
    ("website_results", "node17", "box11", "Records identified from: Websites", "Websites",
     "Records identified from: Websites, Organisations and Citation Searching", "website_results.html"),
    ("organisation_results", "", "box11", "Records identified from: Organisations", "Organisations", "NA",
     "NA"),
    ("citations_results", "NA", "box11", "Records identified from: Citation searching", "Citation searching",
     "NA", "NA"),
    ("duplicates", "node8", "box3", "Duplicate records", "Duplicate records", "Duplicate records",
     "duplicates.html"),
    ("excluded_automatic", "NA", "box3", "Records marked as ineligible by automation tools",
     "Records marked as ineligible by automation tools", "NA", "NA"),
    ("excluded_other", "NA", "box3", "Records removed for other reasons", "Records removed for other reasons",
     "NA", "NA"),
    ("records_screened", "node9", "box4", "Records screened (databases and registers)", "Records screened",
     "Records screened (databases and registers)", "records_screened.html"),
    ("records_excluded", "node10", "box5", "Records excluded (databases and registers)", "Records excluded",
     "Records excluded (databases and registers)", "records_excluded.html"),
    ("dbr_sought_reports", "node11", "box6", "Reports sought for retrieval (databases and registers)",
     "Reports sought for retrieval", "Reports sought for retrieval (databases and registers)",
     "dbr_sought_reports.html"),
    ("dbr_notretrieved_reports", "node12", "box7", "Reports not retrieved (databases and registers)",
     "Reports not retrieved", "Reports not retrieved (databases and registers)",
     "dbr_notretrieved_reports.html"),
    ("other_sought_reports", "node18", "box12", "Reports sought for retrieval (other)",
     "Reports sought for retrieval", "Reports sought for retrieval (other)", "other_sought_reports.html"),
    ("other_notretrieved_reports", "node19", "box13", "Reports not retrieved (other)",
     "Reports not retrieved", "Reports not retrieved (other)", "other_notretrieved_reports.html"),
    ("dbr_assessed", "node13", "box8", "Reports assessed for eligibility (databases and registers)",
     "Reports assessed for eligibility", "Reports assessed for eligibility (databases and registers)",
     "dbr_assessed.html"),
    ("dbr_excluded", "node14", "box9", f"Reports excluded (databases and registers): {_REASONS_HELP}",
     "Reports excluded", "Reports excluded (databases and registers)", "dbrexcludedrecords.html"),
    ("other_assessed", "node20", "box14", "Reports assessed for eligibility (other)",
     "Reports assessed for eligibility", "Reports assessed for eligibility (other)", "other_assessed.html"),
    ("other_excluded", "node21", "box15", f"Reports excluded (other): {_REASONS_HELP}", "Reports excluded",
     "Reports excluded (other)", "other_excluded.html"),
    ("new_studies", "node15", "box10", "New studies included in review", "New studies included in review",
     "New studies included in review", "new_studies.html"),
    ("new_reports", "NA", "box10", "Reports of new included studies", "Reports of new included studies", "NA",
     "NA"),
    ("total_studies", "node22", "box16", "Total studies included in review",
     "Total studies included in review", "Total studies included in review", "total_studies.html"),
    ("total_reports", "NA", "box16", "Reports of total included studies", "Reports of total included studies",
     "NA", "NA"),
    ("identification", "node1", "identification", "Blue identification box", "Identification",
     "Blue identification box", "identification.html"),
    ("screening", "node2", "screening", "Blue screening box", "Screening", "Blue screening box",
     "screening.html"),
    ("included", "node3", "included", "Blue included box", "Included", "Blue included box", "included.html"),
)  # fmt: skip

# Rows beyond the template, written only for an interim diagram: data, node, box, description, boxtext.
_AWAITING_ROWS = (
    ("records_awaiting", "NA", "box5", "Records awaiting a decision (databases and registers)",
     "Records awaiting a decision"),
    ("reports_awaiting", "NA", "box9", "Reports awaiting a decision (databases and registers)",
     "Reports awaiting a decision"),
)  # fmt: skip

# The three rows for other methods, the default label of each, and the words that put a source there.
_OTHER_ROWS = (
    ("website_results", "Websites", re.compile(r"web|internet", re.IGNORECASE)),
    ("organisation_results", "Organisations", re.compile(r"organi[sz]ation", re.IGNORECASE)),
    ("citations_results", "Citation searching", re.compile(r"citation|reference|snowball", re.IGNORECASE)),
)
_NUMBER = re.compile(r"\d[\d, ]*")
_BARE_NUMBER = re.compile(r"[\d,\s]*")


# -- writing ---------------------------------------------------------------------------------------------
def prisma_csv_text(counts: PrismaCounts) -> str:
    """The counts as the PRISMA2020 package's CSV (the template's rows and labels, our numbers)."""
    values: dict[str, str] = {
        "previous_studies": "0",
        "previous_reports": "0",
        "database_results": str(counts.database_records),
        "database_specific_results": _named_list(counts.databases),
        "register_results": str(counts.register_records),
        "register_specific_results": _named_list(counts.registers),
        "duplicates": str(counts.duplicates_removed),
        "excluded_automatic": str(counts.automation_removed),
        "excluded_other": str(counts.other_removed),
        "records_screened": str(counts.records_screened),
        "records_excluded": str(counts.records_excluded),
        "dbr_sought_reports": str(counts.reports_sought),
        "dbr_notretrieved_reports": str(counts.reports_not_retrieved),
        "other_sought_reports": str(counts.other_reports_sought),
        "other_notretrieved_reports": str(counts.other_reports_not_retrieved),
        "dbr_assessed": str(counts.reports_assessed),
        "dbr_excluded": _reasons(counts.reports_excluded),
        "other_assessed": str(counts.other_reports_assessed),
        "other_excluded": _reasons(counts.other_reports_excluded),
        "new_studies": str(counts.studies_included),
        "new_reports": str(counts.reports_included),
        "total_studies": str(counts.studies_included),
        "total_reports": str(counts.reports_included),
    }
    labels: dict[str, str] = {}
    for row, source in _other_rows(counts.other_sources).items():
        labels[row] = source.name
        values[row] = str(source.n)
    out = io.StringIO()
    writer = safe_writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for data, node, box, description, boxtext, tooltips, url in _TEMPLATE:
        writer.writerow(
            [data, node, box, description, labels.get(data, boxtext), tooltips, url, values.get(data, "0")]
        )
    for data, node, box, description, boxtext in _AWAITING_ROWS:
        awaiting: int = getattr(counts, data)
        if awaiting:
            writer.writerow([data, node, box, description, boxtext, "NA", "NA", str(awaiting)])
    return out.getvalue()


def _safe_name(name: str) -> str:
    # the package cuts a name at its first comma and an entry at a semicolon
    return re.sub(r"\s*[,;]\s*", " - ", name.strip())


def _named_list(entries: Sequence[NamedCount]) -> str:
    return "; ".join(f"{_safe_name(entry.name)}, {entry.n}" for entry in entries)


def _reasons(reasons: Sequence[NamedCount]) -> str:
    if not reasons:
        return "0"
    if len(reasons) == 1 and not reasons[0].name:
        return str(reasons[0].n)  # a total without reasons: the package's bare-number form
    return _named_list(reasons)


def _other_rows(sources: Sequence[NamedCount]) -> dict[str, NamedCount]:
    """Give each other-methods source a row, keeping their order (reading goes by row order).

    Among the orderly ways to place them, the one that puts the most sources in the row of their kind
    wins (the first such on a tie). Sources beyond the third share the last row.
    """
    if len(sources) > len(_OTHER_ROWS):
        last = sources[len(_OTHER_ROWS) - 1 :]
        shared = NamedCount(" / ".join(s.name for s in last), sum(s.n for s in last))
        sources = [*sources[: len(_OTHER_ROWS) - 1], shared]

    def fit(rows: tuple[int, ...]) -> int:
        return sum(
            bool(_OTHER_ROWS[row][2].search(source.name)) for row, source in zip(rows, sources, strict=True)
        )

    placements = list(itertools.combinations(range(len(_OTHER_ROWS)), len(sources)))
    best = max(placements, key=lambda rows: (fit(rows), -placements.index(rows)))
    return {_OTHER_ROWS[row][0]: source for row, source in zip(best, sources, strict=True)}


# -- reading ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Cell:
    n: str
    boxtext: str
    line: int


def read_prisma_csv(path: Path) -> PrismaCounts:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PrismaCsvError(f"{path.name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    return parse_prisma_csv(text, path.name)


def parse_prisma_csv(text: str, file_name: str = "PRISMA.csv") -> PrismaCounts:
    """The counts in a PRISMA2020 CSV; missing rows count 0, as in the package."""
    cells = _cells(text.removeprefix("\ufeff"), file_name)
    reader = _Reader(cells, file_name)
    if reader.number("previous_studies") or reader.number("previous_reports"):
        raise PrismaCsvError(
            f"{file_name}: the file describes an updated review (previous_studies or previous_reports); "
            "only the template for new reviews is supported"
        )
    databases = reader.entries("database_specific_results")
    registers = reader.entries("register_specific_results")
    database_records = reader.number("database_results") or sum(e.n for e in databases)
    register_records = reader.number("register_results") or sum(e.n for e in registers)
    other_sources = tuple(reader.other_source(row, label) for row, label, _ in _OTHER_ROWS)
    sources = tuple(source for source in other_sources if source is not None)
    removed = (
        reader.number("duplicates") + reader.number("excluded_automatic") + reader.number("excluded_other")
    )
    screened = reader.number("records_screened")
    # records from other methods screened with the rest have no row: they are what screened leaves over
    joined = screened - (database_records + register_records - removed)
    joined = joined if 0 < joined <= sum(s.n for s in sources) else 0
    studies = reader.number("new_studies") or reader.number("total_studies")
    reports = reader.number("new_reports") or reader.number("total_reports")
    try:
        return PrismaCounts(
            database_records=database_records,
            databases=databases,
            register_records=register_records,
            registers=registers,
            duplicates_removed=reader.number("duplicates"),
            automation_removed=reader.number("excluded_automatic"),
            other_removed=reader.number("excluded_other"),
            other_sources=sources,
            other_records_screened=joined,
            records_screened=screened,
            records_excluded=reader.number("records_excluded"),
            records_awaiting=reader.number("records_awaiting"),
            reports_sought=reader.number("dbr_sought_reports"),
            reports_not_retrieved=reader.number("dbr_notretrieved_reports"),
            reports_assessed=reader.number("dbr_assessed"),
            reports_excluded=reader.entries("dbr_excluded", reasons=True),
            other_reports_sought=reader.number("other_sought_reports"),
            other_reports_not_retrieved=reader.number("other_notretrieved_reports"),
            other_reports_assessed=reader.number("other_assessed"),
            other_reports_excluded=reader.entries("other_excluded", reasons=True),
            reports_awaiting=reader.number("reports_awaiting"),
            studies_included=studies,
            reports_included=reports,
        )
    except InconsistentCounts as exc:
        raise InconsistentCounts(exc.problems, source=file_name) from exc


def _cells(text: str, file_name: str) -> dict[str, _Cell]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = set(reader.fieldnames or ())
    if not {"data", "n"} <= columns:
        raise PrismaCsvError(
            f"{file_name}:1: not a PRISMA2020 CSV: the first line must name the columns "
            f"({','.join(COLUMNS)}); 'data' and 'n' are needed",
        )
    cells: dict[str, _Cell] = {}
    try:
        for row in reader:
            data = (row.get("data") or "").strip()
            if data in ("", "NA"):
                continue
            if data in cells:
                raise PrismaCsvError(
                    f"{file_name}:{reader.line_num}: {data!r} is given twice "
                    f"(first on line {cells[data].line})"
                )
            # a source's name or a reason may have been quoted against formulas by prisma_csv_text
            n, boxtext = (restore_cell((row.get(column) or "").strip()) for column in ("n", "boxtext"))
            cells[data] = _Cell(n, boxtext, reader.line_num)
    except csv.Error as exc:
        raise PrismaCsvError(f"{file_name}:{reader.line_num}: not valid CSV ({exc})") from exc
    return cells


class _Reader:
    def __init__(self, cells: Mapping[str, _Cell], file_name: str) -> None:
        self.cells = cells
        self.file_name = file_name

    def _error(self, data: str, message: str) -> PrismaCsvError:
        return PrismaCsvError(f"{self.file_name}:{self.cells[data].line}: {data}: {message}")

    def _count(self, data: str, text: str) -> int:
        if not _NUMBER.fullmatch(text):
            raise self._error(data, f"{text!r} is not a number of records or reports")
        return int(re.sub(r"[, ]", "", text))

    def number(self, data: str) -> int:
        cell = self.cells.get(data)
        if cell is None or cell.n in ("", "NA"):
            return 0
        return self._count(data, cell.n)

    def entries(self, data: str, *, reasons: bool = False) -> tuple[NamedCount, ...]:
        """A ``Name, count; Name, count`` list; a bare number is a total without reasons."""
        cell = self.cells.get(data)
        if cell is None or cell.n in ("", "NA") or cell.n in _PLACEHOLDERS:
            return ()
        if _BARE_NUMBER.fullmatch(cell.n):
            total = self._count(data, cell.n.strip())
            return (NamedCount("", total),) if reasons and total else ()
        entries = []
        for part in re.split(r";\s*", cell.n):
            if not part.strip():
                continue
            name, comma, count = part.partition(",")
            if not comma:
                raise self._error(data, f"{part.strip()!r} has no count; write it as 'name, number'")
            entries.append(NamedCount(name.strip(), self._count(data, count.strip())))
        return tuple(entries)

    def other_source(self, data: str, default_label: str) -> NamedCount | None:
        """One other-methods row, named by its label; None when empty and labelled as in the template."""
        cell = self.cells.get(data)
        if cell is None:
            return None
        label = cell.boxtext if cell.boxtext not in ("", "NA") else default_label
        count = self.number(data)
        return NamedCount(label, count) if count or label != default_label else None
