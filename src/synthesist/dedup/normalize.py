"""Normalising the fields that decide whether two records are the same publication. Pure functions.

Database exports of one article differ in predictable ways: DOIs as URLs or in upper case, titles
with HTML markup, entities, diacritics, a trailing period or a bracketed language note, authors as
``Smith, J. A.`` or ``Smith JA`` or ``Smith, John A.``, journals abbreviated (``J Adv Nurs``) or
spelt out, and pages as ``288-97``. Each function here maps those variants onto one form.

Written here rather than taken from a library: the closest ones (bib-dedupe's preparation step,
ASySD's R code) are tied to their own record shapes, and these few functions are the part we most
need to be able to read and test one by one.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

from synthesist.records.model import Author, is_initials

__all__ = [
    "author_keys",
    "clean_title",
    "compact",
    "fold",
    "journal_tokens",
    "journals_match",
    "name_tokens",
    "normalize_doi",
    "normalize_pmid",
    "normalize_title",
    "page_range",
    "page_starts",
    "pages_agree",
    "title_numbers",
    "volume_key",
]

_DOI = re.compile(r"10\.\d{4,9}/\S+", re.IGNORECASE)
# Markup only: a tag starts with a letter, so "aged <65 years and >80 years" keeps its words.
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]{0,40})?/?>")
# Notes that exports append to a title, only at its end: a language ("[Chinese]", "[Article in
# German]"), an erratum or comment notice ("[Erratum appears in ...]", often cut off before its closing
# bracket), "[Review] [45 refs]", "(Provisional abstract)" (DARE), "(author's transl)", footnote
# marks ("[1]"), "(multiple letters)"; and the citation that Web of Science and Embase put after the
# title of an erratum: "(vol 142, pg 310, 2003)", "(New England Journal of Medicine (2009) 360 (542-544))".
_LANGUAGES = (
    "afrikaans|arabic|bulgarian|catalan|chinese|croatian|czech|danish|dutch|english|estonian|finnish|"
    "french|german|greek|hebrew|hungarian|icelandic|indonesian|italian|japanese|korean|latvian|"
    "lithuanian|malay|norwegian|persian|polish|portuguese|romanian|russian|serbian|slovak|slovenian|"
    "spanish|swedish|thai|turkish|ukrainian|vietnamese"
)
_TRAILING_NOTE = re.compile(
    r"\s*(?:"
    r"\[(?:erratum|published erratum|retraction|retracted|comment|see|note|update|corrected|"
    r"expression of concern)\b.*"
    rf"|[\[(](?:(?:article|text) in [^\])]*|(?:{_LANGUAGES})(?:,? (?:and )?(?:{_LANGUAGES}))*(?: abstract)?|"
    r"author'?s transl|\d+ refs?|\d{1,2}|review|editorial|letter|in process|provisional abstract|"
    r"structured abstract|multiple letters|abstract)[\])]"
    r"|\(vol\.? \d+[^()]*\)"
    r"|\([^()]*\(\d{4}\)[^()]*\([^()]*\)\)"
    r")\.?\s*$",
    re.IGNORECASE,
)
# Embase gives the original-language title after the English one: "Title <ORIGINAL> TITRE".
_ORIGINAL_TITLE = re.compile(r"\s*<original>.*$", re.IGNORECASE | re.DOTALL)
_NON_WORD = re.compile(r"[^0-9a-z\u0370-\u03ff\u0400-\u04ff\u0590-\u06ff\u3040-\u9fff\uac00-\ud7af]+")
_SPACES = re.compile(r"\s+")
# Letters that NFKD does not decompose into an ASCII letter plus a mark.
_SPECIAL_LETTERS = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "œ": "oe", "Œ": "oe", "ł": "l", "Ł": "l",
     "đ": "d", "Đ": "d", "ð": "d", "þ": "th", "ı": "i", "&": " and "}
)  # fmt: skip


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case, no diacritics, ``&`` as ``and``, every run of punctuation as one space."""
    if not text.isascii():
        text = text.translate(_SPECIAL_LETTERS)
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    else:
        text = text.replace("&", " and ")
    return _SPACES.sub(" ", _NON_WORD.sub(" ", text.casefold())).strip()


