"""The last guard of every import: no control character reaches a stored record's fields.

Each reader cleans its text (``records.clean.clean_text``), but not every format goes through it (our
own JSON carries ``\\u001b`` as it was), and a title holding ``ESC ] 0 ; … BEL`` would retitle the
terminal of whoever lists the records. This runs on every parsed record in the import service, so
a new reader cannot forget it. Clean values are left as the very same objects (one scan each); the
source's ``raw`` fields stay verbatim, as the source wrote them.
"""

from __future__ import annotations

from synthesist.records.clean import remove_controls
from synthesist.records.model import Author, Record

__all__ = ["remove_record_controls"]

_TEXT_FIELDS = (
    "title",
    "journal",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "issn",
    "abstract",
    "language",
    "publication_type",
    "url",
    "source_record_id",
)


def _cleaned(value: str) -> str:
    kept = remove_controls(value)
    return value if kept is value else " ".join(kept.split())


def remove_record_controls(record: Record) -> None:
    """Remove escape sequences and control characters from ``record``'s fields, in place."""
    for name in _TEXT_FIELDS:
        value = getattr(record, name)
        if value is not None:
            setattr(record, name, _cleaned(value) or None)
    record.keywords = [kept for kept in (_cleaned(keyword) for keyword in record.keywords) if kept]
    record.authors = [_author(author) for author in record.authors]


def _author(author: Author) -> Author:
    family, given = _cleaned(author.family), _cleaned(author.given)
    if family is author.family and given is author.given:
        return author
    return Author(family, given, author.organisation)
