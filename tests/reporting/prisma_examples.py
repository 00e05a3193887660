"""PRISMA counts shared by the reporting tests.

``REFERENCE`` is the reference review's flow (five databases, 757 records; 62 from reference lists and
citation indexes, imported and screened with them; 81 duplicates; 738 screened; 708 excluded; 30 full
texts assessed; 20 excluded for three reasons; 10 studies). The split per database and per reason is
invented for the tests: the review reported only the totals.
"""

from __future__ import annotations

import dataclasses

from synthesist.reporting.prisma import NamedCount, PrismaCounts

DATABASES = (
    NamedCount("Cochrane Library", 61),
    NamedCount("CINAHL", 148),
    NamedCount("MEDLINE", 214),
    NamedCount("EMBASE", 231),
    NamedCount("PsycINFO", 103),
)
REASONS = (
    NamedCount("Not chronic back pain", 9),
    NamedCount("Cancer pain management", 4),
    NamedCount("No focus on patient–professional partnership or self-management", 7),
)

REFERENCE = PrismaCounts(
    database_records=757,
    databases=DATABASES,
    duplicates_removed=81,
    other_sources=(NamedCount("Reference lists", 38), NamedCount("Citation indexes", 24)),
    other_records_screened=62,
    records_screened=738,
    records_excluded=708,
    reports_sought=30,
    reports_not_retrieved=0,
    reports_assessed=30,
    reports_excluded=REASONS,
    studies_included=10,
    reports_included=10,
)

NO_OTHER_METHODS = dataclasses.replace(
    REFERENCE, other_sources=(), other_records_screened=0, duplicates_removed=19
)

# Both columns in full: a register, websites whose reports went straight to retrieval, hand-given counts.
BOTH_COLUMNS = dataclasses.replace(
    REFERENCE,
    register_records=5,
    registers=(NamedCount("ClinicalTrials.gov", 5),),
    other_sources=(
        NamedCount("Websites", 12),
        NamedCount("Reference lists", 38),
        NamedCount("Citation indexes", 24),
    ),
    records_screened=743,
    records_excluded=713,
    other_reports_sought=9,
    other_reports_not_retrieved=2,
    other_reports_assessed=7,
    other_reports_excluded=(NamedCount("Not qualitative", 4), NamedCount("Wrong population", 1)),
    studies_included=11,
    reports_included=12,
    manual=frozenset(
        {"registers[ClinicalTrials.gov]", "other_reports_sought", "other_reports_not_retrieved"}
    ),
)
