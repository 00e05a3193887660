"""The numbers in the PRISMA 2020 flow diagram, checked against the arithmetic the diagram implies. Pure.

:class:`PrismaCounts` holds every box of the PRISMA 2020 flow diagram for new systematic reviews that
searched databases, registers and other sources (Page et al. 2021, BMJ 372:n71, Figure 1, the
template with two columns). It is built from Synthesist's records and decisions, from ``prisma.toml``
(:mod:`synthesist.reporting.prisma_manual`) or from the PRISMA2020 package's CSV
(:mod:`synthesist.reporting.prisma_csv`), drawn by :mod:`synthesist.reporting.prisma_svg` and saved as
SVG, PNG or PDF by :mod:`synthesist.reporting.prisma_output`.

Only the identities the diagram really implies are enforced; each failure names the boxes and numbers:

- the databases (registers) listed add up to the records identified from databases (registers);
- records screened = records identified from databases and registers, plus the records from other
  methods screened with them, minus the records removed before screening;
- records excluded + records awaiting a decision <= records screened;
- in each column, reports assessed = reports sought - reports not retrieved, and reports excluded
  <= reports assessed;
- reports of included studies = (assessed - excluded) in both columns added up, minus the reports
  still awaiting a decision;
- studies included <= reports of included studies, and none of either or some of both.

Left alone on purpose, because reviews legitimately differ there:

- reports sought = records screened - records excluded. A record is a title and abstract, a report a
  document; one record can lead to several reports (a register entry and its publications) and several
  records to one report. PRISMA 2020 counts records and reports apart for exactly this reason.
- studies = reports: one study can have several reports (the reason for the two numbers).
- records from other methods -> reports sought: websites and citation searches are not screened record
  by record in the template; their column starts at retrieval.

Records from other methods that were imported and screened with the database records, as Synthesist
does (and as reviews drawn in the 2009 style did), are counted in ``other_records_screened``: they
join the records screened in the left column instead of going to retrieval in the right one. They are
counted as identified, before deduplication; their duplicates are among ``duplicates_removed``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from synthesist.errors import InconsistentCounts
from synthesist.wording import plural

__all__ = [
    "COUNT_FIELDS",
    "MANUAL_FILE_NAME",
    "NAMED_FIELDS",
    "NamedCount",
    "PrismaCounts",
    "box_label",
    "manual_key",
]

MANUAL_FILE_NAME = "prisma.toml"
"""Where counts for steps done outside Synthesist are given; the diagram's footnote names it."""

COUNT_FIELDS = (
    "database_records",
    "register_records",
    "duplicates_removed",
    "automation_removed",
    "other_removed",
    "other_records_screened",
    "records_screened",
    "records_excluded",
    "records_awaiting",
    "reports_sought",
    "reports_not_retrieved",
    "reports_assessed",
    "other_reports_sought",
    "other_reports_not_retrieved",
    "other_reports_assessed",
    "reports_awaiting",
    "studies_included",
    "reports_included",
)
"""The boxes that hold one number, in diagram order."""

NAMED_FIELDS = ("databases", "registers", "other_sources", "reports_excluded", "other_reports_excluded")
"""The boxes that hold a list of ``name (n = ...)``: sources searched and reasons for exclusion."""

_REASON_FIELDS = frozenset({"reports_excluded", "other_reports_excluded"})

_LABELS = {
    "database_records": "Records identified from databases",
    "databases": "Databases listed",
    "register_records": "Records identified from registers",
    "registers": "Registers listed",
    "duplicates_removed": "Duplicate records removed",
    "automation_removed": "Records marked as ineligible by automation tools",
    "other_removed": "Records removed for other reasons",
    "other_sources": "Records identified via other methods",
    "other_records_screened": "Records from other methods screened with those from databases and registers",
    "records_screened": "Records screened",
    "records_excluded": "Records excluded",
    "records_awaiting": "Records awaiting a decision",
    "reports_sought": "Reports sought for retrieval",
    "reports_not_retrieved": "Reports not retrieved",
    "reports_assessed": "Reports assessed for eligibility",
    "reports_excluded": "Reports excluded",
    "other_reports_sought": "Reports sought for retrieval (other methods)",
    "other_reports_not_retrieved": "Reports not retrieved (other methods)",
    "other_reports_assessed": "Reports assessed for eligibility (other methods)",
    "other_reports_excluded": "Reports excluded (other methods)",
    "reports_awaiting": "Reports awaiting a decision",
    "studies_included": "Studies included in review",
    "reports_included": "Reports of included studies",
}


