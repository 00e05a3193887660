"""The coding page through the web app: coding a selected span, ticked segments or a phrase, a new
code under a theme, removing one's own coding, the assistant's suggestions, and who may do what."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from synthesist.review.accounts import Role
from synthesist.services.accounts.users import add_member, add_user
from synthesist.services.synthesis.coding import document_view
from synthesist.synthesis.model import CodingOrigin
from tests.web._coding_fixtures import ANALYTICAL, DESCRIPTIVE, CodedProject, add_coded_studies
from tests.web.conftest import PASSWORD, Served, csrf_of


@pytest.fixture
def coded(served: Served, tmp_path: Path) -> CodedProject:
    return add_coded_studies(served.a, tmp_path)


def _document_url(served: Served, document_id: int) -> str:
    return f"/p/{served.a.project.key}/coding/{document_id}"


def _post(client: TestClient, page_url: str, action: str, data: dict[str, object]) -> str:
    """Post a form of the page at ``page_url``, follow the redirect back, return the page."""
    token = csrf_of(client.get(page_url).text)
    response = client.post(f"{page_url}/{action}", data={**data, "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303, response.text
    text: str = client.get(response.headers["location"]).text
    return text


def _cell(client: TestClient, served: Served, theme: str, study: str, level: str = "analytical") -> int:
    html = client.get(f"/p/{served.a.project.key}/matrix/fragment?level={level}").text
    found = re.search(
        rf'data-theme="{re.escape(theme)}" data-study="{re.escape(study)}" data-count="(\d+)"', html
    )
    assert found, f"no cell for {theme} × {study}"
    return int(found.group(1))


def test_a_selected_span_is_coded_shown_and_counted_and_can_be_removed(
    served: Served, coded: CodedProject
) -> None:
    aoife = served.client("aoife")
    url = _document_url(served, coded.documents[0])
    page = aoife.get(url)
    assert page.status_code == 200
    assert 'data-start="0"' in page.text and "Segment 6" in page.text
    assert _cell(aoife, served, ANALYTICAL, "Cooper 2008") == 0

    text = document_view(served.a, coded.documents[0]).document.text
    start = text.index("being listened to")
    end = start + len("being listened to")
    after = _post(
        aoife,
        url,
        "apply",
        {"code": "being listened to", "start": start, "end": end, "quote": text[start:end], "kind": "quote"},
    )
    assert "Coded “being listened to”" in after
    mark = re.search(r'<mark class="coded"><span class="sr-only">\[coded being listened to\] </span>'
                     r'<span class="piece" data-start="(\d+)">([^<]*)</span></mark>', after)  # fmt: skip
    assert mark and int(mark.group(1)) == start and mark.group(2) == "being listened to"
    assert '<span class="code-label">being listened to</span>' in after
    assert "participant quote · aoife" in after
    # the coding rolls up: descriptive theme, and the analytical theme above it
    assert _cell(aoife, served, ANALYTICAL, "Cooper 2008") == 1
    assert _cell(aoife, served, DESCRIPTIVE, "Cooper 2008", "descriptive") == 1
    assert _cell(aoife, served, ANALYTICAL, "Slade 2009") == 0

    # lukasz codes blind: aoife's coding is not on his page (but it counts in the matrix)
    lukasz = served.client("lukasz")
    assert "code-label" not in lukasz.get(url).text
    assert _cell(lukasz, served, ANALYTICAL, "Cooper 2008") == 1

    # the same code again on overlapping words is refused with the service's message
    token = csrf_of(aoife.get(url).text)
    again = aoife.post(
        f"{url}/apply",
        data={"code": "being listened to", "phrase": "listened to by their", "csrf_token": token},
    )
    assert again.status_code == 409 and "overlaps" in again.text

    coding_id = next(c.id for c in document_view(served.a, coded.documents[0]).codings)
    # lukasz may not take aoife's coding off; he is told what an unknown id tells him
    token = csrf_of(lukasz.get(url).text)
    refused = lukasz.post(f"{url}/remove/{coding_id}", data={"csrf_token": token})
    assert refused.status_code == 404 and f"no coding {coding_id} of yours" in refused.text
    removed = _post(aoife, url, f"remove/{coding_id}", {})
    assert f"Removed coding {coding_id}" in removed and "code-label" not in removed
    assert _cell(aoife, served, ANALYTICAL, "Cooper 2008") == 0


def test_ticked_segments_a_phrase_and_a_new_code_under_a_theme(served: Served, coded: CodedProject) -> None:
    aoife = served.client("aoife")
    url = _document_url(served, coded.documents[1])
    after = _post(aoife, url, "apply", {"new_code": "daily life", "theme": DESCRIPTIVE, "segment": ["2"]})
    coding = document_view(served.a, coded.documents[1]).codings[0]
    assert coding.text == "They felt listened to when the physiotherapist asked about their daily life."
    # the new code sits under its theme in the tree, with its count
    tree = after.split('id="tree-title"')[1]
    assert re.search(rf"{DESCRIPTIVE}</span>.*?daily life <span class=\"count\">1 coding, 1 here", tree, re.S)
    assert _cell(aoife, served, ANALYTICAL, "Slade 2009") == 1

    _post(aoife, url, "apply", {"code": "waiting times", "segment": ["1"], "phrase": "waiting a long time"})
    texts = sorted(c.text for c in document_view(served.a, coded.documents[1]).codings)
    assert "waiting a long time" in texts
    assert _cell(aoife, served, "Access to care", "Slade 2009") == 1

    token = csrf_of(aoife.get(url).text)
    apart = aoife.post(
        f"{url}/apply", data={"code": "waiting times", "segment": ["1", "3"], "csrf_token": token}
    )
    assert apart.status_code == 400 and "not next to each other" in apart.text
    both = aoife.post(
        f"{url}/apply", data={"code": "waiting times", "new_code": "x", "segment": ["3"], "csrf_token": token}
    )
    assert both.status_code == 400 and "choose one code" in both.text
    nothing = aoife.post(f"{url}/apply", data={"code": "waiting times", "csrf_token": token})
    assert nothing.status_code == 400 and "say which text" in nothing.text
    # a new code whose coding is refused is not left behind
    unknown = aoife.post(
        f"{url}/apply",
        data={"new_code": "orphan", "theme": "No such theme", "segment": ["3"], "csrf_token": token},
    )
    assert unknown.status_code == 404
    assert "orphan" not in aoife.get(url).text


def test_the_assistants_suggestions_are_accepted_or_rejected(served: Served, coded: CodedProject) -> None:
    aoife = served.client("aoife")
    url = _document_url(served, coded.documents[0])
    page = _post(aoife, url, "suggest", {})
    assert "new suggestion" in page
    pending = [
        c for c in document_view(served.a, coded.documents[0]).codings if c.origin is CodingOrigin.SUGGESTED
    ]
    assert len(pending) >= 2, "the key terms match more than one segment"
    assert f'id="suggestion-{pending[0].id}"' in page
    # suggestions count nowhere until accepted
    assert _cell(aoife, served, ANALYTICAL, "Cooper 2008") == 0

    accepted = _post(aoife, url, f"suggestions/{pending[0].id}/accept", {})
    assert f"Accepted suggestion {pending[0].id}" in accepted
    assert f'id="suggestion-{pending[0].id}"' not in accepted
    view = document_view(served.a, coded.documents[0])
    mine = [c for c in view.codings if c.coder == "aoife"]
    assert len(mine) == 1 and (mine[0].start, mine[0].end) == (pending[0].start, pending[0].end)
    assert '<span class="code-label">' in accepted

    rejected = _post(aoife, url, f"suggestions/{pending[1].id}/reject", {})
    assert f'id="suggestion-{pending[1].id}"' not in rejected
    # deciding a suggestion twice is refused
    token = csrf_of(aoife.get(url).text)
    twice = aoife.post(f"{url}/suggestions/{pending[1].id}/accept", data={"csrf_token": token})
    assert twice.status_code == 400


def test_a_viewer_reads_but_cannot_code_and_a_post_needs_its_token(
    served: Served, coded: CodedProject
) -> None:
    add_user(served.a, "vera", PASSWORD)
    add_member(served.a, "vera", Role.VIEWER)
    vera = served.client("vera")
    url = _document_url(served, coded.documents[0])
    listing = vera.get(f"/p/{served.a.project.key}/coding")
    assert listing.status_code == 200 and "Cooper 2008" in listing.text
    page = vera.get(url)
    assert page.status_code == 200 and 'id="apply-form"' not in page.text
    token = csrf_of(vera.get("/").text)
    for action in ("apply", "suggest", "remove/1", "suggestions/1/accept", "suggestions/1/reject"):
        response = vera.post(
            f"{url}/{action}", data={"code": "being listened to", "segment": "1", "csrf_token": token}
        )
        assert response.status_code == 403, action

    aoife = served.client("aoife")
    missing = aoife.post(f"{url}/apply", data={"code": "being listened to", "segment": "1"})
    assert missing.status_code == 403
    wrong = aoife.post(f"{url}/apply", data={"code": "being listened to", "segment": "1", "csrf_token": "x"})
    assert wrong.status_code == 403
    assert document_view(served.a, coded.documents[0]).codings == []
    assert aoife.get(f"/p/{served.a.project.key}/coding/999").status_code == 404
