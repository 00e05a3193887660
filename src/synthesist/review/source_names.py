"""Matching a database name as typed (``--source Medline``) to the protocol's spelling. Pure.

Teams type a database's name many ways: ``Medline``, ``MEDLINE``, ``medline (ovid)``. The PRISMA
diagram, the status and the report group records by name, so two spellings of one database would
become two sources. Names are therefore compared by their letters and digits alone, ignoring case,
spaces and punctuation, and a name whose normalised form equals one of the protocol's takes the
protocol's spelling. Nothing looser: ``MEDLINE`` and ``MEDLINE (Ovid)`` normalise differently (they
may be two interfaces searched separately), so each keeps its own name unless the protocol lists it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["normalised_source", "protocol_spelling"]

_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")


def normalised_source(name: str) -> str:
    """ "MEDLINE (Ovid)" -> "medlineovid": the form two spellings of one name share."""
    return _NOT_LETTER_OR_DIGIT.sub("", name.casefold())


def protocol_spelling(name: str, listed: Iterable[str]) -> str:
    """The protocol's spelling of ``name`` when one of ``listed`` is the same name written another
    way; otherwise ``name`` as given (stripped)."""
    wanted = normalised_source(name)
    if wanted:
        for candidate in listed:
            if normalised_source(candidate) == wanted:
                return candidate
    return name.strip()
