"""Pairwise comparison of two fingerprints: **duplicate**, **possible duplicate** or **distinct**.

The rules read in order, and each verdict carries the reasons that led to it (shown in
``dedup review`` and kept with the pair):

1. Guards against false merges come first: an erratum, comment, trial registration or preprint is
   never merged with a record of another kind; "Part 1" is not "Part 2"; different PMIDs are
   different articles; one DOI with clearly different titles and pages is a shared supplement DOI.
2. A shared DOI or PMID with similar titles is a duplicate.
3. Otherwise the title decides how much else must agree: a near-identical title needs the year
   (within the tolerance for ahead-of-print) and compatible authors and pages; a merely similar one
   needs matching authors and a matching journal, volume or page; a different title (a translation)
   needs the whole citation — first author, year, journal, volume and first page — to agree.

Anything that is neither clearly the same nor clearly different is a possible duplicate, for a
reviewer to decide.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz.distance import Indel

from synthesist.dedup.features import Fingerprint
from synthesist.dedup.model import Outcome
from synthesist.dedup.normalize import journals_match, pages_agree

__all__ = ["MatchPolicy", "PreprintPolicy", "clearly_distinct", "compare"]


class PreprintPolicy(StrEnum):
    """Whether a preprint and its published version are duplicates (a protocol setting)."""

    DISTINCT = "distinct"  # two reports of one study: both stay, linked later as one study
    POSSIBLE = "possible"  # a reviewer decides each pair
    DUPLICATE = "duplicate"  # the published version is kept as the primary record


@dataclass(frozen=True, slots=True)
class MatchPolicy:
    preprints: PreprintPolicy = PreprintPolicy.DISTINCT
    year_tolerance: int = 1  # ahead-of-print records carry the year before the issue's
    auto_merge: bool = True  # False: even certain duplicates wait for a reviewer


Verdict = tuple[Outcome, float, tuple[str, ...]]


def _key_similarity(first: str, second: str) -> float:
    if first == second:
        return 1.0
    similarity = Indel.normalized_similarity(first, second)
    short, long = sorted((first, second), key=len)
    # One database cut the subtitle off: the shorter title is the start of the longer one.
    if len(short) >= 30 and long.startswith(short):
        similarity = max(similarity, 0.95)
    return similarity


def _title_similarity(a: Fingerprint, b: Fingerprint) -> float | None:
    if not a.title_key or not b.title_key:
        return None
    similarity = _key_similarity(a.title_key, b.title_key)
    if similarity < 0.9 and (a.title_parts or b.title_parts):
        # Parallel titles ("Titulo original; English title"): the best pair of parts counts.
        for first in (a.title_key, *a.title_parts):
            for second in (b.title_key, *b.title_parts):
                similarity = max(similarity, _key_similarity(first, second))
    return similarity


def _authors(a: Fingerprint, b: Fingerprint) -> str | None:
    """``match``, ``partial`` or ``conflict``; ``None`` when a record has no authors."""
    if not a.authors or not b.authors:
        return None
    first_same = (
        a.authors[0] == b.authors[0]
        or (len(a.authors[0]) > 3 and Indel.normalized_similarity(a.authors[0], b.authors[0]) >= 0.8)
        or a.authors[0] in b.name_tokens
        or b.authors[0] in a.name_tokens
    )
    shared = max(len(set(a.authors) & b.name_tokens), len(set(b.authors) & a.name_tokens))
    shorter = min(len(set(a.authors)), len(set(b.authors)))
    if first_same or shared / shorter >= 0.5:
        return "match"
    if shared or a.authors[0] in b.authors or b.authors[0] in a.authors:
        return "partial"
    return "conflict"


def _agree(first: object, second: object) -> bool | None:
    if first is None or second is None:
        return None
    return first == second


def _guard(a: Fingerprint, b: Fingerprint, policy: MatchPolicy) -> Verdict | None:
    """The false-merge guards. ``None`` when no guard applies."""
    if a.erratum != b.erratum:
        return Outcome.DISTINCT, 0.0, ("an erratum, correction or retraction is not the article it corrects",)
    if a.comment != b.comment or (
        a.comment_type is not None and b.comment_type is not None and a.comment_type != b.comment_type
    ):
        return Outcome.DISTINCT, 0.0, ("a comment, reply or letter is not the article it discusses",)
    if a.registration != b.registration:
        return Outcome.DISTINCT, 0.0, ("a trial registration is not the report of the trial",)
    if (
        a.registration
        and a.registration_ids
        and b.registration_ids
        and a.registration_ids != b.registration_ids
    ):
        return Outcome.DISTINCT, 0.0, ("different trial registration numbers",)
    if a.numbers != b.numbers and a.numbers and b.numbers and not _same_range(a, b):
        # Parts of a series do not fill the same pages of one volume; there the number is a typo.
        # (One page is not enough: a page of meeting abstracts holds several.)
        return Outcome.DISTINCT, 0.0, ("the titles carry different numbers (parts of a series?)",)
    if a.pmid and b.pmid and a.pmid != b.pmid:
        return Outcome.DISTINCT, 0.0, ("different PMIDs",)
    if a.preprint != b.preprint and policy.preprints is PreprintPolicy.DISTINCT:
        return Outcome.DISTINCT, 0.0, ("a preprint and a published version (protocol: preprints distinct)",)
    return None


def _preprint_pair(
    policy: MatchPolicy, title: float | None, authors: str | None, year_gap: int | None
) -> Verdict:
    """A preprint and a look-alike published article. Their DOIs, venues, years and pages differ by
    nature, so only the title, the authors and the time between them can say they are one work."""
    if title is not None and title >= 0.9 and authors in ("match", None) and (year_gap or 0) <= 2:
        outcome = Outcome.DUPLICATE if policy.preprints is PreprintPolicy.DUPLICATE else Outcome.POSSIBLE
        return (
            outcome,
            title,
            (f"a preprint and its published version (protocol: preprints {policy.preprints})",),
        )
    return Outcome.DISTINCT, 0.0, ("a preprint and a different published article",)


def clearly_distinct(a: Fingerprint, b: Fingerprint) -> bool:
    """A cheap test that :func:`compare` would say DISTINCT: no shared identifier, titles well below
    the lowest similarity any rule accepts, and not the same volume and first page. Most candidate
    pairs from the citation blocks are of this kind, and skipping the full comparison for them
    saves a third of a run's time."""
    if (a.doi is not None and a.doi == b.doi) or (a.pmid is not None and a.pmid == b.pmid):
        return False
    if not a.title_key or not b.title_key:
        return False
    if Indel.normalized_similarity(a.title_key, b.title_key, score_cutoff=0.75) >= 0.75:
        return False
    if a.title_parts or b.title_parts:
        return False
    short, long = sorted((a.title_key, b.title_key), key=len)
    if len(short) >= 30 and long.startswith(short):
        return False
    return not (a.volume is not None and a.volume == b.volume and pages_agree(a.pages, b.pages))


