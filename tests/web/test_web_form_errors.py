"""Form errors beside their field, with the input kept (issue 20): a coding the service refuses for
one of its inputs shows the coding page again (not the error page) with the message beside the
code picker, the new code's name, the theme or the selection, and every value the coder sent; a
report refused or a "not retrieved" mark without a reason shows the full-text screening page again
for the same record, the message beside the file or reason field. Each answers 4xx, never 200."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from synthesist.screening.model import Stage, Vote
from synthesist.services.fulltext.reports import list_reports, not_retrieved_marks
from synthesist.services.screening.decisions import decide
from synthesist.services.synthesis.coding import document_view
from synthesist.web.routes import fulltext as fulltext_routes
from tests.web._coding_fixtures import DESCRIPTIVE, CodedProject, add_coded_studies
from tests.web.conftest import Served, csrf_of
from tests.web.test_web_fulltext import _shown_record, _to_full_text

MEMO = "Said twice, in the interview's second half"


@pytest.fixture
def coded(served: Served, tmp_path: Path) -> CodedProject:
    return add_coded_studies(served.a, tmp_path)


def _apply(client: TestClient, url: str, data: dict[str, object]) -> tuple[int, str]:
    token = csrf_of(client.get(url).text)
    response = client.post(f"{url}/apply", data={**data, "csrf_token": token}, follow_redirects=False)
    return response.status_code, response.text


def _tag(page: str, element_id: str) -> str:
    found = re.search(rf'<(?:input|select)[^>]*\bid="{element_id}"[^>]*>', page)
    assert found, f"no field #{element_id} on the page"
    return found.group(0)


def _value(page: str, element_id: str) -> str:
    found = re.search(r'\bvalue="([^"]*)"', _tag(page, element_id))
    return html.unescape(found.group(1)) if found else ""


def _error_beside(page: str, error_id: str, field_id: str) -> str:
    """The message shown right before the field (or before its label: the selection's message sits
    under the selection, above the phrase), which is marked invalid and described by it."""
    found = re.search(
        rf'<p id="{error_id}" class="field-error"><span class="sr-only">Error: </span>(.*?)</p>\s*'
        rf'(?:<label[^>]*>[^<]*</label>\s*)?(<(?:input|select)[^>]*\bid="{field_id}"[^>]*>)',
        page,
        re.S,
    )
    assert found, f"no error right before #{field_id}"
    tag = found.group(2)
    assert 'aria-invalid="true"' in tag and f'aria-describedby="{error_id}"' in tag and "autofocus" in tag
    return html.unescape(found.group(1))


def _selected(page: str, select_id: str) -> str:
    body = page.split(f'id="{select_id}"', 1)[1].split("</select>", 1)[0]
    found = re.search(r'<option value="([^"]*)" selected>', body)
    return html.unescape(found.group(1)) if found else ""


def _ticked(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'name="segment" value="(\d+)"[^>]*\bchecked', page)]


def test_a_coding_without_a_code_comes_back_with_the_selection_and_memo_kept(
    served: Served, coded: CodedProject
) -> None:
    aoife = served.client("aoife")
    url = f"/p/{served.a.project.key}/coding/{coded.documents[0]}"
    text = document_view(served.a, coded.documents[0]).document.text
    start = text.index("being listened to")
    end = start + len("being listened to")
    status, page = _apply(
        aoife,
        url,
        {"start": start, "end": end, "quote": text[start:end], "kind": "quote", "memo": MEMO},
    )
    assert status == 400
    assert "<title>Not coded: Coding D" in page and 'id="apply-form"' in page, "the page, not an error"
    assert "choose one code" in _error_beside(page, "apply-error", "code")
    assert 'aria-invalid="true"' in _tag(page, "new-code"), "the other half of the choice is marked too"
    # every input as sent: the selection (hidden offsets and words, said in the status), kind and memo
    assert (_value(page, "sel-start"), _value(page, "sel-end")) == (str(start), str(end))
    assert _value(page, "sel-quote") == "being listened to"
    assert "Selection kept: “being listened to”" in page and 'class="stack has-selection"' in page
    assert "checked" in _tag(page, "kind-quote") and "checked" not in _tag(page, "kind-interpretation")
    assert _value(page, "memo") == MEMO
    assert document_view(served.a, coded.documents[0]).codings == []

    # without JavaScript the coder picks the code and sends the same form again: it is coded
    token = csrf_of(page)
    again = aoife.post(
        f"{url}/apply",
        data={
            "csrf_token": token,
            "code": "being listened to",
            "start": _value(page, "sel-start"),
            "end": _value(page, "sel-end"),
            "quote": _value(page, "sel-quote"),
            "kind": "quote",
            "memo": _value(page, "memo"),
        },
        follow_redirects=False,
    )
    assert again.status_code == 303
    [coding] = document_view(served.a, coded.documents[0]).codings
    assert (coding.start, coding.end, coding.memo) == (start, end, MEMO)


def test_a_new_code_whose_name_is_taken_is_marked_with_theme_segments_and_memo_kept(
    served: Served, coded: CodedProject
) -> None:
    aoife = served.client("aoife")
    url = f"/p/{served.a.project.key}/coding/{coded.documents[1]}"
    status, page = _apply(
        aoife,
        url,
        {"new_code": "Being Listened To", "theme": DESCRIPTIVE, "segment": ["2"], "memo": MEMO},
    )
    assert status == 409, "a name that exists is a conflict"
    said = _error_beside(page, "apply-error", "new-code")
    assert "a code called 'being listened to' exists already" in said
    assert _value(page, "new-code") == "Being Listened To"
    assert _selected(page, "theme") == DESCRIPTIVE and _selected(page, "code") == ""
    assert _ticked(page) == [2] and "Segments ticked: 2." in page
    assert _value(page, "memo") == MEMO
    assert "checked" in _tag(page, "kind-interpretation")
    assert document_view(served.a, coded.documents[1]).codings == []


@pytest.mark.parametrize(
    ("sent", "said", "status"),
    [
        ({}, "say which text to code", 400),
        ({"segment": ["1", "3"]}, "segments 1, 3 are not next to each other", 400),
        ({"phrase": "not in this text at all"}, "'not in this text at all' is not in", 400),
        # the page was loaded before the text changed: the words are looked for, and are not there
        ({"start": "0", "end": "9", "quote": "words gone"}, "'words gone' is not in", 400),
        ({"start": "zero", "end": "9"}, "'zero' is not a character offset", 400),
    ],
    ids=["nothing", "apart", "phrase", "stale", "not-a-number"],
)
def test_a_selection_that_says_no_text_is_marked_beside_the_selection(
    served: Served, coded: CodedProject, sent: dict[str, object], said: str, status: int
) -> None:
    aoife = served.client("aoife")
    url = f"/p/{served.a.project.key}/coding/{coded.documents[1]}"
    code, page = _apply(aoife, url, {"code": "waiting times", "memo": MEMO, **sent})
    assert code == status
    assert said in _error_beside(page, "apply-error", "phrase")
    assert _selected(page, "code") == "waiting times" and _value(page, "memo") == MEMO
    assert _value(page, "phrase") == sent.get("phrase", "")
    assert _ticked(page) == [int(n) for n in sent.get("segment", [])]  # type: ignore[attr-defined]
    assert document_view(served.a, coded.documents[1]).codings == []


def test_an_overlap_and_a_theme_for_an_existing_code_are_said_beside_their_fields(
    served: Served, coded: CodedProject
) -> None:
    aoife = served.client("aoife")
    url = f"/p/{served.a.project.key}/coding/{coded.documents[1]}"
    assert _apply(aoife, url, {"code": "waiting times", "phrase": "waiting a long time"})[0] == 303

    status, page = _apply(aoife, url, {"code": "waiting times", "phrase": "a long time for", "memo": MEMO})
    assert status == 409
    said = _error_beside(page, "apply-error", "phrase")
    assert "overlaps" in said and "Remove button" in said and "synthesist code remove" not in said
    assert _value(page, "phrase") == "a long time for" and _value(page, "memo") == MEMO

    status, page = _apply(aoife, url, {"code": "waiting times", "theme": DESCRIPTIVE, "segment": ["3"]})
    assert status == 400
    assert "a theme can only be given to a new code" in _error_beside(page, "apply-error", "theme")
    assert _selected(page, "theme") == DESCRIPTIVE and _ticked(page) == [3]

    # a kind the form does not offer (a hand-made request): said beside the kinds
    status, page = _apply(aoife, url, {"code": "waiting times", "kind": "song", "segment": ["3"]})
    assert status == 400
    assert "'song' is not a kind of coded span" in _error_beside(page, "apply-error", "kind-interpretation")

    # a theme deleted since the page was loaded: said of the theme, and no code is left behind
    status, page = _apply(aoife, url, {"new_code": "orphan", "theme": "No such theme", "segment": ["3"]})
    assert status == 404
    assert "no theme called 'No such theme'" in _error_beside(page, "apply-error", "theme")
    assert _value(page, "new-code") == "orphan"
    assert ">orphan<" not in page
    assert len(document_view(served.a, coded.documents[1]).codings) == 1


def test_a_page_without_a_refusal_marks_nothing(served: Served, coded: CodedProject) -> None:
    page = served.client("aoife").get(f"/p/{served.a.project.key}/coding/{coded.documents[0]}").text
    assert "aria-invalid" not in page and "field-error" not in page and "autofocus" not in page
    assert "No text selected" in page and _value(page, "sel-start") == ""


# -- the full-text panel ---------------------------------------------------------------------------


def _attach(client: TestClient, key: str, record_id: int, name: str, content: bytes) -> tuple[int, str]:
    token = csrf_of(client.get(f"/p/{key}/screen/full-text").text)
    response = client.post(
        f"/p/{key}/records/{record_id}/reports",
        files={"report": (name, content, "application/octet-stream")},
        data={"csrf_token": token, "skip": ""},
        follow_redirects=False,
    )
    return response.status_code, response.text


def test_a_report_the_app_cannot_read_is_said_beside_the_file_field(served: Served) -> None:
    _to_full_text(served, 1, 2)
    key = served.a.project.key
    lukasz = served.client("lukasz")
    status, page = _attach(lukasz, key, 1, "login-page.pdf", b"<html>Please sign in</html>")
    assert status == 400
    assert _shown_record(page) == 1 and 'id="fulltext-title"' in page, "the same record's page"
    said = _error_beside(page, "report-file-error", "report-file")
    assert said.startswith("login-page.pdf: is not a PDF") and "choose the file again" in said
    assert "fulltext-attach fulltext-invalid" in page
    assert 'aria-invalid="true"' not in _tag(page, "missing-reason"), "only the field at fault"
    assert list_reports(served.a, 1) == []

    # the same file twice is a conflict, said of the file too
    assert _attach(lukasz, key, 1, "notes.txt", b"Participants: 40 adults")[0] == 303
    status, page = _attach(lukasz, key, 1, "notes.txt", b"Participants: 40 adults")
    assert status == 409 and _shown_record(page) == 1
    assert "already attached to record 1" in _error_beside(page, "report-file-error", "report-file")
    assert len(list_reports(served.a, 1)) == 1


def test_a_report_too_large_is_said_beside_the_file_field(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    _to_full_text(served, 1)
    monkeypatch.setattr(fulltext_routes, "MAX_UPLOAD_BYTES", 10)
    status, page = _attach(served.client("aoife"), served.a.project.key, 1, "big.txt", b"x" * 100)
    assert status == 400 and _shown_record(page) == 1
    said = _error_beside(page, "report-file-error", "report-file")
    assert "big.txt is larger than" in said and "choose the file again" in said


def test_not_retrieved_without_a_reason_is_said_beside_the_reason_with_it_kept(served: Served) -> None:
    _to_full_text(served, 1, 2)
    key = served.a.project.key
    aoife = served.client("aoife")
    token = csrf_of(aoife.get(f"/p/{key}/screen/full-text?skip=").text)
    response = aoife.post(
        f"/p/{key}/records/1/not-retrieved", data={"csrf_token": token, "reason": "   ", "skip": ""}
    )
    assert response.status_code == 400
    page = response.text
    assert _shown_record(page) == 1
    said = _error_beside(page, "missing-reason-error", "missing-reason")
    assert said.startswith("Say why the full text could not be retrieved") and "--reason" not in said
    assert _value(page, "missing-reason") == "   "
    assert "fulltext-missing fulltext-invalid" in page
    assert 'aria-invalid="true"' not in _tag(page, "report-file"), "only the field at fault"
    assert not_retrieved_marks(served.a) == []


def test_a_refusal_for_a_record_no_longer_on_the_page_is_said_on_its_own_page(served: Served) -> None:
    """Record 1 was decided meanwhile (in another tab): the page would show record 2, whose form
    is not the one refused, so the refusal gets the error page."""
    _to_full_text(served, 1, 2)
    key = served.a.project.key
    aoife = served.client("aoife")
    token = csrf_of(aoife.get(f"/p/{key}/screen/full-text").text)
    decide(served.a, 1, Stage.FULL_TEXT, Vote.INCLUDE, reviewer="aoife")
    response = aoife.post(f"/p/{key}/records/1/not-retrieved", data={"csrf_token": token, "reason": ""})
    assert response.status_code == 400
    assert "say why the full text could not be retrieved" in response.text.lower()
    assert 'name="record_id"' not in response.text
