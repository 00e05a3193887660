"""Pairwise matching: two exports of one article are duplicates; the guards keep look-alikes apart."""

from __future__ import annotations

from typing import Any

import pytest

from synthesist.dedup.features import fingerprint
from synthesist.dedup.matching import MatchPolicy, PreprintPolicy, compare
from synthesist.dedup.model import Outcome
from synthesist.records.model import Author, Record

TITLE = (
    "Effectiveness of a nurse-led telephone follow-up programme after day surgery: "
    "a randomised controlled trial"
)
AUTHORS = [Author("Smith", "J. A."), Author("Nguyen", "T."), Author("Okafor", "C. N.")]


def rec(**fields: Any) -> Record:
    """A journal article as a database exports it; ``fields`` override the defaults."""
    values: dict[str, Any] = {
        "title": TITLE,
        "authors": list(AUTHORS),
        "year": 2015,
        "journal": "Journal of Advanced Nursing",
        "volume": "71",
        "issue": "4",
        "pages": "288-297",
    }
    values.update(fields)
    return Record(**values)


def outcome_of(a: Record, b: Record, policy: MatchPolicy = MatchPolicy()) -> tuple[Outcome, str]:
    """The outcome of comparing ``a`` with ``b`` (checked to be the same both ways) and its reasons."""
    outcome, _, reasons = compare(fingerprint(1, a), fingerprint(2, b), policy)
    swapped, _, _ = compare(fingerprint(2, b), fingerprint(1, a), policy)
    assert swapped is outcome, "compare is not symmetric"
    return outcome, " ".join(reasons).lower()


# Duplicates ---------------------------------------------------------------------------------------


def test_identical_records_are_duplicates() -> None:
    outcome, reasons = outcome_of(rec(), rec())
    assert outcome is Outcome.DUPLICATE
    assert "same title" in reasons


def test_the_score_of_identical_records_is_one() -> None:
    assert compare(fingerprint(1, rec()), fingerprint(2, rec()))[1] == 1.0


@pytest.mark.parametrize(
    "variant",
    [
        {"title": TITLE.upper()},
        {"title": TITLE + "."},
        {"title": f"<i>{TITLE}</i>"},
        {"title": TITLE.replace("nurse-led", "nurse led").replace(":", " -")},
        {"title": TITLE + " [Erratum appears in J Adv Nurs. 2016;72(1):230]"},
        {"title": TITLE + " [Erratum appears in J Adv Nurs. 2016;72(1"},
        {"title": TITLE + ". [Comment in: J Adv Nurs. 2016;72(1):12-13]"},
        {"authors": [Author("Smith", "JA"), Author("Nguyen", "T"), Author("Okafor", "CN")]},
        {"authors": [Author("Smith", "John A."), Author("Nguyen", "Thi"), Author("Okafor", "Chidi N.")]},
        {"authors": [Author("Smith", "J. A."), Author("et al.")]},
        {"journal": "J Adv Nurs"},
        {"journal": "JOURNAL OF ADVANCED NURSING"},
        {"pages": "288-97"},
        {"pages": "288"},
        {"issue": None},
        {"volume": "Vol. 71"},
    ],
)
def test_export_variations_of_one_article_are_duplicates(variant: dict[str, Any]) -> None:
    assert outcome_of(rec(), rec(**variant))[0] is Outcome.DUPLICATE


def test_all_export_variations_at_once_are_still_duplicates() -> None:
    medline = rec(
        title=TITLE.upper() + ".",
        authors=[Author("Smith", "JA"), Author("Nguyen", "T"), Author("Okafor", "CN")],
        journal="J Adv Nurs",
        pages="288-97",
    )
    assert outcome_of(rec(), medline)[0] is Outcome.DUPLICATE


def test_html_entity_in_one_export_is_a_duplicate() -> None:
    written = "Tea & coffee: " + TITLE
    assert outcome_of(rec(title=written), rec(title=written.replace("&", "&amp;")))[0] is Outcome.DUPLICATE


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"doi": "10.1111/jan.12345"}, {"doi": "https://doi.org/10.1111/JAN.12345"}),
        ({"doi": "doi:10.1111/jan.12345"}, {"doi": "http://dx.doi.org/10.1111/jan.12345"}),
        ({"doi": None, "url": "https://doi.org/10.1111/jan.12345"}, {"doi": "10.1111/JAN.12345."}),
    ],
)
def test_the_same_doi_in_another_form_is_a_duplicate(first: dict[str, Any], second: dict[str, Any]) -> None:
    outcome, reasons = outcome_of(rec(**first), rec(**second))
    assert outcome is Outcome.DUPLICATE
    assert "doi" in reasons


