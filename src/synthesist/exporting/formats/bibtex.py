"""BibTeX export that our BibTeX reader reads back to the same canonical record.

Entries are written by hand rather than through ``bibtexparser.write_string``: we need exact control
over escaping (every LaTeX special character and ligature is escaped, non-ASCII stays UTF-8) and we
stream one entry at a time. Two fields beyond the usual ones carry what BibTeX has no place for:
``source-record-id`` when the database id is not a usable citation key, and ``publication-type`` when
the record's type is not a BibTeX entry type. BibTeX and biber ignore fields they do not know.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TextIO

from synthesist.exporting.base import ExportItem, Writer, register_writer
from synthesist.importing.formats.bibtex import (
    PUBLICATION_TYPE_FIELD,
    SOURCE_ID_FIELD,
    parse_bibtex_names,
)
from synthesist.records.model import Author, Record

__all__ = ["BibtexWriter", "escape_latex", "format_name"]

_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL = re.compile(r"[\\{}$%&#_~^]")
# "--", "``", "''", "?`" and "!`" are ligatures (dashes, quotes, inverted marks) to LaTeX; an empty
# group between the characters keeps them literal.
_LIGATURE = re.compile(r"(?<=-)(?=-)|(?<=`)(?=`)|(?<=')(?=')|(?<=[?!])(?=`)")
_VERBATIM_SPECIAL = re.compile(r"[{}]")
_VALID_KEY = re.compile(r"^[A-Za-z0-9_:.+/-]{1,100}$")
_ENTRY_TYPE = re.compile(r"^[a-z]{2,30}$")
_NOT_ENTRY_TYPES = frozenset({"comment", "preamble", "string"})
_SIMPLE_RANGE = re.compile(r"^([^\s-]+)-([^\s-]+)$")


def escape_latex(text: str) -> str:
    """Plain text -> BibTeX field text that LaTeX (and our reader) turns back into the same text."""
    return _LIGATURE.sub("{}", _SPECIAL.sub(lambda match: _SPECIALS[match.group()], text))


def _escape_verbatim(text: str) -> str:
    # url and doi are verbatim fields (\url, biblatex): only braces need escaping to stay balanced.
    return _VERBATIM_SPECIAL.sub(lambda match: "\\" + match.group(), text)


def format_name(author: Author, *, braced: bool = False) -> str:
    """``Family, Given`` as BibTeX reads it; braces where the plain form would be misread."""
    family, given = escape_latex(author.family), escape_latex(author.given)
    if author.organisation:
        return f"{{{family}}}"
    plain = f"{family}, {given}" if given else family
    if not braced and parse_bibtex_names(plain) == [author]:
        return plain
    # Braced parts are taken whole: no "von" particles, no "and", no comma splitting inside them.
    return f"{{{family}}}, {{{given}}}"


def _author_field(authors: list[Author]) -> str | None:
    if not authors:
        return None
    text = " and ".join(format_name(author) for author in authors)
    if parse_bibtex_names(text) == authors:
        return text
    # A name that reads back alone can still merge with its neighbour ("Cooper and \&").
    return " and ".join(format_name(author, braced=True) for author in authors)


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", folded.lower())


class _KeyMaker:
    """Citation keys: the record's own id when it is a valid key, else ``cooper2008patient``; unique."""

    def __init__(self) -> None:
        self._used: set[str] = set()
        self._suffixes: dict[str, int] = {}  # base -> last suffix tried, so 100,000 "anon" keys stay linear

    def key(self, record: Record) -> tuple[str, bool]:
        """``(key, key_is_the_source_id)``."""
        source_id = record.source_record_id
        if source_id and _VALID_KEY.match(source_id) and source_id.lower() not in self._used:
            self._used.add(source_id.lower())
            return source_id, True
        family = _ascii_word(record.first_author or "") or "anon"
        words = [_ascii_word(word) for word in (record.title or "").split()]
        word = next((w for w in words if len(w) >= 4), "") or next((w for w in words if w), "")
        base = f"{family}{record.year or ''}{word}"
        candidate, suffix = base, self._suffixes.get(base.lower(), 0)
        while candidate.lower() in self._used:
            suffix += 1
            candidate = f"{base}{chr(ord('a') + suffix - 1)}" if suffix <= 26 else f"{base}-{suffix}"
        self._suffixes[base.lower()] = suffix
        self._used.add(candidate.lower())
        return candidate, False


def _entry_type(record: Record) -> tuple[str, bool]:
    """``(entry type, type_is_the_publication_type)``."""
    kind = record.publication_type
    if kind is not None and _ENTRY_TYPE.match(kind) and kind not in _NOT_ENTRY_TYPES:
        return kind, True
    return ("article" if record.journal else "misc"), False


def _pages(pages: str) -> str:
    match = _SIMPLE_RANGE.match(pages)
    if match:
        return f"{escape_latex(match.group(1))}--{escape_latex(match.group(2))}"
    return escape_latex(pages)


def _keywords(keywords: list[str]) -> str:
    text = "; ".join(escape_latex(keyword) for keyword in keywords)
    # Readers split on ";" when there is one and on "," otherwise: a lone "Pain, Chronic" keeps a ";".
    return text + ";" if len(keywords) == 1 and "," in keywords[0] else text


def entry_text(item: ExportItem, key: str, key_is_source_id: bool) -> str:
    record = item.record
    entry_type, type_is_kind = _entry_type(record)
    fields: list[tuple[str, str | None]] = [
        ("author", _author_field(record.authors)),
        ("title", escape_latex(record.title) if record.title else None),
        ("journal", escape_latex(record.journal) if record.journal else None),
        ("year", str(record.year) if record.year is not None else None),
        ("volume", escape_latex(record.volume) if record.volume else None),
        ("number", escape_latex(record.issue) if record.issue else None),
        ("pages", _pages(record.pages) if record.pages else None),
        ("doi", _escape_verbatim(record.doi) if record.doi else None),
        ("pmid", escape_latex(record.pmid) if record.pmid else None),
        ("issn", escape_latex(record.issn) if record.issn else None),
        ("abstract", escape_latex(record.abstract) if record.abstract else None),
        ("keywords", _keywords(record.keywords) if record.keywords else None),
        ("language", escape_latex(record.language) if record.language else None),
        ("url", _escape_verbatim(record.url) if record.url else None),
    ]
    # An empty value stands for "none": the reader would otherwise take the key or the entry type.
    if not type_is_kind:
        fields.append((PUBLICATION_TYPE_FIELD, escape_latex(record.publication_type or "")))
    if not key_is_source_id:
        fields.append((SOURCE_ID_FIELD, escape_latex(record.source_record_id or "")))
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields if value is not None)
    return f"@{entry_type}{{{key},\n{body}}}\n"


@register_writer
class BibtexWriter(Writer):
    name = "bibtex"
    description = "BibTeX (.bib) for LaTeX, Zotero, JabRef, Mendeley"
    extension = ".bib"

    def write(self, items: Iterable[ExportItem], handle: TextIO) -> int:
        keys = _KeyMaker()
        count = 0
        for item in items:
            key, key_is_source_id = keys.key(item.record)
            handle.write(("\n" if count else "") + entry_text(item, key, key_is_source_id))
            count += 1
        return count