def compare(a: Fingerprint, b: Fingerprint, policy: MatchPolicy = MatchPolicy()) -> Verdict:
    """The verdict on two records, with a similarity score (0..1) and the reasons."""
    guarded = _guard(a, b, policy)
    if guarded is not None:
        return guarded
    title = _title_similarity(a, b)
    authors = _authors(a, b)
    year_gap = abs(a.year - b.year) if a.year is not None and b.year is not None else None
    pages = pages_agree(a.pages, b.pages)
    if pages is False and a.page_starts & b.page_starts:
        pages = True  # "233-238+230-235" and "230-5, 233-8": the same ranges in another order
    volume = _agree(a.volume, b.volume)
    journal = journals_match(a.journal, b.journal) if a.journal and b.journal else None
    if a.preprint != b.preprint:
        outcome, score, reasons = _preprint_pair(policy, title, authors, year_gap)
    elif a.conference != b.conference and (pages is False or volume is False):
        # A meeting abstract and the article share a title, never their pages.
        return Outcome.DISTINCT, 0.0, ("a conference abstract is not the full article",)
    else:
        score = _score(title, authors, year_gap, pages, volume, journal, a, b)
        outcome, reasons = _decide(a, b, policy, title, authors, year_gap, pages, volume, journal)
        if (
            outcome is Outcome.DUPLICATE
            and a.conference != b.conference
            and pages is None
            and not _abstract_twins(a, b, volume, journal, year_gap)
        ):
            outcome, reasons = Outcome.POSSIBLE, (*reasons, "a conference abstract and an article?")
    if outcome is Outcome.DUPLICATE and not policy.auto_merge:
        outcome, reasons = (
            Outcome.POSSIBLE,
            (*reasons, "protocol: every duplicate is confirmed by a reviewer"),
        )
    return outcome, score, reasons


