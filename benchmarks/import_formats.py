"""Real export files from many platforms, imported the way a reviewer imports them and compared with
another tool's reading of the same files.

The files are CoLRev's test exports (``../shared/benchmarks/imports/colrev/``): ``NAME.ext`` as a platform
wrote it, and mostly ``NAME_result.bib`` beside it, what CoLRev loaded from it. Each file goes through
``synthesist import`` (format detected, ``--skip-invalid`` so that a reject is counted instead of
stopping the file) into a fresh project; then:

- the count: records imported + rejected must equal the entries in the file, and the records must equal
  CoLRev's count (or, for the few files without a result, the count read off the file by hand);
- field agreement: each of CoLRev's records is paired with ours by title (else by position), and every
  bibliographic field CoLRev filled (title, authors' family names, year, journal or book title, volume,
  issue, pages, DOI, abstract) is compared after normalising case, punctuation, LaTeX braces and page
  dashes. CoLRev's reading is not a gold standard (it keeps some platform quirks we clean), so the
  mismatches are listed with ``--details`` for a person to judge.

    python benchmarks/import_formats.py [--details] [--update-docs docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
from rapidfuzz import fuzz

try:
    from benchmarks.docs_section import measured_on, write_section
except ModuleNotFoundError:  # run as a script: benchmarks/ itself is on sys.path, not its parent
    from docs_section import measured_on, write_section  # type: ignore[import-not-found,no-redef]
from synthesist.records.model import Record
from synthesist.services.projects import init_project
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.records.reading import list_records

COLREV = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "imports" / "colrev"

# The platform each file came from, as its name says (CoLRev names them after the platform).
PLATFORMS = {
    "abi_inform_proquest": "ProQuest (ABI/INFORM)",
    "acm": "ACM Digital Library",
    "ais_enl": "AIS eLibrary (EndNote tagged)",
    "bib_data": "BibTeX, generic",
    "crossref": "Crossref",
    "csv_data": "CSV, PubMed-like",
    "dblp": "DBLP",
    "ebsco": "EBSCOhost",
    "enl_data": "EndNote tagged",
    "eric": "ERIC",
    "europe_pmc": "Europe PMC",
    "files_dir": "Zotero/JabRef (files)",
    "ieee": "IEEE Xplore",
    "jstor": "JSTOR",
    "nbib_data": "PubMed (nbib)",
    "psycinfo": "PsycINFO",
    "pubmed": "PubMed",
    "ris_data": "RIS, generic",
    "scopus": "Scopus",
    "springer": "SpringerLink",
    "taylor_and_francis": "Taylor & Francis",
    "trid": "TRID",
    "unknown_source": "Unknown source",
    "web_of_science": "Web of Science",
    "wiley": "Wiley",
    "xlsx_data": "Excel sheet",
}

# Files CoLRev gives no result for: their entries counted by hand from the file.
COUNTED_BY_HAND = {
    "bib_data.bib": 6,
    "csv_data.csv": 2,
    "nbib_data.nbib": 1,
    "ris_data.ris": 2,
    "xlsx_data.xlsx": 3,
}

FIELDS = ("title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "abstract")


@dataclass
class FileResult:
    name: str
    platform: str
    format: str = ""
    expected: int = 0
    records: int = 0
    rejects: int = 0
    compared: int = 0
    matching: int = 0
    error: str = ""
    mismatches: list[str] = field(default_factory=list)

    @property
    def counts_ok(self) -> bool:
        return not self.error and self.records == self.expected


def export_files(folder: Path = COLREV) -> list[Path]:
    return sorted(
        path
        for path in folder.iterdir()
        if path.is_file() and not path.stem.endswith(("_result", "_expected"))
    )


def expected_file(path: Path) -> Path | None:
    for name in (f"{path.stem}_result.bib", f"{path.stem}_expected.bib"):
        if (path.parent / name).exists():
            return path.parent / name
    return None


def count_entries(bib: Path) -> int:
    """Entries in a BibTeX file, counted by their ``@type{`` lines: bibtexparser fails on one entry of
    CoLRev's own EBSCO result (a field with unbalanced braces), which would undercount it."""
    starts = re.findall(r"^@(\w+)\s*\{", bib.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return sum(kind.lower() not in {"string", "comment", "preamble"} for kind in starts)


def platform_of(path: Path) -> str:
    for prefix, platform in sorted(PLATFORMS.items(), key=lambda item: -len(item[0])):
        if path.stem.startswith(prefix):
            return platform
    return path.stem


def _plain(text: object) -> str:
    """Lower case letters and digits only (LaTeX braces, accents, punctuation and spacing ignored)."""
    folded = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    folded = re.sub(r"\\[a-zA-Z]+\s*", "", folded)  # \textit etc.
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _families(bib_authors: str) -> list[str]:
    names = [name.strip() for name in re.split(r"\s+and\s+", bib_authors) if name.strip()]
    families = []
    for name in names:
        family = name.split(",", 1)[0] if "," in name else name.split()[-1]
        families.append(_plain(family))
    return families


def _ours(record: Record, name: str) -> str | list[str]:
    if name == "authors":
        return [_plain(author.family) for author in record.authors]
    value = getattr(record, name)
    if name == "pages" and value:
        return _plain(re.sub(r"[-–—]+", "-", str(value)))
    if name == "doi" and value:
        return _plain(re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", str(value), flags=re.I))
    return _plain(value) if value not in (None, "") else ""


def _theirs(fields: dict[str, str], name: str) -> str | list[str] | None:
    key = {"authors": "author", "issue": "number"}.get(name, name)
    value = fields.get(key)
    if name == "journal" and not value:
        value = fields.get("booktitle")
    if value is None or not str(value).strip() or str(value).strip().upper() == "UNKNOWN":
        return None  # CoLRev writes UNKNOWN for a field it could not fill
    if name == "authors":
        return _families(value)
    if name == "doi":
        return _plain(re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", value, flags=re.I))
    return _plain(value)


def _pair_score(record: Record, fields: dict[str, str]) -> float:
    """How alike one of our records and one of CoLRev's are: title words, year and first author."""
    score = fuzz.token_set_ratio(_plain_words(record.title), _plain_words(fields.get("title", "")))
    if record.year is not None and str(record.year) == fields.get("year", "").strip():
        score += 20
    families = _theirs(fields, "authors")
    if families and record.authors and _plain(record.authors[0].family) == families[0]:
        score += 20
    return float(score)


def _plain_words(text: object) -> str:
    return " ".join(_plain(word) for word in str(text or "").split())


def compare(result: FileResult, ours: list[Record], theirs_file: Path) -> None:
    """Pair each of CoLRev's records with the most alike of ours (greedily, best pairs first), then
    compare field by field."""
    library = bibtexparser.parse_file(str(theirs_file))
    entries = [
        (entry.key, {key.lower(): str(item.value) for key, item in entry.fields_dict.items()})
        for entry in library.entries
    ]
    candidates = sorted(
        (
            (-_pair_score(record, fields), e, o)
            for e, (_, fields) in enumerate(entries)
            for o, record in enumerate(ours)
        ),
    )
    paired: dict[int, int] = {}
    used: set[int] = set()
    for _, e, o in candidates:
        if e not in paired and o not in used:
            paired[e] = o
            used.add(o)
    for e, (key, fields) in enumerate(entries):
        if e not in paired:
            result.mismatches.append(f"{key}: no record of ours pairs with it")
            continue
        match = ours[paired[e]]
        for name in FIELDS:
            expected = _theirs(fields, name)
            if expected is None:
                continue
            result.compared += 1
            got = _ours(match, name)
            if got == expected:
                result.matching += 1
            else:
                result.mismatches.append(f"{key}.{name}: CoLRev {expected!r}, ours {got!r}")


def measure(path: Path) -> FileResult:
    result = FileResult(path.name, platform_of(path))
    theirs = expected_file(path)
    if theirs is not None:
        result.expected = count_entries(theirs)
    else:
        result.expected = COUNTED_BY_HAND.get(path.name, -1)
    with tempfile.TemporaryDirectory() as scratch:
        workspace = init_project(Path(scratch) / "review", "Import benchmark", actor="benchmark")
        try:
            try:
                imported = import_files(
                    workspace, ImportRequest(paths=[path], source=result.platform, skip_invalid=True)
                )
            except Exception as error:  # a refused file is a result here, not a crash
                result.error = f"{type(error).__name__}: {error}".splitlines()[0]
                return result
            [item] = imported.files
            result.format, result.records, result.rejects = item.format, item.records, len(item.rejects)
            result.mismatches += [f"rejected at line {r.line}: {r.reason}" for r in item.rejects]
            stored, _ = list_records(workspace, limit=10_000)
            ours = [entry.record for entry in stored]
        finally:
            workspace.close()
    if theirs is not None:
        compare(result, ours, theirs)
    return result


def table(results: list[FileResult]) -> str:
    rows = []
    for r in results:
        agreement = f"{r.matching}/{r.compared} ({r.matching / r.compared:.0%})" if r.compared else "–"
        status = "refused: " + r.error if r.error else ("yes" if r.counts_ok else "**no**")
        rows.append(
            f"| {r.name} | {r.platform} | {r.format or '–'} | {r.expected} | {r.records} | {r.rejects} "
            f"| {status} | {agreement} |"
        )
    compared = sum(r.compared for r in results)
    matching = sum(r.matching for r in results)
    counts_ok = sum(r.counts_ok for r in results)
    total = (
        f"| **{len(results)} files** | | | {sum(r.expected for r in results)} | "
        f"{sum(r.records for r in results)} | {sum(r.rejects for r in results)} | {counts_ok} of "
        f"{len(results)} | {matching}/{compared} ({matching / max(compared, 1):.1%}) |"
    )
    header = (
        "| File | Platform | Read as | Expected | Imported | Rejected | Count right | Fields matching |\n"
        "|---|---|---|---:|---:|---:|---|---:|"
    )
    return "\n".join([header, *rows, total])


def update_docs(path: Path, results: list[FileResult]) -> None:
    write_section(
        path,
        "import_formats",
        "## Real export files (`benchmarks/import_formats.py`)\n\n"
        f"{measured_on()}.\n"
        "CoLRev's test exports from about 20 platforms (`../shared/benchmarks/imports/colrev/`), "
        "each imported with format detection and `--skip-invalid` into a fresh project. *Expected* is "
        "the number of records CoLRev read from the file (counted by hand where it gives no result); "
        "*Fields matching* compares every field CoLRev filled (title, authors' family names, year, "
        "journal or book title, volume, issue, pages, DOI, abstract), normalised for case, punctuation "
        "and LaTeX. CoLRev's reading is another tool's, not a gold standard: run with `--details` to "
        "see each difference.\n\n" + table(results),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--folder", type=Path, default=COLREV)
    parser.add_argument("--details", action="store_true", help="list every field that differs")
    parser.add_argument("--update-docs", type=Path)
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        print(f"No export files at {args.folder} (the shared benchmarks folder).", file=sys.stderr)
        return 2
    results = [measure(path) for path in export_files(args.folder)]
    print(table(results))
    if args.details:
        for r in results:
            for line in r.mismatches:
                print(f"{r.name}: {line}")
    if args.update_docs:
        update_docs(args.update_docs, results)
    return 0 if all(r.counts_ok for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
