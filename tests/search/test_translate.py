"""Acceptance: one strategy rendered for every target, against strings written by hand from each
database's documented syntax; then read back (round trip) and rendered again (stable)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from synthesist.search.model import (
    And,
    Block,
    BlockRef,
    Field,
    Heading,
    Limits,
    Near,
    Not,
    Strategy,
    Term,
    Vocabulary,
)
from synthesist.search.translate import TARGETS, parse, translate
from tests.search.structure import structure

TAK = frozenset({Field.TITLE, Field.ABSTRACT, Field.KEYWORDS})
TI = frozenset({Field.TITLE})

STRATEGY = Strategy(
    "acceptance",
    (
        Block(
            "pain",
            (
                Heading(Vocabulary.MESH, "Back Pain", explode=True),
                Heading(Vocabulary.CINAHL, "Back Pain", explode=True),
                Heading(Vocabulary.EMTREE, "backache", explode=True),
                Term("back pain", phrase=True, fields=TAK),
                Term("backache", fields=TAK),
                Term("lumbago", fields=TAK),
            ),
            "Chronic back pain",
        ),
        Block(
            "self",
            (
                Heading(Vocabulary.MESH, "Self Care", major=True),
                Heading(Vocabulary.APA, "Self-Management", explode=True),
                Term("self manag*", phrase=True, fields=TAK),
                Near((Term("shared"),), (Term("decision"),), 3, fields=TAK),
            ),
        ),
        Block("animals", (Term("animal*", fields=TI),)),
    ),
    Not(And((BlockRef("pain"), BlockRef("self"))), BlockRef("animals")),
    Limits(year_from=1980, year_to=2014, languages=("English",)),
)

EXPECTED = {
    "pubmed": """\
#1 "Back Pain"[Mesh] OR "back pain"[tiab] OR backache[tiab] OR lumbago[tiab]
#2 "Self Care"[Majr:NoExp] OR "self manag*"[tiab] OR "shared decision"[tiab:~2]
#3 animal*[ti]
#4 (#1 AND #2) NOT #3
#5 #4 AND 1980:2014[dp] AND english[la]""",
    "ovid-medline": """\
1 exp Back Pain/
2 ("back pain" or backache or lumbago).ti,ab,kf.
3 1 or 2
4 *Self Care/
5 ("self manag*" or (shared adj3 decision)).ti,ab,kf.
6 4 or 5
7 animal*.ti.
8 (3 and 6) not 7
9 limit 8 to (english language and yr="1980 - 2014")""",
    "ovid-embase": """\
1 exp backache/
2 ("back pain" or backache or lumbago).ti,ab,kf.
3 1 or 2
4 ("self manag*" or (shared adj3 decision)).ti,ab,kf.
5 animal*.ti.
6 (3 and 4) not 5
7 limit 6 to (english language and yr="1980 - 2014")""",
    "ovid-psycinfo": """\
1 ("back pain" or backache or lumbago).ti,ab,id.
2 exp Self-Management/
3 ("self manag*" or (shared adj3 decision)).ti,ab,id.
4 2 or 3
5 animal*.ti.
6 (1 and 4) not 5
7 limit 6 to (english language and yr="1980 - 2014")""",
    "ebsco-cinahl": """\
S1 (MH "Back Pain+")
S2 TI ( "back pain" OR backache OR lumbago ) OR AB ( "back pain" OR backache OR lumbago )
S3 S1 OR S2
S4 TI ( "self manag*" OR (shared N3 decision) ) OR AB ( "self manag*" OR (shared N3 decision) )
S5 TI ( animal* )
S6 (S3 AND S4) NOT S5
S7 S6 Limiters - Published Date: 19800101-20141231; Language: English""",
    "embase-com": """\
#1 'backache'/exp
#2 ('back pain' OR backache OR lumbago):ti,ab,kw
#3 #1 OR #2
#4 ('self manag*' OR (shared NEAR/3 decision)):ti,ab,kw
#5 animal*:ti
#6 (#3 AND #4) NOT #5
#7 #6 AND [english]/lim AND [1980-2014]/py""",
    "cochrane": """\
#1 MeSH descriptor: [Back Pain] explode all trees
#2 ("back pain" OR backache OR lumbago):ti,ab,kw
#3 #1 OR #2
#4 MeSH descriptor: [Self Care] this term only
#5 ("self manag*" OR (shared NEAR/3 decision)):ti,ab,kw
#6 #4 OR #5
#7 animal*:ti
#8 (#3 AND #6) NOT #7
#9 #8 with Publication Year from 1980 to 2014""",
    "wos": """\
#1 TS=("back pain" OR backache OR lumbago)
#2 TS=("self manag*" OR (shared NEAR/3 decision))
#3 TI=(animal*)
#4 (#1 AND #2) NOT #3
#5 #4 AND PY=(1980-2014) AND LA=(English)""",
    "scopus": (
        '(((TITLE-ABS-KEY("back pain" OR backache OR lumbago)) AND '
        '(TITLE-ABS-KEY("self manag*" OR (shared W/3 decision)))) AND NOT (TITLE(animal*))) '
        'AND PUBYEAR > 1979 AND PUBYEAR < 2015 AND LIMIT-TO(LANGUAGE, "English")'
    ),
    "europepmc": (
        '(((MESH_HEADING:"Back Pain" OR TITLE:("back pain" OR backache OR lumbago) OR '
        'ABSTRACT:("back pain" OR backache OR lumbago) OR KW:("back pain" OR backache OR lumbago)) AND '
        '(MESH_HEADING:"Self Care" OR TITLE:("self manag*" OR "shared decision"~2) OR '
        'ABSTRACT:("self manag*" OR "shared decision"~2) OR KW:("self manag*" OR "shared decision"~2))) '
        "NOT (TITLE:(animal*))) AND PUB_YEAR:[1980 TO 2014] AND LANG:eng"
    ),
}

