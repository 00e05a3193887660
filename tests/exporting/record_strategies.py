"""Hypothesis strategies for canonical records, shared by the writer -> reader round-trip tests.

Generated values are what a stored record can hold: every text is already cleaned (``clean_text``
is a no-op on it), DOIs are in the shape ``clean_doi`` keeps, years are four-digit years
``parse_year`` recognises. Each test narrows a strategy only where its format cannot carry a value,
and says why.
"""

from __future__ import annotations

import string

from hypothesis import strategies as st

from synthesist.records.clean import clean_text, is_placeholder
from synthesist.records.model import Author, Record

# Letters from several scripts, digits, punctuation (LaTeX specials, quotes, braces, semicolons,
# commas, dashes) and spaces; no control characters or newlines (clean_text removes those).
_ALPHABET = st.sampled_from(
    list(string.ascii_letters + string.digits + " .,;:!?'\"()[]{}<>/\\-_&%$#~^@*+=|`")
    + list("ÖöÜüÄäßØøÅåÉéÈèÇçÑñŁłŽžŠšĆćŒœÆæ")
    + list("–—’“”«»°±×µ")
    + list("αβγΔΩ日本語한국어ä̈")
)


def _clean(value: str) -> str | None:
    return clean_text(value)


def text(
    min_size: int = 1, max_size: int = 60, alphabet: st.SearchStrategy[str] = _ALPHABET
) -> st.SearchStrategy[str]:
    return (
        st.text(alphabet=alphabet, min_size=min_size, max_size=max_size)
        .map(_clean)
        .filter(lambda value: value is not None)
        .map(lambda value: str(value))
        # "{N}ull" is clean text, but BibTeX reads it back as "Null", a placeholder (read as missing)
        .filter(lambda value: not is_placeholder(value.replace("{", "").replace("}", "")))
    )


_PARTICLES = st.sampled_from(["", "van ", "van der ", "de la ", "von ", "Mac", "O'", "d'", "ben "])
_FAMILY_CORE = st.sampled_from(
    [
        "Cooper",
        "Smith",
        "Östlund",
        "Müller",
        "Łukasz",
        "Slade",
        "Matthias",
        "MacKichan",
        "Jeffrey",
        "Foster",
        "García-Pérez",
        "Nguyễn",
        "Ó Súilleabháin",
        "Smith Jr.",
        "Brönte",
    ]
)
_GIVEN = st.sampled_from(
    [
        "",
        "Kay",
        "Blair H.",
        "B.H.",
        "K",
        "BH",
        "Gunnel",
        "Jürgen",
        "Łukasz",
        "Marianne S.",
        "Jean-Luc",
        "Ana María",
        "J. R. R.",
    ]
)


@st.composite
def persons(draw: st.DrawFn, free_text: bool = True) -> Author:
    if free_text and draw(st.booleans()):
        family = draw(text(max_size=25))
        given = draw(st.one_of(st.just(""), text(max_size=20)))
    else:
        family = draw(_PARTICLES) + draw(_FAMILY_CORE)
        given = draw(_GIVEN)
    return Author(family=family, given=given)


def organisations(free_text: bool = True) -> st.SearchStrategy[Author]:
    names = st.one_of(
        st.sampled_from(
            ["World Health Organization", "Cochrane Back and Neck Group", "NICE", "UK BEAM Trial Team"]
        ),
        text(max_size=40) if free_text else st.nothing(),
    )
    return names.map(lambda name: Author(family=name, organisation=True))


def authors(free_text: bool = True) -> st.SearchStrategy[list[Author]]:
    return st.lists(st.one_of(persons(free_text), organisations(free_text)), max_size=5)


def dois() -> st.SearchStrategy[str]:
    suffix = st.text(alphabet=string.ascii_letters + string.digits + "./-_();:<>[]", min_size=1, max_size=30)
    return st.builds(
        lambda prefix, tail: f"10.{prefix}/{tail}",
        st.integers(1000, 999999),
        suffix.filter(lambda tail: tail[-1] not in ".,;"),
    )


_SAMPLE_PAGES = st.sampled_from(["244-252", "e1234", "S12-S19", "126-35"])
_PUBLICATION_TYPES = st.sampled_from(["article", "Journal Article", "Review", "book", "JOUR"])
_URLS = st.sampled_from(
    ["https://doi.org/10.1016/j.physio.2007.10.006", "http://x.org/a_b?c=1&d=%20", "https://x.org/{id}"]
)


def optional(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str | None]:
    return st.one_of(st.none(), strategy)


@st.composite
def records(
    draw: st.DrawFn,
    texts: st.SearchStrategy[str] | None = None,
    author_lists: st.SearchStrategy[list[Author]] | None = None,
    keyword: st.SearchStrategy[str] | None = None,
    pages: st.SearchStrategy[str] | None = None,
    publication_types: st.SearchStrategy[str] | None = None,
    source_ids: st.SearchStrategy[str] | None = None,
) -> Record:
    texts = texts if texts is not None else text()
    record = Record(
        title=draw(optional(texts)),
        authors=draw(author_lists if author_lists is not None else authors()),
        year=draw(st.one_of(st.none(), st.integers(1800, 2100))),
        journal=draw(optional(texts)),
        volume=draw(optional(st.one_of(st.integers(1, 500).map(str), texts))),
        issue=draw(optional(st.one_of(st.integers(1, 12).map(str), texts))),
        pages=draw(optional(pages if pages is not None else st.one_of(_SAMPLE_PAGES, texts))),
        doi=draw(optional(dois())),
        pmid=draw(optional(st.integers(1, 99999999).map(str))),
        issn=draw(optional(st.sampled_from(["0031-9406", "1358-2267", "1471-2474", "00319406"]))),
        abstract=draw(optional(text(max_size=300) if texts is None else texts)),
        keywords=draw(st.lists(keyword if keyword is not None else texts, max_size=5, unique=True)),
        language=draw(optional(st.sampled_from(["English", "eng", "en", "Deutsch", "Français"]))),
        publication_type=draw(
            optional(publication_types if publication_types is not None else _PUBLICATION_TYPES)
        ),
        url=draw(optional(_URLS)),
        source_record_id=draw(optional(source_ids if source_ids is not None else texts)),
    )
    # A record with nothing to identify it is rejected by every reader by design.
    if not (record.title or record.authors or record.doi or record.pmid):
        record.title = "Untitled record"
    return record
