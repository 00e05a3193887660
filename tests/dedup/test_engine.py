"""Deduplication end to end without a database: blocking, grouping, the engine, and merging a group."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synthesist.dedup.blocking import blocking_keys, candidate_pairs
from synthesist.dedup.engine import fingerprints, match
from synthesist.dedup.features import Fingerprint, fingerprint
from synthesist.dedup.grouping import cluster
from synthesist.dedup.matching import MatchPolicy, PreprintPolicy, compare
from synthesist.dedup.merge import FILLABLE_FIELDS, choose_primary, fill_gaps, merged_record
from synthesist.dedup.model import FilledField, Outcome, PairVerdict
from synthesist.records.model import Author, Record
from tests.exporting.record_strategies import authors as any_authors
from tests.exporting.record_strategies import dois

TITLE = (
    "Effectiveness of a nurse-led telephone follow-up programme after day surgery: "
    "a randomised controlled trial"
)


def rec(**fields: Any) -> Record:
    values: dict[str, Any] = {
        "title": TITLE,
        "authors": [Author("Smith", "J. A."), Author("Nguyen", "T."), Author("Okafor", "C. N.")],
        "year": 2015,
        "journal": "Journal of Advanced Nursing",
        "volume": "71",
        "issue": "4",
        "pages": "288-297",
    }
    values.update(fields)
    return Record(**values)


def prints_of(*records: Record, first_id: int = 1) -> list[Fingerprint]:
    return fingerprints(enumerate(records, start=first_id))


def pair_ids(prints: list[Fingerprint], **options: Any) -> set[tuple[int, int]]:
    """Candidate pairs as record ids (the blocking returns positions in ``prints``)."""
    return {(prints[i].record_id, prints[j].record_id) for i, j in candidate_pairs(prints, **options)}


def verdict(first: int, second: int, score: float = 0.9) -> PairVerdict:
    return PairVerdict(first, second, Outcome.DUPLICATE, score, ("test",))


# Blocking -----------------------------------------------------------------------------------------

# Title only: no DOI, authors, year or pages, so only the title keys can bring two records together.
TITLE_ONLY = {"authors": [], "year": None, "volume": None, "issue": None, "pages": None, "journal": None}


def test_blocking_finds_a_duplicate_with_a_typo_at_the_start_of_the_title() -> None:
    prints = prints_of(rec(**TITLE_ONLY), rec(title="Efectiveness" + TITLE[13:], **TITLE_ONLY))
    assert pair_ids(prints) == {(1, 2)}


def test_blocking_finds_a_duplicate_with_a_typo_at_the_end_of_the_title() -> None:
    prints = prints_of(rec(**TITLE_ONLY), rec(title=TITLE[:-5] + "triall", **TITLE_ONLY))
    assert pair_ids(prints) == {(1, 2)}


def test_blocking_finds_a_translated_title_by_its_citation() -> None:
    russian = rec(
        title="Эффективность телефонного наблюдения медицинскими сестрами после однодневной хирургии"
    )
    assert pair_ids(prints_of(rec(), russian)) == {(1, 2)}


def test_blocking_finds_the_same_doi_with_unrelated_titles() -> None:
    first = rec(doi="10.1111/jan.12345", **TITLE_ONLY)
    second = rec(title="Something else altogether and quite long", doi="https://doi.org/10.1111/JAN.12345")
    assert pair_ids(prints_of(first, second)) == {(1, 2)}


def test_blocking_does_not_pair_unrelated_records() -> None:
    other = rec(
        title="Patient satisfaction with discharge information in ambulatory surgery units",
        authors=[Author("Garcia", "M")],
        year=2012,
        volume="12",
        pages="1-9",
    )
    assert pair_ids(prints_of(rec(), other)) == set()


def test_blocking_keys_are_not_made_from_missing_fields() -> None:
    assert list(blocking_keys(fingerprint(1, Record(title="Short")))) == []


def test_new_after_keeps_only_pairs_that_touch_a_new_record() -> None:
    prints = prints_of(rec(), rec(journal="J Adv Nurs"), rec(pages="288-97"), rec(year=2014))
    assert pair_ids(prints) == {(1, 2), (1, 3), (1, 4), (2, 3), (2, 4), (3, 4)}
    assert pair_ids(prints, new_after=2) == {(1, 3), (1, 4), (2, 3), (2, 4), (3, 4)}
    assert pair_ids(prints, new_after=3) == {(1, 4), (2, 4), (3, 4)}
    assert pair_ids(prints, new_after=4) == set()


def _prolific_author_records(count: int, *, first_page: str | None = None) -> list[Record]:
    """``count`` different articles by one first author in one year (a common surname, say). With
    ``first_page`` they all start on that page, each in a volume of its own (meeting abstracts that a
    database exported with the supplement's first page), so they share the first-author-and-page key."""
    words = ["pain", "sleep", "fatigue", "anxiety", "mobility", "nutrition", "falls", "delirium", "stroke"]
    return [
        Record(
            title=f"Study {index}: {words[index % 9]} and {words[index // 9 % 9]} outcomes in cohort {index}",
            authors=[Author("Wang", "L"), Author(f"Coauthor{index}", "X")],
            year=2019,
            journal="Journal of Advanced Nursing",
            volume=str(index + 1) if first_page else str(index // 50 + 1),
            pages=first_page or f"{index * 10 + 1}-{index * 10 + 9}",
        )
        for index in range(count)
    ]


@pytest.mark.parametrize("first_page", [None, "S1"])
def test_a_large_block_is_not_compared_all_against_all(first_page: str | None) -> None:
    prints = prints_of(*_prolific_author_records(500, first_page=first_page))
    assert len(candidate_pairs(prints)) < 10_000  # all against all would be 124,750


def test_a_large_block_is_compared_with_title_neighbours() -> None:
    prints = prints_of(*_prolific_author_records(500, first_page="S1"))
    pairs = candidate_pairs(prints)
    assert len(pairs) >= 500  # each record still meets its neighbours in title order
    assert all(i < j for i, j in pairs)


def test_blocking_work_grows_near_linearly() -> None:
    small = len(candidate_pairs(prints_of(*_prolific_author_records(250, first_page="S1"))))
    large = len(candidate_pairs(prints_of(*_prolific_author_records(1000, first_page="S1"))))
    assert 0 < large < 6 * small  # quadratic growth would be about 16 times


@pytest.mark.parametrize("first_page", [None, "S1"])
def test_a_duplicate_inside_a_large_block_is_still_found(first_page: str | None) -> None:
    records = _prolific_author_records(500, first_page=first_page)
    twin = records[321].with_changes(title=records[321].title.upper(), journal="J Adv Nurs")
    prints = prints_of(*records, twin)
    assert (322, 501) in pair_ids(prints)
    assert {322, 501} in match(prints).groups


# Grouping -----------------------------------------------------------------------------------------


def distinct_pairs(*pairs: tuple[int, int]) -> Any:
    def compare_ids(first: int, second: int) -> Outcome:
        return Outcome.DISTINCT if (first, second) in pairs else Outcome.POSSIBLE

    return compare_ids


def test_duplicate_pairs_join_into_one_group() -> None:
    clusters = cluster([verdict(1, 2), verdict(2, 3)], existing={}, rejected=set(), compare=distinct_pairs())
    assert clusters.groups == [{1, 2, 3}]
    assert clusters.refused == []


def test_no_transitive_merge_of_records_the_rules_call_distinct() -> None:
    # A = B and B = C, but C is an erratum of A: C must not join A's group.
    clusters = cluster(
        [verdict(1, 2, 0.95), verdict(2, 3, 0.9)],
        existing={},
        rejected=set(),
        compare=distinct_pairs((1, 3)),
    )
    assert clusters.groups == [{1, 2}]
    assert [(v.first, v.second, v.outcome) for v in clusters.refused] == [(2, 3, Outcome.POSSIBLE)]
    assert "distinct" in " ".join(clusters.refused[0].reasons)


def test_the_strongest_pair_is_joined_first() -> None:
    clusters = cluster(
        [verdict(1, 2, 0.8), verdict(2, 3, 0.99)],
        existing={},
        rejected=set(),
        compare=distinct_pairs((1, 3)),
    )
    assert clusters.groups == [{2, 3}]
    assert [(v.first, v.second) for v in clusters.refused] == [(1, 2)]


def test_a_rejected_pair_is_never_merged() -> None:
    clusters = cluster([verdict(1, 2)], existing={}, rejected={(1, 2)}, compare=distinct_pairs())
    assert clusters.groups == []
    assert clusters.merged == []


def test_a_rejected_pair_is_not_merged_through_a_third_record() -> None:
    clusters = cluster(
        [verdict(1, 3, 0.95), verdict(2, 3, 0.9)], existing={}, rejected={(1, 2)}, compare=distinct_pairs()
    )
    assert clusters.groups == [{1, 3}]
    assert all(not {1, 2} <= group for group in clusters.groups)


def test_existing_groups_stay_together() -> None:
    clusters = cluster([], existing={1: 10, 2: 10, 5: 11, 6: 11}, rejected=set(), compare=distinct_pairs())
    assert sorted(map(sorted, clusters.groups)) == [[1, 2], [5, 6]]


def test_a_new_duplicate_joins_an_existing_group() -> None:
    clusters = cluster([verdict(2, 7)], existing={1: 10, 2: 10}, rejected=set(), compare=distinct_pairs())
    assert clusters.groups == [{1, 2, 7}]


def test_a_new_record_distinct_from_any_member_does_not_join_an_existing_group() -> None:
    clusters = cluster(
        [verdict(2, 7)], existing={1: 10, 2: 10}, rejected=set(), compare=distinct_pairs((1, 7))
    )
    assert clusters.groups == [{1, 2}]
    assert [(v.first, v.second) for v in clusters.refused] == [(2, 7)]


# The engine end to end ----------------------------------------------------------------------------

SERIES = "Long-term outcomes of intensive blood pressure control in older adults{}: cardiovascular events"


def library() -> list[Record]:
    """Ten records: two articles exported twice, and look-alikes that must stay apart."""
    return [
        rec(doi="10.1111/jan.12345"),  # 1: the article
        rec(  # 2: the same article from MEDLINE
            title=TITLE.upper() + ".",
            authors=[Author("Smith", "JA"), Author("Nguyen", "T"), Author("Okafor", "CN")],
            journal="J Adv Nurs",
            pages="288-97",
            pmid="25123456",
        ),
        rec(title="Erratum: " + TITLE, pages="1120", issue="9"),  # 3: its erratum
        rec(title="Re: " + TITLE, pages="1201-1202", issue="6"),  # 4: a letter about it
        rec(  # 5: its preprint
            journal="medRxiv", doi="10.1101/2014.05.01.123456", volume=None, issue=None, pages=None, year=2014
        ),
        rec(title=SERIES.format(". Part 1"), pages="101-110", authors=[Author("Lee", "K")], volume="30"),  # 6
        rec(title=SERIES.format(". Part 2"), pages="111-120", authors=[Author("Lee", "K")], volume="30"),  # 7
        rec(  # 8: part 1 again, from another database
            title=SERIES.format(" - part I"), pages="101-10", authors=[Author("Lee", "K. M.")], volume="30"
        ),
        rec(  # 9: a trial registration with the same title as the article
            journal="ClinicalTrials.gov",
            url="https://clinicaltrials.gov/show/NCT01234567",
            volume=None,
            issue=None,
            pages=None,
        ),
        rec(  # 10: unrelated
            title="Patient satisfaction with discharge information in ambulatory surgery units",
            authors=[Author("Garcia", "M")],
            year=2012,
            volume="12",
            pages="1-9",
        ),
    ]


def test_match_end_to_end_groups_only_the_real_duplicates() -> None:
    result = match(prints_of(*library()))
    assert sorted(map(sorted, result.groups)) == [[1, 2], [6, 8]]
    assert {(v.first, v.second) for v in result.duplicates} == {(1, 2), (6, 8)}
    assert result.candidate_pairs >= 2
    queued = {(v.first, v.second) for v in result.possible}
    assert not queued & {(1, 3), (1, 4), (1, 5), (1, 9), (6, 7), (7, 8)}


def test_match_with_preprints_as_possible_does_not_merge_the_preprint() -> None:
    result = match(prints_of(*library()), MatchPolicy(preprints=PreprintPolicy.POSSIBLE))
    assert sorted(map(sorted, result.groups)) == [[1, 2], [6, 8]]


def test_match_without_auto_merge_groups_nothing_and_queues_the_duplicates() -> None:
    result = match(prints_of(*library()), MatchPolicy(auto_merge=False))
    assert result.groups == []
    assert {(1, 2), (6, 8)} <= {(v.first, v.second) for v in result.possible}


def test_match_refuses_a_transitive_merge_and_queues_it() -> None:
    # "Part 1" = the unnumbered title = "Part 2", but "Part 1" is not "Part 2".
    title = SERIES.format("")
    records = [
        rec(title=SERIES.format(". Part 1"), pages=None, issue=None),
        rec(title=title, pages=None, issue=None),
        rec(title=SERIES.format(". Part 2"), pages=None, issue=None),
    ]
    prints = prints_of(*records)
    assert compare(prints[0], prints[2])[0] is Outcome.DISTINCT
    result = match(prints)
    assert len(result.groups) == 1
    assert result.groups[0] in ({1, 2}, {2, 3})
    assert any(v.outcome is Outcome.POSSIBLE and "distinct" in " ".join(v.reasons) for v in result.possible)


def test_match_never_merges_or_queues_a_rejected_pair() -> None:
    result = match(prints_of(*library()), rejected={(1, 2)})
    assert all(not {1, 2} <= group for group in result.groups)
    assert (1, 2) not in {(v.first, v.second) for v in result.possible}


def test_match_keeps_existing_groups_and_adds_new_records_to_them() -> None:
    records = [
        *library(),
        rec(journal="JOURNAL OF ADVANCED NURSING", doi="https://doi.org/10.1111/jan.12345"),
    ]
    result = match(prints_of(*records), new_after=10, existing={1: 100, 2: 100, 6: 101, 8: 101})
    assert sorted(map(sorted, result.groups)) == [[1, 2, 11], [6, 8]]
    assert all(11 in (v.first, v.second) for v in result.duplicates)


def test_match_reports_progress() -> None:
    calls: list[tuple[str, int, int]] = []
    result = match(prints_of(*library()), progress=lambda *args: calls.append(args))
    assert calls[-1] == ("comparing", result.candidate_pairs, result.candidate_pairs)


def test_match_on_no_records_finds_nothing() -> None:
    result = match([])
    assert (result.candidate_pairs, result.groups, result.duplicates, result.possible) == (0, [], [], [])


# Merging a group ----------------------------------------------------------------------------------


def test_choose_primary_prefers_the_most_complete_record() -> None:
    bare = rec(issue=None, pages=None)
    full = rec(doi="10.1111/jan.12345", abstract="Background: ...", pmid="25123456")
    assert choose_primary({1: bare, 2: full}) == 2
    assert choose_primary({1: full, 2: bare}) == 1


def test_choose_primary_prefers_the_published_version_to_a_more_complete_preprint() -> None:
    preprint = rec(journal="medRxiv", doi="10.1101/2014.05.01.123456", abstract="A long abstract. " * 50)
    published = rec(abstract=None)
    assert choose_primary({1: preprint, 2: published}) == 2


def test_choose_primary_prefers_the_article_to_its_conference_abstract() -> None:
    abstract = rec(publication_type="Conference Abstract", abstract="Results ...", doi="10.1111/x.1")
    assert choose_primary({1: abstract, 2: rec()}) == 2


def test_choose_primary_breaks_ties_by_the_record_imported_first() -> None:
    assert choose_primary({7: rec(), 3: rec(), 5: rec()}) == 3


def test_choose_primary_needs_a_record() -> None:
    with pytest.raises(ValueError):
        choose_primary({})


def test_fill_gaps_fills_only_empty_fields_and_names_the_record_they_came_from() -> None:
    primary = rec(doi=None, abstract=None, keywords=[], pmid="25123456")
    medline = rec(doi=None, abstract="Background: ...", keywords=["day surgery"], pmid="25123456")
    crossref = rec(doi="10.1111/jan.12345", abstract="Other abstract", issn="0309-2402", journal="J Adv Nurs")
    filled = fill_gaps(1, {1: primary, 2: medline, 3: crossref})
    assert filled["doi"] == FilledField("10.1111/jan.12345", 3)
    assert filled["issn"] == FilledField("0309-2402", 3)
    assert filled["keywords"] == FilledField(["day surgery"], 2)
    assert filled["abstract"].value in ("Background: ...", "Other abstract")
    assert {"title", "journal", "pmid", "pages", "authors", "year"}.isdisjoint(filled)
    assert set(filled) <= set(FILLABLE_FIELDS)


def test_fill_gaps_takes_a_value_from_the_most_complete_donor() -> None:
    primary = rec(doi="10.1111/jan.12345", abstract="Primary abstract", keywords=["a", "b"], language=None)
    sparse = rec(language="fre", volume=None, issue=None, pages=None)
    rich = rec(language="eng", pmid="25123456", issn="0309-2402")
    filled = fill_gaps(1, {1: primary, 2: sparse, 3: rich})
    assert filled["language"] == FilledField("eng", 3)


def test_fill_gaps_never_borrows_the_source_record_id() -> None:
    filled = fill_gaps(1, {1: rec(source_record_id=None), 2: rec(source_record_id="WOS:000123")})
    assert "source_record_id" not in filled


def test_fill_gaps_of_a_complete_primary_is_empty() -> None:
    assert fill_gaps(1, {1: rec(), 2: rec(journal="J Adv Nurs")}) == {}


def test_merged_record_applies_the_filled_fields() -> None:
    primary = rec(doi=None, authors=[], keywords=[], year=None)
    donor = rec(doi="10.1111/jan.12345", keywords=["day surgery"], year=2015)
    merged = merged_record(primary, fill_gaps(1, {1: primary, 2: donor}))
    assert merged.doi == "10.1111/jan.12345"
    assert merged.authors == donor.authors
    assert merged.keywords == ["day surgery"]
    assert merged.year == 2015
    assert merged.title == primary.title
    assert primary.doi is None and primary.authors == []  # the stored record is never changed


def test_merged_record_never_overwrites_a_value_the_primary_has() -> None:
    primary = rec(doi="10.1111/jan.12345")
    filled = {
        "doi": FilledField("10.9999/other", 2),
        "title": FilledField("Another title", 2),
        "source_record_id": FilledField("WOS:1", 2),  # not fillable at all
        "abstract": FilledField("Filled abstract", 2),
    }
    merged = merged_record(primary, filled)
    assert merged.doi == "10.1111/jan.12345"
    assert merged.title == TITLE
    assert merged.source_record_id is None
    assert merged.abstract == "Filled abstract"


def test_merged_record_without_gaps_is_the_primary_itself() -> None:
    primary = rec()
    assert merged_record(primary, {}) is primary


# Properties ---------------------------------------------------------------------------------------

_BASES = [
    rec(),
    rec(title=SERIES.format(". Part 1"), authors=[Author("Lee", "K")], volume="30", pages="101-110"),
    rec(
        title="Patient satisfaction with discharge information in ambulatory surgery units",
        authors=[Author("Garcia", "M")],
        year=2012,
        volume="12",
        pages="1-9",
        doi="10.1016/j.ijnurstu.2012.01.001",
    ),
    rec(title="Editor's comments", authors=[Author("Jones", "P")], volume="90", issue="2", pages=None),
]

# Ways an export can differ from another of the same article, and look-alikes the guards stop.
_VARIATIONS: list[dict[str, Any]] = [
    {},
    {"title": TITLE.upper() + "."},
    {"journal": "J Adv Nurs", "pages": "288-97"},
    {"year": 2014, "volume": None, "issue": None, "pages": None},
    {"year": 2012},
    {"doi": "https://doi.org/10.1111/JAN.12345"},
    {"pmid": "25123456"},
    {"pmid": "25987654"},
    {"title": "Erratum: " + TITLE, "pages": "1120"},
    {"title": "Re: " + TITLE, "pages": "1201"},
    {"title": SERIES.format(". Part 2"), "pages": "111-120"},
    {"title": SERIES.format(" - part II")},
    {"journal": "medRxiv", "doi": "10.1101/2014.05.01.123456", "volume": None, "pages": None},
    {"journal": "ClinicalTrials.gov", "url": "https://clinicaltrials.gov/show/NCT01234567"},
    {"journal": "ClinicalTrials.gov", "url": "https://clinicaltrials.gov/show/NCT07654321"},
    {"publication_type": "Conference Abstract", "pages": "S12"},
    {"issue": "3"},
    {"authors": []},
    {"title": "Эффективность телефонного наблюдения медицинскими сестрами после однодневной хирургии"},
]

variants = st.builds(
    lambda base, variation: base.with_changes(**variation),
    st.sampled_from(_BASES),
    st.sampled_from(_VARIATIONS),
)
# Arbitrary records too, made of words that trip the normalisation and the guards (generating free
# text with record_strategies.records is correct too, but too slow for a unit test).
_WORDS = [
    "pain", "surgery", "trial", "Part", "1", "2", "II", "HPV16", "Müller", "&amp;", "<i>care</i>",
    "Erratum:", "Correction", "to:", "Re:", "reply", "response", "[Chinese]", "(vol 85, pg 553, 2010)",
    "Эффект", "терапии", "nurse-led", "10", "000", "follow-up", ".", ":",
]  # fmt: skip


def _maybe(values: list[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), st.sampled_from(values))


arbitrary = st.builds(
    Record,
    title=st.one_of(st.none(), st.lists(st.sampled_from(_WORDS), max_size=12).map(" ".join)),
    authors=any_authors(free_text=False),
    year=_maybe([2012, 2014, 2015, 2016]),
    journal=_maybe(["J Adv Nurs", "Journal of Advanced Nursing", "medRxiv", "ClinicalTrials.gov", "JAMA"]),
    volume=_maybe(["70", "71", "30"]),
    issue=_maybe(["2", "4", "Suppl 1"]),
    pages=_maybe(["288-297", "288-97", "S12", "e12724", "101-110", "1120", "Suppl-29"]),
    doi=st.one_of(st.none(), dois(), st.sampled_from(["10.1111/jan.12345", "10.1101/2014.05.01.123456"])),
    pmid=_maybe(["25123456", "25987654"]),
    publication_type=_maybe(["Journal Article", "Published Erratum", "Comment", "Conference Abstract"]),
    url=_maybe(["https://clinicaltrials.gov/show/NCT01234567", "https://doi.org/10.1111/jan.12345"]),
)
mixed_records = st.one_of(variants, variants, arbitrary)
_SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(st.lists(mixed_records, max_size=12), st.sampled_from(list(PreprintPolicy)), st.booleans())
def test_match_groups_are_disjoint_have_two_or_more_records_and_no_distinct_pair(
    records: list[Record], preprints: PreprintPolicy, auto_merge: bool
) -> None:
    policy = MatchPolicy(preprints=preprints, auto_merge=auto_merge)
    prints = prints_of(*records)
    by_id = {fp.record_id: fp for fp in prints}
    result = match(prints, policy)
    seen: set[int] = set()
    for group in result.groups:
        assert len(group) >= 2
        assert group <= by_id.keys()
        assert seen.isdisjoint(group), "a record is in two groups"
        seen |= group
        members = sorted(group)
        for position, first in enumerate(members):
            for second in members[position + 1 :]:
                assert compare(by_id[first], by_id[second], policy)[0] is not Outcome.DISTINCT
    if not auto_merge:
        assert result.groups == []
    for pair in [*result.duplicates, *result.possible]:
        assert pair.first < pair.second


@settings(max_examples=100, deadline=None)
@given(mixed_records, mixed_records, st.sampled_from(list(PreprintPolicy)))
def test_compare_is_symmetric(first: Record, second: Record, preprints: PreprintPolicy) -> None:
    policy = MatchPolicy(preprints=preprints)
    a, b = fingerprint(1, first), fingerprint(2, second)
    forward, backward = compare(a, b, policy), compare(b, a, policy)
    assert forward[0] is backward[0]
    assert forward[1] == backward[1]
