"""Extracted values: what a person typed, checked against the field's type and kept in one
canonical text form (pure; no I/O).

The canonical form is what storage keeps, what two reviewers' extractions are compared on, and
what CSV files carry: ``parse_value(field, export_text(field, v)) == v`` for every stored ``v``
(a round trip tested with Hypothesis). Per type:

- short text: one line, runs of spaces collapsed; long text: lines kept, trailing spaces dropped;
- number: a plain decimal such as ``12`` or ``3.5`` (no exponent, no thousands separator);
- choice: the choice as the form spells it; multi-choice: the choices in the form's order,
  joined by ``"; "``;
- date: ISO 8601, as precise as given: ``2012-03-04``, ``2012-03`` or ``2012``;
- participant counts: ``patients=12, professionals=3, total=15`` (groups in the form's order,
  the total always present: the groups' sum unless given).

A value that does not fit raises :class:`ValueProblem` saying what is wrong with the value; the
service adds which study and field it was for.
"""

from __future__ import annotations

import difflib
import re
from datetime import date
from decimal import Decimal, InvalidOperation

from synthesist.records.clean import remove_controls
from synthesist.records.model import Author, Record
from synthesist.review.extraction_settings import MULTI_CHOICE_SEPARATOR, ExtractionField

__all__ = [
    "ValueProblem",
    "derived_value",
    "display_value",
    "export_text",
    "parse_value",
    "same_value",
]


class ValueProblem(ValueError):
    """A value that does not fit its field; the message says why and what would."""


def parse_value(field: ExtractionField, text: str) -> str | None:
    """The canonical form of ``text`` for ``field``; ``None`` when it is empty (no value)."""
    text = remove_controls(text)  # typed or pasted escape sequences must not reach a terminal
    if not text.strip():
        return None
    parse = _PARSERS[field.type]
    return parse(field, text) or None  # only control characters is no value either


def export_text(field: ExtractionField, stored: str) -> str:
    """How a stored value is written to a CSV file (reads back to the same value)."""
    del field  # every canonical form already reads back to itself
    return stored


def display_value(field: ExtractionField, stored: str | None) -> str:
    """How a stored value reads in a table or on screen."""
    if stored is None:
        return ""
    if field.type == "number" and field.unit:
        return f"{stored} {field.unit}"
    if field.type == "participant_counts":
        counts = _counts(stored)
        total = counts.pop("total")
        if not counts:
            return str(total)
        shown = ", ".join(f"{count} {group}" for group, count in counts.items())
        return f"{shown} (total {total})"
    return stored


def same_value(field: ExtractionField, first: str | None, second: str | None) -> bool:
    """Whether two reviewers' values agree: exactly for structured types; for text, regardless of
    case and spacing (two people never type a passage with the same line breaks)."""
    if first is None or second is None:
        return first is second
    if field.type in ("short_text", "long_text"):
        return " ".join(first.split()).casefold() == " ".join(second.split()).casefold()
    return first == second


def derived_value(field: ExtractionField, record: Record | None) -> str | None:
    """The value ``from_record`` fills in from the study's first included record, if any."""
    if record is None or field.from_record is None:
        return None
    if field.from_record == "authors":
        text = ", ".join(_short_name(author) for author in record.authors if author.family)
    elif field.from_record == "year":
        text = str(record.year) if record.year else ""
    elif field.from_record == "title":
        text = record.title or ""
    else:
        text = record.journal or ""
    try:
        return parse_value(field, text)
    except ValueProblem:
        return None  # e.g. a year outside the field's range: leave it for a person to fill in


def _short_name(author: Author) -> str:
    """``Cooper K``, ``Smith BH``: the family name and initials, as tables of studies cite them."""
    if author.organisation or not author.given:
        return author.family
    initials = "".join(part[0] for part in re.split(r"[\s.\-]+", author.given) if part and part[0].isalpha())
    return f"{author.family} {initials.upper()}"


# -- text ----------------------------------------------------------------------------------------


