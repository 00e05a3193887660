"""Find the line of a key in TOML text, so protocol errors can say ``review.toml:42``.

tomllib and tomlkit both parse TOML but neither reports where a value came from, so this is a small
scanner of our own. It only runs on text tomllib has already accepted, which keeps it simple: it
follows tables, arrays of tables, dotted keys, inline tables and arrays (by element), and skips
strings and comments so that a ``=`` or ``[`` inside them cannot mislead it.
"""

from __future__ import annotations

import bisect
import contextlib
import tomllib
from collections.abc import Sequence

__all__ = ["KeyPath", "find_key_line", "key_lines", "unterminated_string_line"]

KeyPath = tuple[str | int, ...]
"""A key path as pydantic reports it: table and key names, integers for array positions (0-based)."""

_BARE_KEY_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_SCALAR_END = frozenset(",]}#\n")


class _UnterminatedString(ValueError):
    def __init__(self, start: int) -> None:
        super().__init__("unterminated string")
        self.start = start


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.lines: dict[KeyPath, int] = {}
        self._line_starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
        # number of [[x]] headers seen per concrete path, to know which element later headers extend
        self._array_counts: dict[KeyPath, int] = {}

    # -- small helpers ---------------------------------------------------------------------------
    def _peek(self, literal: str) -> bool:
        return self.text.startswith(literal, self.pos)

    def line_of(self, pos: int) -> int:
        return bisect.bisect_right(self._line_starts, pos)

    def _note(self, path: KeyPath, pos: int) -> None:
        # The first mention wins: that is where a reader expects the key (or its table) to be.
        line = self.line_of(pos)
        for end in range(1, len(path) + 1):
            self.lines.setdefault(path[:end], line)

    def _skip_blank(self, newlines: bool) -> None:
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char in " \t\r" or (newlines and char == "\n"):
                self.pos += 1
            elif char == "#":
                end = self.text.find("\n", self.pos)
                self.pos = len(self.text) if end < 0 else end
            else:
                return

    def _string(self) -> str:
        """Skip a string starting at ``pos`` (any of the four TOML kinds); return it with its quotes."""
        for quote in ('"""', "'''", '"', "'"):
            if self._peek(quote):
                break
        first = self.pos
        start = self.pos + len(quote)
        index = start
        while True:
            end = self.text.find(quote, index)
            if end < 0:
                raise _UnterminatedString(first)
            if quote[0] == '"' and _escaped(self.text, end, start):
                index = end + 1
                continue
            # A multi-line string may end with up to two extra quotes: """a""""" is 'a""'.
            while len(quote) == 3 and self.text.startswith(quote[0], end + 3):
                end += 1
            self.pos = end + len(quote)
            return self.text[first : self.pos]

    def _key(self) -> tuple[str, ...]:
        parts: list[str] = []
        while True:
            self._skip_blank(newlines=False)
            if self._peek('"') or self._peek("'"):
                # tomllib decodes the escapes of a quoted key exactly as it did when loading
                parts.append(str(tomllib.loads(f"k = {self._string()}")["k"]))
            else:
                start = self.pos
                while self.pos < len(self.text) and self.text[self.pos] in _BARE_KEY_CHARS:
                    self.pos += 1
                if self.pos == start:
                    raise ValueError("key expected")
                parts.append(self.text[start : self.pos])
            self._skip_blank(newlines=False)
            if not self._peek("."):
                return tuple(parts)
            self.pos += 1

    # -- structure -------------------------------------------------------------------------------
    def scan(self) -> None:
        table: KeyPath = ()
        while True:
            self._skip_blank(newlines=True)
            if self.pos >= len(self.text):
                return
            start = self.pos
            if self._peek("["):
                is_array = self._peek("[[")
                self.pos += 2 if is_array else 1
                table = self._header_path(self._key(), is_array, start)
                self.pos += 2 if is_array else 1
            else:
                self._key_value(table)

    def _header_path(self, key: tuple[str, ...], is_array: bool, start: int) -> KeyPath:
        path: KeyPath = ()
        for depth, part in enumerate(key):
            path += (part,)
            last = depth == len(key) - 1
            if not last and path in self._array_counts:
                path += (self._array_counts[path] - 1,)
        if is_array:
            index = self._array_counts.get(path, 0)
            self._array_counts[path] = index + 1
            path += (index,)
        self._note(path, start)
        return path

    def _key_value(self, table: KeyPath) -> None:
        start = self.pos
        path = table + self._key()
        self._note(path, start)
        self._skip_blank(newlines=False)
        self.pos += 1  # the "="
        self._skip_blank(newlines=False)
        self._value(path)

    def _value(self, path: KeyPath) -> None:
        if self._peek('"') or self._peek("'"):
            self._string()
        elif self._peek("["):
            self.pos += 1
            index = 0
            while True:
                self._skip_blank(newlines=True)
                if self._peek("]"):
                    self.pos += 1
                    return
                if self._peek(","):
                    self.pos += 1
                    index += 1
                    continue
                self._note((*path, index), self.pos)
                self._value((*path, index))
        elif self._peek("{"):
            self.pos += 1
            while True:
                self._skip_blank(newlines=True)
                if self._peek("}"):
                    self.pos += 1
                    return
                if self._peek(","):
                    self.pos += 1
                    continue
                self._key_value(path)
        else:
            start = self.pos
            while self.pos < len(self.text) and self.text[self.pos] not in _SCALAR_END:
                self.pos += 1
            if self.pos == start:
                # no value here (only in text tomllib rejected): stop rather than loop forever
                raise ValueError("value expected")


def _escaped(text: str, quote_pos: int, start: int) -> bool:
    """True when the quote at ``quote_pos`` is preceded by an odd number of backslashes."""
    count = 0
    while quote_pos - count - 1 >= start and text[quote_pos - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def key_lines(text: str) -> dict[KeyPath, int]:
    """Map every key path in ``text`` to the 1-based line where it first appears.

    Tables map to their header line (or, for a table only implied by a dotted key or a deeper header,
    to where it is first implied); array elements map to the line where the element starts.
    """
    scanner = _Scanner(text)
    # Only text tomllib rejected can fail here; what was found up to that point is still right.
    with contextlib.suppress(ValueError, IndexError):
        scanner.scan()
    return scanner.lines


def unterminated_string_line(text: str) -> int | None:
    """The line where a string opens that is never closed, if there is one.

    tomllib reports such a string "at end of document"; the opening quote is where to look.
    """
    scanner = _Scanner(text)
    try:
        scanner.scan()
    except _UnterminatedString as exc:
        return scanner.line_of(exc.start)
    except (ValueError, IndexError):
        return None
    return None


def find_key_line(
    text: str, path: Sequence[str | int], lines: dict[KeyPath, int] | None = None
) -> int | None:
    """The line of ``path``; if it is absent, the line of the nearest enclosing table that is present.

    ``None`` when not even the first part of the path is in the text (e.g. a missing top-level key).
    Pass ``lines`` from :func:`key_lines` to look up many paths in the same text.
    """
    found = key_lines(text) if lines is None else lines
    wanted = tuple(path)
    for end in range(len(wanted), 0, -1):
        line = found.get(wanted[:end])
        if line is not None:
            return line
    return None