def _abstract_twins(
    a: Fingerprint, b: Fingerprint, volume: bool | None, journal: bool | None, year_gap: int | None
) -> bool:
    """One meeting abstract indexed twice, once under the journal ("Circulation") and once under
    its conference form ("Circulation. Conference: American Heart Association..."): the same journal,
    volume and year, and neither looks like an article. The guard above is for an abstract and the
    article it became, which comes out later, elsewhere, or on pages of its own in a numbered issue."""
    if volume is not True or journal is not True or year_gap != 0:
        return False
    # an article's marks: a range of several pages, a numbered issue (an abstract has one page or
    # none, in a supplement)
    return not any(
        (side.pages is not None and side.pages[0] != side.pages[1]) or (side.issue or "").isdigit()
        for side in (a, b)
    )


def _same_range(a: Fingerprint, b: Fingerprint) -> bool:
    """The same page range of several pages (a one-page range can be one of many meeting abstracts),
    with no conflicting issue."""
    return bool(
        a.pages
        and a.pages == b.pages
        and a.pages[0] != a.pages[1]
        and not (a.issue and b.issue and a.issue != b.issue)
    )


def _score(
    title: float | None,
    authors: str | None,
    year_gap: int | None,
    pages: bool | None,
    volume: bool | None,
    journal: bool | None,
    a: Fingerprint,
    b: Fingerprint,
) -> float:
    """A single similarity figure to sort pairs by (the decision itself is made by rules)."""
    parts: list[tuple[float, float]] = []
    if title is not None:
        parts.append((title, 4.0))
    if authors is not None:
        parts.append(({"match": 1.0, "partial": 0.5, "conflict": 0.0}[authors], 1.5))
    if year_gap is not None:
        parts.append((1.0 if year_gap == 0 else 0.7 if year_gap == 1 else 0.0, 1.0))
    for agreed, weight in ((pages, 1.0), (volume, 0.5), (journal, 0.5)):
        if agreed is not None:
            parts.append((1.0 if agreed else 0.0, weight))
    if a.doi and b.doi:
        parts.append((1.0 if a.doi == b.doi else 0.0, 2.0))
    if a.pmid and b.pmid:
        parts.append((1.0 if a.pmid == b.pmid else 0.0, 2.0))
    total = sum(weight for _, weight in parts)
    return round(sum(value * weight for value, weight in parts) / total, 4) if total else 0.0