# Control characters (a PDF's form feed, a NUL pasted from elsewhere) are invisible, and Word and
# XML refuse them; tabs and line breaks are kept where the type keeps them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _short_text(field: ExtractionField, text: str) -> str:
    return " ".join(_CONTROL.sub(" ", text).split())


def _long_text(field: ExtractionField, text: str) -> str:
    text = _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [line.rstrip() for line in text.split("\n")]
    joined = "\n".join(lines).strip()
    return re.sub(r"\n{3,}", "\n\n", joined)  # one blank line is a paragraph break; more is noise


# -- numbers -------------------------------------------------------------------------------------

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def _number(field: ExtractionField, text: str) -> str:
    cleaned = " ".join(text.split())
    if field.unit and cleaned.casefold().endswith(field.unit.casefold()):
        cleaned = cleaned[: -len(field.unit)].strip()  # "45 years" in a field measured in years
    if "," in cleaned and _NUMBER.match(cleaned.replace(",", "")):
        raise ValueProblem(
            f"{text.strip()!r} has a comma; write numbers with a point for decimals and no "
            "thousands separator, e.g. 1234.5"
        )
    if not _NUMBER.match(cleaned):
        unit = f" (in {field.unit})" if field.unit else ""
        raise ValueProblem(f"{text.strip()!r} is not a number; expected e.g. 12 or 3.5{unit}")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise ValueProblem(f"{text.strip()!r} is not a number") from None
    if field.integer and number != number.to_integral_value():
        raise ValueProblem(f"{text.strip()!r} is not a whole number; this field counts whole units")
    if field.min is not None and number < Decimal(str(field.min)):
        raise ValueProblem(f"{_plain(number)} is below the smallest allowed value, {field.min:g}")
    if field.max is not None and number > Decimal(str(field.max)):
        raise ValueProblem(f"{_plain(number)} is above the largest allowed value, {field.max:g}")
    return _plain(number)


