"""The web app's log page shows a coder what the coding page shows them (their own codings, never a
colleague's code, words or memo), and taking off a colleague's coding answers exactly as an unknown
id does, so coding ids cannot be probed. On SQLite and PostgreSQL."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from synthesist.services.synthesis.coding import apply_code, document_view
from synthesist.services.synthesis.log_visibility import HIDDEN
from tests.web._coding_fixtures import CodedProject, add_coded_studies
from tests.web.conftest import Served, csrf_of

AOIFES_WORDS = "waiting a long time for an appointment"
AOIFES_MEMO = "aoife suspects the waiting list"


@pytest.fixture
def coded(served: Served, tmp_path: Path) -> CodedProject:
    return add_coded_studies(served.a, tmp_path)


def _applied_rows(page: str) -> list[str]:
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)
    return [html.unescape(row) for row in rows if "synthesis.coding_applied" in row]


def test_the_log_page_hides_a_colleagues_coding_and_shows_ones_own(
    served: Served, coded: CodedProject
) -> None:
    apply_code(
        served.a, coded.documents[1], "waiting times", text=AOIFES_WORDS, coder="aoife", memo=AOIFES_MEMO
    )
    log_url = f"/p/{served.a.project.key}/log"

    for colleague in ("lukasz", "olwen"):  # a fellow coder, and the owner: the coding page hides it from both
        page = served.client(colleague).get(log_url)
        assert page.status_code == 200
        (row,) = _applied_rows(page.text)
        assert "coder=aoife" in row and f"code={HIDDEN}" in row and "waiting times" not in row
        assert AOIFES_WORDS not in html.unescape(page.text) and AOIFES_MEMO not in html.unescape(page.text)

    (own,) = _applied_rows(served.client("aoife").get(log_url).text)
    assert "code=waiting times" in own and AOIFES_WORDS in own and AOIFES_MEMO in own


def test_taking_off_a_colleagues_coding_answers_as_an_unknown_id(served: Served, coded: CodedProject) -> None:
    document = coded.documents[1]
    aoifes = apply_code(served.a, document, "waiting times", text=AOIFES_WORDS, coder="aoife")
    url = f"/p/{served.a.project.key}/coding/{document}"
    lukasz = served.client("lukasz")
    token = csrf_of(lukasz.get(url).text)
    answers = []
    for wanted in (aoifes.id, aoifes.id + 1000):
        response = lukasz.post(f"{url}/remove/{wanted}", data={"csrf_token": token})
        answers.append((response.status_code, response.text.replace(f"coding {wanted} ", "coding N ")))
    assert answers[0] == answers[1]
    assert answers[0][0] == 404 and "no coding N of yours" in answers[0][1]
    assert "aoife" not in answers[0][1]
    assert [c.id for c in document_view(served.a, document).codings] == [aoifes.id], "nothing taken off"