def test_the_same_doi_confirms_a_duplicate_even_without_a_citation() -> None:
    bare = rec(journal=None, volume=None, issue=None, pages=None, doi="10.1111/jan.12345")
    assert outcome_of(rec(doi="10.1111/jan.12345"), bare)[0] is Outcome.DUPLICATE


def test_the_same_pmid_is_a_duplicate() -> None:
    outcome, reasons = outcome_of(rec(pmid="25123456"), rec(pmid="25123456", journal="J Adv Nurs"))
    assert outcome is Outcome.DUPLICATE
    assert "pmid" in reasons


@pytest.mark.parametrize("year", [2014, 2016])
def test_ahead_of_print_year_one_apart_is_a_duplicate(year: int) -> None:
    assert outcome_of(rec(), rec(year=year))[0] is Outcome.DUPLICATE


def test_ahead_of_print_record_without_issue_and_pages_is_a_duplicate() -> None:
    ahead_of_print = rec(year=2014, volume=None, issue=None, pages=None)
    assert outcome_of(rec(), ahead_of_print)[0] is Outcome.DUPLICATE


def test_same_title_three_years_apart_is_not_a_duplicate() -> None:
    outcome, reasons = outcome_of(rec(), rec(year=2012, volume="68", issue="2", pages="101-110"))
    assert outcome is Outcome.DISTINCT
    assert "3 years apart" in reasons


def test_same_title_and_citation_three_years_apart_goes_to_review() -> None:
    outcome, reasons = outcome_of(rec(), rec(year=2012))
    assert outcome is Outcome.POSSIBLE
    assert "years apart" in reasons


def test_a_wider_year_tolerance_accepts_a_larger_gap() -> None:
    assert outcome_of(rec(), rec(year=2013), MatchPolicy(year_tolerance=2))[0] is Outcome.DUPLICATE


def test_translated_title_in_another_script_with_the_same_citation_is_a_duplicate() -> None:
    english = rec(
        title="[Effectiveness of telephone follow-up by nurses after day surgery].", language="Russian"
    )
    russian = rec(
        title="Эффективность телефонного наблюдения медицинскими сестрами после однодневной хирургии"
    )
    outcome, reasons = outcome_of(english, russian)
    assert outcome is Outcome.DUPLICATE
    assert "translated" in reasons


def test_translated_title_with_other_pages_is_distinct() -> None:
    russian = rec(
        title="Эффективность телефонного наблюдения медицинскими сестрами после однодневной хирургии",
        pages="301-310",
    )
    assert outcome_of(rec(), russian)[0] is Outcome.DISTINCT


def test_a_different_article_by_the_same_authors_is_distinct() -> None:
    other = rec(
        title="Patient satisfaction with discharge information in ambulatory surgery units", pages="12-20"
    )
    assert outcome_of(rec(), other)[0] is Outcome.DISTINCT


def test_auto_merge_off_sends_duplicates_to_review() -> None:
    outcome, reasons = outcome_of(rec(), rec(), MatchPolicy(auto_merge=False))
    assert outcome is Outcome.POSSIBLE
    assert "reviewer" in reasons


def test_auto_merge_off_leaves_distinct_records_distinct() -> None:
    erratum = rec(title="Erratum: " + TITLE, pages="1120")
    assert outcome_of(rec(), erratum, MatchPolicy(auto_merge=False))[0] is Outcome.DISTINCT


# Guard: errata and corrections ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "erratum",
    [
        {"title": "Erratum: " + TITLE},
        {"title": "Erratum to: " + TITLE},
        {"title": "Correction to: " + TITLE},
        {"title": "Correction: " + TITLE},
        {"title": "Corrigendum to " + TITLE},
        {"title": "Retraction notice to " + TITLE},
        {"title": "Retraction: " + TITLE},
        {"title": TITLE + " (vol 85, pg 553, 2010)"},
        {"title": TITLE + " (Journal of Advanced Nursing (2015) 71 (288-297))"},
        {"publication_type": "Published Erratum"},
    ],
)
def test_an_erratum_is_distinct_from_the_article_it_corrects(erratum: dict[str, Any]) -> None:
    outcome, reasons = outcome_of(rec(), rec(pages="1120", issue="9", **erratum))
    assert outcome is Outcome.DISTINCT
    assert "erratum" in reasons


