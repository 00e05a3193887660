"""BibTeX / BibLaTeX reader (Scopus, Web of Science, Zotero/Better BibTeX, Mendeley, JabRef dialects).

bibtexparser parses the syntax, but it parses a whole string at once and turns one broken entry into
a failed block somewhere in a library. We split the file into entries ourselves (an entry starts with
``@type{`` at the start of a line), which lets us stream, keep each entry's line number and reject
one broken entry without losing the rest. Each chunk is then parsed by bibtexparser; ``@string``
macros seen so far are handed to it so references resolve across chunks.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

from bibtexparser import model
from bibtexparser.entrypoint import parse_string
from bibtexparser.library import Library
from bibtexparser.middlewares import default_parse_stack
from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from pylatexenc.latex2text import (  # no type stubs; ships with bibtexparser
    LatexNodes2Text,
    MacroTextSpec,
    get_default_latex_context_db,
)

from synthesist.errors import ImportFileError
from synthesist.importing.base import (
    ParsedRecord,
    Reader,
    ReadItem,
    ReadOptions,
    RejectedRecord,
    register_reader,
)
from synthesist.importing.source import SourceFile
from synthesist.records.clean import clean_doi, clean_pmid, clean_text, parse_year, split_keywords
from synthesist.records.model import Author, Record

__all__ = [
    "PUBLICATION_TYPE_FIELD",
    "SOURCE_ID_FIELD",
    "BibtexReader",
    "decode_latex",
    "parse_bibtex_names",
]

# Fields our own BibTeX writer adds so that a record survives writer -> reader unchanged even when
# its id is not a valid citation key or its publication type is not a BibTeX entry type.
SOURCE_ID_FIELD = "source-record-id"
PUBLICATION_TYPE_FIELD = "publication-type"

_ENTRY_START = re.compile(r"^[ \t]*@[ \t]*([A-Za-z][\w-]*)[ \t]*[{(]")
_SNIFF_ENTRY = re.compile(r"^[ \t]*@[ \t]*([A-Za-z]+)[ \t]*[{(][^,=\n]*,", re.MULTILINE)
_KNOWN_TYPES = frozenset(
    [
        "article",
        "book",
        "booklet",
        "inbook",
        "incollection",
        "inproceedings",
        "conference",
        "manual",
        "mastersthesis",
        "misc",
        "phdthesis",
        "proceedings",
        "techreport",
        "unpublished",
        "online",
        "report",
        "thesis",
        "dataset",
        "software",
        "string",
        "comment",
        "preamble",
        "electronic",
        "patent",
        "standard",
        "collection",
        "periodical",
    ]
)
_SKIPPED_BLOCKS = frozenset({"comment", "preamble"})
# Anything pylatexenc would change; plain text (most Scopus/WoS values) skips the slow decoder.
_LATEX_SYNTAX = re.compile(r"[\\{}$%~&^]|--|``|''|[?!]`")
_BARE_AMPERSAND = re.compile(r"(?<!\\)&")
_VERBATIM_ESCAPE = re.compile(r"\\([_%&#${}])")
_PAGE_RANGE = re.compile(r"^\s*(\S+?)\s*(?:-{1,3}|–|—)\s*(\S+)\s*$")
_PMID_IN_NOTE = re.compile(r"PMID:?\s*(\d{1,9})", re.IGNORECASE)
_VERBATIM_FIELDS = frozenset({"doi", "url", "eprint", "file", "pmid", "issn", "isbn"})

# Real exports nest braces three or four deep ({\"{u}} inside a protected title). Both bibtexparser and
# pylatexenc recurse once per level, so a damaged or hostile file with thousands of levels would exhaust
# Python's stack; an entry nested deeper than this is rejected before either parser sees it.
MAX_BRACE_DEPTH = 32
_BRACE = re.compile(r"(?<!\\)[{}]")

_decoder: LatexNodes2Text | None = None

# bibtexparser logs every aborted block as a warning; we report those as rejects ourselves, and without
# a handler Python's last-resort handler would print them to the user's terminal.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())


def _latex_decoder() -> LatexNodes2Text:
    global _decoder
    if _decoder is None:
        context = get_default_latex_context_db()
        context.add_context_category(
            "synthesist",
            prepend=True,
            # \url{x} should give x, and \textasciicircum must give the ASCII caret our writer meant.
            macros=[MacroTextSpec("url", simplify_repl="%s"), MacroTextSpec("textasciicircum", "^")],
        )
        _decoder = LatexNodes2Text(latex_context=context, keep_braced_groups=False, math_mode="verbatim")
    return _decoder


def decode_latex(value: str) -> str:
    """LaTeX accents, escapes and protective braces -> plain Unicode text."""
    if not _LATEX_SYNTAX.search(value):
        return value
    # A bare "&" is an alignment tab to LaTeX, but in a .bib field it always means "and".
    text = _BARE_AMPERSAND.sub(r"\\&", value)
    decoded: str = _latex_decoder().latex_to_text(text)
    return decoded


def _braced_whole(text: str) -> bool:
    """True for ``{...}`` where the first brace closes at the very end (a protected name)."""
    if not (text.startswith("{") and text.endswith("}")):
        return False
    depth = 0
    for index, char in enumerate(text):
        if char == "{" and (index == 0 or text[index - 1] != "\\"):
            depth += 1
        elif char == "}" and text[index - 1] != "\\":
            depth -= 1
            if depth == 0:
                return index == len(text) - 1
    return False


def parse_bibtex_names(value: str) -> list[Author]:
    """``and``-separated BibTeX names -> authors; ``{Braced Name}`` is an organisation, ``others`` dropped."""
    authors: list[Author] = []
    for name in split_multiple_persons_names(value):
        name = name.strip()
        if not name or name.lower() == "others":
            continue
        if _braced_whole(name):
            organisation = clean_text(decode_latex(name))
            if organisation:
                authors.append(Author(family=organisation, organisation=True))
            continue
        try:
            parts = parse_single_name_into_parts(name, strict=False)
        except InvalidNameError:
            authors.append(Author.parse(decode_latex(name)))
            continue
        family = clean_text(decode_latex(" ".join(parts.von + parts.last + parts.jr))) or ""
        given = clean_text(decode_latex(" ".join(parts.first))) or ""
        if not family and given:
            family, given = given, ""
        authors.append(Author(family=family, given=given))
    return authors


def _pages(value: str) -> str | None:
    text = clean_text(value)
    if text is None:
        return None
    match = _PAGE_RANGE.match(text)
    if match:
        text = f"{match.group(1)}-{match.group(2)}"
    return clean_text(decode_latex(text))


def _keywords(fields: dict[str, str]) -> list[str]:
    values = [
        decode_latex(fields[name])
        for name in ("author_keywords", "keywords", "keywords-plus", "mesh")
        if fields.get(name)
    ]
    # Scopus, WoS and our writer separate terms with ";", Zotero and Mendeley with ",".
    separators = ";" if any(";" in value for value in values) else ","
    return split_keywords(values, separators)


def _pmid(fields: dict[str, str]) -> str | None:
    if fields.get("pmid"):
        return clean_pmid(fields["pmid"])
    if fields.get("eprinttype", "").strip().lower() == "pubmed" and fields.get("eprint"):
        return clean_pmid(fields["eprint"])
    match = _PMID_IN_NOTE.search(fields.get("note", ""))
    return match.group(1) if match else None


def _text(fields: dict[str, str], *names: str) -> str | None:
    for name in names:
        value = fields.get(name)
        if value is not None:
            text = clean_text(decode_latex(value), entities=True)  # "&#169;" in exports scraped from HTML
            if text:
                return text
    return None


def _verbatim(fields: dict[str, str], name: str) -> str | None:
    value = fields.get(name)
    return clean_text(_VERBATIM_ESCAPE.sub(r"\1", value)) if value is not None else None


def _field_value(field: model.Field) -> str:
    value = field.value
    return value if isinstance(value, str) else str(value)


def entry_to_record(entry: model.Entry) -> Record:
    raw: dict[str, list[str]] = {"ENTRYTYPE": [entry.entry_type], "ID": [entry.key]}
    fields: dict[str, str] = {}
    for field in entry.fields:
        value = _field_value(field)
        raw.setdefault(field.key, []).append(value)
        fields.setdefault(field.key.lower(), value)
    if PUBLICATION_TYPE_FIELD in fields:
        publication_type = _text(fields, PUBLICATION_TYPE_FIELD)
    else:
        publication_type = entry.entry_type.lower()
    # Our writer adds the database id when it is not a usable key (an empty value means none).
    source_id = _text(fields, SOURCE_ID_FIELD) if SOURCE_ID_FIELD in fields else clean_text(entry.key)
    return Record(
        title=_text(fields, "title"),
        authors=parse_bibtex_names(fields.get("author", "")),
        year=parse_year(fields.get("year")) or parse_year(fields.get("date")),
        journal=_text(fields, "journal", "journaltitle", "booktitle"),
        volume=_text(fields, "volume"),
        issue=_text(fields, "number", "issue"),
        pages=_pages(fields["pages"]) if "pages" in fields else None,
        doi=clean_doi(_verbatim(fields, "doi")),
        pmid=_pmid(fields),
        issn=_text(fields, "issn"),
        abstract=_text(fields, "abstract"),
        keywords=_keywords(fields),
        language=_text(fields, "language", "langid"),
        publication_type=publication_type,
        url=_verbatim(fields, "url"),
        source_record_id=source_id,
        raw=raw,
    )


def _chunks(source: SourceFile) -> Iterator[tuple[int, str, str]]:
    """``(start line, block type, text)`` for every ``@`` block; text before the first is a comment."""
    start = 0
    kind = ""
    lines: list[str] = []
    for number, line in source.lines():
        match = _ENTRY_START.match(line)
        if match:
            if lines:
                yield start, kind, "\n".join(lines)
            start, kind, lines = number, match.group(1).lower(), [line]
        elif lines:
            lines.append(line)
    if lines:
        yield start, kind, "\n".join(lines)


_HEADER_LINE = re.compile(r"^\s*@\s*([A-Za-z][\w-]*)\s*[{(]\s*([^,\s]*)\s*,\s*$")
_FIELD_LINE = re.compile(r'^\s*([A-Za-z][\w.:-]*)\s*=\s*(?:\{(.*)\}|"(.*)"|(\w+))\s*,?\s*$')


def _entry_by_lines(text: str) -> model.Entry | None:
    """The entry read one field per line, for an export whose values break BibTeX's brace rules.

    EBSCOhost writes each field on its own line but copies scraped page text into ``Keywords`` with
    unbalanced braces, so no BibTeX parser can find where the value ends; the line does say it. Used
    only when the parser failed and every line of the entry has the ``Field = {value},`` shape.
    """
    lines = [line for line in text.split("\n") if line.strip()]
    header = _HEADER_LINE.match(lines[0]) if lines else None
    if header is None or len(lines) < 3 or lines[-1].strip() not in {"}", ")"}:
        return None
    fields: list[model.Field] = []
    for line in lines[1:-1]:
        match = _FIELD_LINE.match(line)
        if match is None:
            return None
        value = next(group for group in match.groups()[1:] if group is not None)
        fields.append(model.Field(key=match.group(1), value=value))
    return model.Entry(entry_type=header.group(1).lower(), key=header.group(2), fields=fields)


def _brace_depth(text: str) -> int:
    """The deepest nesting of unescaped braces in ``text`` (stops counting past the limit)."""
    if text.count("{") <= MAX_BRACE_DEPTH:
        return 0  # cannot be nested deeper than the limit: the common case costs one count
    depth = deepest = 0
    for match in _BRACE.finditer(text):
        depth = depth + 1 if match.group(0) == "{" else max(depth - 1, 0)
        if depth > deepest:
            deepest = depth
            if deepest > MAX_BRACE_DEPTH:
                break
    return deepest


def _failure_reason(block: model.ParsingFailedBlock) -> str:
    error = block.error
    reason = getattr(error, "abort_reason", None) or str(error) or type(error).__name__
    if "end of file" in reason.lower():
        return "the entry is not closed: a '}' is missing (or an opening '{' is unbalanced)"
    return f"malformed BibTeX entry: {reason}"


@register_reader
class BibtexReader(Reader):
    name = "bibtex"
    description = "BibTeX / BibLaTeX (.bib) from Scopus, Web of Science, Zotero, Mendeley, JabRef"
    extensions = (".bib", ".bibtex")

    def sniff(self, source: SourceFile) -> float:
        if not source.head:
            return 0.0
        types = [match.group(1).lower() for match in _SNIFF_ENTRY.finditer(source.head)]
        if not types:
            return 0.0
        if any(kind in _KNOWN_TYPES for kind in types):
            return 0.95
        return 0.6

    def read(self, source: SourceFile, options: ReadOptions) -> Iterator[ReadItem]:
        strings: list[model.String] = []
        count = 0
        for line, kind, text in _chunks(source):
            if kind in _SKIPPED_BLOCKS:
                continue
            if _brace_depth(text) > MAX_BRACE_DEPTH:
                count += 1
                yield RejectedRecord(
                    line=line,
                    reason=f"braces are nested more than {MAX_BRACE_DEPTH} deep: the entry is damaged",
                    excerpt=text[:200],
                )
                continue
            library = parse_string(text, library=Library(list[model.Block](strings)))
            if kind == "string":
                strings = list(library.strings)
                continue
            failed = library.failed_blocks
            entries = list(library.entries)
            for block in failed:
                if isinstance(block, model.DuplicateFieldKeyBlock) and block.ignore_error_block:
                    # Some exports repeat a field (two "url"s); raw keeps both, canonical takes the first.
                    # The splitter hands that entry over raw, so resolve macros and braces here.
                    duplicate = Library(list[model.Block]([*strings, block.ignore_error_block]))
                    for middleware in default_parse_stack():
                        duplicate = middleware.transform(library=duplicate)
                    entries.extend(duplicate.entries)
                    continue
                by_lines = None if library.entries else _entry_by_lines(text)
                if by_lines is not None:
                    entries.append(by_lines)
                    continue
                count += 1
                yield RejectedRecord(line=line, reason=_failure_reason(block), excerpt=text[:200])
            if not entries and not failed:
                count += 1
                yield RejectedRecord(
                    line=line, reason=f"'@{kind}' block holds no readable entry", excerpt=text[:200]
                )
            for entry in entries:
                count += 1
                yield ParsedRecord(record=entry_to_record(entry), line=line)
        if count == 0:
            raise ImportFileError(
                f"{source.name}:1: no BibTeX entries found (an entry starts with '@article{{' or similar)",
                hint="Check that this is a BibTeX export, or pass --format with the file's real format.",
            )
