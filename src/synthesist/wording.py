"""Counts and articles in text a person reads: "1 record", "2 records", "an owner", "1 record has".

Every count shown in the CLI, the web app, messages and the report goes through these helpers, so
no sentence says "1 records" or "a owner". Irregular plurals are given where they are used
(``plural(n, "study", "studies")``) rather than guessed by rules that fail on "analysis" or "criteria".
"""

from __future__ import annotations

__all__ = ["a_or_an", "count_phrase", "plural", "plural_word", "verb_for"]

# Words spelt with a vowel letter but said with a consonant sound ("a user", "a one-off"), and the
# reverse ("an hour"); the initial letter decides for every other word.
_CONSONANT_SOUND_PREFIXES = (
    "one",
    "once",
    "unique",
    "unit",
    "univers",
    "uniform",
    "union",
    "use",
    "usu",
    "eu",
)
_VOWEL_SOUND_PREFIXES = ("hour", "honest", "honour", "heir")
# Letters said with a vowel sound when they stand alone, as in an acronym: "an RIS file", "an MMAT category".
_VOWEL_SOUND_LETTERS = set("AEFHILMNORSX")


def plural_word(count: int, singular: str, plural_form: str | None = None) -> str:
    """The noun alone, agreeing with ``count``: ``plural_word(2, "record")`` is "records"."""
    if count == 1:
        return singular
    return plural_form if plural_form is not None else singular + "s"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """The count and its noun: ``plural(1, "record")`` is "1 record", ``plural(3, "study", "studies")``
    is "3 studies". Without ``plural_form`` the plural adds "s"."""
    return f"{count} {plural_word(count, singular, plural_form)}"


def verb_for(count: int, singular: str, plural_form: str) -> str:
    """The verb agreeing with ``count`` when the noun is left out: "1 was excluded", "3 were excluded"."""
    return singular if count == 1 else plural_form


def count_phrase(
    count: int, singular: str, plural_form: str | None = None, *, verb: tuple[str, str] | None = None
) -> str:
    """The count, its noun and a verb agreeing with both: ``count_phrase(1, "record", verb=("has", "have"))``
    is "1 record has"; with 2 it is "2 records have". ``verb`` is (singular form, plural form)."""
    phrase = plural(count, singular, plural_form)
    if verb is None:
        return phrase
    return f"{phrase} {verb_for(count, *verb)}"


def a_or_an(word: str) -> str:
    """The word with its indefinite article: "an owner", "a reviewer", "a user", "an hour", "an RIS file"."""
    stripped = word.strip()
    if not stripped:
        return word
    first_word = stripped.split()[0]
    lowered = first_word.lower()
    if len(first_word) > 1 and first_word.isupper():
        vowel_sound = first_word[0] in _VOWEL_SOUND_LETTERS
    elif lowered.startswith(_VOWEL_SOUND_PREFIXES):
        vowel_sound = True
    elif lowered.startswith(_CONSONANT_SOUND_PREFIXES):
        vowel_sound = False
    else:
        vowel_sound = lowered[0] in "aeiou"
    return f"{'an' if vowel_sound else 'a'} {word}"