def test_an_erratum_is_distinct_even_with_the_articles_citation() -> None:
    assert outcome_of(rec(), rec(title="Erratum: " + TITLE))[0] is Outcome.DISTINCT


def test_two_exports_of_one_erratum_are_duplicates() -> None:
    erratum = rec(title="Erratum: " + TITLE, pages="1120")
    assert outcome_of(erratum, rec(title="ERRATUM: " + TITLE, pages="1120", journal="J Adv Nurs"))[0] is (
        Outcome.DUPLICATE
    )


@pytest.mark.parametrize(
    "title",
    [
        "Correction of hallux valgus with a minimally invasive osteotomy: five-year results",
        "Correction for multiple testing in genome-wide association studies of nursing outcomes",
    ],
)
def test_a_title_starting_with_correction_is_not_an_erratum(title: str) -> None:
    assert not fingerprint(1, rec(title=title)).erratum
    assert outcome_of(rec(title=title), rec(title=title, journal="J Adv Nurs"))[0] is Outcome.DUPLICATE


# Guard: comments and replies ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "comment",
    [
        "Comment on: " + TITLE,
        "Comments on: " + TITLE,
        TITLE + " - Reply",
        TITLE + ": authors' reply",
        "Re: " + TITLE,
        "Reply to: " + TITLE,
        "In reply: " + TITLE,
        "Letter to the editor regarding " + TITLE,
    ],
)
def test_a_comment_or_reply_is_distinct_from_the_article(comment: str) -> None:
    outcome, reasons = outcome_of(rec(), rec(title=comment, pages="1201-1202", issue="6"))
    assert outcome is Outcome.DISTINCT
    assert "comment" in reasons


def test_a_letter_by_publication_type_is_distinct_from_the_journal_article() -> None:
    letter = rec(publication_type="Comment; Letter", pages="1201-1202")
    outcome, _ = outcome_of(rec(publication_type="Journal Article"), letter)
    assert outcome is Outcome.DISTINCT


@pytest.mark.parametrize(
    "title",
    [
        "Influenza vaccination in adults over 65 years: the antibody response",
        "Nurses' comments on discharge planning: a qualitative study of 40 wards",
    ],
)
def test_an_article_whose_title_sounds_like_a_reply_is_not_a_comment(title: str) -> None:
    assert not fingerprint(1, rec(title=title)).comment
    assert outcome_of(rec(title=title), rec(title="Re: " + title, pages="1201"))[0] is Outcome.DISTINCT


# Guard: conference abstracts ----------------------------------------------------------------------

MEETING = "Journal of Advanced Nursing. Abstracts of the annual meeting"


@pytest.mark.parametrize(
    "abstract",
    [
        {"publication_type": "Conference Abstract", "pages": "S12", "issue": "Suppl 1"},
        {"publication_type": "Conference Abstract", "pages": "112", "issue": "Suppl 1"},
        {"publication_type": "Conference Abstract", "pages": "S12", "volume": "70", "year": 2014},
        {"journal": MEETING, "pages": "S12", "issue": "Suppl 1"},
        {"journal": MEETING, "pages": "S12", "volume": "70", "year": 2014},
    ],
)
def test_a_conference_abstract_is_never_merged_with_the_full_article(abstract: dict[str, Any]) -> None:
    article = rec(publication_type="Journal Article")
    assert outcome_of(article, rec(**abstract))[0] is not Outcome.DUPLICATE


def test_a_conference_abstract_without_pages_goes_to_review() -> None:
    abstract = rec(publication_type="Conference Abstract", pages=None, issue="Suppl 1")
    outcome, reasons = outcome_of(rec(publication_type="Journal Article"), abstract)
    assert outcome is Outcome.POSSIBLE
    assert "conference" in reasons


def test_a_conference_abstract_in_another_volume_on_the_same_pages_is_distinct() -> None:
    abstract = rec(publication_type="Conference Abstract", volume="70", year=2014)
    outcome, reasons = outcome_of(rec(publication_type="Journal Article"), abstract)
    assert outcome is Outcome.DISTINCT
    assert "conference" in reasons


def test_a_conference_abstract_in_another_volume_on_other_pages_is_distinct() -> None:
    abstract = rec(publication_type="Conference Abstract", pages="S12", volume="70", year=2014)
    assert outcome_of(rec(publication_type="Journal Article"), abstract)[0] is Outcome.DISTINCT


