"""The protocol page's forms: what each section's inputs show, and the edit a submitted form makes.

Inputs are named by their TOML key path (``criteria.inclusion``, ``search.databases.1.name``), so a
problem the protocol check names (``search.databases[1].name``) finds its input by that path. Lists
of text are one item per line. A value is passed to the protocol check as typed when it does not
read as what the setting expects (``min = "about 3"``), so the message is the CLI's own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import tomlkit

from synthesist.errors import ProtocolEditRefused
from synthesist.services.protocol_edit.document import aot_rows, put, set_rows, table_at
from synthesist.toml_lines import KeyPath

__all__ = [
    "EXTRACTION_FIELD_KEYS",
    "SECTIONS",
    "FormData",
    "SectionForm",
    "input_for",
    "row_count",
    "section_values",
]

FormData = Mapping[str, Sequence[str]]
Change = Callable[[tomlkit.TOMLDocument], None]

STAGES = ("title_abstract", "full_text")
DATABASE_KEYS = ("name", "platform", "searched_on")
EXTRACTION_FIELD_KEYS = (
    "name", "label", "type", "required", "help", "choices", "unit", "min", "max", "integer", "groups",
    "from_record",
)  # fmt: skip
RULE_KEYS = ("rating", "when", "unstated", "note")
THEME_KEYS = ("name", "definition", "key_terms", "parent", "level", "codes")
_INTEGER = re.compile(r"^[+-]?\d+$")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


# -- reading a submitted form ------------------------------------------------------------------------


def _one(form: FormData, name: str) -> str:
    values = form.get(name) or [""]
    return values[-1].strip()


def _optional(form: FormData, name: str) -> str | None:
    return _one(form, name) or None


def _lines(form: FormData, name: str) -> list[str]:
    return [line.strip() for line in _one(form, name).splitlines() if line.strip()]


def _ticked(form: FormData, name: str) -> bool:
    return any(value.strip() for value in form.get(name, ()))  # a checkbox sends its value only when ticked


def _year_or_date(text: str) -> int | date | str | None:
    if not text:
        return None
    if _INTEGER.match(text):
        return int(text)
    try:
        return date.fromisoformat(text)
    except ValueError:
        return text  # the protocol check says what is expected


def _date(text: str) -> date | str | None:
    value = _year_or_date(text)
    return value if not isinstance(value, int) else text


def _number(text: str) -> int | float | str | None:
    if not text:
        return None
    if _INTEGER.match(text):
        return int(text)
    return float(text) if _NUMBER.match(text) else text


def _sample(text: str) -> int | str | None:
    return int(text) if _INTEGER.match(text) else (text or None)


def _conditions(form: FormData, name: str) -> list[Any]:
    """``no = 0, cant_tell = 0..1`` per line -> ``{ no = 0, cant_tell = "0..1" }``."""
    found: list[Any] = []
    for line in _lines(form, name):
        condition: dict[str, Any] = {}
        for part in filter(None, (piece.strip() for piece in line.split(","))):
            answer, equals, count = part.partition("=")
            if not equals:
                found.append(line)  # not a condition: refused by the check with its own words
                break
            count = count.strip().strip('"')
            condition[answer.strip()] = int(count) if _INTEGER.match(count) else count
        else:
            found.append(condition)
    return found


def _row_indices(form: FormData, prefix: str) -> list[int]:
    pattern = re.compile(rf"^{re.escape(prefix)}\.(\d+)\.")
    return sorted({int(found.group(1)) for name in form if (found := pattern.match(name))})


def _rows(
    form: FormData, prefix: str, read: Callable[[str], dict[str, Any]]
) -> list[tuple[int, Mapping[str, Any] | None]]:
    """Each row of a table list: ``(index, values)``, ``None`` values for a row ticked "remove"."""
    return [
        (index, None if _ticked(form, f"{prefix}.{index}.remove") else read(f"{prefix}.{index}"))
        for index in _row_indices(form, prefix)
    ]


# -- what the inputs show ---------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else ""
    if isinstance(value, list):
        return "\n".join(_condition_text(item) if isinstance(item, dict) else str(item) for item in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value.isoformat() if isinstance(value, date) else str(value)


def _condition_text(condition: Mapping[str, Any]) -> str:
    return ", ".join(f"{answer} = {count}" for answer, count in condition.items())


def _get(data: Mapping[str, Any], *path: str) -> Any:
    value: Any = data
    for part in path:
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _flat(data: Mapping[str, Any], paths: Sequence[tuple[str, ...]]) -> dict[str, str]:
    return {".".join(path): _text(_get(data, *path)) for path in paths}


def _table_rows(data: Mapping[str, Any], path: tuple[str, ...], keys: Sequence[str]) -> dict[str, str]:
    shown: dict[str, str] = {}
    for index, row in enumerate(aot_rows(data, *path)):
        for key in keys:
            shown[f"{'.'.join(path)}.{index}.{key}"] = _text(row.get(key))
    return shown


# -- the sections -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionForm:
    """One form of the protocol page: its inputs' current values, and the edit a submission makes."""

    name: str
    title: str
    values: Callable[[Mapping[str, Any]], dict[str, str]]
    change: Callable[[FormData], Change]
    tables: tuple[str, ...] = ()  # the row lists, by input-name prefix (a blank row is added to each)


