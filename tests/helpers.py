"""Small builders shared by tests."""

from __future__ import annotations

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