@pytest.mark.parametrize(
    "abstract",
    [
        {"publication_type": "Conference Abstract", "pages": "S12", "issue": "Suppl 1"},
        {"publication_type": "Conference Abstract", "pages": "112", "issue": "Suppl 1"},
        {"journal": MEETING, "pages": "S12", "volume": "70", "year": 2014},
    ],
)
def test_a_conference_abstract_with_other_pages_or_volume_is_distinct(abstract: dict[str, Any]) -> None:
    outcome, _ = outcome_of(rec(publication_type="Journal Article"), rec(**abstract))
    assert outcome is Outcome.DISTINCT


def test_two_exports_of_one_conference_abstract_are_duplicates() -> None:
    abstract = rec(publication_type="Conference Abstract", pages="S12", issue="Suppl 1")
    again = rec(publication_type="Conference Abstract", pages="S12", issue="Suppl. 1")
    assert outcome_of(abstract, again)[0] is Outcome.DUPLICATE


def test_abstracts_sharing_one_supplement_doi_are_distinct() -> None:
    supplement = {
        "doi": "10.1093/ageing/afx144.01",
        "journal": "Age and Ageing",
        "volume": "46",
        "issue": "Suppl 3",
        "publication_type": "Conference Abstract",
    }
    first = rec(
        title="Prevalence of frailty among older adults admitted to acute medical wards in Ireland",
        pages="S12",
        **supplement,
    )
    second = rec(
        title="Nurse-led falls prevention in community dwelling older adults: results of a pilot study",
        pages="S15",
        **supplement,
    )
    outcome, reasons = outcome_of(first, second)
    assert outcome is Outcome.DISTINCT
    assert "supplement" in reasons


# Guard: parts of a series -------------------------------------------------------------------------

SERIES = (
    "Long-term outcomes of intensive blood pressure control in older adults. Part {}: cardiovascular events"
)


@pytest.mark.parametrize(("first", "second"), [("1", "2"), ("1", "II"), ("I", "II"), ("2", "3")])
def test_different_parts_of_a_series_are_distinct(first: str, second: str) -> None:
    outcome, reasons = outcome_of(
        rec(title=SERIES.format(first)), rec(title=SERIES.format(second), pages="298-310")
    )
    assert outcome is Outcome.DISTINCT
    assert "numbers" in reasons


def test_part_two_in_arabic_and_roman_numerals_is_a_duplicate() -> None:
    assert outcome_of(rec(title=SERIES.format("2")), rec(title=SERIES.format("II")))[0] is Outcome.DUPLICATE


def test_different_numbers_on_the_same_first_page_of_one_volume_are_a_typo() -> None:
    # Two parts of a series cannot start on the same page of one volume.
    outcome, _ = outcome_of(rec(title=SERIES.format("1")), rec(title=SERIES.format("2")))
    assert outcome is Outcome.DUPLICATE


# Guard: trial registrations -----------------------------------------------------------------------

TRIAL = "Early mobilisation after hip fracture surgery in older adults: a randomised trial"


def registration(nct: str, **fields: Any) -> Record:
    values: dict[str, Any] = {
        "title": TRIAL,
        "journal": "ClinicalTrials.gov",
        "url": f"https://clinicaltrials.gov/show/{nct}",
        "volume": None,
        "issue": None,
        "pages": None,
        "year": 2014,
    }
    values.update(fields)
    return rec(**values)


def test_registrations_with_different_trial_numbers_are_distinct() -> None:
    outcome, reasons = outcome_of(registration("NCT01234567"), registration("NCT07654321"))
    assert outcome is Outcome.DISTINCT
    assert "registration" in reasons


def test_a_trial_registration_is_distinct_from_the_trials_article() -> None:
    article = rec(title=TRIAL, year=2014)
    outcome, reasons = outcome_of(registration("NCT01234567"), article)
    assert outcome is Outcome.DISTINCT
    assert "registration" in reasons


def test_a_registration_found_by_publication_type_is_distinct_from_the_article() -> None:
    record = rec(title=TRIAL, year=2014, journal=None, pages=None, publication_type="Trial registry record")
    assert outcome_of(record, rec(title=TRIAL, year=2014))[0] is Outcome.DISTINCT


def test_two_exports_of_one_registration_are_duplicates() -> None:
    first = registration("NCT01234567", source_record_id="NCT01234567")
    second = registration("NCT01234567", url="https://clinicaltrials.gov/ct2/show/NCT01234567", authors=[])
    assert outcome_of(first, second)[0] is Outcome.DUPLICATE


# Guard: preprints ---------------------------------------------------------------------------------