def _review_values(data: Mapping[str, Any]) -> dict[str, str]:
    keys = ("title", "question", "type", "authors", "registration")
    shown = _flat(data, [("review", key) for key in keys])
    shown["review.type"] = shown["review.type"] or "systematic review"
    return shown


def _review_change(form: FormData) -> Change:
    def change(document: tomlkit.TOMLDocument) -> None:
        review = table_at(document, "review")
        put(review, "title", _one(form, "review.title"))
        put(review, "question", _one(form, "review.question"), "")
        put(review, "type", _one(form, "review.type"), "systematic review")
        put(review, "authors", _lines(form, "review.authors"), [])
        put(review, "registration", _optional(form, "review.registration"))

    return change


def _search_values(data: Mapping[str, Any]) -> dict[str, str]:
    keys = ("date_from", "date_to", "languages", "other_methods")
    shown = _flat(data, [("search", key) for key in keys])
    return shown | _table_rows(data, ("search", "databases"), DATABASE_KEYS)


def _search_change(form: FormData) -> Change:
    def database(prefix: str) -> dict[str, Any]:
        return {
            "name": _optional(form, f"{prefix}.name"),
            "platform": _optional(form, f"{prefix}.platform"),
            "searched_on": _date(_one(form, f"{prefix}.searched_on")),
        }

    def change(document: tomlkit.TOMLDocument) -> None:
        search = table_at(document, "search")
        put(search, "date_from", _year_or_date(_one(form, "search.date_from")))
        put(search, "date_to", _year_or_date(_one(form, "search.date_to")))
        put(search, "languages", _lines(form, "search.languages"), [])
        put(search, "other_methods", _lines(form, "search.other_methods"), [])
        set_rows(search, "databases", _rows(form, "search.databases", database), {})

    return change


def _criteria_values(data: Mapping[str, Any]) -> dict[str, str]:
    paths = [("criteria", "inclusion"), ("criteria", "exclusion"), ("screening", "exclusion_reasons")]
    return _flat(data, paths)


def _criteria_change(form: FormData) -> Change:
    def change(document: tomlkit.TOMLDocument) -> None:
        criteria = table_at(document, "criteria")
        put(criteria, "inclusion", _lines(form, "criteria.inclusion"), [])
        put(criteria, "exclusion", _lines(form, "criteria.exclusion"), [])
        reasons = _lines(form, "screening.exclusion_reasons")
        put(table_at(document, "screening"), "exclusion_reasons", reasons, [])

    return change


def _screening_values(data: Mapping[str, Any]) -> dict[str, str]:
    paths = [
        ("screening", stage, key) for stage in STAGES for key in ("mode", "verify_sample", "verify_sampling")
    ]
    shown = _flat(data, [*paths, ("screening", "highlight_include"), ("screening", "highlight_exclude")])
    for stage in STAGES:
        shown[f"screening.{stage}.mode"] = shown[f"screening.{stage}.mode"] or "single"
        shown[f"screening.{stage}.verify_sampling"] = shown[f"screening.{stage}.verify_sampling"] or "random"
    return shown