def compact(text: str) -> str:
    return text.replace(" ", "")


def normalize_doi(text: str | None) -> str | None:
    """``https://doi.org/10.1000/ABC.`` -> ``10.1000/abc``; ``None`` when there is no DOI in the text."""
    if not text:
        return None
    text = text.replace("%2F", "/").replace("%2f", "/")
    match = _DOI.search(text)
    if match is None:
        return None
    return match.group(0).rstrip(".,;)]}>").casefold()


def normalize_pmid(text: str | None) -> str | None:
    if not text:
        return None
    digits = re.sub(r"\D", "", text)
    return digits.lstrip("0") or None


def clean_title(text: str | None) -> str:
    """The title as written, without markup, entities, trailing notes and the brackets MEDLINE puts
    round a translated title."""
    if not text:
        return ""
    # The checks before each step skip the regular expressions for the many titles that need none.
    if "&" in text:
        text = html.unescape(html.unescape(text))  # some exports escape twice: &amp;amp;
    if "<" in text:
        text = _TAG.sub("", _ORIGINAL_TITLE.sub("", text))
    text = text.strip().strip('"').strip()
    if "[" in text or text.rstrip(". ").endswith(")"):
        for _ in range(3):  # "Title. [Review] [45 refs] [Erratum in: ...]"
            text = _TRAILING_NOTE.sub("", text)
        text = text.strip()
    if text.startswith("[") and text.rstrip(".").endswith("]"):
        text = text.rstrip(".")[1:-1]
    return text


def normalize_title(text: str | None) -> str:
    """The title reduced to lower-case words (:func:`clean_title`, then :func:`fold`)."""
    return fold(clean_title(text))


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
_SERIES_WORD = r"(?:part|phase|paper|section|chapter|volume|vol|no|number|study|trial|series|report)"
_SERIES_ROMAN = re.compile(rf"\b{_SERIES_WORD} (i{{1,3}}|iv|v|vi{{0,3}}|ix|x)\b")
_THOUSANDS = re.compile(r"(?<=\d) (?=\d{3}\b)")
_NUMBER = re.compile(r"\d+")  # "HPV16" carries 16 just as "HPV 16" does


def title_numbers(normalized_title: str) -> frozenset[str]:
    """The numbers in a (normalised) title, with ``part II`` read as 2: "Part 1" and "Part 2" of a
    series share every other word, and the numbers are what tells them apart."""
    normalized_title = _THOUSANDS.sub("", normalized_title)  # "10 000 women" is "10000 women"
    numbers = {match.lstrip("0") or "0" for match in _NUMBER.findall(normalized_title)}
    numbers.update(str(_ROMAN[match]) for match in _SERIES_ROMAN.findall(normalized_title))
    return frozenset(numbers)


_PAGES = re.compile(r"^\s*(?:pp?\.?\s*)?([a-z]{0,2})(\d+)(?:\s*[-\u2010-\u2015]+\s*([a-z]{0,2})(\d+))?", re.I)


def page_range(text: str | None) -> tuple[str, str] | None:
    """``288-97`` -> ``("288", "297")``; ``e1234`` -> ``("e1234", "e1234")``; ``S12-S15`` kept with the ``s``.

    The end page is expanded from its abbreviated form, so "288-97" and "288-297" compare equal.
    What does not start like a page ("Suppl-29", "Pt-8": damaged exports) gives ``None``.
    """
    if not text or _MONTH.search(text):
        return None  # "01-Jun": a spreadsheet took "1-6" for a date
    match = _PAGES.match(text.casefold().lstrip(" \"'(["))
    if match is None:
        return None
    prefix, first, end_prefix, last = match.groups()
    start = prefix + (first.lstrip("0") or "0")
    if last is None:
        return start, start
    end = last.lstrip("0") or "0"
    digits = first.lstrip("0") or "0"
    if len(end) < len(digits):
        end = digits[: len(digits) - len(end)] + end
    return start, (end_prefix or prefix) + end


