"""Deduplication normalisation: the variants database exports write for one field map onto one form."""

from __future__ import annotations

import pytest

from synthesist.dedup.normalize import (
    author_keys,
    clean_title,
    journal_tokens,
    journals_match,
    name_tokens,
    normalize_doi,
    normalize_title,
    page_range,
    pages_agree,
    title_numbers,
    volume_key,
)
from synthesist.records.model import Author

# DOIs ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "10.1111/j.1365-2648.2009.05000.x",
        "https://doi.org/10.1111/j.1365-2648.2009.05000.x",
        "http://dx.doi.org/10.1111/j.1365-2648.2009.05000.x",
        "doi:10.1111/j.1365-2648.2009.05000.x",
        "DOI: 10.1111/J.1365-2648.2009.05000.X",
        "10.1111/j.1365-2648.2009.05000.x.",
        "https://doi.org/10.1111%2Fj.1365-2648.2009.05000.x",
        "  https://doi.org/10.1111/J.1365-2648.2009.05000.X.  ",
    ],
)
def test_doi_url_prefix_case_and_trailing_period_variants_give_one_doi(text: str) -> None:
    assert normalize_doi(text) == "10.1111/j.1365-2648.2009.05000.x"


def test_doi_keeps_parentheses_that_belong_to_it() -> None:
    assert normalize_doi("https://doi.org/10.1016/S0140-6736(20)30183-5") == "10.1016/s0140-6736(20)30183-5"


@pytest.mark.parametrize("text", [None, "", "   ", "not a doi", "https://example.org/article/12"])
def test_text_without_a_doi_gives_none(text: str | None) -> None:
    assert normalize_doi(text) is None


# Titles -------------------------------------------------------------------------------------------

TITLE = "the effect of exercise on pain and function"


@pytest.mark.parametrize(
    "text",
    [
        "The effect of exercise on pain and function",
        "THE EFFECT OF EXERCISE ON PAIN AND FUNCTION",
        "The effect of exercise on pain and function.",
        "The effect of exercise on pain, and function!",
        "The effect of exercise on pain - and function?",
        '"The effect of exercise on pain and function"',
        "The effect of <i>exercise</i> on pain and <sub>function</sub>",
        "The effect of exercise on pain and function [Chinese]",
        "The effect of exercise on pain and function [Article in German]",
        "The effect of exercise on pain and function. [Article in French]",
        "The effect of exercise on pain and function (author's transl)",
        "[The effect of exercise on pain and function].",
        "[The effect of exercise on pain and function]",
        "The effect of exercise on pain and function. [Erratum appears in J Adv Nurs. 2010;66(3):701]",
        "The effect of exercise on pain and function [Erratum appears in J Adv Nurs. 2010;66(3",
        "The effect of exercise on pain and function. [Review] [45 refs]",
        "The effect of exercise on pain and function <ORIGINAL> EFFET DE L'EXERCICE SUR LA DOULEUR",
    ],
)
def test_title_export_variants_normalise_to_the_same_words(text: str) -> None:
    assert normalize_title(text) == TITLE


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Müller's test revisited", "Muller's test revisited"),
        ("Qualité de vie après chirurgie", "Qualite de vie apres chirurgie"),
        ("Straße und Ørsted", "Strasse und Orsted"),
        ("Tea &amp; coffee drinking", "Tea & coffee drinking"),
        ("Tea &amp;amp; coffee drinking", "Tea & coffee drinking"),
        ("Tea & coffee drinking", "Tea and coffee drinking"),
        ("Quality of life &#8211; a review", "Quality of life – a review"),
    ],
)
def test_diacritics_entities_and_ampersands_do_not_change_a_title(first: str, second: str) -> None:
    assert normalize_title(first) == normalize_title(second)


def test_html_entities_are_decoded_even_when_escaped_twice() -> None:
    assert clean_title("Tea &amp;amp; coffee") == "Tea & coffee"
    assert clean_title("Tea &amp; coffee &#x2013; a <b>review</b>") == "Tea & coffee \u2013 a review"


@pytest.mark.parametrize(
    "text",
    [
        "Mortality in patients aged <65 years and >80 years",
        "Mortality in patients aged &lt;65 years and &gt;80 years",
    ],
)
def test_less_than_and_greater_than_signs_are_not_markup(text: str) -> None:
    assert normalize_title(text) == "mortality in patients aged 65 years and 80 years"


def test_a_bracketed_title_that_is_not_a_language_note_keeps_its_words() -> None:
    # MEDLINE brackets a translated title; only the brackets go, never the words.
    assert normalize_title("[Pleuritis carcinomatosa].") == "pleuritis carcinomatosa"
    assert normalize_title("[Pleuritis carcinomatosa]. [German]") == "pleuritis carcinomatosa"
    assert normalize_title("Diagnosis [Pleuritis carcinomatosa]") == "diagnosis pleuritis carcinomatosa"


def test_a_language_note_only_goes_at_the_end_of_a_title() -> None:
    assert normalize_title("Chinese [Chinese] herbal medicine") == "chinese chinese herbal medicine"