def box_label(field_name: str) -> str:
    """The words the diagram and the error messages use for a field, e.g. ``Records screened``."""
    return _LABELS[field_name]


def manual_key(field_name: str, name: str | None = None) -> str:
    """The key that marks a box (or one named entry of it) as given by hand: ``registers[ICTRP]``."""
    return field_name if name is None else f"{field_name}[{name}]"


@dataclass(frozen=True, slots=True)
class NamedCount:
    """One line of a list box: a database, register or other source searched, or a reason for exclusion.

    In the lists of reasons an empty name stands for reports excluded without a recorded reason (the
    PRISMA2020 CSV allows a bare number there); sources must be named.
    """

    name: str
    n: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PrismaCounts:
    """Every box of the PRISMA 2020 flow diagram (new review, databases, registers and other sources).

    All counts default to 0, so ``PrismaCounts()`` is the empty diagram that ``prisma.toml`` can fill.
    Lists keep their order; the diagram draws them in it. ``manual`` holds the keys (see
    :func:`manual_key`) of the numbers given by hand in ``prisma.toml``, which the diagram marks.
    Construction checks the arithmetic and raises :class:`InconsistentCounts` when it fails.
    """

    # Identification via databases and registers
    database_records: int = 0
    databases: tuple[NamedCount, ...] = ()
    register_records: int = 0
    registers: tuple[NamedCount, ...] = ()
    duplicates_removed: int = 0
    automation_removed: int = 0
    other_removed: int = 0
    # Identification via other methods (websites, organisations, citation searching, any named source)
    other_sources: tuple[NamedCount, ...] = ()
    other_records_screened: int = 0
    # Screening of the records and reports from databases and registers
    records_screened: int = 0
    records_excluded: int = 0
    # Screened but without a final decision yet (PRISMA 2020: "awaiting classification"): neither
    # excluded nor included, and the diagram is interim while any is left.
    records_awaiting: int = 0
    reports_sought: int = 0
    reports_not_retrieved: int = 0
    reports_assessed: int = 0
    reports_excluded: tuple[NamedCount, ...] = ()
    # Reports found via other methods
    other_reports_sought: int = 0
    other_reports_not_retrieved: int = 0
    other_reports_assessed: int = 0
    other_reports_excluded: tuple[NamedCount, ...] = ()
    # Assessed (or sought and not yet retrieved) without a final full-text decision yet
    reports_awaiting: int = 0
    # Included
    studies_included: int = 0
    reports_included: int = 0
    manual: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        # Accept any iterable for the lists and the marks, but keep the instance hashable and immutable.
        for name in NAMED_FIELDS:
            object.__setattr__(self, name, tuple(getattr(self, name)))
        object.__setattr__(self, "manual", frozenset(self.manual))
        problems = self._shape_problems()
        if not problems:
            problems = self._arithmetic_problems()
        if problems:
            raise InconsistentCounts(problems)

    # -- totals and what to draw ---------------------------------------------------------------------
    @property
    def other_records(self) -> int:
        """Records identified via other methods, all sources together."""
        return sum(entry.n for entry in self.other_sources)

    @property
    def reports_excluded_total(self) -> int:
        return sum(entry.n for entry in self.reports_excluded)

    @property
    def other_reports_excluded_total(self) -> int:
        return sum(entry.n for entry in self.other_reports_excluded)

    @property
    def interim(self) -> bool:
        """True while a record or report still awaits a final decision: the numbers will change."""
        return bool(self.records_awaiting or self.reports_awaiting)

    def awaiting_words(self) -> str:
        """ "2 records and 1 report await a final decision": what makes the counts interim."""
        parts = []
        if self.records_awaiting:
            parts.append(plural(self.records_awaiting, "record"))
        if self.reports_awaiting:
            parts.append(plural(self.reports_awaiting, "report"))
        single = len(parts) == 1 and self.records_awaiting + self.reports_awaiting == 1
        return f"{' and '.join(parts)} {'awaits' if single else 'await'} a final decision" if parts else ""

    @property
    def has_other_methods(self) -> bool:
        """True when the "via other methods" column is drawn: a source was searched or a report found."""
        return bool(self.other_sources) or self._other_reports_given()

    @property
    def other_reports_column(self) -> bool:
        """True when the other-methods column goes on to retrieval (not all screened on the left)."""
        return self.has_other_methods and (
            self.other_records_screened < self.other_records or self._other_reports_given()
        )

    def _other_reports_given(self) -> bool:
        return bool(
            self.other_reports_sought
            or self.other_reports_not_retrieved
            or self.other_reports_assessed
            or self.other_reports_excluded
        )

    def is_manual(self, field_name: str, name: str | None = None) -> bool:
        """True when the number was given by hand; for a list box without ``name``, when any entry was."""
        if name is not None:
            return manual_key(field_name, name) in self.manual or field_name in self.manual
        if field_name in self.manual:
            return True
        return field_name in NAMED_FIELDS and any(key.startswith(f"{field_name}[") for key in self.manual)

    # -- checks --------------------------------------------------------------------------------------
    def _shape_problems(self) -> list[str]:
        """Types, signs, names and marks: what must hold before any sum is worth computing."""
        problems: list[str] = []
        for name in COUNT_FIELDS:
            value: Any = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                problems.append(f"{box_label(name)}: {value!r} is not a whole number")
            elif value < 0:
                problems.append(f"{box_label(name)}: n = {value} is negative")
        for name in NAMED_FIELDS:
            seen: set[str] = set()
            for entry in getattr(self, name):
                if not isinstance(entry, NamedCount):
                    problems.append(f"{box_label(name)}: {entry!r} is not a NamedCount")
                    continue
                shown = f'"{entry.name}"' if entry.name else "(no reason given)"
                if isinstance(entry.n, bool) or not isinstance(entry.n, int):
                    problems.append(f"{box_label(name)}: {shown} has {entry.n!r}, not a whole number")
                elif entry.n < 0:
                    problems.append(f"{box_label(name)}: {shown} has n = {entry.n}, which is negative")
                if not entry.name.strip() and name not in _REASON_FIELDS:
                    problems.append(f"{box_label(name)}: an entry has no name")
                if entry.name in seen:
                    problems.append(f"{box_label(name)}: {shown} is listed twice")
                seen.add(entry.name)
        known = self._manual_keys()
        for key in sorted(self.manual - known):
            problems.append(f"{key!r} is marked as given by hand but is not a box of the diagram")
        return problems

    def _manual_keys(self) -> set[str]:
        keys = set(COUNT_FIELDS) | set(NAMED_FIELDS)
        for name in NAMED_FIELDS:
            keys.update(manual_key(name, entry.name) for entry in getattr(self, name))
        return keys

    def _n(self, field_name: str, value: int | None = None) -> str:
        """``738`` or ``738 from prisma.toml``: a number as the messages show it."""
        shown = f"{getattr(self, field_name) if value is None else value}"
        return f"{shown} from {MANUAL_FILE_NAME}" if self.is_manual(field_name) else shown

    def _arithmetic_problems(self) -> list[str]:
        return [
            *self._identification_problems(),
            *self._report_problems("", ""),
            *self._report_problems("other_", " (other methods)"),
            *self._included_problems(),
        ]

    def _identification_problems(self) -> list[str]:
        problems: list[str] = []
        for total, listed in (("database_records", "databases"), ("register_records", "registers")):
            entries: tuple[NamedCount, ...] = getattr(self, listed)
            added = sum(entry.n for entry in entries)
            if entries and added != getattr(self, total):
                problems.append(
                    f"{box_label(total)}: n = {self._n(total)}, but the {listed} listed add up to "
                    f"{self._n(listed, added)} ({_listing(entries)})"
                )
        if self.other_records_screened > self.other_records:
            problems.append(
                f"{box_label('other_records_screened')}: n = {self._n('other_records_screened')} is more "
                "than the records identified via other methods "
                f"(n = {self._n('other_sources', self.other_records)})"
            )
        removed = self.duplicates_removed + self.automation_removed + self.other_removed
        expected = self.database_records + self.register_records + self.other_records_screened - removed
        if self.records_screened != expected:
            terms = [
                f"records identified from databases ({self._n('database_records')})",
                f"+ registers ({self._n('register_records')})",
            ]
            if self.other_sources or self.other_records_screened:
                terms.append(
                    f"+ records from other methods screened with them ({self._n('other_records_screened')})"
                )
            terms += [
                f"- duplicates removed ({self._n('duplicates_removed')})",
                f"- marked as ineligible by automation tools ({self._n('automation_removed')})",
                f"- removed for other reasons ({self._n('other_removed')})",
            ]
            problems.append(
                f"{box_label('records_screened')}: n = {self._n('records_screened')}, but "
                f"{' '.join(terms)} = {expected}"
            )
        if self.records_excluded + self.records_awaiting > self.records_screened:
            awaiting = (
                f" + records awaiting a decision ({self._n('records_awaiting')})"
                if self.records_awaiting
                else ""
            )
            problems.append(
                f"{box_label('records_excluded')}: n = {self._n('records_excluded')}{awaiting} is more "
                f"than the records screened (n = {self._n('records_screened')})"
            )
        return problems

    def _report_problems(self, prefix: str, column: str) -> list[str]:
        """Retrieval and eligibility in one column: ``prefix`` is ``""`` or ``"other_"``."""
        problems: list[str] = []
        sought, missing = f"{prefix}reports_sought", f"{prefix}reports_not_retrieved"
        assessed, excluded = f"{prefix}reports_assessed", f"{prefix}reports_excluded"
        retrieved = getattr(self, sought) - getattr(self, missing)
        if getattr(self, assessed) != retrieved:
            problems.append(
                f"{box_label(assessed)}: n = {self._n(assessed)}, but reports sought for retrieval "
                f"({self._n(sought)}) - reports not retrieved ({self._n(missing)}) = {retrieved}"
            )
        excluded_total = sum(entry.n for entry in getattr(self, excluded))
        if excluded_total > getattr(self, assessed):
            problems.append(
                f"{box_label(excluded)}: n = {self._n(excluded, excluded_total)} is more than the "
                f"reports assessed for eligibility{column} (n = {self._n(assessed)})"
            )
        return problems

    def _included_problems(self) -> list[str]:
        problems: list[str] = []
        included = self.reports_assessed - self.reports_excluded_total
        if self.has_other_methods:
            included += self.other_reports_assessed - self.other_reports_excluded_total
        included -= self.reports_awaiting
        if self.reports_included != included:
            terms = [
                f"reports assessed ({self._n('reports_assessed')})",
                f"- reports excluded ({self._n('reports_excluded', self.reports_excluded_total)})",
            ]
            if self.has_other_methods:
                terms += [
                    f"+ reports assessed via other methods ({self._n('other_reports_assessed')})",
                    "- reports excluded via other methods "
                    f"({self._n('other_reports_excluded', self.other_reports_excluded_total)})",
                ]
            if self.reports_awaiting:
                terms.append(f"- reports awaiting a decision ({self._n('reports_awaiting')})")
            problems.append(
                f"{box_label('reports_included')}: n = {self._n('reports_included')}, but "
                f"{' '.join(terms)} = {included}"
            )
        if self.studies_included > self.reports_included:
            problems.append(
                f"{box_label('studies_included')}: n = {self._n('studies_included')} is more than the "
                f"reports of included studies (n = {self._n('reports_included')}); every included study "
                "has at least one report"
            )
        elif self.studies_included == 0 and self.reports_included > 0:
            problems.append(
                f"{box_label('studies_included')}: n = {self._n('studies_included')}, but there are "
                f"{self._n('reports_included')} reports of included studies"
            )
        return problems


def _listing(entries: Iterable[NamedCount]) -> str:
    return " + ".join(f"{entry.name} {entry.n}" for entry in entries)
