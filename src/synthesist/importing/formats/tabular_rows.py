"""Header recognition and row -> record for the CSV, TSV and XLSX readers (:mod:`.tabular`).

Recognises the headers of common exports: Scopus CSV, Web of Science tab-delimited (tags as headers),
Rayyan, Covidence, PubMed CSV, Zotero CSV, our own CSV export and generic ``title/authors/year``
sheets. ``ReadOptions.column_map`` overrides or completes the recognition for any other header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from synthesist.errors import ImportFileError
from synthesist.importing.base import ParsedRecord, ReadItem, ReadOptions, RejectedRecord
from synthesist.records.clean import clean_doi, clean_pmid, clean_text, parse_year, split_keywords
from synthesist.records.model import CANONICAL_FIELDS, Author, Record

__all__ = ["ColumnLayout", "row_item"]

_EXCERPT_CHARS = 200

# Header names (normalised: lower case, "_" and "-" as spaces) per canonical field, in order of preference.
_ALIASES: dict[str, tuple[str, ...]] = {
    field_name: tuple(alias.strip() for alias in aliases.split("|"))
    for field_name, aliases in {
        "title": "title | article title | document title | ti | primary title",
        "authors": "authors | author | au | author names | author full names | af",
        "year": "year | publication year | published year | py | pubyear | date | publication date",
        "journal": "journal | source title | journal/book | publication title | so | journal title | "
        "secondary title | publication name | journal name",
        "volume": "volume | vl | vol",
        "issue": "issue | is | number | issue number",
        "pages": "pages | page | page numbers",
        "doi": "doi | di",
        "pmid": "pmid | pubmed id | pm",
        "issn": "issn | sn",
        "abstract": "abstract | ab | abstract note",
        "keywords": "keywords | author keywords | index keywords | de | manual tags | automatic tags",
        "language": "language | language of original document | la",
        "publication_type": "publication type | document type | item type | dt | type | reference type | "
        "publication types",
        "url": "url | link | ur",
        "source_record_id": "source record id | record id | id | key | eid | ut | covidence # | "
        "accession number | pmid",
    }.items()
}
_PAGE_START = ("page start", "start page", "bp", "first page")
_PAGE_END = ("page end", "end page", "ep", "last page")
_ARTICLE_NUMBER = ("art. no.", "article number", "ar")
_GROUP_AUTHORS = ("ca", "group authors")
_WOS_MARKERS = frozenset({"pt", "ut", "ti"})
_OWN_MARKERS = frozenset({"record id", "source record id", "source", "title"})
_KNOWN = frozenset(alias for aliases in _ALIASES.values() for alias in aliases).union(
    _PAGE_START, _PAGE_END, _ARTICLE_NUMBER, _GROUP_AUTHORS, {"citation"}
)
# PubMed CSV "Citation": "Physiotherapy. 2008 Sep;94(3):244-52. doi: ..."
_CITATION = re.compile(r";\s*(?P<volume>[^();:]+?)?\s*(?:\((?P<issue>[^)]+)\))?:(?P<pages>[^\s.;]+)")
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
    dialect: str  # "wos", "own" (our CSV export) or "other"
    delimiter: str = ","

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
        dialect = "wos" if wos else "own" if set(normalised) >= _OWN_MARKERS else "other"
        columns: dict[str, int] = {}
        for field_name, aliases in _ALIASES.items():
            if wos and field_name == "source_record_id":
                aliases = ("ut",)
            index = _first_index(normalised, aliases)
            if index is not None:
                columns[field_name] = index
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
            "citation": _first_index(normalised, ("citation",)),
        }
        return cls(list(headers), columns, keyword_columns, extra, dialect, delimiter)


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


def _authors(cell: str, own: bool) -> list[Author]:
    if not cell.strip():
        return []
    if own:
        return [_own_author(name.strip()) for name in cell.split(";") if name.strip()]
    names = [name.strip() for name in _split_names(cell) if name.strip()]
    with_commas = len(names) > 1 and any("," in name for name in names)
    return [author for author in (_tabular_author(name, with_commas) for name in names) if author.family]


def _keywords(layout: ColumnLayout, row: list[str]) -> list[str]:
    values = [row[index] for index in layout.keyword_columns if index < len(row) and row[index].strip()]
    if layout.dialect == "own":
        return split_keywords(values, ";")
    # Scopus, WoS and Zotero separate terms with ";", Rayyan and some hand-made sheets with ",".
    return split_keywords(values, ";" if any(";" in value for value in values) else ",")


def _pages(layout: ColumnLayout, cell: dict[str, str]) -> str | None:
    start = clean_text(cell.get("page_start"))
    end = clean_text(cell.get("page_end"))
    if start:
        return f"{start}-{end}" if end and end != start else start
    return clean_text(cell.get("article_number"))


def _row_record(layout: ColumnLayout, row: list[str]) -> Record:
    def value(index: int | None) -> str:
        return row[index] if index is not None and index < len(row) else ""

    field = {name: value(index) for name, index in layout.columns.items()}
    extra = {name: value(index) for name, index in layout.extra_columns.items()}
    authors = _authors(field.get("authors", ""), own=layout.dialect == "own")
    for name in extra["group_authors"].split(";") if extra["group_authors"] else []:
        if name.strip():
            authors.append(Author(family=" ".join(name.split()), organisation=True))
    volume = clean_text(field.get("volume"))
    issue = clean_text(field.get("issue"))
    pages = clean_text(field.get("pages")) or _pages(layout, extra)
    citation = _CITATION.search(extra["citation"]) if extra["citation"] else None
    if citation is not None:
        volume = volume or clean_text(citation.group("volume"))
        issue = issue or clean_text(citation.group("issue"))
        pages = pages or clean_text(citation.group("pages"))
    raw: dict[str, list[str]] = {}
    for index, cell in enumerate(row):
        if cell.strip():
            header = layout.headers[index] if index < len(layout.headers) else f"column {index + 1}"
            raw.setdefault(header, []).append(cell)
    return Record(
        title=clean_text(field.get("title")),
        authors=authors,
        year=parse_year(field.get("year") or None),
        journal=clean_text(field.get("journal")),
        volume=volume,
        issue=issue,
        pages=pages,
        doi=clean_doi(field.get("doi")),
        pmid=clean_pmid(field.get("pmid") or None),
        issn=clean_text(field.get("issn")),
        abstract=clean_text(field.get("abstract")),
        keywords=_keywords(layout, row),
        language=clean_text(field.get("language")),
        publication_type=clean_text(field.get("publication_type")),
        url=clean_text(field.get("url")),
        source_record_id=clean_text(field.get("source_record_id")),
        raw=raw,
    )


def row_item(layout: ColumnLayout, row: list[str], line: int, *, check_width: bool) -> ReadItem:
    """One data row -> a record, or a reject naming what is wrong with the row."""
    width = len(layout.headers)
    excerpt = layout.delimiter.join(row)[:_EXCERPT_CHARS]
    overflow = any(cell.strip() for cell in row[width:])
    if check_width and (len(row) < width or overflow):
        return RejectedRecord(
            line=line, reason=f"row has {len(row)} fields but the header has {width}", excerpt=excerpt
        )
    record = _row_record(layout, row)
    if not (record.title or record.authors or record.doi or record.pmid):
        return RejectedRecord(line=line, reason="row has no title, authors, DOI or PMID", excerpt=excerpt)
    return ParsedRecord(record=record, line=line)
