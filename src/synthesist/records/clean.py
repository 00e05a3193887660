"""Light cleaning applied by every importer, so the same record reads the same from any format.

This is *not* deduplication normalisation (lower-casing, diacritics...): it only removes what is
clearly packaging (URL prefixes of DOIs, runs of white space, the ``NA`` an R script writes for a
missing value, character references a web page left in the text) and keeps the source's spelling.

Placeholders: a whole value that only says "missing" (``NA``, ``N/A``, ``NULL``, ``-``,
``[No abstract available]``...) reads as missing in every field, since no real title, journal, page,
volume, DOI or year is spelt that way. Only whole values: "Na" the family name and "NA" inside a
keyword list are untouched.

Entities: text formats (CSV, RIS, MEDLINE, BibTeX) carry what the database's web page had, so a
Scopus abstract may hold ``&lt;`` for ``<``. Readers of those formats pass ``entities=True`` and the
references are decoded exactly once (``&amp;lt;`` becomes the text ``&lt;``). XML readers must not:
their parser has already decoded once.

Markup: the same web pages leave HTML and JATS tags in titles and abstracts (Europe PMC's
``<h4>Background</h4>``, ``(<i>P</i> = 0.05)``, Crossref's ``<jats:p>``). With ``entities=True`` the tags
of a short list of formatting elements are removed before the references are decoded, so a real
``p<0.05`` or a decoded ``&lt;i&gt;`` is never taken for a tag.
"""

from __future__ import annotations

import html
import re

__all__ = [
    "clean_doi",
    "clean_pmid",
    "clean_text",
    "decode_entities",
    "is_placeholder",
    "is_valid_doi",
    "is_valid_pmid",
    "parse_year",
    "remove_controls",
    "split_keywords",
    "strip_markup",
]

# Case matters for the short ones: "NA" is R's missing value, "Na" a Korean family name.
_PLACEHOLDERS = frozenset(
    {"NA", "N/A", "n/a", "N/a", "N.A.", "n.a.", "#N/A", "NULL", "null", "Null", "NaN", "nan", "NONE"}
    | {"-", "--", "---", "–", "—", "?", "."}
)
# Long placeholders, compared in lower case without brackets and a final full stop:
# "[No abstract available]" (Scopus, Embase), "[Not Available]." (PubMed), "No title available".
_PLACEHOLDER_PHRASES = frozenset(
    {
        "no abstract available",
        "no abstract",
        "abstract not available",
        "abstract unavailable",
        "not available",
        "no title available",
        "title not available",
        "no title",
    }
)
_PHRASE_STARTS = frozenset("[(" + "".join({phrase[0] for phrase in _PLACEHOLDER_PHRASES}).upper())
_PHRASE_STARTS |= {letter.lower() for letter in _PHRASE_STARTS}
# Only complete references (with the ";"): html.unescape alone would also read "&para" in
# "&paragraph" or "&not" in "R&notation" as the HTML5 legacy entities ¶ and ¬.
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")

# Formatting elements only (inline and block), with their JATS/MathML prefixes; anything else that looks
# like a tag is left alone, since "<" in an abstract is far more often a comparison than markup.
_MARKUP = re.compile(
    r"</?(?:jats:|mml:)?(?:i|b|u|em|strong|sup|sub|sc|italic|bold|small|span|font|a|p|br|hr|div|"
    r"h[1-6]|ul|ol|li|title|sec|abstract|list|list-item|inline-formula|break)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
_BLOCK_MARKUP = re.compile(r"</?(?:jats:)?(?:p|br|hr|div|h[1-6]|li|title|sec|break)\b", re.IGNORECASE)

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*|doi\s+)", re.IGNORECASE)
_DOI_SHAPE = re.compile(r"10\.\d{4,9}/\S+")
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d|21\d\d)(?!\d)")
_PMID = re.compile(r"^\s*(?:PMID:?\s*)?(\d{1,9})\b")
# What importers accept as an identifier (see is_valid_doi / is_valid_pmid); anything else is not one.
_VALID_PMID = re.compile(r"[1-9]\d{0,8}")
_VALID_DOI = re.compile(r"10\.\d+(?:\.\d+)*/\S+")


def is_placeholder(value: str) -> bool:
    """Whether a whole (white-space collapsed) value only says that the value is missing."""
    if len(value) > 40:
        return False  # every importer asks this of every value: the cheap tests first
    if value in _PLACEHOLDERS:
        return True
    if value[:1] not in _PHRASE_STARTS:
        return False
    return value.strip("[]().").strip().lower() in _PLACEHOLDER_PHRASES


