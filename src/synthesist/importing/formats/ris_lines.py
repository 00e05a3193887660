"""The RIS line grammar and record splitter, tolerant of what databases really write.

:func:`split_records` turns the lines of a RIS file into chunks: a record's tags (``raw``), or tag lines
that belong to no record. It knows nothing about fields; ``ris.py`` maps the tags to a record.

What real exports hold besides ``XX  - value`` lines, and where it goes:

* Tags of two to four characters (``PMID  - `` in APA PsycNet exports); one, three or four spaces before
  the ``-`` only for tags RIS (or a database) defines, so wrapped prose such as ``HIV - positive`` is
  never mistaken for a tag. A byte-order mark at the start of any line (files joined with ``cat``).
* Record numbers on their own line (Ovid's ``1.``, ``<1>``): layout between records, not content.
* Lines without a tag continue the previous field (EBSCO and Ovid wrap long abstracts), blank lines
  inside a record are skipped, and Ovid's ``Link to the Ovid Full Text or citation:`` labels keep the
  link on the next line as the label's value.
* Anything between ``ER`` and the next ``TY`` (Ovid's ``NL`` tag, link labels, copyright lines) belongs
  to the record it follows and is kept in its raw fields. Only when such tag lines end with their own
  ``ER`` are they a record without its ``TY``, which is reported.
* A missing ``ER`` before the next ``TY`` costs nothing: the ``TY`` ends the record. At the end of the
  file it is accepted too when the file never writes ``ER`` (some tools omit it); in a file that does
  write it, a last record without one is what a cut-off download looks like, so it is reported.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from rispy.config import TAG_KEY_MAPPING

__all__ = ["AFTER_END_TEXT", "RisChunk", "split_records"]

# Where unlabelled text after "ER  -" is kept (copyright lines, comments): not a tag, so never mapped.
AFTER_END_TEXT = "text after ER"

_VALID_TAGS = frozenset(a + b for a in string.ascii_uppercase for b in string.ascii_uppercase + string.digits)
_KNOWN_TAGS = frozenset(TAG_KEY_MAPPING) | {
    "L3", "M2", "U1", "U2", "U3", "U4", "U5", "US", "J1", "BT", "CT", "NL", "PMID", "PMCID",
}  # fmt: skip
_TAG = re.compile(r"^([A-Z][A-Z0-9]{1,3})( {1,4})-(?:[ \t](.*))?$")
_RECORD_NUMBER = re.compile(r"^\s*(?:\d+\.|<\d+>)\s*$")
# Ovid's link labels, inside a record or after it; after "ER" any "Label:" line is kept under its label.
_OVID_LABEL = re.compile(r"^(Link to the [^:]{3,60}):\s*(.*)$")
_ANY_LABEL = re.compile(r"^([A-Z][A-Za-z ()/&'-]{2,60}):\s*(.*)$")

ChunkKind = Literal["record", "unended", "stray"]


@dataclass(slots=True)
class RisChunk:
    """``record``: a whole record; ``unended``: the last record, without ``ER`` in a file that uses it;
    ``stray``: tag lines outside any record. ``line`` is where the chunk starts."""

    kind: ChunkKind
    raw: dict[str, list[str]]
    line: int


def _tag_line(line: str) -> tuple[str, str] | None:
    """A tag line in any shape but the canonical one (tested first, inline); ``None`` for other lines."""
    match = _TAG.match(line.rstrip())
    if match is None:
        return None
    tag, spaces, value = match.group(1), match.group(2), match.group(3)
    if len(spaces) != 2 and tag not in _KNOWN_TAGS:
        return None
    return tag, (value or "").rstrip()


def _merge(raw: dict[str, list[str]], extra: dict[str, list[str]] | None) -> dict[str, list[str]]:
    for tag, values in (extra or {}).items():
        raw.setdefault(tag, []).extend(values)
    return raw


def split_records(lines: Iterable[str]) -> Iterator[RisChunk]:
    """The file's records and stray tag lines, in file order (see the module docstring)."""
    raw: dict[str, list[str]] | None = None  # the record being read, TY seen and no ER yet
    start = 0
    ended: dict[str, list[str]] | None = None  # the last record whose ER was read, awaiting what follows
    ended_start = 0
    after_tags: dict[str, list[str]] | None = None  # tag lines after that ER (Ovid's NL), merged on TY
    after_start = 0
    stray: dict[str, list[str]] | None = None  # tag lines before any record
    stray_start = 0
    last: list[str] | None = None  # the values the next continuation line extends
    new_value = False  # the next text line is a new value of ``last`` ("Link to...:" then the link)
    file_writes_end = False
    valid_tags = _VALID_TAGS
    for number, line in enumerate(lines, start=1):
        # Fast path inlined for the canonical "XX  - value" shape (one slice comparison and one set
        # lookup per line): this loop is the hot spot of a 100,000-record import.
        tag = line[:2]
        if line[2:6] == "  - " and tag in valid_tags:
            value = line[6:].rstrip()
        else:
            line = line.lstrip("\ufeff")
            parsed = _tag_line(line)
            if parsed is None:
                text = line.rstrip()
                if not text or text.isspace():
                    continue
                if _RECORD_NUMBER.match(text):
                    last = None
                    continue
                holder = raw if raw is not None else ended
                if holder is None:
                    continue  # a header before the records ("Provider: ...", "Database: ...")
                label = _OVID_LABEL.match(text) or (_ANY_LABEL.match(text) if raw is None else None)
                if label is not None:
                    last = holder.setdefault(label.group(1), [])
                    new_value = not label.group(2)
                    if label.group(2):
                        last.append(label.group(2))
                elif last is None:
                    last = holder.setdefault(AFTER_END_TEXT, [])
                    last.append(text)
                elif new_value or not last:
                    last.append(text.strip())
                    new_value = False
                else:
                    last[-1] = f"{last[-1]}\n{text}"  # a wrapped value
                continue
            tag, value = parsed
        new_value = False
        if tag == "TY":
            if ended is not None:
                yield RisChunk("record", _merge(ended, after_tags), ended_start)
            if stray is not None:
                yield RisChunk("stray", stray, stray_start)
            if raw is not None:
                yield RisChunk("record", raw, start)  # its ER is missing, but this TY ends it
            ended = after_tags = stray = None
            last = [value]
            raw = {"TY": last}
            start = number
        elif tag == "ER":
            file_writes_end = True
            if raw is not None:
                ended, ended_start, raw = raw, start, None
            elif after_tags is not None and ended is not None:
                # tag lines closed by their own ER: a record that lost its TY, not part of the one before
                yield RisChunk("record", ended, ended_start)
                yield RisChunk("stray", after_tags, after_start)
                ended = after_tags = None
            elif stray is not None:
                yield RisChunk("stray", stray, stray_start)
                stray = None
            last = None
        else:
            if raw is not None:
                target = raw
            elif ended is not None:
                if after_tags is None:
                    after_tags, after_start = {}, number
                target = after_tags
            else:
                if stray is None:
                    stray, stray_start = {}, number
                target = stray
            last = target.get(tag)
            if last is None:
                last = target[tag] = [value]
            else:
                last.append(value)
    if raw is not None:
        yield RisChunk("unended" if file_writes_end else "record", raw, start)
    if ended is not None:
        yield RisChunk("record", _merge(ended, after_tags), ended_start)
    if stray is not None:
        yield RisChunk("stray", stray, stray_start)