def preprint(**fields: Any) -> Record:
    values: dict[str, Any] = {
        "journal": "medRxiv",
        "doi": "10.1101/2020.05.01.20087619",
        "volume": None,
        "issue": None,
        "pages": None,
        "year": 2020,
    }
    values.update(fields)
    return rec(**values)


PUBLISHED = {"year": 2021, "doi": "10.1111/jan.14567"}


@pytest.mark.parametrize("published", [PUBLISHED, {"year": 2020}])
def test_a_preprint_and_its_published_version_are_distinct_by_default(published: dict[str, Any]) -> None:
    outcome, reasons = outcome_of(preprint(), rec(**published))
    assert outcome is Outcome.DISTINCT
    assert "preprint" in reasons


def test_a_preprint_is_recognised_by_its_doi_prefix_alone() -> None:
    assert fingerprint(1, preprint(journal=None)).preprint
    assert outcome_of(preprint(journal=None), rec(**PUBLISHED))[0] is Outcome.DISTINCT


def test_a_preprint_and_its_published_version_go_to_review_when_the_protocol_says_possible() -> None:
    policy = MatchPolicy(preprints=PreprintPolicy.POSSIBLE)
    assert outcome_of(preprint(), rec(year=2020), policy)[0] is Outcome.POSSIBLE


def test_a_preprint_with_its_own_doi_goes_to_review_when_the_protocol_says_possible() -> None:
    policy = MatchPolicy(preprints=PreprintPolicy.POSSIBLE)
    assert outcome_of(preprint(), rec(**PUBLISHED), policy)[0] is Outcome.POSSIBLE


@pytest.mark.parametrize("published", [PUBLISHED, {"year": 2020}])
def test_a_preprint_and_its_published_version_are_duplicates_when_the_protocol_says_so(
    published: dict[str, Any],
) -> None:
    policy = MatchPolicy(preprints=PreprintPolicy.DUPLICATE)
    assert outcome_of(preprint(), rec(**published), policy)[0] is Outcome.DUPLICATE


def test_a_preprint_policy_does_not_merge_a_preprint_with_an_unrelated_article() -> None:
    other = rec(
        title="Patient satisfaction with discharge information in ambulatory surgery units", year=2020
    )
    for policy in PreprintPolicy:
        assert outcome_of(preprint(), other, MatchPolicy(preprints=policy))[0] is Outcome.DISTINCT


def test_two_versions_of_one_preprint_are_duplicates() -> None:
    assert outcome_of(preprint(), preprint(doi="10.1101/2020.05.01.20087619v2"))[0] is not Outcome.DISTINCT


# Guard: identifiers and recurring titles ----------------------------------------------------------


def test_different_pmids_are_distinct() -> None:
    outcome, reasons = outcome_of(rec(pmid="25123456"), rec(pmid="25987654"))
    assert outcome is Outcome.DISTINCT
    assert "pmid" in reasons


def test_a_recurring_column_in_different_issues_of_one_volume_is_not_a_duplicate() -> None:
    def column(issue: str) -> Record:
        return rec(
            title="Editor's comments",
            authors=[Author("Jones", "P")],
            journal="Physical Therapy",
            volume="90",
            issue=issue,
            pages=None,
            year=2010,
        )

    outcome, reasons = outcome_of(column("2"), column("3"))
    assert outcome is not Outcome.DUPLICATE
    assert "issue" in reasons


def test_a_recurring_title_with_its_own_doi_and_pages_is_distinct() -> None:
    def editorial(doi: str, volume: str, pages: str) -> Record:
        return rec(
            title="Editorial introduction",
            authors=[Author("Jones", "P")],
            doi=doi,
            volume=volume,
            pages=pages,
        )

    assert (
        outcome_of(
            editorial("10.1016/j.physio.2010.01.001", "70", "1"),
            editorial("10.1016/j.physio.2011.01.001", "71", "1"),
        )[0]
        is Outcome.DISTINCT
    )


def test_same_title_by_entirely_different_authors_is_not_a_duplicate() -> None:
    others = rec(authors=[Author("Garcia", "M"), Author("Kowalski", "P")], pages="401-410")
    assert outcome_of(rec(), others)[0] is Outcome.DISTINCT


def test_a_parallel_title_in_two_languages_matches_the_english_title() -> None:
    # LILACS and SciELO give "Original title; English title".
    spanish = rec(
        title="Efectividad de un programa de seguimiento telefónico dirigido por enfermeras; " + TITLE,
        journal="Revista Latino-Americana de Enfermagem",
    )
    english = rec(journal="Revista Latino-Americana de Enfermagem")
    assert outcome_of(spanish, english)[0] is Outcome.DUPLICATE


