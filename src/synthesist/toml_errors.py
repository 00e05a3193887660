"""Plain-words messages for mistakes in ``review.toml`` and the other TOML files a project keeps
(checklists, prisma.toml, the codebook, search strategies), each with the line it is on.

Here, below every package, because the protocol (:mod:`synthesist.review`) and the areas whose
files it names (:mod:`synthesist.appraisal`'s checklists, for one) both report mistakes this way:
in ``review`` it made ``review`` and ``appraisal`` import each other.

The people editing review.toml are nurses, librarians and academics, not programmers, so pydantic's
messages ("Input should be a valid string", ``loc=('screening', 'title_abstract', 'mode')``) are
rewritten in TOML terms: ``screening.title_abstract.mode = "duel" is not allowed; expected one of
"single", "single-verified", "dual"``.
"""

from __future__ import annotations

import difflib
import re
import tomllib
import types
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from synthesist.errors import ProtocolError
from synthesist.toml_lines import KeyPath, find_key_line, key_lines, unterminated_string_line

__all__ = [
    "ItemProblem",
    "KeyProblem",
    "describe_validation_error",
    "protocol_error",
    "render_key_path",
    "syntax_error",
]

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")
_TUPLE_KEY = re.compile(r"\(((?:'[^']*',?\s*)+)\)")
_MAX_SHOWN = 60

_EXPECTED_BY_ERROR = {
    "string_type": 'text in double quotes, e.g. "Cooper K"',
    "int_type": "a whole number (no quotes)",
    "int_parsing": "a whole number (no quotes)",
    "int_from_float": "a whole number (no quotes)",
    "bool_type": "true or false (no quotes)",
    "bool_parsing": "true or false (no quotes)",
    "list_type": 'a list in square brackets, e.g. ["first", "second"]',
    "model_type": "a table: a [section] heading with settings below it",
    "model_attributes_type": "a table: a [section] heading with settings below it",
    "dict_type": "a table: a [section] heading with settings below it",
}

# tomllib's wording for the mistakes people make most, said so that a non-programmer can act on it
_SYNTAX_HINTS = {
    "Invalid value": 'Text must be in double quotes (title = "My review"), lists in square brackets '
    '(languages = ["English"]), yes/no as true or false.',
    "Unterminated string": "A text value is missing its closing double quote.",
    "Illegal character": "A text value must end with a double quote on the same line; "
    'a backslash or a double quote inside the text is written \\\\ or \\".',
    "Cannot overwrite a value": "The same setting is given twice; keep only one of them.",
    "Expected newline or end of document after a statement": "Put each setting on its own line.",
}


class ItemProblem(ValueError):
    """Raised by a validator about one element of a list, so the error points at that element's line."""

    def __init__(self, message: str, *sub_path: str | int) -> None:
        super().__init__(message)
        self.sub_path = sub_path


@dataclass(frozen=True, slots=True)
class KeyProblem:
    """One problem: the message (starting with the key path) and the line it belongs to, if found."""

    path: KeyPath
    line: int | None
    message: str


def render_key_path(path: KeyPath) -> str:
    """``('search', 'databases', 1, 'name')`` -> ``search.databases[1].name`` (0-based like pydantic)."""
    # Imported here: only a mistake in review.toml is reported this way, and every command that
    # opens a project imports this module (tomlkit takes ~13 ms to import).
    import tomlkit

    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            key = part if _BARE_KEY.match(part) else tomlkit.string(part).as_string()
            text = f"{text}.{key}" if text else key
    return text


def syntax_error(exc: tomllib.TOMLDecodeError, text: str, file_name: str) -> ProtocolError:
    """A ProtocolError for text tomllib could not parse, located at tomllib's line."""
    message = str(exc)
    position = _TOML_POSITION.search(message)
    line: int | None = None
    reason = message
    if position:
        reason = message[: position.start()]
        # "at end of document": an unclosed string is best shown where it opens, else the last line
        if position.group(1):
            line = int(position.group(1))
        else:
            line = unterminated_string_line(text) or max(1, len(text.rstrip().splitlines()))
        if position.group(2):
            reason = f"{reason} (column {position.group(2)})"
    # tomllib names tables as Python tuples: ('screening', 'full_text') -> [screening.full_text]
    reason = _TUPLE_KEY.sub(lambda m: "[" + ".".join(re.findall(r"'([^']*)'", m.group(1))) + "]", reason)
    hint = next((h for start, h in _SYNTAX_HINTS.items() if message.startswith(start)), None)
    location = file_name if line is None else f"{file_name}:{line}"
    return ProtocolError(
        f"not valid TOML: {reason[:1].lower()}{reason[1:]}",
        location=location,
        hint=hint or "Check the quotes, brackets and '=' on that line.",
    )


def protocol_error(problems: list[KeyProblem], file_name: str, hint: str | None = None) -> ProtocolError:
    """One ProtocolError listing every problem, one per line, each with its own ``file:line``
    (for review.toml and the other TOML files a project keeps, such as prisma.toml)."""

    def location(problem: KeyProblem) -> str:
        return file_name if problem.line is None else f"{file_name}:{problem.line}"

    first, *rest = problems
    # One problem per line, each with its own location; ProtocolError prefixes the first one.
    message = "\n".join([first.message, *(f"{location(p)}: {p.message}" for p in rest)])
    return ProtocolError(
        message,
        location=location(first),
        hint=hint or "Edit review.toml at the line shown; the comments in the file explain each setting.",
    )