# What each note must mention (the notes say what the database cannot express and what was done)
EXPECTED_NOTES = {
    "pubmed": [],  # the MeSH headings are used; the other thesauri's are simply not PubMed's
    "ovid-medline": [],
    "ovid-embase": ["block 'self' has no Emtree headings (only APA Thesaurus, MeSH)"],
    "ovid-psycinfo": ["block 'Chronic back pain' has no APA Thesaurus headings (only CINAHL, Emtree, MeSH)"],
    "ebsco-cinahl": [
        "no author keywords field: searched in title and abstract only",
        "block 'self' has no CINAHL headings",
    ],
    "embase-com": ["block 'self' has no Emtree headings"],
    "cochrane": ["no major-topic search", "no language limit"],
    "wos": ["Web of Science has no subject headings"],
    "scopus": ["Scopus has no subject headings"],
    "europepmc": ["does not explode MeSH", "no major-topic search"],
}


def test_every_target_has_an_expected_rendering() -> None:
    assert set(EXPECTED) == set(TARGETS)


@pytest.mark.parametrize("target", TARGETS)
def test_rendering_matches_the_databases_syntax(target: str) -> None:
    translation = translate(STRATEGY, target)
    assert translation.text == EXPECTED[target]
    assert translation.target == target
    notes = " | ".join(note.message for note in translation.notes)
    for fragment in EXPECTED_NOTES[target]:
        assert fragment in notes
    if target in ("pubmed", "ovid-medline"):
        assert "headings" not in notes, notes


def test_pubmed_query_is_one_expression_for_the_api() -> None:
    query = translate(STRATEGY, "pubmed").query
    assert query == (
        '((("Back Pain"[Mesh] OR "back pain"[tiab] OR backache[tiab] OR lumbago[tiab]) AND '
        '("Self Care"[Majr:NoExp] OR "self manag*"[tiab] OR "shared decision"[tiab:~2])) NOT (animal*[ti])) '
        "AND 1980:2014[dp] AND english[la]"
    )
    assert "#" not in query


def test_one_expression_targets_have_one_line_and_query_equal_to_it() -> None:
    for target in ("scopus", "europepmc"):
        translation = translate(STRATEGY, target)
        assert translation.lines == (translation.query,)


def test_notes_carry_the_line_they_are_about() -> None:
    notes = translate(STRATEGY, "cochrane").notes
    assert any(note.line == 4 and "major" in note.message for note in notes)
    assert any(note.line == 9 and "language" in note.message for note in notes)


def expressible(strategy: Strategy, target: str) -> Strategy:
    """``strategy`` reduced to what ``target`` expresses (as its notes say), for the round trip."""
    keep = {
        "pubmed": {Vocabulary.MESH},
        "ovid-medline": {Vocabulary.MESH},
        "ovid-embase": {Vocabulary.EMTREE},
        "ovid-psycinfo": {Vocabulary.APA},
        "ebsco-cinahl": {Vocabulary.CINAHL},
        "embase-com": {Vocabulary.EMTREE},
        "cochrane": {Vocabulary.MESH},
        "europepmc": {Vocabulary.MESH},
    }.get(target, set())
    blocks = []
    for block in strategy.blocks:
        items = []
        for item in block.items:
            if isinstance(item, Heading):
                if item.vocabulary not in keep:
                    continue
                if target == "cochrane":
                    item = replace(item, major=False)
                if target == "europepmc":
                    item = replace(item, explode=False, major=False)
            elif target == "ebsco-cinahl" and Field.KEYWORDS in item.fields:
                item = replace(item, fields=item.fields - {Field.KEYWORDS})
            items.append(item)
        blocks.append(replace(block, items=tuple(items)))
    limits = strategy.limits
    if target == "cochrane":
        limits = replace(limits, languages=())
    return replace(strategy, blocks=tuple(blocks), limits=limits)


@pytest.mark.parametrize("target", TARGETS)
def test_round_trip_reads_back_what_the_target_expresses(target: str) -> None:
    text = translate(STRATEGY, target).text
    parsed = parse(text, target)
    assert structure(parsed) == structure(expressible(STRATEGY, target))
    assert translate(parsed, target).text == text


