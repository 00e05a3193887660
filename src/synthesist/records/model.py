"""The canonical bibliographic record: pure data, no I/O.

Every importer turns its format into :class:`Record`; every exporter writes from it; storage keeps it.
``raw`` keeps the fields exactly as the file had them (tag -> values, in file order) so nothing a
database exported is ever lost, even where we have no canonical field for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

__all__ = ["CANONICAL_FIELDS", "TEXT_FIELDS", "Author", "Record", "is_initials"]


def is_initials(token: str) -> bool:
    """``JA``, ``J.A.``, ``J-P``, ``Ł``: up to four capital letters (any alphabet) with dots or hyphens."""
    letters = token.replace(".", "").replace("-", "")
    return 0 < len(letters) <= 4 and letters.isalpha() and letters.isupper()


@dataclass(frozen=True, slots=True)
class Author:
    """One author. ``family`` holds the whole name of a group author (``organisation=True``)."""

    family: str
    given: str = ""
    organisation: bool = False

    @property
    def display(self) -> str:
        """``Family, Given`` (RIS/BibTeX convention); just the name for an organisation."""
        if self.organisation or not self.given:
            return self.family
        return f"{self.family}, {self.given}"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"family": self.family}
        if self.given:
            data["given"] = self.given
        if self.organisation:
            data["organisation"] = True
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Author:
        return cls(
            family=str(data.get("family", "")),
            given=str(data.get("given", "")),
            organisation=bool(data.get("organisation", False)),
        )

    @classmethod
    def parse(cls, text: str) -> Author:
        """Parse a name as export files write it.

        Handles ``Smith, Jane A.`` (RIS, BibTeX, EndNote), ``Smith JA`` (MEDLINE ``AU``),
        ``Jane A. Smith`` (some CSV exports) and treats a name with no comma and more than
        four words, or a ``{Braced}`` BibTeX name, as an organisation.
        """
        name = " ".join(text.split()).strip().rstrip(",")
        if not name:
            return cls(family="")
        if name.startswith("{") and name.endswith("}"):
            return cls(family=name[1:-1].strip(), organisation=True)
        if "," in name:
            family, _, given = name.partition(",")
            return cls(family=family.strip(), given=given.strip())
        parts = name.split(" ")
        if len(parts) == 1:
            return cls(family=name)
        if is_initials(parts[-1]) and len(parts) <= 4:
            # MEDLINE style: "van der Berg JA", "Smith J"
            return cls(family=" ".join(parts[:-1]), given=parts[-1])
        if len(parts) > 4:
            return cls(family=name, organisation=True)
        # "Jane A. Smith": last word is the family name
        return cls(family=parts[-1], given=" ".join(parts[:-1]))


@dataclass(slots=True)
class Record:
    """One bibliographic record as Synthesist understands it (PRISMA 2020: a "record")."""

    title: str | None = None
    authors: list[Author] = field(default_factory=list)
    year: int | None = None
    journal: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    issn: str | None = None
    abstract: str | None = None
    keywords: list[str] = field(default_factory=list)
    language: str | None = None
    publication_type: str | None = None
    url: str | None = None
    source_record_id: str | None = None
    raw: dict[str, list[str]] = field(default_factory=dict)

    def canonical(self) -> dict[str, Any]:
        """The canonical fields (everything but ``raw``) as plain data, for comparison and JSON."""
        data: dict[str, Any] = {}
        for name in CANONICAL_FIELDS:
            value = getattr(self, name)
            if name == "authors":
                value = [author.to_dict() for author in value]
            elif name == "keywords":
                value = list(value)
            data[name] = value
        return data

    def to_dict(self) -> dict[str, Any]:
        data = self.canonical()
        data["raw"] = {key: list(values) for key, values in self.raw.items()}
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Record:
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        values["authors"] = [
            a if isinstance(a, Author) else Author.from_dict(a) for a in values.get("authors") or []
        ]
        values["keywords"] = list(values.get("keywords") or [])
        values["raw"] = {k: list(v) for k, v in (values.get("raw") or {}).items()}
        return cls(**values)

    def with_changes(self, **changes: Any) -> Record:
        return replace(self, **changes)

    @property
    def first_author(self) -> str | None:
        return self.authors[0].family if self.authors else None

    def citation(self) -> str:
        """Short human label: ``Smith et al. (2010) Title...``."""
        who = self.first_author or "Anonymous"
        if len(self.authors) == 2:
            who = f"{who} & {self.authors[1].family}"
        elif len(self.authors) > 2:
            who = f"{who} et al."
        year = self.year if self.year is not None else "n.d."
        return f"{who} ({year}) {self.title or '[no title]'}"


CANONICAL_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Record) if f.name != "raw")
# The canonical fields that hold one optional string (all but authors, keywords and year).
TEXT_FIELDS: tuple[str, ...] = tuple(
    name for name in CANONICAL_FIELDS if name not in ("authors", "keywords", "year")
)