def decode_entities(text: str) -> str:
    """Decode HTML/XML character references and named entities once: ``&amp;lt;`` -> ``&lt;``."""
    if "&" not in text:
        return text
    return _ENTITY.sub(lambda match: html.unescape(match.group(0)), text)


def strip_markup(text: str) -> str:
    """Remove HTML/JATS formatting tags: block elements leave a space, inline ones nothing."""
    if "<" not in text:
        return text
    return _MARKUP.sub(lambda match: " " if _BLOCK_MARKUP.match(match.group(0)) else "", text)


# Terminal control: a title holding "ESC ] 0 ; ... BEL" would retitle the terminal that prints it and
# "ESC [31m" recolour it. Whole escape sequences go (string commands OSC/DCS/APC/PM/SOS up to their
# terminator, CSI with its parameters, other two-character escapes), in their 7- and 8-bit forms; then
# any control character left: C0 except tab and newline, DEL and C1. A carriage return is a line
# break (Windows' CR LF, old Macs' CR); others that separate text (form feed, NEL...) become a space,
# not nothing, so the words on either side stay apart. A string command without its terminator loses
# only its introducer, so a stray "ESC ]" cannot swallow the rest of an abstract.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"
    r"|(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]"
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def remove_controls(text: str) -> str:
    """``text`` without terminal escape sequences and control characters (tab and newline stay)."""
    if _CONTROL.search(text) is None:
        return text  # nearly every value: one scan, no copy
    text = _ESCAPE_SEQUENCE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub(lambda match: " " if match.group(0).isspace() else "", text)


def _collapse(value: str) -> str:
    # str.split() with no argument splits on every Unicode space, like \s+, at a fifth of the cost
    return " ".join(value.split())


def clean_text(value: str | None, *, entities: bool = False) -> str | None:
    """Collapse white space; ``None`` for an empty value or a placeholder (``NA``, ``N/A``...).

    ``entities=True`` also removes formatting tags and decodes character references once (text
    formats only, see above).
    """
    if value is None:
        return None
    # after decoding: "&#27;" is an ESC too
    text = _collapse(remove_controls(decode_entities(strip_markup(value)) if entities else value))
    if not text or is_placeholder(text):
        return None
    return text


def clean_doi(value: str | None) -> str | None:
    """``https://doi.org/10.1/ABC`` -> ``10.1/ABC``; keeps case (DOIs are case-insensitive)."""
    text = clean_text(value)
    if text is None:
        return None
    text = _DOI_PREFIX.sub("", text).strip()
    match = _DOI_SHAPE.search(text)
    if match:
        return match.group(0).rstrip(".,;")
    return text if text and not is_placeholder(text) else None


def clean_pmid(value: str | None) -> str | None:
    """``PMID: 12345 [Indexed for MEDLINE]`` -> ``12345``."""
    if value is None:
        return None
    match = _PMID.match(value)
    return match.group(1) if match else clean_text(value)


def is_valid_pmid(value: str) -> bool:
    """A PubMed id: digits only, no leading zero (PubMed has none), at most nine."""
    return _VALID_PMID.fullmatch(value) is not None


def is_valid_doi(value: str) -> bool:
    """The DOI shape ``10.<registrant>/<suffix>``: the prefix digits, a slash, a suffix without spaces."""
    return _VALID_DOI.fullmatch(value) is not None


def parse_year(value: str | int | None) -> int | None:
    """The first plausible four-digit year in ``2010///``, ``2010 Mar``, ``Spring 2009``..."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    match = _YEAR.search(value)
    return int(match.group(1)) if match else None


def split_keywords(values: list[str], separators: str = ";", *, entities: bool = False) -> list[str]:
    """Split keyword fields that hold several terms, drop blanks, keep order and duplicates out.

    ``entities=True`` decodes character references first (so ``&amp;`` is not split at its ``;``).
    """
    seen: set[str] = set()
    result: list[str] = []
    pattern = re.compile("[" + re.escape(separators) + "]")
    for value in values:
        value = decode_entities(value) if entities else value
        if clean_text(value) is None:
            continue  # the whole cell is a placeholder; a term "NA" inside a list is a keyword
        for part in pattern.split(value):
            term = _collapse(part)
            if term and term not in seen:
                seen.add(term)
                result.append(term)
    return result