def _screening_change(form: FormData) -> Change:
    def change(document: tomlkit.TOMLDocument) -> None:
        for stage in STAGES:
            table = table_at(document, "screening", stage)
            mode = _one(form, f"screening.{stage}.mode")
            put(table, "mode", mode, "single")
            # a sample only means something when a second person verifies; left over, it is refused
            sample = _sample(_one(form, f"screening.{stage}.verify_sample"))
            put(table, "verify_sample", sample if mode == "single-verified" else None)
            put(table, "verify_sampling", _one(form, f"screening.{stage}.verify_sampling"), "random")
        screening = table_at(document, "screening")
        put(screening, "highlight_include", _lines(form, "screening.highlight_include"), [])
        put(screening, "highlight_exclude", _lines(form, "screening.highlight_exclude"), [])

    return change


_FIELD_DEFAULTS: dict[str, Any] = {
    "type": "short_text", "required": False, "help": "", "choices": [], "integer": False, "groups": [],
}  # fmt: skip


def _extraction_values(data: Mapping[str, Any]) -> dict[str, str]:
    shown = {"extraction.mode": _text(_get(data, "extraction", "mode")) or "single"}
    rows = _table_rows(data, ("extraction", "fields"), EXTRACTION_FIELD_KEYS)
    for name in rows:
        if name.endswith(".type") and not rows[name]:
            rows[name] = "short_text"
    return shown | rows


def _extraction_change(form: FormData) -> Change:
    def field(prefix: str) -> dict[str, Any]:
        return {
            "name": _optional(form, f"{prefix}.name"),
            "label": _optional(form, f"{prefix}.label"),
            "type": _one(form, f"{prefix}.type") or "short_text",
            "required": _ticked(form, f"{prefix}.required"),
            "help": _one(form, f"{prefix}.help"),
            "choices": _lines(form, f"{prefix}.choices"),
            "unit": _optional(form, f"{prefix}.unit"),
            "min": _number(_one(form, f"{prefix}.min")),
            "max": _number(_one(form, f"{prefix}.max")),
            "integer": _ticked(form, f"{prefix}.integer"),
            "groups": _lines(form, f"{prefix}.groups"),
            "from_record": _optional(form, f"{prefix}.from_record"),
        }

    def change(document: tomlkit.TOMLDocument) -> None:
        extraction = table_at(document, "extraction")
        put(extraction, "mode", _one(form, "extraction.mode"), "single")
        set_rows(extraction, "fields", _rows(form, "extraction.fields", field), _FIELD_DEFAULTS)

    return change


def _appraisal_values(data: Mapping[str, Any]) -> dict[str, str]:
    shown = _flat(data, [("appraisal", key) for key in ("tool", "mode", "rating_rule", "ordered")])
    shown["appraisal.mode"] = shown["appraisal.mode"] or "single"
    rules = _get(data, "appraisal", "rating_rules")
    shown["appraisal.rules"] = "default" if rules is None else ("custom" if rules else "none")
    return shown | _table_rows(data, ("appraisal", "rating_rules"), RULE_KEYS)


