"""Small builders shared by tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlalchemy as sa
    from alembic.config import Config

RIS_RECORD = """TY  - JOUR
ID  - {id}
AU  - Cooper, K.
AU  - Smith, B. H.
TI  - {title}
JO  - Physiotherapy
PY  - {year}
VL  - 94
IS  - 3
SP  - 244
EP  - 252
DO  - 10.1016/j.physio.{id}
AB  - Patients with chronic low back pain described what patient-centred physiotherapy meant to them.
ER  - 
"""


def ris_text(count: int, *, start: int = 1, title: str = "Patient-centredness in physiotherapy {n}") -> str:
    return "\n".join(
        RIS_RECORD.format(id=n, title=title.format(n=n), year=2000 + n % 15)
        for n in range(start, start + count)
    )


# Three records on the review's topic (4, 7, 10) among nine on others, so that id order, keyword
# order and the model's order all differ.
TOPICS = {
    1: ("Insulin dosing in type 2 diabetes", "Glucose control with basal insulin in adults with diabetes."),
    2: ("Chemotherapy toxicity in breast cancer", "Neutropenia after adjuvant chemotherapy for cancer."),
    3: ("Hip fracture surgery in older adults", "Mortality after early hip fracture surgery in hospital."),
    4: (
        "Patient-professional partnership in chronic low back pain self-management",
        "Interviews with patients on how partnership with physiotherapists supports back pain "
        "self-management.",
    ),
    5: ("Asthma inhaler adherence in children", "Adherence to inhaled steroids among children with asthma."),
    6: ("Statins and cardiovascular events", "Statin therapy and myocardial infarction in a cohort."),
    7: (
        "Shared decisions and self-management support for chronic back pain",
        "A qualitative study of partnership between patients with back pain and physiotherapists "
        "in self-management.",
    ),
    8: ("Malaria vaccine trial in infants", "Efficacy of a malaria vaccine in African infants."),
    9: ("Depression screening in primary care", "Accuracy of depression questionnaires in general practice."),
    10: (
        "Physiotherapist and patient partnership for back pain self-management",
        "Patients with chronic back pain describe partnership and self-management with physiotherapists.",
    ),
    11: ("Antibiotic resistance in hospital wards", "Carbapenem resistance among ward patients."),
    12: ("Knee replacement rehabilitation", "Outcomes of knee arthroplasty with inpatient rehabilitation."),
}
ON_TOPIC = {4, 7, 10}


def topic_ris(topics: dict[int, tuple[str, str]]) -> str:
    return "\n".join(
        f"TY  - JOUR\nID  - {n}\nAU  - Smith, J.\nTI  - {title}\nAB  - {abstract}\nPY  - {2000 + n}\n"
        f"DO  - 10.1000/test.{n}\nN1  - PMID: {900000 + n}\nER  - \n"
        for n, (title, abstract) in topics.items()
    )


def alembic_config(connection: sa.Connection) -> Config:
    """An Alembic configuration that runs the project's migrations on ``connection`` (the migration
    tests go down and up again with it)."""
    from alembic.config import Config

    from synthesist.storage.migrate import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config
