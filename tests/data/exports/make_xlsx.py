"""Regenerate ``generic_records.xlsx``: a hand-made screening sheet as a review team keeps it in Excel.

Run ``python tests/data/exports/make_xlsx.py``. Document properties get a fixed date so the file is
reproducible. The sheet has a title row of the generic kind (record_id, title, authors...), numbers
stored as numbers (year, volume), one fully empty row (not a record) and a second sheet the reader
ignores unless asked for it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

HEADER = [
    "record_id",
    "title",
    "authors",
    "year",
    "journal",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "abstract",
    "keywords",
    "decision",
]
ROWS: list[list[object]] = [
    [
        "S001",
        "Patient-centredness in physiotherapy from the perspective of the chronic low back pain patient",
        "Cooper, Kay; Smith, Blair H.; Hancock, Elizabeth",
        2008,
        "Physiotherapy",
        94,
        3,
        "244-252",
        "https://doi.org/10.1016/j.physio.2007.10.006",
        19627718,
        "Patients with chronic low back pain described patient-centred physiotherapy as a partnership.",
        "chronic low back pain; patient-centredness; physiotherapy",
        "include",
    ],
    [
        "S002",
        "Patients' attitudes and beliefs about back pain and its management after physiotherapy for low "
        "back pain",
        "May, Stephen",
        2007,
        "Physiotherapy Research International",
        12,
        3,
        "126-135",
        "10.1002/pri.367",
        17624897,
        "Patients wanted explanation, reassurance and practical advice.",
        "back pain; beliefs",
        "include",
    ],
    [
        "S003",
        "'It was really nice to have someone' – lay people with musculoskeletal disorders request supportive "
        "relationships in rehabilitation",
        "Östlund, Gunnel; Cedersund, Elisabet; Alexanderson, Kristina; Hensing, Gunnel",
        2001,
        "Scandinavian Journal of Public Health",
        29,
        4,
        "285-291",
        None,
        11775785,
        "People on sick leave asked for supportive, continuous relationships with professionals.",
        "rehabilitation; sick leave",
        "include",
    ],
    [None, None, None, None, None, None, None, None, None, None, None, None, None],
    [
        "S004",
        "'Listen to me, tell me': a qualitative study of partnership in care for people with non-specific "
        "chronic low back pain",
        "Slade, Susan C.; Molloy, Elizabeth; Keating, Jennifer L.",
        2009,
        "Clinical Rehabilitation",
        23,
        3,
        "270-280",
        "10.1177/0269215508100468",
        19218301,
        None,
        "partnership; low back pain",
        "include",
    ],
    [
        "S005",
        "United Kingdom back pain exercise and manipulation (UK BEAM) randomised trial: effectiveness of "
        "physical treatments for back pain in primary care",
        "UK BEAM Trial Team",
        2004,
        "BMJ",
        329,
        7479,
        "1377",
        "10.1136/bmj.38282.669225.AE",
        15556955,
        "Manipulation followed by exercise gave a moderate benefit.",
        "back pain; exercise; spinal manipulation",
        "exclude",
    ],
    [
        "S006",
        "Shared decision-making in physiotherapy for chronic low back pain: patients' and physiotherapists' "
        "views in Germany and Poland",
        "Müller, Jürgen; Kowalski, Łukasz; Nowak, Zofia; Schäfer, Anna-Lena",
        2019,
        "BMC Musculoskeletal Disorders",
        20,
        1,
        "e312",
        "10.1186/s12891-019-2688-1",
        31277611,
        "Patients and physiotherapists valued partnership; time pressure limited shared decisions.",
        "shared decision-making; partnership",
        "maybe",
    ],
]


def main() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Records"
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    notes = workbook.create_sheet("Notes")
    notes.append(["Screening sheet exported from the team's shared workbook"])
    stamp = datetime(2024, 3, 14, 9, 30)
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    workbook.properties.creator = "Kay"
    workbook.save(Path(__file__).with_name("generic_records.xlsx"))


if __name__ == "__main__":
    main()