def test_the_erratum_citation_web_of_science_appends_is_not_part_of_the_title() -> None:
    assert normalize_title("The effect of exercise on pain and function (vol 85, pg 553, 2010)") == TITLE


@pytest.mark.parametrize("text", [None, "", "   "])
def test_no_title_normalises_to_empty(text: str | None) -> None:
    assert normalize_title(text) == ""


# Numbers in titles --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "numbers"),
    [
        ("Pain after surgery. Part 1: incidence", {"1"}),
        ("Pain after surgery. Part II: incidence", {"2"}),
        ("Pain after surgery. Part 2: incidence", {"2"}),
        ("Phase III trial of drug X", {"3"}),
        ("HPV16 infection in women", {"16"}),
        ("HPV 16 infection in women", {"16"}),
        ("Screening 10 000 women for cancer", {"10000"}),
        ("Screening 10,000 women for cancer", {"10000"}),
        ("Follow up at 06 months", {"6"}),
        ("Pain after surgery", set()),
    ],
)
def test_title_numbers(title: str, numbers: set[str]) -> None:
    assert title_numbers(normalize_title(title)) == numbers


def test_part_one_and_part_two_differ_but_arabic_and_roman_agree() -> None:
    def numbers(text: str) -> frozenset[str]:
        return title_numbers(normalize_title(text))

    assert numbers("Outcomes. Part 1") != numbers("Outcomes. Part 2")
    assert numbers("Outcomes. Part II") == numbers("Outcomes. Part 2")


def test_a_roman_numeral_outside_a_series_word_is_not_a_number() -> None:
    # "i" in "vitamin i..." or a plain "v" must not be read as a part number.
    assert title_numbers(normalize_title("Type I error and vitamin D: a view")) == frozenset()


# Pages --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("288-297", ("288", "297")),
        ("288-97", ("288", "297")),
        ("288–97", ("288", "297")),
        ("1288-9", ("1288", "1289")),
        ("pp. 288-297", ("288", "297")),
        ("0288-0297", ("288", "297")),
        ("488", ("488", "488")),
        ("e12724", ("e12724", "e12724")),
        ("S12-S19", ("s12", "s19")),
        ("S12-19", ("s12", "s19")),
        ("c37-c42", ("c37", "c42")),
    ],
)
def test_page_range(text: str, expected: tuple[str, str]) -> None:
    assert page_range(text) == expected


@pytest.mark.parametrize("text", [None, "", "Suppl-29", "Pt-8", "n/a"])
def test_pages_that_do_not_start_like_a_page_give_none(text: str | None) -> None:
    assert page_range(text) is None


@pytest.mark.parametrize(
    ("first", "second", "agree"),
    [
        ("288-97", "288-297", True),
        ("288-297", "288-297", True),
        ("288", "288-297", True),
        ("c37-c42", "37-42", True),
        ("S12", "S12-S13", True),
        ("288-297", "301-310", False),
        ("S12", "S13", False),
        ("e12724", "1-6", None),  # an article number cannot be compared with a page range
        ("488", "487-488", None),  # shares its last page: a typo is as likely as another article
        ("2297-2108", "2097-2108", None),
        ("Suppl-29", "29", None),  # damaged export
        (None, "288-297", None),
    ],
)
def test_pages_agree(first: str | None, second: str | None, agree: bool | None) -> None:
    assert pages_agree(page_range(first), page_range(second)) is agree
    assert pages_agree(page_range(second), page_range(first)) is agree


# Journals -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("J Adv Nurs", "Journal of Advanced Nursing"),
        ("J. Adv. Nurs.", "JOURNAL OF ADVANCED NURSING"),
        ("N Engl J Med", "The New England journal of medicine"),
        (
            "Cancer epidemiology, biomarkers & prevention : a publication of the American Association "
            "for Cancer Research, cosponsored by the American Society of Preventive Oncology",
            "Cancer Epidemiology Biomarkers and Prevention",
        ),
        ("Ann Fr Anesth Reanim", "Annales Francaises d'Anesthesie et de Reanimation"),
        ("Ann Fr Anesth Reanim", "Annales françaises d’anesthésie et de réanimation"),
        ("Eur J Cancer", "European journal of cancer (Oxford, England : 1990)"),
        ("Oncology (Williston Park, N.Y.)", "Oncology"),
        ("Lancet", "The Lancet"),
        ("BMJ", "BMJ (Clinical research ed.)"),
    ],
)
def test_journal_abbreviations_and_full_names_match(first: str, second: str) -> None:
    assert journals_match(journal_tokens(first), journal_tokens(second))
    assert journals_match(journal_tokens(second), journal_tokens(first))


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("JAMA", "JAMA Surgery"),
        ("Nature", "Nature Medicine"),
        ("J Med", "J Med Chem"),
        ("Journal of Pediatrics", "Journal of Pediatric Surgery"),
        ("Cancer Biology", "Cancer Biology and Therapy"),
        ("Lancet", "Lancet Oncology"),
        ("Physiotherapy", "Physical Therapy"),
    ],
)
def test_different_journals_do_not_match(first: str, second: str) -> None:
    assert not journals_match(journal_tokens(first), journal_tokens(second))
    assert not journals_match(journal_tokens(second), journal_tokens(first))


