"""Importing screening decisions made elsewhere (``synthesist screen import-decisions``).

Teams move to Synthesist mid-review, or screen titles in Rayyan and full texts here. A file of
decisions is read row by row; each row names a record (by Synthesist's id, DOI, PMID, or title and
year), a decision and usually a reviewer. Two shapes are understood:

* **Rayyan** article exports: the ``notes`` column holds ``RAYYAN-INCLUSION: {"Ann"=>"Included",
  "Bob"=>"Excluded"}`` and ``RAYYAN-EXCLUSION-REASONS: ...``; each reviewer's vote becomes a decision.
* **Any spreadsheet** (Covidence's exports, a team's own sheet): columns named by ``--map``
  (``record=Covidence #``, ``decision=Vote``, ``reviewer=Screener``, ``reason=Exclusion reason``,
  ``note=Notes``), or a whole file of one vote (``--vote exclude`` for an "excluded studies" export).

All or nothing: every decision goes through the same checks as one made here (the record's state,
the protocol's reviewers and reasons) inside one transaction, and the first row that cannot be
imported stops the import with ``file:line: what is wrong``. A record that matches a duplicate is
decided on its group's primary record.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from synthesist.dedup.normalize import normalize_doi, normalize_pmid, normalize_title
from synthesist.errors import ImportFileError, InvalidRecordError, UserError
from synthesist.importing.source import open_source
from synthesist.ports import UnitOfWork
from synthesist.screening.model import NewDecision, Stage, Vote
from synthesist.services.screening.decisions import decide_in
from synthesist.workspace import Workspace

__all__ = ["DecisionsImported", "import_decisions"]

_VOTES = {
    **dict.fromkeys(("include", "included", "yes", "y", "1"), Vote.INCLUDE),
    **dict.fromkeys(("exclude", "excluded", "no", "n", "0"), Vote.EXCLUDE),
    **dict.fromkeys(("maybe", "unsure", "undecided", "?"), Vote.MAYBE),
}
_RAYYAN_INCLUSION = re.compile(r"RAYYAN-INCLUSION:\s*\{([^}]*)\}")
_RAYYAN_VOTE = re.compile(r'"([^"]+)"\s*=>\s*"([^"]+)"')
_RAYYAN_REASONS = re.compile(r"RAYYAN-EXCLUSION-REASONS:\s*([^|]*)")
_FIELDS = ("record", "doi", "pmid", "title", "year", "decision", "reviewer", "reason", "note")


@dataclass
class DecisionsImported:
    file: Path
    decisions: int = 0
    records: set[int] = field(default_factory=set)
    by_reviewer: dict[str, int] = field(default_factory=dict)
    rayyan: bool = False


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    values: dict[str, str]


def import_decisions(
    workspace: Workspace,
    path: Path,
    *,
    stage: Stage,
    column_map: Mapping[str, str] | None = None,
    reviewer: str | None = None,
    vote: Vote | None = None,
) -> DecisionsImported:
    mapping = dict(column_map or {})
    unknown = sorted(set(mapping) - set(_FIELDS))
    if unknown:
        raise UserError(f"--map {unknown[0]}=...: unknown field", hint=f"Fields: {', '.join(_FIELDS)}.")
    with open_source(path).open_text() as handle:
        rows = list(_rows(handle.read(), path.name))
    if not rows:
        raise ImportFileError(f"{path.name}: no rows of decisions", hint="Check the file and its header row.")
    header = set(rows[0].values)
    rayyan = "notes" in {name.casefold() for name in header} and any(
        _RAYYAN_INCLUSION.search(_get(row, "notes") or "") for row in rows
    )
    result = DecisionsImported(file=path, rayyan=rayyan)
    with workspace.unit_of_work() as uow:
        finder = _RecordFinder(uow)
        for row in rows:
            record_id = finder.find(row, mapping, path.name)
            for who, choice, reason, note in _decisions_of(row, mapping, rayyan, reviewer, vote, path.name):
                try:
                    decide_in(
                        uow, workspace, NewDecision(record_id, stage, who, choice, reason=reason, note=note)
                    )
                except UserError as error:
                    raise InvalidRecordError(path.name, row.line, error.message, hint=error.hint) from None
                result.decisions += 1
                result.records.add(record_id)
                result.by_reviewer[who] = result.by_reviewer.get(who, 0) + 1
        uow.commit()
    return result


def _rows(text: str, name: str) -> Iterator[_Row]:
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    if not reader.fieldnames:
        raise ImportFileError(f"{name}: no header row", hint="The first row must name the columns.")
    for row in reader:
        values = {key.strip(): (value or "").strip() for key, value in row.items() if key is not None}
        if any(values.values()):
            yield _Row(reader.line_num, values)


def _get(row: _Row, column: str) -> str | None:
    """A column's value, its name matched case-insensitively."""
    for key, value in row.values.items():
        if key.casefold() == column.casefold():
            return value or None
    return None


