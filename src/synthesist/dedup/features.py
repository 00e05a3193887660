"""A record's fingerprint: its normalised fields and what kind of publication it is. Pure.

The kind flags feed the guards against false merges: an erratum, a comment or reply, a conference
abstract, a trial registration or a preprint can share its title with the article it belongs to and
still be a different record.
"""

from __future__ import annotations

import dataclasses
import html
import re
from dataclasses import dataclass

from synthesist.dedup.normalize import (
    author_keys,
    clean_title,
    compact,
    fold,
    journal_tokens,
    name_tokens,
    normalize_doi,
    normalize_pmid,
    page_range,
    page_starts,
    title_numbers,
    volume_key,
)
from synthesist.records.clean import is_placeholder
from synthesist.records.model import Record

__all__ = ["RAW_TAGS", "Fingerprint", "fingerprint", "registration_ids"]

# Patterns on the title as written (lower case, markup gone), because the colon matters: "Correction:
# ..." is an erratum, "Correction of hallux valgus" is surgery.
_ERRATUM = re.compile(
    r"^\W*(?:erratum|errata|corrigendum|corrigenda|correction|corrections|retraction|retracted|"
    r"notice of retraction|expression of concern|withdrawn|withdrawal|publisher'?s note|addendum)"
    r"(?:\s+(?:to|notice|of|for|in))?\s*[:.\-\u2013\[]"
    r"|\b(?:erratum|errata|corrigendum|corrigenda|retraction notice)\b"
)
# Web of Science and Embase name an erratum by the article's title followed by its citation.
_ERRATUM_CITATION = re.compile(r"\((?:vol\.? \d+, pg \d+, \d{4}|[^()]*\(\d{4}\)[^()]*\([^()]*\))\)\s*$", re.I)
_COMMENT = re.compile(
    r"^\W*(?:re|comments?|commentary|reply|in reply|response|authors?'? (?:reply|response)|"
    r"letter|rejoinder|invited commentary|editorial comment)\b[^:]{0,25}:"
    r"|^\W*(?:comments? on|commentary on|reply to|response to)\b"
    r"|\b(?:commentary on|in reply to|reply to|letter to the editor|authors?'? reply|letter regarding)\b"
    r"|[-\u2013\u2014:.]\s*(?:reply|authors?'? reply|authors?'? response)\W*$"
)
# Publication types; only compared when both records have one, as databases label differently.
_COMMENT_TYPES = re.compile(r"\b(?:comment|letter|editorial|reply|correspondence)\b")
_ERRATUM_TYPES = re.compile(r"\b(?:erratum|published erratum|correction|retraction|corrigendum)\b")
_CONFERENCE_VENUE = re.compile(r"\b(?:abstracts|congress|conference|meeting|symposium|annual scientific)\b")
# RIS type codes say it too: ABST (abstract), CONF (proceedings), CPAPER (conference paper).
_CONFERENCE_TYPES = re.compile(
    r"\b(?:conference|meeting|congress|proceedings|inproceedings|abstract|abst|conf|cpaper)\b"
)
_REGISTRY_NAMES = re.compile(
    r"\b(?:clinicaltrials gov|clinical trials gov|ictrp|isrctn|trial regist\w*|trials register|chictr|"
    r"anzctr|ctri|euctr|eu clinical trials|drks|irct|umin|jprn|pactr|registry record)\b"
)
_REGISTRATION_ID = re.compile(
    r"\b(NCT\d{8}|ISRCTN\d{8}|ACTRN\d{14}|ChiCTR[-A-Z]*\d{6,}|CTRI/\d{4}/\d+/\d+|DRKS\d{8}|"
    r"EUCTR\d{4}-\d{6}-\d{2}|IRCT\d{6,}N?\d*|JPRN-[A-Z]+\d+|NTR\d{3,}|NL\d{4,}|KCT\d{7}|PACTR\d{12,}|"
    r"TCTR\d{11}|UMIN\d{9}|CRD\d{11})\b",
    re.IGNORECASE,
)
_PREPRINT_NAMES = re.compile(
    r"\b(?:medrxiv|biorxiv|arxiv|ssrn|research square|researchsquare|psyarxiv|socarxiv|osf preprints|"
    r"preprints org|preprint|chemrxiv|authorea|jmir preprints|sciety|europe pmc preprint|qeios)\b"
)
# DOI prefixes of preprint servers: bioRxiv/medRxiv, Research Square, SSRN, arXiv, OSF, Preprints.org.
_PREPRINT_DOIS = ("10.1101/", "10.21203/", "10.2139/ssrn", "10.48550/", "10.31234/", "10.31219/",
                  "10.31235/", "10.20944/preprints", "10.22541/", "10.26434/")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What the matcher compares. ``title`` is normalised words; ``title_key`` the same without spaces."""

    record_id: int
    title: str
    title_key: str
    title_words: int
    title_parts: tuple[str, ...]  # the parts of a parallel title ("Titulo; Title"), as title keys
    latin_title: bool  # False for a title in Cyrillic, Chinese...: its translation shares no letters
    numbers: frozenset[str]
    authors: tuple[str, ...]
    name_tokens: frozenset[str]
    year: int | None
    journal: tuple[str, ...]
    volume: str | None
    issue: str | None
    pages: tuple[str, str] | None
    page_starts: frozenset[str]  # first page of every range ("230-5, 246-51")
    doi: str | None
    pmid: str | None
    erratum: bool
    comment: bool  # by its title ("Comment on: ...", "Reply to ...")
    comment_type: bool | None  # by its publication type; None when the record has none
    conference: bool
    registration: bool
    registration_ids: frozenset[str]
    preprint: bool


# Raw fields that say what kind of publication a record is, or where it appeared, in the formats that
# have them (BibTeX entry type and booktitle, RIS M3, MEDLINE PT).
_KIND_TAGS = frozenset({"entrytype", "m3", "pt", "type"})
_VENUE_TAGS = frozenset({"booktitle", "bt"})
RAW_TAGS: frozenset[str] = _KIND_TAGS | _VENUE_TAGS
"""The raw fields :func:`fingerprint` reads (lower case); storage may leave out the others."""


def _raw_kind_and_venue(record: Record) -> tuple[str, str]:
    kinds: list[str] = []
    venues: list[str] = []
    for key, values in record.raw.items():
        lowered = key.casefold()
        if lowered in _KIND_TAGS:
            kinds.extend(values)
        elif lowered in _VENUE_TAGS:
            venues.extend(values)
    return " ".join(kinds), " ".join(venues)


def registration_ids(*texts: str | None) -> frozenset[str]:
    found: set[str] = set()
    for text in texts:
        if text:
            found.update(match.upper() for match in _REGISTRATION_ID.findall(text))
    return frozenset(found)


_NON_LATIN_LETTER = re.compile(r"[^\W\da-z_]")


def _is_latin(title: str) -> bool:
    """Whether a (folded) title is mostly in Latin letters; folding already turned "é" into "e"."""
    if title.isascii():
        return True
    letters = sum(ch.isalpha() for ch in title)
    return len(_NON_LATIN_LETTER.findall(title)) * 2 <= letters


def completeness(record: Record) -> float:
    """How complete a record is, to choose a group's primary: filled fields, with the ones screening
    and reporting need most (abstract, DOI, authors) counting extra."""
    filled = sum(
        1
        for value in (record.title, record.year, record.journal, record.volume, record.issue,
                      record.pages, record.doi, record.pmid, record.issn, record.language, record.url)
        if value not in (None, "")
    )  # fmt: skip
    score = float(filled)
    if record.abstract:
        score += 3 + min(len(record.abstract), 3000) / 3000
    if record.doi:
        score += 1
    score += min(len(record.authors), 10) / 5 + min(len(record.keywords), 10) / 10
    return score


# Substrings without which the title patterns cannot match: testing for them first skips the
# regular expressions for almost every title (a run fingerprints every record of the project).
_ERRATUM_HINTS = re.compile("errat|corrig|correct|retract|withdraw|concern|addend|publisher")
_COMMENT_HINTS = re.compile(":|comment|reply|letter|response")
_REGISTRY_HINTS = re.compile("trial|isrctn|ictrp|chictr|anzctr|ctri|euctr|drks|irct|umin|jprn|pactr|regist")
_PREPRINT_HINTS = re.compile("rxiv|ssrn|research ?square|preprint|osf|authorea|qeios")


def _title_parts(written_title: str) -> tuple[str, ...]:
    """LILACS, SciELO and some Embase records give the title in two languages, "; " or " = " apart."""
    if "; " not in written_title and " = " not in written_title:
        return ()
    parts = (compact(fold(part)) for part in re.split(r"; | = ", written_title))
    return tuple(part for part in parts if len(part) >= 20)


def _title_kinds(record: Record, written_title: str) -> tuple[bool, bool]:
    """(erratum, comment) as the title says."""
    erratum = bool(_ERRATUM_HINTS.search(written_title)) and bool(_ERRATUM.search(written_title))
    if not erratum and record.title and record.title.rstrip(" .").endswith(")"):
        erratum = bool(_ERRATUM_CITATION.search(html.unescape(record.title)))
    comment = bool(_COMMENT_HINTS.search(written_title)) and bool(_COMMENT.search(written_title))
    return erratum, comment


# The fields a placeholder may stand in (the title too: "[No title available]").
_PLACEHOLDER_FIELDS = (
    "title", "journal", "volume", "issue", "pages", "doi", "url", "pmid", "publication_type",
)  # fmt: skip


def _without_placeholders(record: Record) -> Record:
    """``record`` with None for each value that only says "missing" (``NA``, ``N/A``, ``-``...).
    Importers drop these already (records/clean.py); records stored before that rule, or written by
    other code, may still hold one, and a journal called "NA" must not tell two records apart. The
    record itself when it has none (nearly always: no copy on the hot path)."""
    missing = [
        name
        for name in _PLACEHOLDER_FIELDS
        if (value := getattr(record, name)) is not None and is_placeholder(value.strip())
    ]
    if not missing:
        return record
    cleaned = dataclasses.replace(record)  # a copy: the caller's record is left as it is
    for name in missing:
        setattr(cleaned, name, None)
    return cleaned


def fingerprint(record_id: int, record: Record) -> Fingerprint:
    record = _without_placeholders(record)
    written_title = clean_title(record.title).casefold()
    title = fold(written_title)
    title_erratum, title_comment = _title_kinds(record, written_title)
    doi = normalize_doi(record.doi) or normalize_doi(record.url)
    raw_kinds, raw_venues = _raw_kind_and_venue(record)
    kinds = fold(" ".join(filter(None, [record.publication_type, raw_kinds])))
    venue = fold(" ".join(filter(None, [record.journal, raw_venues])))
    authors = author_keys(record.authors)
    where = " ".join(
        filter(None, [venue, (record.url or "").casefold(), (record.source_record_id or "").casefold()])
    )
    registration = "trial registry" in kinds or (
        bool(_REGISTRY_HINTS.search(where)) and bool(_REGISTRY_NAMES.search(fold(where)))
    )
    own_ids = (
        registration_ids(record.source_record_id, record.url, record.title) if registration else frozenset()
    )
    preprint = bool(doi and doi.startswith(_PREPRINT_DOIS)) or (
        bool(_PREPRINT_HINTS.search(venue)) and bool(_PREPRINT_NAMES.search(venue))
    )
    return Fingerprint(
        record_id=record_id,
        title=title,
        title_key=compact(title),
        title_words=title.count(" ") + 1 if title else 0,
        title_parts=_title_parts(written_title),
        latin_title=_is_latin(title),
        numbers=title_numbers(title),
        authors=authors,
        name_tokens=name_tokens(record.authors, authors),
        year=record.year,
        journal=journal_tokens(record.journal),
        volume=volume_key(record.volume),
        issue=volume_key(record.issue),
        pages=page_range(record.pages),
        page_starts=page_starts(record.pages),
        doi=doi,
        pmid=normalize_pmid(record.pmid),
        erratum=title_erratum or (bool(kinds) and bool(_ERRATUM_TYPES.search(kinds))),
        comment=title_comment,
        comment_type=bool(_COMMENT_TYPES.search(kinds)) if kinds else None,
        conference=(bool(kinds) and bool(_CONFERENCE_TYPES.search(kinds)))
        or (bool(venue) and bool(_CONFERENCE_VENUE.search(venue))),
        registration=registration,
        registration_ids=own_ids,
        preprint=preprint,
    )