def _decide(
    a: Fingerprint,
    b: Fingerprint,
    policy: MatchPolicy,
    title: float | None,
    authors: str | None,
    year_gap: int | None,
    pages: bool | None,
    volume: bool | None,
    journal: bool | None,
) -> tuple[Outcome, tuple[str, ...]]:
    year_ok = year_gap is None or year_gap <= policy.year_tolerance
    same_id = (a.doi is not None and a.doi == b.doi) or (a.pmid is not None and a.pmid == b.pmid)
    which = "DOI" if a.doi is not None and a.doi == b.doi else "PMID"
    if same_id:
        if title is None or title >= 0.75:
            return Outcome.DUPLICATE, (f"same {which}",)
        if pages is False:
            return Outcome.DISTINCT, (
                f"same {which} but different titles and pages (a shared supplement DOI?)",
            )
        if pages and authors == "match":
            return Outcome.DUPLICATE, (f"same {which} and pages, title differs (translated?)",)
        return Outcome.POSSIBLE, (f"same {which} but the titles differ",)
    doi_conflict = a.doi is not None and b.doi is not None and a.doi != b.doi
    if title is None:
        if authors == "match" and year_gap == 0 and pages and volume and journal is not False:
            return Outcome.POSSIBLE, ("no title on one record; authors, year, volume and pages agree",)
        return Outcome.DISTINCT, ()
    long_title = min(a.title_words, b.title_words) >= 10
    if title >= 0.95 or (long_title and title >= 0.9):
        return _same_title(a, b, policy, title, authors, year_gap, pages, volume, journal, doi_conflict)
    if title >= 0.8:
        if year_ok and authors == "match" and pages is not False and (pages or volume or journal):
            if doi_conflict:
                return Outcome.POSSIBLE, ("similar titles and citations but different DOIs",)
            return Outcome.DUPLICATE, (f"similar titles ({title:.0%}), same authors and citation",)
        if year_ok and authors != "conflict" and pages is not False:
            return Outcome.POSSIBLE, (f"similar titles ({title:.0%})",)
        return Outcome.DISTINCT, ()
    citation_same = bool(pages and volume and year_gap == 0 and authors == "match")
    if (
        citation_same
        and journal
        and not doi_conflict
        and (a.latin_title != b.latin_title or _same_range(a, b))
    ):
        # Two articles cannot fill the same pages of one volume: the title is a translation.
        return Outcome.DUPLICATE, (
            "same citation (authors, year, journal, volume, pages); title translated?",
        )
    if citation_same and journal is not False:
        return Outcome.POSSIBLE, ("same citation but different titles (a translation?)",)
    return Outcome.DISTINCT, ()


def _same_title(
    a: Fingerprint,
    b: Fingerprint,
    policy: MatchPolicy,
    title: float,
    authors: str | None,
    year_gap: int | None,
    pages: bool | None,
    volume: bool | None,
    journal: bool | None,
    doi_conflict: bool,
) -> tuple[Outcome, tuple[str, ...]]:
    same = "same title" if title == 1.0 else f"near-identical titles ({title:.0%})"
    column_like = min(a.title_words, b.title_words) < 10  # "Editor's comments", issue after issue
    citation_agrees = bool(pages or volume)
    if year_gap is not None and year_gap > policy.year_tolerance:
        if pages and volume and authors != "conflict" and not doi_conflict:
            return Outcome.POSSIBLE, (f"{same} and citation, but {year_gap} years apart",)
        return Outcome.DISTINCT, (f"{same}, but published {year_gap} years apart",)
    if authors == "conflict":
        if pages and volume is not False:
            return Outcome.POSSIBLE, (f"{same} and citation, but different authors",)
        return Outcome.DISTINCT, (f"{same}, different authors",)
    if doi_conflict:
        # Recurring titles ("Editorial introduction") have their own DOI, volume and pages.
        if pages is False or volume is False or year_gap:
            return Outcome.DISTINCT, (f"{same}, but different DOIs and citations",)
        return Outcome.POSSIBLE, (f"{same}, but different DOIs",)
    if pages is False:
        if volume is False and journal is True:
            return Outcome.DISTINCT, (f"{same}, but another volume and other pages of the same journal",)
        if volume is False or journal is False:
            return Outcome.POSSIBLE, (f"{same}, but a different journal, volume or pages (republished?)",)
        return Outcome.POSSIBLE, (f"{same}, but different pages",)
    if (volume is False or journal is False) and not pages:
        return Outcome.POSSIBLE, (f"{same}, but a different journal or volume",)
    if title < 0.97 and not citation_agrees and not (a.doi and b.doi):
        return Outcome.POSSIBLE, (f"{same}, but no page or volume to confirm it",)
    if column_like and not pages and volume and a.issue and b.issue and a.issue != b.issue:
        return Outcome.POSSIBLE, (f"{same}, but different issues of one volume (a recurring column?)",)
    if not citation_agrees and journal is not True and year_gap:
        return Outcome.POSSIBLE, (f"{same}, a year apart, and no journal, volume or page to confirm it",)
    generic = min(a.title_words, b.title_words) <= 3
    if generic and not citation_agrees:
        return Outcome.POSSIBLE, (f"{same}, but a short title and no page or volume to confirm it",)
    if authors is None and not citation_agrees and journal is not True:
        return Outcome.POSSIBLE, (f"{same}, but no authors or citation to confirm it",)
    return Outcome.DUPLICATE, (same,)