def _plain(number: Decimal) -> str:
    """``12``, ``3.5``, ``0.001``: no exponent, no trailing zeros, no ``-0``."""
    text = format(number.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# -- choices -------------------------------------------------------------------------------------


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _one_choice(field: ExtractionField, text: str) -> str:
    wanted = _key(text)
    for choice in field.choices:
        if _key(choice) == wanted:
            return choice
    listed = ", ".join(f'"{choice}"' for choice in field.choices)
    close = difflib.get_close_matches(text.strip(), field.choices, n=1, cutoff=0.7)
    suggestion = f' (did you mean "{close[0]}"?)' if close else ""
    raise ValueProblem(f"{text.strip()!r} is not one of the choices{suggestion}: {listed}")


def _choice(field: ExtractionField, text: str) -> str:
    return _one_choice(field, text)


def _multi_choice(field: ExtractionField, text: str) -> str:
    parts = [part for part in re.split(rf"[{MULTI_CHOICE_SEPARATOR}\n]", text) if part.strip()]
    picked = {_one_choice(field, part) for part in parts}
    return f"{MULTI_CHOICE_SEPARATOR} ".join(choice for choice in field.choices if choice in picked)


# -- dates ---------------------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$")  # 2012, 2012-03, 2012/03/04
_NUMERIC_DMY = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$")  # 04/03/2012, 4.3.2012
_WORDS = re.compile(r"[A-Za-z]+|\d+")


def _date(field: ExtractionField, text: str) -> str:
    cleaned = " ".join(text.split()).rstrip(".")
    iso = _ISO.match(cleaned)
    if iso:
        month, day = (int(part) if part else None for part in iso.groups()[1:])
        return _checked_date(text, int(iso.group(1)), month, day)
    numeric = _NUMERIC_DMY.match(cleaned)
    if numeric:
        a, separator, b, year = int(numeric[1]), numeric[2], int(numeric[3]), int(numeric[4])
        if separator == "/" and a <= 12 and b <= 12 and a != b:
            # 04/03/2012 is 4 March in Europe and April 3 in the United States
            raise ValueProblem(
                f"{text.strip()!r} could be day/month or month/day; write it as "
                f"{year:04d}-{b:02d}-{a:02d} or {year:04d}-{a:02d}-{b:02d}"
            )
        day, month = (b, a) if separator == "/" and b > 12 else (a, b)
        return _checked_date(text, year, month, day)
    return _date_in_words(text, cleaned)


def _date_in_words(text: str, cleaned: str) -> str:
    """``4 March 2012``, ``March 4, 2012``, ``Mar 2012``."""
    tokens = _WORDS.findall(cleaned)
    if not tokens or len(tokens) > 3 or len(tokens) != len(cleaned.replace(",", " ").split()):
        raise _not_a_date(text)
    months = [_MONTHS.get(token.casefold()) for token in tokens if token.isalpha()]
    numbers = [int(token) for token in tokens if token.isdigit()]
    if len(months) != 1 or months[0] is None or len(numbers) not in (1, 2):
        raise _not_a_date(text)
    years = [number for number in numbers if number >= 1000]
    days = [number for number in numbers if number < 1000]
    if len(years) != 1 or len(days) > 1:
        raise _not_a_date(text)
    return _checked_date(text, years[0], months[0], days[0] if days else None)


def _checked_date(text: str, year: int, month: int | None, day: int | None) -> str:
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        raise ValueProblem(f"{text.strip()!r} has no month {month}; expected a date such as 2012-03-04")
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise ValueProblem(f"{text.strip()!r} is not a day of the calendar") from None


def _not_a_date(text: str) -> ValueProblem:
    return ValueProblem(
        f"{text.strip()!r} is not a date; expected e.g. 2012-03-04, 4 March 2012, March 2012 or 2012"
    )


# -- participant counts --------------------------------------------------------------------------

_PART = re.compile(
    r"^(?:(?P<name>[^=:\d][^=:]*?)\s*[=:]?\s*(?P<count>[+-]?\d+)|(?P<count2>[+-]?\d+)\s+(?P<name2>\D.*))$"
)


def _participant_counts(field: ExtractionField, text: str) -> str:
    groups = {group.casefold(): group for group in field.groups}
    counts: dict[str, int] = {}
    total: int | None = None
    parts = [" ".join(part.split()) for part in re.split(r"[,;\n]", text) if part.strip()]
    if len(parts) == 1 and re.fullmatch(r"[+-]?\d+", parts[0]):
        total = _count(parts[0], "the total")
        parts = []
    for part in parts:
        match = _PART.match(part)
        if match is None:
            raise ValueProblem(
                f"{part!r} is not a count; write e.g. {_example(field)} (a group, then its number)"
            )
        name = (match["name"] or match["name2"]).strip()
        number = _count(match["count"] or match["count2"], name)
        if name.casefold() == "total":
            total = number
        elif name.casefold() in groups:
            if groups[name.casefold()] in counts:
                raise ValueProblem(f"{name!r} is counted twice")
            counts[groups[name.casefold()]] = number
        else:
            known = ", ".join(f'"{group}"' for group in field.groups) or "none: give only the total"
            raise ValueProblem(f"{name!r} is not one of the groups counted ({known}) or total")
    counted = sum(counts.values())
    if total is None:
        total = counted
    elif total < counted:
        raise ValueProblem(f"the total, {total}, is less than the groups' sum, {counted}")
    shown = [f"{group}={counts[group]}" for group in field.groups if group in counts]
    return ", ".join([*shown, f"total={total}"])


def _count(text: str, what: str) -> int:
    number = int(text)
    if number < 0:
        raise ValueProblem(f"the count for {what} is negative ({number})")
    return number


def _example(field: ExtractionField) -> str:
    if not field.groups:
        return "24 or total=24"
    return ", ".join(f"{group}={12 - 9 * index}" for index, group in enumerate(field.groups[:2]))


def _counts(stored: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for part in stored.split(", "):
        name, _, number = part.rpartition("=")
        counts[name] = int(number)
    return counts


_PARSERS = {
    "short_text": _short_text,
    "long_text": _long_text,
    "number": _number,
    "choice": _choice,
    "multi_choice": _multi_choice,
    "date": _date,
    "participant_counts": _participant_counts,
}
