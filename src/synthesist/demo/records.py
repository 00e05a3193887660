"""The worked example's search results: the ten real included studies among illustrative placeholder
records, written as the RIS exports the demo then imports.

The reference review publishes only totals (757 records from five databases, 62 from other methods,
738 left after duplicates were removed, 708 excluded at title/abstract, 30 full texts, 20 of them
excluded, 10 included). Everything here is built to reproduce exactly those totals from the data:
the split across databases and other methods is illustrative, every record other than the ten
included studies is a placeholder whose title is drawn from a small vocabulary (seeded, so each run
writes the same bytes), and each of the 81 duplicates is an exact copy of a record in another file, so
that deduplication finds them all and nothing else. Pure: no project, no files.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = [
    "DATABASE_SPLIT",
    "DUPLICATES",
    "FULL_TEXT_EXCLUDED",
    "OTHER_SPLIT",
    "Publication",
    "Role",
    "SearchExport",
    "search_exports",
]

# Illustrative: the review gives 757 from the databases and 62 from other methods, not the split.
DATABASE_SPLIT: dict[str, int] = {
    "Cochrane Library": 62,
    "CINAHL": 168,
    "MEDLINE": 243,
    "EMBASE": 198,
    "PsycINFO": 86,
}
OTHER_SPLIT: dict[str, int] = {"reference lists": 38, "government publications": 14, "websites": 10}
DUPLICATES = 81
# Illustrative split of the 20 full-text exclusions over the review's three reasons.
FULL_TEXT_EXCLUDED: dict[str, int] = {
    "Not chronic back pain": 9,
    "Cancer pain management": 3,
    "No focus on patient–professional partnership or self-management": 8,
}
TITLE_ABSTRACT_EXCLUDED = 708
PLACEHOLDER_NOTE = (
    "Illustrative placeholder record generated for the Synthesist demo; not a real publication."
)
_SEED = 2014
# Placeholder DOIs use the 10.5555 test prefix, which never resolves to a real article.
_DOI_PREFIX = "10.5555/synthesist-demo."


class Role(StrEnum):
    INCLUDED = "included"
    FULL_TEXT_EXCLUDED = "full-text excluded"
    TITLE_ABSTRACT_EXCLUDED = "title/abstract excluded"


@dataclass(frozen=True)
class Publication:
    key: str  # the RIS ID, unique per publication (copies share it)
    role: Role
    ris: str  # the record as RIS lines, without the closing "ER  -"
    title: str
    reason: str | None = None  # the full-text exclusion reason


@dataclass
class SearchExport:
    source: str
    other_method: bool
    file_name: str
    publications: list[Publication] = field(default_factory=list)

    def text(self) -> str:
        return "".join(f"{p.ris}ER  - \n\n" for p in self.publications)


_TOPICS = [
    "chronic low back pain",
    "persistent back pain",
    "non-specific back pain",
    "sciatica",
    "neck and back pain",
    "musculoskeletal pain",
    "lumbar spine disorders",
    "chronic pain",
    "back pain in primary care",
    "work-related back pain",
    "postoperative back pain",
    "back pain in older adults",
]
_ASPECTS = [
    "exercise therapy",
    "spinal manipulation",
    "acupuncture",
    "opioid prescribing",
    "cognitive behavioural therapy",
    "pain education",
    "return to work",
    "yoga classes",
    "self-management programmes",
    "imaging referrals",
    "pilates",
    "massage",
    "walking programmes",
    "mindfulness training",
    "lumbar supports",
    "sleep quality",
    "fear-avoidance beliefs",
    "group rehabilitation",
    "care pathways",
]
_SETTINGS = [
    "general practice",
    "physiotherapy clinics",
    "hospital outpatients",
    "community settings",
    "occupational health",
    "pain clinics",
    "nursing homes",
    "chiropractic practice",
    "emergency departments",
]
_DESIGNS = [
    "a randomised controlled trial",
    "a cohort study",
    "a cross-sectional survey",
    "a cost-effectiveness analysis",
    "a pilot study",
    "a systematic review",
    "a case series",
    "a qualitative study",
    "a mixed-methods evaluation",
]
_FAMILIES = [
    "Abbott",
    "Bergstrom",
    "Castillo",
    "Dunne",
    "Eriksen",
    "Fairbairn",
    "Greco",
    "Haddad",
    "Iversen",
    "Jansen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Pereira",
    "Quinlan",
    "Rossi",
    "Sandoval",
    "Tanaka",
    "Ulrich",
    "Varga",
    "Whitfield",
    "Xu",
    "Yilmaz",
    "Zielinski",
]
_JOURNALS = [
    "Journal of Illustrative Pain Research",
    "Example Musculoskeletal Review",
    "Placeholder Journal of Rehabilitation",
    "Demonstration Spine Quarterly",
    "Sample Health Services Journal",
]
_AGENCIES = [
    "Department of Health",
    "National Institute for Health and Care Excellence",
    "Health Protection Board",
]


def _ris(fields: list[tuple[str, str]]) -> str:
    return "".join(f"{tag}  - {value}\n" for tag, value in fields if value)


def included_publication(index: int, study: dict[str, Any]) -> Publication:
    """One of the ten included studies as RIS, from ``studies.toml``'s real bibliographic details."""
    record = study["record"]
    pages = str(record.get("pages", ""))
    start, _, end = pages.partition("-")
    fields = [("TY", "JOUR"), ("ID", f"included-{index + 1}")]
    fields += [("AU", author) for author in record["authors"]]
    fields += [
        ("TI", record["title"]),
        ("JO", record["journal"]),
        ("PY", str(record["year"])),
        ("VL", str(record.get("volume", ""))),
        ("IS", str(record.get("issue", ""))),
        ("SP", start),
        ("EP", end),
        ("DO", record.get("doi", "")),
        ("LA", "English"),
    ]
    return Publication(f"included-{index + 1}", Role.INCLUDED, _ris(fields), record["title"])