def test_journal_tokens_drop_articles_prepositions_and_publisher_notes() -> None:
    assert journal_tokens("The New England journal of medicine") == ("new", "england", "journal", "medicine")
    assert journal_tokens("Cancer epidemiology, biomarkers & prevention : a publication of the AACR") == (
        "cancer",
        "epidemiology",
        "biomarkers",
        "prevention",
    )


@pytest.mark.parametrize("journal", [None, "", "The"])
def test_a_missing_journal_matches_nothing(journal: str | None) -> None:
    assert not journals_match(journal_tokens(journal), journal_tokens("Lancet"))


# Authors ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("author", "key"),
    [
        (Author("Smith", "J. A."), "smith"),
        (Author("Smith", "JA"), "smith"),
        (Author("Smith", "John A."), "smith"),
        (Author("SMITH", "J"), "smith"),
        (Author("De Botton", "S"), "botton"),
        (Author("de Botton", "S."), "botton"),
        (Author("Botton", "S"), "botton"),
        (Author("van der Berg", "JA"), "berg"),
        (Author("O'Neill", "J"), "oneill"),
        (Author("Müller", "H"), "muller"),
        (Author("Smith", "J. W., 2nd"), "smith"),
        (Author("Smith Jr", "J"), "smith"),
        (Author("Smith, Jr.", "J"), "smith"),
        (Author("Smith III", "J"), "smith"),
        (Author("De", "X"), "de"),  # a particle on its own is the family name
    ],
)
def test_author_key_is_the_folded_family_name_without_particles_or_suffixes(author: Author, key: str) -> None:
    assert author_keys([author]) == (key,)


def test_author_keys_keep_the_order_of_the_authors() -> None:
    authors = [Author("Smith", "JA"), Author("Nguyen", "T"), Author("Okafor", "CN")]
    assert author_keys(authors) == ("smith", "nguyen", "okafor")
    assert author_keys(list(reversed(authors))) == ("okafor", "nguyen", "smith")


@pytest.mark.parametrize(
    "not_an_author",
    [Author("et al."), Author("et al"), Author("Et Al."), Author("Others"), Author("Anonymous"), Author("")],
)
def test_et_al_anonymous_and_empty_names_are_left_out(not_an_author: Author) -> None:
    authors = [Author("Smith", "JA"), Author("Nguyen", "T"), not_an_author]
    assert author_keys(authors) == ("smith", "nguyen")


def test_et_al_stored_as_an_organisation_is_left_out() -> None:
    assert author_keys([Author("Smith", "JA"), Author("et al.", organisation=True)]) == ("smith",)


def test_et_al_parsed_as_a_name_is_left_out() -> None:
    assert author_keys([Author.parse("Smith, J. A."), Author.parse("et al.")]) == ("smith",)


def test_medline_name_with_initials_and_suffix_keys_on_the_family_name() -> None:
    assert author_keys([Author("Smith JW 2nd")]) == ("smith",)


def test_organisation_authors_keep_their_whole_name() -> None:
    who = Author("World Health Organization", organisation=True)
    assert author_keys([who]) == ("worldhealthorganization",)
    assert name_tokens([who]) == frozenset({"worldhealthorganization"})


def test_name_tokens_add_spelt_out_given_names_but_not_initials() -> None:
    assert name_tokens([Author("Wu", "Ching-yi")]) == frozenset({"wu", "chingyi"})
    assert name_tokens([Author("Smith", "J. A.")]) == frozenset({"smith"})
    assert name_tokens([Author("Smith", "JA")]) == frozenset({"smith"})


def test_name_tokens_of_swapped_family_and_given_names_are_the_same() -> None:
    assert name_tokens([Author("Wu", "Ching-yi")]) == name_tokens([Author("Ching-yi", "Wu")])


def test_initials_with_a_suffix_add_no_given_name_token() -> None:
    assert name_tokens([Author("Smith", "J. W., 2nd")]) == frozenset({"smith"})


def test_page_starts_reads_every_range() -> None:
    from synthesist.dedup.normalize import page_starts

    assert page_starts("233-238+230-235+246-251") == {"233", "230", "246"}
    assert page_starts("230-5, 246-51, 233-8") == {"230", "246", "233"}
    assert page_starts("01-Jun") == frozenset()
    assert page_starts(None) == frozenset()


def test_a_supplement_is_one_issue_however_it_is_spelt() -> None:
    assert {volume_key(text) for text in ("Suppl 1", "Supplement 1", "Supp. 1", "S1", "suppl.1")} == {"s1"}
    assert volume_key("Suppl 2") != volume_key("Suppl 1")
    assert volume_key("12") == "12" and volume_key("Vol. 30A") == "30a"