_MONTH = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\b", re.IGNORECASE)
_RANGE_SEPARATOR = re.compile(r"[,;+&]| and ")


def page_starts(text: str | None) -> frozenset[str]:
    """The first page of every range in ``text`` ("233-238+230-235" -> {"233", "230"})."""
    if not text or _MONTH.search(text):
        return frozenset()
    starts = (page_range(part) for part in _RANGE_SEPARATOR.split(text))
    return frozenset(found[0] for found in starts if found is not None)


def pages_agree(first: tuple[str, str] | None, second: tuple[str, str] | None) -> bool | None:
    """Whether two page ranges are the same article's: ``None`` when it cannot be told.

    "c37-c42" and "37-42" agree (a letter prefix some journals use); an article number ("e12724",
    BMJ's "a1754") cannot be compared with a page range; a range that shares its last page with the
    other ("488" for "487-488", a typo in "2297-2108" for "2097-2108") is not taken as a difference.
    """
    if first is None or second is None:
        return None
    if first[0] == second[0]:
        return True
    a, b = first[0].lstrip(_LETTERS), second[0].lstrip(_LETTERS)
    if a == b:
        return True
    if _article_number(first[0]) != _article_number(second[0]):
        return None
    if first[1] == second[1] or first[0] == second[1] or first[1] == second[0]:
        return None
    return False


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _article_number(page: str) -> bool:
    """``e12724`` (PLoS), ``a1754`` (BMJ), ``CD006828`` (Cochrane): an article number, not a page."""
    return (page[:1] in ("e", "a", "c") and len(page.lstrip(_LETTERS)) >= 4) or page.startswith("cd")


def volume_key(text: str | None) -> str | None:
    """``Vol. 30A`` -> ``30a``; the part that identifies the volume (or the issue)."""
    if not text:
        return None
    folded = compact(fold(text)).removeprefix("volume").removeprefix("vol")
    if not any(ch.isdigit() for ch in folded):
        return None  # "(Jul)", "Suppl": not a volume number
    # one supplement however a database spells it: "Suppl 1", "Supplement 1", "Supp. 1", "S1"
    folded = _SUPPLEMENT.sub("s", folded)
    return folded.lstrip("0") or None


_SUPPLEMENT = re.compile(r"^(?:supplement|suppl|supp)")


# Words journal abbreviations leave out (ISO 4 drops articles, prepositions and conjunctions).
# Words journal abbreviations leave out; "d" and "l" are what is left of an elided article
# ("Annales d'Anesthesie").
_JOURNAL_STOPWORDS = frozenset(
    "a an and the of for in on at to de des du la le les der die das und fur et y e d l".split()  # noqa: SIM905
)
# The publisher's note after a colon ("Cancer epidemiology, biomarkers & prevention : a publication
# of the ...") and the place in parentheses ("Oncology (Williston Park, N.Y.)") are not the name.
# Embase appends the meeting ("Pediatric Nephrology.Conference: 44th Annual..."), MEDLINE a medium
# ("PLoS ONE [Electronic Resource]").
_JOURNAL_NOTE = re.compile(r"\s:\s.*$|\.?\s*conference:.*$|\([^)]*\)|\[[^\]]*\]", re.IGNORECASE)