def test_a_page_range_a_spreadsheet_turned_into_a_date_is_no_conflict() -> None:
    assert outcome_of(rec(pages="01-Jun"), rec(pages="288-297"))[0] is Outcome.DUPLICATE


def test_the_same_page_ranges_in_another_order_agree() -> None:
    first = rec(pages="233-238+230-235+246-251")
    second = rec(pages="230-5, 246-51, 233-8")
    assert outcome_of(first, second)[0] is Outcome.DUPLICATE


def test_a_database_that_swapped_family_and_given_names_still_matches() -> None:
    swapped = rec(authors=[Author("J. A.", "Smith"), Author("T.", "Nguyen"), Author("C. N.", "Okafor")])
    spelled = rec(authors=[Author("Jane Anne", "Smith"), Author("Thi", "Nguyen")])
    assert outcome_of(swapped, rec())[0] is Outcome.DUPLICATE
    full_swap = rec(authors=[Author("Jane", "Smith J"), Author("Thi", "Nguyen T")])
    assert outcome_of(full_swap, spelled)[0] is Outcome.DUPLICATE


# Placeholders ------------------------------------------------------------------------------------


@pytest.mark.parametrize("placeholder", ["NA", "N/A", "null", "-", "[Not Available]."])
def test_a_placeholder_says_missing_not_different(placeholder: str) -> None:
    """A record whose journal, volume, issue, pages and DOI only say "missing" (an R export's NA, a
    record stored before the importers dropped them) matches its full copy as if they were empty:
    "NA" is no journal of its own, and the fingerprint drops it without touching the record."""
    bare = rec(journal=placeholder, volume=placeholder, issue=placeholder, pages=placeholder, doi=placeholder)
    outcome, _ = outcome_of(rec(doi="10.1111/jan.12345"), bare)
    assert outcome is Outcome.DUPLICATE
    seen = fingerprint(1, bare)
    assert (seen.journal, seen.volume, seen.issue, seen.pages, seen.doi) == ((), None, None, None, None)
    assert bare.journal == placeholder, "the stored record keeps what was written"


def test_a_name_that_looks_like_a_placeholder_inside_a_value_is_kept() -> None:
    """Only whole values are placeholders: a journal "NA Journal of Nursing" is a journal."""
    assert fingerprint(1, rec(journal="NA Journal of Nursing")).journal != ()


# One meeting abstract indexed twice ---------------------------------------------------------------

ABSTRACT = {"title": "Abstract 12345: Remote monitoring after heart failure admission", "year": 2019}
AS_JOURNAL = {"journal": "Circulation", "volume": "140", "issue": "Suppl 1"}
AS_CONFERENCE = {
    "journal": "Circulation. Conference: American Heart Association's Scientific Sessions 2019",
    "volume": "140",
    "issue": "Supplement 1",
    "publication_type": "Conference Abstract",
}


@pytest.mark.parametrize(("pages_a", "pages_b"), [(None, None), ("A123", None), ("A123", "A123")])
def test_one_abstract_under_the_journal_and_under_its_conference_form_is_one_record(
    pages_a: str | None, pages_b: str | None
) -> None:
    """The abstract-vs-article guard is not for two copies of one abstract: same journal, volume and
    year, one indexed as the journal and one as the conference (Embase does this)."""
    outcome, _ = outcome_of(
        rec(**ABSTRACT, **AS_JOURNAL, pages=pages_a), rec(**ABSTRACT, **AS_CONFERENCE, pages=pages_b)
    )
    assert outcome is Outcome.DUPLICATE


@pytest.mark.parametrize(
    "article",
    [
        {"year": 2020, "volume": "142", "issue": "4"},  # the article, a year later
        {"journal": "Journal of Cardiac Failure", "volume": "26", "issue": "2"},  # elsewhere
        {"volume": "140", "issue": "12"},  # a numbered issue of the same volume, not the supplement
    ],
)
def test_an_abstract_and_the_article_it_became_still_wait_for_a_reviewer(article: dict[str, str]) -> None:
    abstract = rec(**ABSTRACT, **AS_CONFERENCE, pages=None)
    full = rec(**{**ABSTRACT, **AS_JOURNAL, "issue": "7", **article, "pages": None})
    outcome, reasons = outcome_of(abstract, full)
    assert outcome is not Outcome.DUPLICATE, reasons
