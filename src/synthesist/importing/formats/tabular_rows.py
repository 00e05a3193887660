"""Header recognition and row -> record for the CSV, TSV and XLSX readers (:mod:`.tabular`).

Recognises the headers of common exports: Scopus CSV, Web of Science tab-delimited (tags as headers),
Rayyan, Covidence, PubMed CSV, Embase.com CSV, IEEE Xplore CSV, Springer Link CSV, Zotero and
Mendeley CSV, Publish or Perish, EPPI-Reviewer, ProQuest, our own CSV export and generic
``title/authors/year`` sheets. ``ReadOptions.column_map`` overrides or completes the recognition for
any other header. Combined citation columns ("Source", "Citation", "Ref") fill journal, year, volume,
issue and pages where the dedicated columns are empty (:mod:`.tabular_citation`). Every non-empty
cell is also kept, under its header, in the record's raw fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from synthesist.errors import ImportFileError
from synthesist.exporting.safe_csv import restore_cell
from synthesist.importing.base import ParsedRecord, ReadItem, ReadOptions, RejectedRecord
from synthesist.importing.formats.tabular_citation import parse_citation
from synthesist.records.clean import (
    clean_doi,
    clean_pmid,
    clean_text,
    decode_entities,
    is_placeholder,
    parse_year,
    split_keywords,
)
from synthesist.records.model import CANONICAL_FIELDS, Author, Record
from synthesist.wording import plural

__all__ = ["ColumnLayout", "row_item"]

_EXCERPT_CHARS = 200

# Header names (normalised: lower case, "_" and "-" as spaces) per canonical field, in order of preference.
_ALIASES: dict[str, tuple[str, ...]] = {
    field_name: tuple(alias.strip() for alias in aliases.split("|"))
    for field_name, aliases in {
        "title": "title | article title | document title | ti | primary title | item title",
        "authors": "authors | author | au | author names | author full names | af | author(s) | creators",
        "year": "year | publication year | published year | py | pubyear | date | publication date | "
        "date of publication",
        "journal": "journal | source title | journal/book | publication title | so | journal title | "
        "secondary title | publication name | journal name | publication | pubtitle | parenttitle | "
        "periodical",
        "volume": "volume | vl | vol | journal volume",
        "issue": "issue | is | number | issue number | journal issue",
        "pages": "pages | page | page numbers",
        "doi": "doi | di | item doi",
        "pmid": "pmid | pubmed id | pm | medline pmid",
        "issn": "issn | sn | issns | print issn",
        "abstract": "abstract | ab | abstract note",
        "keywords": "keywords | author keywords | index keywords | de | manual tags | automatic tags",
        "language": "language | language of original document | la | language of article",
        "publication_type": "publication type | document type | item type | dt | type | reference type | "
        "publication types | content type | typename",
        "url": "url | link | ur | articleurl | documenturl | full text link",
        "source_record_id": "source record id | record id | id | key | eid | ut | covidence # | "
        "accession number | embase accession number | embase accession id | itemid | storeid | pmid",
    }.items()
}
_PAGE_START = ("page start", "start page", "bp", "first page", "startpage")
_PAGE_END = ("page end", "end page", "ep", "last page", "endpage")
_ARTICLE_NUMBER = ("art. no.", "article number", "ar")
_GROUP_AUTHORS = ("ca", "group authors")
# Columns that may hold a whole citation, in order of trust. "source" is the journal in Publish or
# Perish and Google Scholar exports, the database name in Scopus ("Scopus") and in our own export.
_CITATION_COLUMNS = ("citation", "source", "ref", "reference", "full citation", "bibliographic citation")
_DATABASE_NAMES = frozenset(
    {
        "scopus", "web of science", "pubmed", "medline", "embase", "cinahl", "psycinfo", "google scholar",
        "crossref", "openalex", "europe pmc", "proquest", "ebsco", "ovid", "cochrane library", "ieee xplore",
    }
)  # fmt: skip
_WOS_MARKERS = frozenset({"pt", "ut", "ti"})
_OWN_MARKERS = frozenset({"record id", "source record id", "source", "title"})
# Springer Link's CSV writes the Authors cell without separators: "Andy SmithTom Weber".
_SPRINGER_MARKERS = frozenset({"item title", "publication title", "item doi", "content type"})
# A new name starts where a lower-case letter meets a capitalised word followed by a space or
# hyphen: "SmithTom Weber" splits, "McDonald" and "DeVries" (no space after the capital) do not.
_JOINED_NAMES = re.compile(r"(?<=[a-zß-öø-ÿ])(?=[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+[\s-])")
_KNOWN = frozenset(alias for aliases in _ALIASES.values() for alias in aliases).union(
    _PAGE_START, _PAGE_END, _ARTICLE_NUMBER, _GROUP_AUTHORS, _CITATION_COLUMNS
)
# "Cooper K", "Smith B.H.", "Kowalski Ł": a family name, then up to four (Unicode) capital initials.
_MEDLINE_NAME = re.compile(r"^(?P<family>[^\d,;]+) (?P<initials>(?:[^\W\d_]\.?-?){1,4})$")
_INITIAL = re.compile(r"^[^\W\d_]\.?$")


def _normalise(header: str) -> str:
    return " ".join(re.sub(r"[_\-]+", " ", header.strip().lstrip("\ufeff")).lower().split())


def _first_index(normalised: list[str], names: tuple[str, ...]) -> int | None:
    for name in names:
        if name in normalised:
            return normalised.index(name)
    return None


@dataclass(frozen=True, slots=True)
class ColumnLayout:
    """Which column holds which canonical field, decided once from the header row."""

    headers: list[str]
    columns: dict[str, int]
    keyword_columns: tuple[int, ...]
    extra_columns: dict[str, int | None]
    dialect: str  # "wos", "own" (our CSV export), "springer" or "other"
    delimiter: str = ","
    citation_columns: tuple[int, ...] = ()
    alternate_columns: dict[str, tuple[int, ...]] = field(default_factory=dict)

    @staticmethod
    def looks_like_wos(headers: list[str]) -> bool:
        return {_normalise(header) for header in headers} >= _WOS_MARKERS

    @staticmethod
    def known_header_count(headers: list[str]) -> int:
        return sum(1 for header in headers if _normalise(header) in _KNOWN)

    @staticmethod
    def has_title_column(headers: list[str]) -> bool:
        return any(_normalise(header) in _ALIASES["title"] for header in headers)

    @classmethod
    def from_header(
        cls, headers: list[str], options: ReadOptions, file_name: str, line: int, delimiter: str = ","
    ) -> ColumnLayout:
        normalised = [_normalise(header) for header in headers]
        wos = cls.looks_like_wos(headers)
        dialect = (
            "wos"
            if wos
            else "own"
            if set(normalised) >= _OWN_MARKERS
            else "springer"
            if set(normalised) >= _SPRINGER_MARKERS
            else "other"
        )
        columns: dict[str, int] = {}
        alternates: dict[str, tuple[int, ...]] = {}
        for field_name, aliases in _ALIASES.items():
            if wos and field_name == "source_record_id":
                aliases = ("ut",)
            # Every column that may hold the field, best first: PubMed's "Journal/Book" fills in
            # where a hand-added "journal" column is empty.
            indices = [normalised.index(alias) for alias in aliases if alias in normalised]
            if indices:
                columns[field_name] = indices[0]
                if dialect not in ("own", "wos"):  # their columns are exact: no stand-ins
                    alternates[field_name] = tuple(dict.fromkeys(indices[1:]))
        keyword_names = ("de", "id") if wos else _ALIASES["keywords"]
        keyword_columns = tuple(i for i, name in enumerate(normalised) if name in keyword_names)
        for field_name, column in options.column_map.items():
            if field_name not in CANONICAL_FIELDS:
                raise ImportFileError(
                    f"{file_name}: cannot map column {column!r} to unknown field {field_name!r}",
                    hint=f"Fields that can be mapped: {', '.join(CANONICAL_FIELDS)}.",
                )
            index = (
                headers.index(column)
                if column in headers
                else _first_index(normalised, (_normalise(column),))
            )
            if index is None:
                raise ImportFileError(
                    f"{file_name}:{line}: column {column!r} (mapped to {field_name}) is not in the file",
                    hint=f"The file's columns are: {', '.join(headers)}.",
                )
            columns[field_name] = index
            alternates.pop(field_name, None)
            if field_name == "keywords":
                keyword_columns = (index,)
        if "title" not in columns:
            raise ImportFileError(
                f"{file_name}:{line}: no title column among the columns: {', '.join(headers)}",
                hint='Pass a column mapping for the title and other fields, e.g. --map title="Article Name".',
            )
        extra = {
            "page_start": _first_index(normalised, _PAGE_START),
            "page_end": _first_index(normalised, _PAGE_END),
            "article_number": _first_index(normalised, _ARTICLE_NUMBER),
            "group_authors": _first_index(normalised, _GROUP_AUTHORS) if wos else None,
        }
        citation_names = [name for name in _CITATION_COLUMNS if dialect != "own" or name != "source"]
        citations = tuple(
            index
            for name in citation_names
            for index, header in enumerate(normalised)
            if header == name and index not in columns.values()
        )
        return cls(list(headers), columns, keyword_columns, extra, dialect, delimiter, citations, alternates)


def _split_names(cell: str) -> list[str]:
    if ";" in cell:
        return cell.split(";")
    if " and " in cell:
        return cell.split(" and ")
    if "," not in cell:
        return [cell]
    parts = [part.strip() for part in cell.split(",")]
    medline = [part.rstrip(".") if index == len(parts) - 1 else part for index, part in enumerate(parts)]
    if len(parts) >= 2 and all(_medline_name(part) for part in medline):
        return medline  # "Cooper K, Smith BH, Hancock E." (PubMed CSV)
    if len(parts) == 2:
        return [cell]  # "Cooper, Kay"
    return parts  # "Kay Cooper, Blair H. Smith, Elizabeth Hancock"


def _own_author(name: str) -> Author:
    """Exact inverse of our CSV writer: ``{Organisation}``, ``Family, Given`` or ``Family``."""
    if name.startswith("{") and name.endswith("}"):
        return Author(family=name[1:-1].strip(), organisation=True)
    family, _, given = name.partition(",")
    return Author(family=family.strip(), given=given.strip())


def _medline_name(name: str) -> re.Match[str] | None:
    match = _MEDLINE_NAME.match(name)
    return match if match and match.group("initials").isupper() else None


def _tabular_author(name: str, cell_has_commas: bool) -> Author:
    name = " ".join(name.split())
    medline = _medline_name(name)
    if medline:
        # The regex above already split family and initials; "Kowalski Ł" stays family "Kowalski".
        return Author(family=medline.group("family"), given=medline.group("initials"))
    if "," in name:
        return Author.parse(name)
    words = name.split(" ")
    # In a "Family, Given" or "Family AB" list, a name in neither form is a group's name (Zotero's
    # single-field names, PubMed's collective authors); so is a long name without any initial.
    if cell_has_commas or (
        len(words) >= 3 and not any(_INITIAL.match(word) and word[0].isupper() for word in words)
    ):
        return Author(family=name.rstrip("."), organisation=True)  # PubMed CSV ends the cell with "."
    return Author.parse(name)


def _authors(cell: str, dialect: str) -> list[Author]:
    if clean_text(cell) is None:
        return []
    if dialect == "own":
        return [_own_author(name.strip()) for name in cell.split(";") if name.strip()]
    cell = decode_entities(cell)
    if dialect == "springer" and not any(mark in cell for mark in ";,"):
        names = [name.strip() for name in _JOINED_NAMES.split(cell) if name.strip()]
    else:
        names = [name.strip() for name in _split_names(cell) if name.strip()]
    names = [name for name in names if not is_placeholder(name)]  # "Smith J; NA" from a spreadsheet
    with_commas = len(names) > 1 and any("," in name for name in names)
    return [author for author in (_tabular_author(name, with_commas) for name in names) if author.family]


def _keywords(layout: ColumnLayout, row: list[str]) -> list[str]:
    values = [row[index] for index in layout.keyword_columns if index < len(row) and row[index].strip()]
    if layout.dialect == "own":
        return split_keywords(values, ";")
    values = [decode_entities(value) for value in values]
    # Scopus, WoS and Zotero separate terms with ";", Rayyan and some hand-made sheets with ",".
    return split_keywords(values, ";" if any(";" in value for value in values) else ",")


def _pages(cell: dict[str, str]) -> str | None:
    start = clean_text(cell.get("page_start"))
    end = clean_text(cell.get("page_end"))
    if start:
        return f"{start}-{end}" if end and end != start else start
    return clean_text(cell.get("article_number"))


def _journal_from_source(layout: ColumnLayout, row: list[str]) -> str | None:
    """Publish or Perish and Google Scholar exports name the journal in "Source" and nowhere else."""
    for index in layout.citation_columns:
        if index < len(row) and _normalise(layout.headers[index]) == "source":
            journal = clean_text(row[index], entities=True)
            if journal and journal.lower() not in _DATABASE_NAMES and "://" not in journal:
                return journal
    return None


def _row_record(layout: ColumnLayout, row: list[str]) -> Record:
    if layout.dialect == "own":  # our export quoted formula-like cells; another tool's quote is content
        row = [restore_cell(cell) for cell in row]

    def value(index: int | None) -> str:
        return row[index] if index is not None and index < len(row) else ""

    # Our own export is written from stored (already decoded) text: decoding again would turn a
    # title's literal "&lt;" into "<". Every other tool's cells may carry a web page's references.
    entities = layout.dialect != "own"

    def text(name: str) -> str | None:
        return clean_text(cells.get(name), entities=entities)

    def first_filled(name: str, index: int) -> str:
        alternates = layout.alternate_columns.get(name)
        if not alternates:
            return value(index)
        for candidate in (index, *alternates):
            if clean_text(value(candidate)) is not None:
                return value(candidate)
        return ""

    cells = {name: first_filled(name, index) for name, index in layout.columns.items()}
    extra = {name: value(index) for name, index in layout.extra_columns.items()}
    authors = _authors(cells.get("authors", ""), layout.dialect)
    for name in extra["group_authors"].split(";") if extra["group_authors"] else []:
        if name.strip():
            authors.append(Author(family=" ".join(name.split()), organisation=True))
    journal, year = text("journal"), parse_year(text("year"))
    volume, issue = text("volume"), text("issue")
    pages = text("pages") or _pages(extra)
    for parts in (parse_citation(value(index)) for index in layout.citation_columns):
        if parts is not None:
            journal, year = journal or parts.journal, year or parts.year
            volume, issue, pages = volume or parts.volume, issue or parts.issue, pages or parts.pages
    if journal is None and "journal" not in layout.columns:
        journal = _journal_from_source(layout, row)
    raw: dict[str, list[str]] = {}
    for index, cell in enumerate(row):
        if cell.strip():
            # R's write.csv names its row-number column "": keep such cells under a readable name
            named = index < len(layout.headers) and layout.headers[index].strip()
            header = layout.headers[index] if named else f"column {index + 1}"
            raw.setdefault(header, []).append(cell)
    return Record(
        title=text("title"),
        authors=authors,
        year=year,
        journal=journal,
        volume=volume,
        issue=issue,
        pages=pages,
        doi=clean_doi(cells.get("doi")),
        pmid=clean_pmid(cells.get("pmid") or None),
        issn=text("issn"),
        abstract=text("abstract"),
        keywords=_keywords(layout, row),
        language=text("language"),
        publication_type=text("publication_type"),
        url=clean_text(cells.get("url")),
        source_record_id=clean_text(cells.get("source_record_id")),
        raw=raw,
    )


def row_item(layout: ColumnLayout, row: list[str], line: int, *, check_width: bool) -> ReadItem:
    """One data row -> a record, or a reject naming what is wrong with the row."""
    width = len(layout.headers)
    excerpt = layout.delimiter.join(row)[:_EXCERPT_CHARS]
    overflow = any(cell.strip() for cell in row[width:])
    if check_width and (len(row) < width or overflow):
        return RejectedRecord(
            line=line,
            reason=f"row has {plural(len(row), 'field')} but the header has {width}",
            excerpt=excerpt,
        )
    record = _row_record(layout, row)
    if not (record.title or record.authors or record.doi or record.pmid):
        return RejectedRecord(line=line, reason="row has no title, authors, DOI or PMID", excerpt=excerpt)
    return ParsedRecord(record=record, line=line)