def _placeholder(rng: random.Random, number: int, role: Role, titles: set[str], kind: str) -> Publication:
    while True:
        topic, aspect = rng.choice(_TOPICS), rng.choice(_ASPECTS)
        if kind == "JOUR":
            title = f"{aspect.capitalize()} for {topic} in {rng.choice(_SETTINGS)}: {rng.choice(_DESIGNS)}"
        else:
            title = f"{aspect.capitalize()} and {topic}: guidance for {rng.choice(_SETTINGS)}"
        if title not in titles:
            titles.add(title)
            break
    key = f"demo-{number:04d}"
    year = rng.randint(1980, 2014)
    fields = [("TY", kind), ("ID", key)]
    if kind == "JOUR":
        families = rng.sample(_FAMILIES, rng.randint(1, 4))
        fields += [("AU", f"{family}, {chr(65 + rng.randrange(26))}.") for family in families]
        first = rng.randint(1, 900)
        fields += [
            ("TI", title),
            ("JO", rng.choice(_JOURNALS)),
            ("PY", str(year)),
            ("VL", str(rng.randint(1, 60))),
            ("SP", str(first)),
            ("EP", str(first + rng.randint(4, 14))),
            ("DO", f"{_DOI_PREFIX}{number:04d}"),
        ]
    else:
        fields += [("AU", rng.choice(_AGENCIES) + ","), ("TI", title), ("PY", str(year))]
    fields += [("N1", PLACEHOLDER_NOTE), ("LA", "English")]
    return Publication(key, role, _ris(fields), title)


def search_exports(included: list[dict[str, Any]]) -> list[SearchExport]:
    """The demo's export files, in import order: the five databases, then the other methods."""
    rng = random.Random(_SEED)
    titles: set[str] = set()
    reasons = [reason for reason, n in FULL_TEXT_EXCLUDED.items() for _ in range(n)]
    publications = [included_publication(i, study) for i, study in enumerate(included)]
    number = 0
    for reason in reasons:
        number += 1
        placeholder = _placeholder(rng, number, Role.FULL_TEXT_EXCLUDED, titles, "JOUR")
        publications.append(
            Publication(placeholder.key, placeholder.role, placeholder.ris, placeholder.title, reason)
        )
    # Government publications and websites hold reports and web pages, found only there.
    gray = OTHER_SPLIT["government publications"] + OTHER_SPLIT["websites"]
    journal_excluded = TITLE_ABSTRACT_EXCLUDED - gray
    for _ in range(journal_excluded):
        number += 1
        publications.append(_placeholder(rng, number, Role.TITLE_ABSTRACT_EXCLUDED, titles, "JOUR"))
    reports = []
    for kind, n in (("RPRT", OTHER_SPLIT["government publications"]), ("ELEC", OTHER_SPLIT["websites"])):
        for _ in range(n):
            number += 1
            reports.append(_placeholder(rng, number, Role.TITLE_ABSTRACT_EXCLUDED, titles, kind))
    exports = [SearchExport(name, False, _file_name(name)) for name in DATABASE_SPLIT]
    exports += [SearchExport(name, True, _file_name(name)) for name in OTHER_SPLIT]
    by_name = {export.source: export for export in exports}
    by_name["government publications"].publications = reports[: OTHER_SPLIT["government publications"]]
    by_name["websites"].publications = reports[OTHER_SPLIT["government publications"] :]
    _place(rng, publications, by_name)
    return exports


def _place(rng: random.Random, publications: list[Publication], by_name: dict[str, SearchExport]) -> None:
    """Give each journal publication a home file and 81 of them a copy in another file: the ten
    included studies, as in any real search, turn up in several databases and in reference lists."""
    capacity = {**DATABASE_SPLIT, "reference lists": OTHER_SPLIT["reference lists"]}
    homes: dict[str, str] = {}
    placed: dict[str, list[Publication]] = defaultdict(list)
    included = [p for p in publications if p.role is Role.INCLUDED]
    for index, publication in enumerate(included):
        homes[publication.key] = "MEDLINE"
        placed["MEDLINE"].append(publication)
        placed["CINAHL"].append(publication)
        placed["EMBASE" if index < 6 else "reference lists"].append(publication)
    copies = 2 * len(included)
    others = [p for p in publications if p.role is not Role.INCLUDED]
    full_text = [p for p in others if p.role is Role.FULL_TEXT_EXCLUDED]
    rest = [p for p in others if p.role is Role.TITLE_ABSTRACT_EXCLUDED]
    copied = full_text + rng.sample(rest, DUPLICATES - copies - len(full_text))
    slots = [name for name, n in capacity.items() for _ in range(n - len(placed[name]))]
    rng.shuffle(slots)
    homes_needed = len(others)
    for publication, name in zip(others, slots[:homes_needed], strict=True):
        homes[publication.key] = name
        placed[name].append(publication)
    spare = slots[homes_needed:]
    for publication in copied:
        # a copy goes to a file other than its home; the spare slots always allow one
        pick = next(i for i, name in enumerate(spare) if name != homes[publication.key])
        placed[spare.pop(pick)].append(publication)
    assert not spare, "every slot is filled"
    for name, items in placed.items():
        rng.shuffle(items)
        by_name[name].publications = items


def _file_name(source: str) -> str:
    return source.lower().replace(" ", "-") + ".ris"
