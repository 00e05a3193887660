"""Realistic exports for the deduplication tests: one article as several databases export it, the
records that look like it but are not it, and a pair only a reviewer can decide.

Every record carries its own ``ID`` (``emb-article``, ``med-article``...) so tests find it by that,
whatever database ids it got.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from synthesist.services.records.imports import ImportRequest, ImportResult, import_files
from synthesist.services.records.reading import list_records
from synthesist.workspace import Workspace

Tags = Sequence[tuple[str, str]]

ARTICLE = (
    "Effectiveness of a nurse-led telephone follow-up programme after day surgery: "
    "a randomised controlled trial"
)
ABSTRACT = (
    "Background: Most patients go home on the day of their operation. Aim: To test whether a "
    "structured telephone call from a nurse on the day after surgery reduces unplanned contacts "
    "with health services. Methods: A randomised controlled trial in three day-surgery units. "
    "Results: 412 patients took part; unplanned contacts fell by a third. Conclusion: Nurse-led "
    "telephone follow-up is worth offering."
)
QUALITATIVE = (
    "Self-management support for people with chronic low back pain in primary care: "
    "a qualitative interview study"
)
OTHER = (
    "Patient satisfaction with discharge information in ambulatory surgery units: a cross-sectional survey"
)
PREPRINT_TITLE = (
    "Remote exercise coaching for older adults with knee osteoarthritis during the COVID-19 "
    "pandemic: a pilot trial"
)


def ris_record(tags: Tags) -> str:
    """One RIS record from (tag, value) pairs, in order; ``TY`` first, ``ER`` closes it."""
    lines = [f"{tag}  - {value}" for tag, value in tags]
    return "\n".join([*lines, "ER  - ", ""])


def ris_file(*records: Tags) -> str:
    return "\n".join(ris_record(record) for record in records)


# Embase: the complete copy of the article (abstract, DOI), its erratum, the conference abstract that
# preceded it, and one half of the pair a reviewer must decide.
EMBASE_ARTICLE: Tags = (
    ("TY", "JOUR"), ("ID", "emb-article"), ("TI", ARTICLE),
    ("AU", "Smith, J. A."), ("AU", "Nguyen, T."), ("AU", "Okafor, C. N."),
    ("PY", "2015"), ("JF", "Journal of Advanced Nursing"), ("VL", "71"), ("IS", "4"),
    ("SP", "288"), ("EP", "297"), ("DO", "10.1111/jan.12600"), ("AB", ABSTRACT),
)  # fmt: skip
EMBASE_ERRATUM: Tags = (
    ("TY", "JOUR"), ("ID", "emb-erratum"), ("TI", f"Erratum: {ARTICLE}"),
    ("PY", "2016"), ("JF", "Journal of Advanced Nursing"), ("VL", "72"), ("IS", "1"),
    ("SP", "230"), ("DO", "10.1111/jan.12900"),
)  # fmt: skip
EMBASE_CONFERENCE: Tags = (
    ("TY", "CONF"), ("ID", "emb-conference"), ("M3", "Conference Abstract"), ("TI", ARTICLE),
    ("AU", "Smith, J. A."), ("AU", "Nguyen, T."), ("AU", "Okafor, C. N."),
    ("PY", "2014"), ("JF", "Journal of Advanced Nursing"), ("VL", "70"), ("IS", "Suppl 1"),
    ("SP", "S12"),
)  # fmt: skip
EMBASE_POSSIBLE: Tags = (
    ("TY", "JOUR"), ("ID", "emb-possible"), ("TI", QUALITATIVE),
    ("AU", "Cooper, K."), ("AU", "Smith, B. H."), ("PY", "2012"), ("JF", "Physiotherapy"),
    ("VL", "98"), ("IS", "2"), ("SP", "100"), ("EP", "108"),
)  # fmt: skip

# MEDLINE: the same article abbreviated (journal, authors, pages), without abstract or DOI but with
# keywords and a language; a genuinely different article by the same first author in the same
# issue; the other half of the reviewer's pair (same title and authors, other pages).
MEDLINE_ARTICLE: Tags = (
    ("TY", "JOUR"), ("ID", "med-article"), ("TI", ARTICLE + "."),
    ("AU", "Smith JA"), ("AU", "Nguyen T"), ("AU", "Okafor CN"),
    ("PY", "2015"), ("JO", "J Adv Nurs"), ("VL", "71"), ("IS", "4"), ("SP", "288-97"),
    ("KW", "Ambulatory Surgical Procedures"), ("KW", "Telephone"), ("LA", "English"),
)  # fmt: skip
MEDLINE_OTHER: Tags = (
    ("TY", "JOUR"), ("ID", "med-other"), ("TI", OTHER),
    ("AU", "Smith JA"), ("AU", "Brown L"), ("PY", "2015"), ("JO", "J Adv Nurs"),
    ("VL", "71"), ("IS", "4"), ("SP", "298-305"),
)  # fmt: skip
MEDLINE_POSSIBLE: Tags = (
    ("TY", "JOUR"), ("ID", "med-possible"), ("TI", QUALITATIVE),
    ("AU", "Cooper K"), ("AU", "Smith BH"), ("PY", "2012"), ("JO", "Physiotherapy"),
    ("VL", "98"), ("IS", "2"), ("SP", "210-218"),
)  # fmt: skip

# CINAHL, searched later: a third copy of the article (with an ISSN the others lack) and a new article.
CINAHL_ARTICLE: Tags = (
    ("TY", "JOUR"), ("ID", "cin-article"), ("TI", ARTICLE),
    ("AU", "Smith, John A."), ("AU", "Nguyen, Thi"), ("AU", "Okafor, Chidi N."),
    ("PY", "2015"), ("JO", "Journal of Advanced Nursing"), ("VL", "71"), ("IS", "4"),
    ("SP", "288"), ("EP", "297"), ("SN", "0309-2402"),
)  # fmt: skip
CINAHL_NEW: Tags = (
    ("TY", "JOUR"), ("ID", "cin-new"),
    ("TI", "Nurses' experiences of delivering telephone follow-up after ambulatory surgery"),
    ("AU", "Larsen, M."), ("PY", "2017"), ("JO", "Journal of Clinical Nursing"),
    ("VL", "26"), ("SP", "1001"), ("EP", "1010"),
)  # fmt: skip

# A preprint and its published version (medRxiv, then a journal the same year, without a DOI).
PREPRINT: Tags = (
    ("TY", "JOUR"), ("ID", "preprint"), ("TI", PREPRINT_TITLE),
    ("AU", "Okafor, C. N."), ("AU", "Lee, S."), ("PY", "2020"), ("JO", "medRxiv"),
    ("DO", "10.1101/2020.05.01.20087619"),
)  # fmt: skip
PUBLISHED: Tags = (
    ("TY", "JOUR"), ("ID", "published"), ("TI", PREPRINT_TITLE),
    ("AU", "Okafor, C. N."), ("AU", "Lee, S."), ("PY", "2020"), ("JO", "Journal of Advanced Nursing"),
    ("VL", "76"), ("IS", "11"), ("SP", "3001"), ("EP", "3010"),
)  # fmt: skip

EMBASE = ris_file(EMBASE_ARTICLE, EMBASE_ERRATUM, EMBASE_CONFERENCE, EMBASE_POSSIBLE)
MEDLINE = ris_file(MEDLINE_ARTICLE, MEDLINE_OTHER, MEDLINE_POSSIBLE)
CINAHL = ris_file(CINAHL_ARTICLE, CINAHL_NEW)
PREPRINTS = ris_file(PREPRINT, PUBLISHED)


def import_ris(workspace: Workspace, folder: Path, name: str, text: str, source: str) -> ImportResult:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return import_files(workspace, ImportRequest(paths=[path], source=source))


def import_searches(workspace: Workspace, folder: Path) -> dict[str, int]:
    """Import the Embase and MEDLINE exports; returns record ids by the records' own ``ID``."""
    import_ris(workspace, folder, "embase.ris", EMBASE, "Embase")
    import_ris(workspace, folder, "medline.ris", MEDLINE, "MEDLINE (Ovid)")
    return record_ids(workspace)


def record_ids(workspace: Workspace) -> dict[str, int]:
    records, _ = list_records(workspace)
    return {stored.record.source_record_id or "": stored.id for stored in records}