@lru_cache(maxsize=16384)
def journal_tokens(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    text = _JOURNAL_NOTE.sub(" ", html.unescape(text).strip().strip('"'))
    return tuple(word for word in fold(text).split() if word not in _JOURNAL_STOPWORDS)


def _abbreviates(short: str, full: str) -> bool:
    """``nurs`` abbreviates ``nursing``, ``natl`` abbreviates ``national``: same first letter, and the
    abbreviation's letters appear in order in the full word."""
    if short == full:
        return True
    if not short or not full or short[0] != full[0] or len(short) > len(full):
        return False
    position = 0
    for letter in short:
        position = full.find(letter, position)
        if position < 0:
            return False
        position += 1
    return True


@lru_cache(maxsize=65536)
def journals_match(first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    """Whether two journal names (as :func:`journal_tokens`) name the same journal.

    True when they are equal or when one abbreviates the other word by word (``j adv nurs`` /
    ``journal advanced nursing``). A name that is the start of another is a different journal
    ("JAMA" / "JAMA Surgery", "Cancer Biology" / "Cancer Biology and Therapy").
    """
    if not first or not second:
        return False
    if first == second:
        return True
    short, full = (first, second) if len(first) <= len(second) else (second, first)
    return len(short) == len(full) and all(
        _abbreviates(a, b) or _abbreviates(b, a) for a, b in zip(short, full, strict=True)
    )


_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "2nd", "3rd", "4th"})
_PARTICLES = frozenset(
    {"de", "da", "del", "della", "di", "du", "van", "von", "der", "den", "le", "la", "ten"}
)


_NOT_AUTHORS = frozenset({"etal", "aletal", "others", "anonymous", "anon"})


@lru_cache(maxsize=65536)
def _family_key(family: str) -> str:
    """``De Botton`` and ``Botton`` both give ``botton``; ``O'Neill`` gives ``oneill``; a MEDLINE
    name that reached us whole ("Smith JW 2nd") gives ``smith``."""
    written = [w for w in family.split() if fold(w) not in _SUFFIXES]
    while len(written) > 1 and is_initials(written[-1]):
        written.pop()
    words = fold(" ".join(written)).split()
    while len(words) > 1 and words[0] in _PARTICLES:
        words = words[1:]
    return "".join(words)


@lru_cache(maxsize=131072)
def _author_key(family: str, given: str, organisation: bool) -> str:
    """The key of one author, or "" for no author ("et al.", "Anonymous"). Cached: a review's
    records share their authors, and a run keys every author of every record."""
    family = family.strip()
    if not family or compact(fold(f"{given} {family}")) in _NOT_AUTHORS:
        return ""  # "et al." as a name, in any of the shapes parsers give it
    if organisation:
        return compact(fold(family))
    if fold(family) in _SUFFIXES and given:
        family = given  # "Smith JW 2nd" read as given "Smith JW", family "2nd"
    key = _family_key(family)
    return "" if key in _NOT_AUTHORS else key


def author_keys(authors: list[Author]) -> tuple[str, ...]:
    """One key per author: family name folded (particles and suffixes dropped). ``et al.`` entries
    and empty names are left out, so a list truncated by one database compares with the full one."""
    return tuple(key for a in authors if (key := _author_key(a.family, a.given, a.organisation)))


@lru_cache(maxsize=131072)
def _given_token(given: str) -> str:
    """A spelt-out given name as a token ("Ching-yi" -> "chingyi"); "" for initials and suffixes."""
    # Initials and suffixes are no name: "Santos A" (a swapped "A. Santos") gives "santos".
    words = [w for w in given.replace(",", " ").split() if fold(w) not in _SUFFIXES and not is_initials(w)]
    given = " ".join(words)
    if not given:
        return ""
    key = compact(fold(given))
    return key if len(key) > 1 else ""


def name_tokens(authors: list[Author], keys: tuple[str, ...] | None = None) -> frozenset[str]:
    """Family names (``keys``, from :func:`author_keys`) and spelt-out given names: a database that
    swapped them ("Ching-yi, Wu" for "Wu, Ching-yi") still shares these tokens with the others."""
    tokens = set(author_keys(authors) if keys is None else keys)
    tokens.update(
        token for a in authors if a.given and not a.organisation and (token := _given_token(a.given))
    )
    return frozenset(tokens)