def _field(row: _Row, mapping: Mapping[str, str], name: str, *defaults: str) -> str | None:
    if name in mapping:
        return _get(row, mapping[name])
    for column in (name, *defaults):
        found = _get(row, column)
        if found:
            return found
    return None


def _decisions_of(
    row: _Row, mapping: Mapping[str, str], rayyan: bool, reviewer: str | None, vote: Vote | None, name: str
) -> Iterator[tuple[str, Vote, str | None, str | None]]:
    note = _field(row, mapping, "note")
    reason = _field(row, mapping, "reason", "exclusion reason", "exclusion_reason")
    if rayyan and "decision" not in mapping:
        notes = _get(row, "notes") or ""
        match = _RAYYAN_INCLUSION.search(notes)
        reasons = _RAYYAN_REASONS.search(notes)
        rayyan_reason = reasons.group(1).strip().split(",")[0].strip() if reasons else None
        for who, said in _RAYYAN_VOTE.findall(match.group(1) if match else ""):
            theirs = _vote(said, name, row.line)
            yield who, theirs, (reason or rayyan_reason) if theirs is Vote.EXCLUDE else None, None
        return
    said = _field(row, mapping, "decision", "vote", "screening decision")
    choice: Vote | None = _vote(said, name, row.line) if said else vote
    if choice is None:
        raise InvalidRecordError(
            name,
            row.line,
            "no decision in this row",
            hint="Map the column with --map decision=COLUMN, or pass --vote.",
        )
    who = _field(row, mapping, "reviewer", "screener", "reviewer name") or reviewer
    if not who:
        raise InvalidRecordError(
            name,
            row.line,
            "no reviewer in this row",
            hint="Map it with --map reviewer=COLUMN, or pass --reviewer.",
        )
    yield who, choice, reason if choice is Vote.EXCLUDE else None, note


def _vote(text: str, name: str, line: int) -> Vote:
    found = _VOTES.get(text.strip().casefold())
    if found is None:
        raise InvalidRecordError(
            name, line, f"{text!r} is not a decision", hint="Use include, exclude or maybe."
        )
    return found


class _RecordFinder:
    """Finds the project's record for a row: by id, DOI, PMID, then title and year. A duplicate is
    replaced by its group's primary record, which is the one screened."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self._ids = set(uow.records.ids())
        membership = uow.dedup.membership()
        primary_of = {group: record for record, (group, is_primary) in membership.items() if is_primary}
        self._primary = {record: primary_of[group] for record, (group, _) in membership.items()}
        self._by_doi: dict[str, int] = {}
        self._by_pmid: dict[str, int] = {}
        self._by_title: dict[tuple[str, int | None], int] = {}
        titles: dict[str, list[int]] = {}
        for stored in uow.records.iterate():
            record = stored.record
            if (doi := normalize_doi(record.doi)) is not None:
                self._by_doi.setdefault(doi, stored.id)
            if (pmid := normalize_pmid(record.pmid)) is not None:
                self._by_pmid.setdefault(pmid, stored.id)
            if record.title:
                self._by_title.setdefault((normalize_title(record.title), record.year), stored.id)
                titles.setdefault(normalize_title(record.title), []).append(stored.id)
        # A title alone identifies a record when only one record (or one duplicate group) has it.
        for title, ids in titles.items():
            if len({self._primary.get(i, i) for i in ids}) == 1:
                self._by_title.setdefault((title, None), ids[0])

    def find(self, row: _Row, mapping: Mapping[str, str], name: str) -> int:
        found: int | None = None
        given = _field(row, mapping, "record", "record_id", "synthesist id")
        if given:
            if not given.isdigit() or int(given) not in self._ids:
                raise InvalidRecordError(name, row.line, f"no record {given} in this project")
            found = int(given)
        if found is None and (doi := normalize_doi(_field(row, mapping, "doi"))):
            found = self._by_doi.get(doi)
        if found is None and (pmid := normalize_pmid(_field(row, mapping, "pmid", "pubmed id"))):
            found = self._by_pmid.get(pmid)
        title = _field(row, mapping, "title", "article title")
        if found is None and title:
            year = _field(row, mapping, "year", "publication year", "published year")
            key_year = int(year) if year and year[:4].isdigit() else None
            found = self._by_title.get((normalize_title(title), key_year)) or self._by_title.get(
                (normalize_title(title), None)
            )
        if found is None:
            raise InvalidRecordError(
                name,
                row.line,
                "no record in this project matches this row (by id, DOI, PMID, or title and year)",
                hint="Import the records first, or map the identifying column with --map record=COLUMN.",
            )
        return self._primary.get(found, found)