def describe_validation_error(
    exc: ValidationError, model: type[BaseModel], data: dict[str, Any], text: str
) -> list[KeyProblem]:
    """Every pydantic error as a :class:`KeyProblem`, in file order."""
    lines = key_lines(text)
    problems: list[KeyProblem] = []
    for error in exc.errors():
        path, annotation = _walk(model, error["loc"])
        cause = (error.get("ctx") or {}).get("error")
        if isinstance(cause, ItemProblem):
            path += cause.sub_path
        message = _describe(error, path, annotation, model, data)
        problems.append(KeyProblem(path, find_key_line(text, path, lines), message))
    # sorted is stable: problems on one line keep pydantic's (= schema) order
    return sorted(problems, key=lambda p: (p.line is None, p.line or 0))


def _describe(
    error: Any, path: KeyPath, annotation: Any, model: type[BaseModel], data: dict[str, Any]
) -> str:
    kind: str = error["type"]
    name = render_key_path(path)
    found, given = _lookup(data, path)
    shown = f"{name} = {_toml_literal(given)}" if found and not isinstance(given, dict) else name

    if kind == "missing":
        if _is_model(annotation):
            return f"the [{name}] section is missing"
        return f"{name} is missing"
    if kind == "extra_forbidden":
        known = _field_names(model, path[:-1])
        what = "section" if isinstance(given, dict) else "setting"
        close = difflib.get_close_matches(str(path[-1]), known, n=1, cutoff=0.6)
        if close:
            return f'{name} is not a known {what}; did you mean "{close[0]}"?'
        return f"{name} is not a known {what}; allowed here: {', '.join(known)}"
    if kind == "literal_error":
        choices = ", ".join(f'"{choice}"' for choice in _literal_choices(annotation))
        return f"{shown} is not allowed; expected one of {choices}"
    if kind == "value_error":
        return f"{shown} {error['ctx']['error']}"
    if kind == "string_too_short":
        if path and isinstance(path[-1], int):
            return f"{name} is empty; write the text or remove the empty item"
        return f"{name} is empty; expected some text between the quotes"
    if isinstance(given, dict):
        return f"{name} is a table; expected {_EXPECTED_BY_ERROR.get(kind, 'a single value')}"
    if kind.startswith("date"):
        return f"{shown} is not allowed; expected a date written like 2014-03-01"
    expected = _EXPECTED_BY_ERROR.get(kind)
    if expected:
        return f"{shown} is not allowed; expected {expected}"
    return f"{shown}: {error['msg'][:1].lower()}{error['msg'][1:]}"


def _unwrap(annotation: Any) -> Any:
    """Strip ``Annotated`` and ``| None`` so the walk sees the list or model underneath."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            members = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(members) != 1:
                return annotation
            annotation = members[0]
        else:
            return annotation


def _is_model(annotation: Any) -> bool:
    target = _unwrap(annotation)
    return isinstance(target, type) and issubclass(target, BaseModel)


def _walk(model: type[BaseModel], loc: tuple[str | int, ...]) -> tuple[KeyPath, Any]:
    """Follow pydantic's ``loc`` through the models; drop the union-member tags it adds (``'int'``)."""
    path: list[str | int] = []
    annotation: Any = model
    for part in loc:
        target = _unwrap(annotation)
        if isinstance(part, int):
            path.append(part)
            annotation = get_args(target)[0] if get_origin(target) is list else None
        elif _is_model(target):
            path.append(part)
            field = target.model_fields.get(part)
            annotation = field.annotation if field else None
        elif annotation is None:
            path.append(part)
    return tuple(path), annotation


def _field_names(model: type[BaseModel], path: KeyPath) -> list[str]:
    _, annotation = _walk(model, path)
    target = _unwrap(annotation)
    return list(target.model_fields) if _is_model(target) else []


def _literal_choices(annotation: Any) -> list[Any]:
    origin = get_origin(annotation)
    if origin is Literal:
        return list(get_args(annotation))
    if origin in (Annotated, Union, types.UnionType):
        return [choice for arg in get_args(annotation) for choice in _literal_choices(arg)]
    return []


def _lookup(data: Any, path: KeyPath) -> tuple[bool, Any]:
    value = data
    for part in path:
        in_list = isinstance(part, int) and isinstance(value, list) and 0 <= part < len(value)
        in_table = isinstance(part, str) and isinstance(value, dict) and part in value
        if not (in_list or in_table):
            return False, None
        value = value[part]
    return True, value


def _toml_literal(value: Any) -> str:
    """The value as it would be written in TOML, shortened when long."""
    import tomlkit  # see render_key_path

    if isinstance(value, date | str | bool | int | float | list):
        try:
            shown = tomlkit.item(value).as_string()
        except (TypeError, ValueError):
            shown = repr(value)
    else:
        shown = repr(value)
    return shown if len(shown) <= _MAX_SHOWN else shown[: _MAX_SHOWN - 1] + "…"
