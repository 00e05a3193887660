"""Property: any strategy a target can express renders, parses back to the same structure, and renders
to the same text again. The generators keep to what each target expresses (its notes say the rest)."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from synthesist.search.model import (
    And,
    Block,
    BlockRef,
    Combination,
    Field,
    Heading,
    Item,
    Limits,
    Near,
    Not,
    Or,
    Strategy,
    Term,
    Vocabulary,
)
from synthesist.search.translate import TARGETS, parse, translate
from tests.search.structure import structure

TI, AB, KW = Field.TITLE, Field.ABSTRACT, Field.KEYWORDS
ANY_FIELDS = [frozenset(s) for s in ([], [TI], [AB], [KW], [TI, AB], [TI, KW], [AB, KW], [TI, AB, KW])]
WORDS = ["pain", "back", "lumbar", "spine", "partner", "nurse", "therapy", "coping", "care", "exercise"]
HEADING_WORDS = ["Back Pain", "Self Care", "Nurse Patient Relations", "Exercise Therapy", "Coping"]


@dataclass(frozen=True)
class Capabilities:
    fields: list[frozenset[Field]]
    vocabulary: Vocabulary | None
    explode: bool = True
    major: bool = True
    wildcard: bool = True  # ? for one character
    phrases_in_near: bool = True
    near_groups: bool = True  # OR groups and truncation inside proximity
    near_fields: list[frozenset[Field]] | None = None
    ordered: str = "any"  # "any", "adjacent" (only distance 1 in order), "none"
    humans: bool = True
    publication_types: bool = True
    languages: bool = True


OVID = Capabilities(ANY_FIELDS, Vocabulary.MESH, ordered="adjacent")
CAPABILITIES = {
    "pubmed": Capabilities(
        [frozenset(), frozenset({TI}), frozenset({TI, AB, KW}), frozenset({KW}), frozenset({TI, KW})],
        Vocabulary.MESH,
        wildcard=False,
        phrases_in_near=False,
        near_groups=False,
        near_fields=[frozenset({TI}), frozenset({TI, AB, KW})],
        ordered="none",
    ),
    "ovid-medline": OVID,
    "ovid-embase": Capabilities(ANY_FIELDS, Vocabulary.EMTREE, ordered="adjacent"),
    "ovid-psycinfo": Capabilities(ANY_FIELDS, Vocabulary.APA, ordered="adjacent"),
    "ebsco-cinahl": Capabilities(
        [frozenset(), frozenset({TI}), frozenset({AB}), frozenset({TI, AB})], Vocabulary.CINAHL
    ),
    "embase-com": Capabilities(ANY_FIELDS, Vocabulary.EMTREE),
    "cochrane": Capabilities(
        ANY_FIELDS,
        Vocabulary.MESH,
        major=False,
        ordered="adjacent",
        humans=False,
        publication_types=False,
        languages=False,
    ),
    "wos": Capabilities(ANY_FIELDS, None, ordered="none", humans=False),
    "scopus": Capabilities(ANY_FIELDS, None, humans=False, publication_types=False),
    "europepmc": Capabilities(
        ANY_FIELDS,
        Vocabulary.MESH,
        explode=False,
        major=False,
        phrases_in_near=False,
        near_groups=False,
        ordered="none",
        humans=False,
    ),
}


def words(caps: Capabilities, *, plain: bool = False) -> st.SearchStrategy[Term]:
    @st.composite
    def build(draw: st.DrawFn) -> Term:
        count = 1 if plain or not caps.phrases_in_near else draw(st.integers(1, 2))
        text = " ".join(draw(st.sampled_from(WORDS)) for _ in range(count))
        if not plain and draw(st.booleans()):
            text += "*"
        return Term(text, phrase=count > 1 and not plain)

    return build()


@st.composite
def items(draw: st.DrawFn, caps: Capabilities) -> list[Item]:
    found: list[Item] = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["term", "term", "near", "heading"]))
        if kind == "heading" and caps.vocabulary is not None:
            found.append(
                Heading(
                    caps.vocabulary,
                    draw(st.sampled_from(HEADING_WORDS)),
                    explode=caps.explode and draw(st.booleans()),
                    major=caps.major and draw(st.booleans()),
                )
            )
        elif kind == "near":
            plain = not caps.near_groups
            size = 1 if plain else 2
            left = tuple(draw(st.lists(words(caps, plain=plain), min_size=1, max_size=size)))
            right = tuple(draw(st.lists(words(caps, plain=plain), min_size=1, max_size=size)))
            ordered = caps.ordered != "none" and draw(st.booleans())
            distance = 1 if ordered and caps.ordered == "adjacent" else draw(st.integers(1, 9))
            fields = draw(st.sampled_from(caps.near_fields or caps.fields))
            found.append(Near(left, right, distance, ordered, fields))
        else:
            text = " ".join(draw(st.sampled_from(WORDS)) for _ in range(draw(st.integers(1, 2))))
            if caps.wildcard and draw(st.booleans()):
                text = text[:2] + "?" + text[3:]
            elif draw(st.booleans()):
                text += "*"
            found.append(Term(text, phrase=draw(st.booleans()), fields=draw(st.sampled_from(caps.fields))))
    # one term text once per block: two field groups with the same terms read back as one group
    texts = [item.text for item in found if isinstance(item, Term)]
    if len(texts) != len(set(texts)):
        return [
            item
            for index, item in enumerate(found)
            if not isinstance(item, Term) or item.text not in texts[:index]
        ]
    return found


@st.composite
def strategies(draw: st.DrawFn, target: str) -> Strategy:
    caps = CAPABILITIES[target]
    count = draw(st.integers(2, 4))
    blocks = tuple(Block(f"b{index}", tuple(draw(items(caps)))) for index in range(1, count + 1))
    refs: list[Combination] = [BlockRef(block.name) for block in blocks]
    shape = draw(st.sampled_from(["and", "or", "not", "nested"]))
    combine: Combination
    if shape == "and":
        combine = And(tuple(refs))
    elif shape == "or":
        combine = Or(tuple(refs))
    elif shape == "not":
        combine = Not(refs[0] if count == 2 else And(tuple(refs[:-1])), refs[-1])
    else:
        combine = And((refs[0], refs[1])) if count == 2 else And((refs[0], Or(tuple(refs[1:]))))
    limits = Limits()
    if draw(st.booleans()):
        first = draw(st.integers(1950, 2000))
        limits = Limits(
            year_from=first,
            year_to=first + draw(st.integers(0, 20)),
            languages=tuple(
                draw(st.lists(st.sampled_from(["English", "French", "German"]), max_size=2, unique=True))
            )
            if caps.languages
            else (),
            publication_types=("Journal Article",) if caps.publication_types and draw(st.booleans()) else (),
            humans=caps.humans and draw(st.booleans()),
        )
    return Strategy("generated", blocks, combine, limits)


def _check(strategy: Strategy, target: str) -> None:
    translation = translate(strategy, target)
    assert translation.notes == () or all("headings" not in n.message for n in translation.notes)
    parsed = parse(translation.text, target)
    assert structure(parsed) == structure(strategy), translation.text
    assert translate(parsed, target).text == translation.text


def _property(target: str) -> None:
    @settings(max_examples=60, deadline=None)
    @given(strategies(target))
    def run(strategy: Strategy) -> None:
        _check(strategy, target)

    run()


def test_every_target_has_capabilities() -> None:
    assert set(CAPABILITIES) == set(TARGETS)


def test_round_trip_pubmed() -> None:
    _property("pubmed")


def test_round_trip_ovid_medline() -> None:
    _property("ovid-medline")


def test_round_trip_ovid_embase() -> None:
    _property("ovid-embase")


def test_round_trip_ovid_psycinfo() -> None:
    _property("ovid-psycinfo")


def test_round_trip_ebsco_cinahl() -> None:
    _property("ebsco-cinahl")


def test_round_trip_embase_com() -> None:
    _property("embase-com")


def test_round_trip_cochrane() -> None:
    _property("cochrane")


def test_round_trip_wos() -> None:
    _property("wos")


def test_round_trip_scopus() -> None:
    _property("scopus")


def test_round_trip_europepmc() -> None:
    _property("europepmc")