def _appraisal_change(form: FormData) -> Change:
    def rule(prefix: str) -> dict[str, Any]:
        return {
            "rating": _optional(form, f"{prefix}.rating"),
            "when": _conditions(form, f"{prefix}.when"),
            "unstated": _ticked(form, f"{prefix}.unstated"),
            "note": _one(form, f"{prefix}.note"),
        }

    def change(document: tomlkit.TOMLDocument) -> None:
        appraisal = table_at(document, "appraisal")
        put(appraisal, "tool", _optional(form, "appraisal.tool"))
        put(appraisal, "mode", _one(form, "appraisal.mode"), "single")
        put(appraisal, "rating_rule", _optional(form, "appraisal.rating_rule"))
        put(appraisal, "ordered", _ticked(form, "appraisal.ordered"), False)
        chosen = _one(form, "appraisal.rules")
        current = appraisal.get("rating_rules")
        rows = _rows(form, "appraisal.rating_rules", rule)
        existing = len(aot_rows(document, "appraisal", "rating_rules"))
        if chosen != "custom" and any(
            values is not None and index >= existing and values["rating"] for index, values in rows
        ):
            # a rule typed in, but not chosen: saying so beats dropping what was typed
            message = (
                'appraisal.rating_rules: a new rule is filled in; choose "These rules" to use it, or clear it'
            )
            raise ProtocolEditRefused(message, problems={("appraisal", "rules"): message})
        is_table_list = isinstance(current, tomlkit.items.AoT)
        if chosen == "default" or (chosen == "none" and is_table_list):
            put(appraisal, "rating_rules", None)  # the reference review's Table 1 (or about to be [])
        if chosen == "none":
            put(appraisal, "rating_rules", [], None)  # no overall rating
        elif chosen == "custom":
            if current is not None and not is_table_list:
                put(appraisal, "rating_rules", None)  # "rating_rules = []" gives way to the rules
            defaults = {"unstated": False, "note": "", "when": []}
            set_rows(appraisal, "rating_rules", rows, defaults)

    return change


def _codebook_values(data: Mapping[str, Any]) -> dict[str, str]:
    shown = {"codebook.file": _text(_get(data, "codebook", "file"))}
    return shown | _table_rows(data, ("codebook", "themes"), THEME_KEYS)


def _codebook_change(form: FormData) -> Change:
    def theme(prefix: str) -> dict[str, Any]:
        return {
            "name": _optional(form, f"{prefix}.name"),
            "definition": _one(form, f"{prefix}.definition"),
            "key_terms": _lines(form, f"{prefix}.key_terms"),
            "parent": _optional(form, f"{prefix}.parent"),
            "level": _optional(form, f"{prefix}.level"),
            "codes": _lines(form, f"{prefix}.codes"),
        }

    def change(document: tomlkit.TOMLDocument) -> None:
        rows = _rows(form, "codebook.themes", theme)
        if "codebook" not in document and all(
            values is None or not any(values.values()) for _, values in rows
        ):
            return  # nothing to write, and no empty [codebook] heading either
        defaults = {"definition": "", "key_terms": [], "codes": []}
        set_rows(table_at(document, "codebook"), "themes", rows, defaults)

    return change


SECTIONS: dict[str, SectionForm] = {
    form.name: form
    for form in (
        SectionForm("review", "Question and title", _review_values, _review_change),
        SectionForm(
            "search", "Databases, dates and languages", _search_values, _search_change, ("search.databases",)
        ),
        SectionForm("criteria", "Criteria and exclusion reasons", _criteria_values, _criteria_change),
        SectionForm("screening", "Screening modes", _screening_values, _screening_change),
        SectionForm(
            "extraction", "Extraction form", _extraction_values, _extraction_change, ("extraction.fields",)
        ),
        SectionForm(
            "appraisal",
            "Appraisal checklist and rating rules",
            _appraisal_values,
            _appraisal_change,
            ("appraisal.rating_rules",),
        ),
        SectionForm("codebook", "Codebook themes", _codebook_values, _codebook_change, ("codebook.themes",)),
    )
}


def section_values(form: FormData) -> dict[str, str]:
    """A submitted form as the inputs show it again (kept as typed when it is refused)."""
    return {
        name: "\n".join(values) if len(values) > 1 else (values[0] if values else "")
        for name, values in form.items()
    }


def row_count(values: Mapping[str, str], prefix: str, *, blank: int = 0) -> int:
    """How many rows of the list ``prefix`` the values hold, and ``blank`` empty rows for new ones."""
    return len(_row_indices({name: [value] for name, value in values.items()}, prefix)) + blank


def input_for(path: KeyPath, names: Sequence[str] | set[str]) -> str | None:
    """The input that shows the setting at ``path`` (or the list or table holding it)."""
    known = set(names)
    for end in range(len(path), 0, -1):
        name = ".".join(str(part) for part in path[:end])
        if name in known:
            return name
    return None
