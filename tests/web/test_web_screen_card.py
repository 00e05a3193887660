"""The screening card: the record's details and links, the confirmation with its Undo after each
decision, and the exclusion reason asked for again beside its field at full text."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from synthesist.screening.model import Stage, Vote
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.screening.decisions import decide, overview
from tests.web.conftest import Served, csrf_of

RIS = """TY  - JOUR
AU  - Brennan, Aoife
AU  - Nowak, Łukasz
AU  - Östlund-Berg, Ingrid
AU  - Cooper, K.
TI  - Partnership in back pain care {n}
JO  - Physiotherapy Theory and Practice
PY  - 2012
VL  - 28
IS  - 4
SP  - 244
EP  - 252
DO  - 10.1016/j.ptp.{n}
PMID  - 2233{n}
AB  - Ratings of inter-rater agreement; rats and a rat.
ER  - {blank}
"""


def _current(page: str) -> int:
    found = re.search(r'name="record_id" value="(\d+)"', page)
    assert found, "the page shows a record"
    return int(found.group(1))


def _only_new_records_left(served: Served) -> None:
    """Project B's twelve records decided, two with every detail imported: only those are shown."""
    ws = served.b
    for record_id in list(overview(ws).records):
        decide(ws, record_id, Stage.TITLE_ABSTRACT, Vote.EXCLUDE, reviewer="outsider")
    export = ws.project.root / "detailed.ris"
    export.write_text("\n".join(RIS.format(n=n, blank="") for n in (1, 2)), encoding="utf-8")
    import_files(ws, ImportRequest(paths=[export], source="PubMed"))


def test_the_card_shows_the_records_details_and_links(served: Served) -> None:
    _only_new_records_left(served)
    client = served.client("outsider")
    page = client.get(f"/p/{served.b.project.key}/screen/title-abstract").text
    record_id = _current(page)
    title = re.search(r"Partnership in back pain care (\d)</h2>", page)
    assert title, "one of the two detailed records is shown"
    n = int(title.group(1))
    assert "/static/screen.css" in page
    # the first three authors, then "et al."
    assert "Brennan, Aoife; Nowak, Łukasz; Östlund-Berg, Ingrid et al.</p>" in page and "Cooper" not in page
    assert "<cite>Physiotherapy Theory and Practice</cite> 28(4): 244-252" in page
    doi = re.search(
        r'<a href="https://doi.org/10.1016/j.ptp.(\d)" rel="external">DOI 10.1016/j.ptp.\1<span', page
    )
    assert doi and doi.group(1) == str(n)
    assert f'<a href="https://pubmed.ncbi.nlm.nih.gov/2233{n}/" rel="external">PubMed 2233{n}' in page
    assert page.count('<span class="sr-only"> (another site)</span>') == 1  # PubMed's; doi.org names itself
    assert "(doi.org, another site)" in page and 'target="_blank"' not in page.split('class="record-card"')[1]
    assert f'<a href="/p/{served.b.project.key}/records/{record_id}">Record {record_id}' in page
    # the criteria beside the record, and a progress bar with its numbers
    assert '<aside aria-labelledby="criteria-title" class="criteria">' in page
    assert re.search(r'<progress max="14" value="12" aria-labelledby="progress">', page)


def test_a_decision_is_confirmed_with_an_undo_and_the_undo_says_what_it_restored(served: Served) -> None:
    key = served.b.project.key
    url = f"/p/{key}/screen/title-abstract"
    client = served.client("outsider")
    page = client.get(url).text
    record_id = _current(page)
    title = re.search(r'<h2 id="record-title">(.*?)</h2>', page)
    assert title
    decided = client.post(
        url, data={"shortcut": "e", "record_id": record_id, "csrf_token": csrf_of(page), "skip": ""}
    )
    assert decided.status_code == 200 and decided.url.query.decode() == f"done=exclude&record={record_id}"
    status = re.search(
        r'<div role="status" id="screen-status" class="screen-status">(.*?)</div>', decided.text, re.S
    )
    assert status, "the confirmation is in a status region"
    said = html.unescape(re.sub(r"<[^>]+>|\s+", " ", status.group(1)))
    plain_title = html.unescape(re.sub(r'<span class="sr-only">[^<]*</span>|<[^>]+>', "", title.group(1)))
    assert re.sub(r"\s+", " ", f"Excluded: {plain_title} — u Undo") in re.sub(r"\s+", " ", said)
    decision = [d for d in overview(served.b).decisions[record_id] if d.active]
    assert len(decision) == 1
    assert f'name="decision_id" value="{decision[0].id}"' in status.group(1)
    assert 'data-key="u"' in status.group(1) and decided.text.count('data-key="u"') == 1, "one Undo for key u"

    undone = client.post(
        url,
        data={
            "shortcut": "u",
            "decision_id": decision[0].id,
            "csrf_token": csrf_of(decided.text),
            "skip": "",
        },
    )
    assert undone.status_code == 200 and undone.url.query.decode() == f"done=undo&record={record_id}"
    assert not [d for d in overview(served.b).decisions.get(record_id, []) if d.active]
    status = re.search(r'id="screen-status" class="screen-status">(.*?)</div>', undone.text, re.S)
    assert status and "Undone:" in status.group(1) and plain_title in html.unescape(status.group(1))
    assert "waiting for your decision again" in status.group(1)
    # an address gone stale (the decision undone) confirms nothing
    stale = client.get(f"{url}?done=exclude&record={record_id}").text
    assert "Excluded:" not in stale and "Undone:" not in stale


def test_excluding_at_full_text_without_a_reason_shows_the_page_again_with_the_field_marked(
    served: Served,
) -> None:
    key = served.a.project.key
    for reviewer in ("aoife", "lukasz"):
        decide(served.a, 1, Stage.TITLE_ABSTRACT, Vote.INCLUDE, reviewer=reviewer)
    aoife: TestClient = served.client("aoife")
    url = f"/p/{key}/screen/full-text"
    page = aoife.get(url).text
    assert _current(page) == 1
    form = {
        "shortcut": "e",
        "record_id": 1,
        "csrf_token": csrf_of(page),
        "skip": "",
        "note": "methods unclear",
    }
    refused = aoife.post(url, data={**form, "reason": ""})
    assert refused.status_code == 400
    assert "<title>Not saved: Screening" in refused.text and _current(refused.text) == 1
    select = re.search(r"<select id=\"reason\"[^>]*>", refused.text)
    assert (
        select
        and 'aria-invalid="true"' in select.group(0)
        and 'aria-describedby="reason-error"' in select.group(0)
    )
    assert re.search(r'<p id="reason-error" class="field-error">.*Choose a reason', refused.text)
    assert '<input id="note" name="note" type="text" value="methods unclear">' in refused.text
    assert not overview(served.a).decisions.get(1) or all(
        d.stage is Stage.TITLE_ABSTRACT for d in overview(served.a).decisions[1]
    ), "nothing stored at full text"

    # a reason with an inclusion is refused beside the field too, the reason kept selected
    wrong = aoife.post(url, data={**form, "shortcut": "i", "reason": "Wrong design"})
    assert wrong.status_code == 400 and "A reason goes only with an exclusion" in wrong.text
    assert '<option value="Wrong design" selected>' in wrong.text

    excluded = aoife.post(url, data={**form, "reason": "Wrong design"})
    assert excluded.status_code == 200 and "Excluded:" in excluded.text
    mine = [d for d in overview(served.a).decisions[1] if d.stage is Stage.FULL_TEXT]
    assert [(d.vote, d.reason, d.note) for d in mine] == [(Vote.EXCLUDE, "Wrong design", "methods unclear")]