@pytest.mark.parametrize("target", TARGETS)
def test_the_query_parses_back_too(target: str) -> None:
    translation = translate(STRATEGY, target)
    parsed = parse(translation.query, target)
    expected = expressible(STRATEGY, target)
    if target in {"ovid-medline", "ovid-embase", "ovid-psycinfo", "ebsco-cinahl", "cochrane"}:
        expected = replace(expected, limits=Limits())  # limits are commands there, not query terms
    if target == "cochrane":  # one expression writes MeSH as [mh "..."]
        assert "[mh" in translation.query
    assert structure(parsed) == structure(expected)


def test_parsed_blocks_get_names_from_their_first_term() -> None:
    parsed = parse(EXPECTED["ovid-medline"], "ovid-medline")
    assert [block.name for block in parsed.blocks] == ["back_pain", "self_care", "animal"]
    assert parsed.name == "pasted"
    assert parse(EXPECTED["wos"], "wos", name="mine").name == "mine"


FEATURES = Strategy(
    "features",
    (
        Block(
            "pain",
            (
                Heading(Vocabulary.MESH, "Pain", explode=True, major=True),
                Heading(Vocabulary.CINAHL, "Pain", explode=True, major=True),
                Heading(Vocabulary.EMTREE, "pain", explode=True, major=True),
                Term("pain", fields=TI),
                Term("ache", fields=frozenset({Field.ABSTRACT})),
            ),
        ),
        Block(
            "low_back",
            (Near((Term("low"),), (Term("back"),), 1, True, frozenset({Field.TITLE, Field.ABSTRACT})),),
        ),
    ),
    And((BlockRef("pain"), BlockRef("low_back"))),
    Limits(2000, 2010, ("English", "French"), ("Journal Article",), humans=True),
)

FEATURES_EXPECTED = {
    "pubmed": """\
#1 "Pain"[Majr] OR pain[ti] OR ache[tiab]
#2 "low back"[tiab:~0]
#3 #1 AND #2
#4 #3 AND 2000:2010[dp] AND (english[la] OR french[la]) AND "Journal Article"[pt] AND humans[mh]""",
    "ovid-medline": """\
1 exp *Pain/
2 pain.ti.
3 ache.ab.
4 or/1-3
5 (low adj back).ti,ab.
6 4 and 5
7 limit 6 to ((english or french) language and humans and journal article and yr="2000 - 2010")""",
    "ebsco-cinahl": """\
S1 (MM "Pain+")
S2 TI ( pain )
S3 AB ( ache )
S4 S1 OR S2 OR S3
S5 TI ( low W1 back ) OR AB ( low W1 back )
S6 S4 AND S5
S7 S6 Limiters - Published Date: 20000101-20101231; Language: English, French; \
Publication Type: Journal Article; Human""",
    "embase-com": """\
#1 'pain'/exp/mj
#2 pain:ti
#3 ache:ab
#4 #1 OR #2 OR #3
#5 (low NEXT/1 back):ti,ab
#6 #4 AND #5
#7 #6 AND ([english]/lim OR [french]/lim) AND [journal article]/lim AND [humans]/lim AND [2000-2010]/py""",
    "cochrane": """\
#1 MeSH descriptor: [Pain] explode all trees
#2 pain:ti
#3 ache:ab
#4 #1 OR #2 OR #3
#5 (low NEXT back):ti,ab
#6 #4 AND #5
#7 #6 with Publication Year from 2000 to 2010""",
    "scopus": (
        "(TITLE(pain) OR ABS(ache)) AND (TITLE-ABS(low PRE/1 back)) AND "
        "PUBYEAR > 1999 AND PUBYEAR < 2011 AND "
        '(LIMIT-TO(LANGUAGE, "English") OR LIMIT-TO(LANGUAGE, "French")) AND LIMIT-TO(DOCTYPE, "ar")'
    ),
}


@pytest.mark.parametrize("target", sorted(FEATURES_EXPECTED))
def test_major_headings_ordered_proximity_line_ranges_and_every_limit(target: str) -> None:
    assert translate(FEATURES, target).text == FEATURES_EXPECTED[target]


def test_what_pubmed_cannot_express_is_noted() -> None:
    notes = " | ".join(note.message for note in translate(FEATURES, "pubmed").notes)
    assert "no abstract-only field" in notes
    assert "does not keep word order" in notes
    wildcard = replace(FEATURES, blocks=(Block("w", (Term("wom?n", fields=TI),)),), combine=BlockRef("w"))
    translation = translate(wildcard, "pubmed")
    assert translation.lines == (
        "#1 wom*[ti]",
        '#2 #1 AND 2000:2010[dp] AND (english[la] OR french[la]) AND "Journal Article"[pt] AND humans[mh]',
    )
    assert "no single-character wildcard" in translation.notes[0].message


def test_what_scopus_and_wos_cannot_express_is_noted() -> None:
    assert "Scopus has no humans limit" in " ".join(n.message for n in translate(FEATURES, "scopus").notes)
    wos = " ".join(n.message for n in translate(FEATURES, "wos").notes)
    assert "does not keep word order" in wos
    assert "no humans limit" in wos
