"""The extraction pages: the form field by field, saving through the services, errors next to their
field with nothing written, blind dual extraction through every extraction route, consensus by an
owner, the verifier's check and flags, the table and its downloads, and who may post."""

from __future__ import annotations

import re
from collections.abc import Mapping

from fastapi.testclient import TestClient

from synthesist.extraction.status import ExtractionStatus
from synthesist.services.extraction.values import included_extractions, study_form
from synthesist.services.records.reading import read_log
from synthesist.web.app import api_routes
from tests.web._included_fixtures import REQUIRED_VALUES, Builder, Included, included
from tests.web.conftest import csrf_of

__all__ = ["included"]  # the fixture, imported to be found by pytest

SHOWN = ["authors", "country", "design", "methods", "participants", "mean_age", "findings"]
FILLED = {
    "shown": SHOWN,
    "v.authors": "Cooper K, Smith BH",
    **REQUIRED_VALUES,
    "v.methods": ["Semi-structured interviews", "Observation"],
    "v.participants.g0": "12",
    "v.participants.g1": "3",
    "v.participants.total": "",
    "v.mean_age": "45.5 years",
    "v.findings": "Patients valued being listened to.",
}


def _post(client: TestClient, url: str, data: Mapping[str, object], *, page_url: str | None = None) -> int:
    token = csrf_of(client.get(page_url or url).text)
    status: int = client.post(url, data={**data, "csrf_token": token}, follow_redirects=False).status_code
    return status


def _values(inc: Included, ref: str, actor: str) -> dict[str, str | None]:
    inc.ws.actor = actor
    return {entry.field.name: entry.value for entry in study_form(inc.ws, ref).entries}


def _status(inc: Included, ref: str) -> ExtractionStatus:
    """The status of the study of record ``ref`` (a record's study is given an id when first written)."""
    return next(
        s.extraction.status for s in included_extractions(inc.ws) if int(ref) in s.view.study.record_ids
    )


def test_the_form_shows_each_field_by_type_and_saves_the_reviewers_values(included: Builder) -> None:
    inc = included(extraction="single")
    aoife, ref = inc.client("aoife"), inc.refs[0]
    url = f"/p/{inc.key}/extraction/{ref}"
    form = aoife.get(url).text
    # required marked, help text as the field's description, record values filled in, every type
    assert re.search(r'<label for="f-country">Country <span class="required">\(required\)</span>', form)
    assert 'id="f-country" name="v.country" type="text" value="" aria-describedby="h-country"' in form
    assert '<p class="help" id="h-country">Where the study was conducted.</p>' in form
    assert 'name="v.authors" type="text" value="Cooper K, Smith BH" aria-describedby="p-authors"' in form
    assert '<select id="f-design" name="v.design"' in form and 'type="checkbox" name="v.methods"' in form
    assert 'name="v.participants.g1"' in form and "<legend>Participants</legend>" in form
    assert "<textarea" in form and "Mean age (years)" in form
    assert "Record 1" in form or f"Record {ref}" in form  # the study's record beside the form

    assert _post(aoife, url, {**FILLED, "action": "save"}) == 303
    assert _values(inc, ref, "aoife") == {
        "authors": "Cooper K, Smith BH",
        "country": "Norway",
        "design": "Interviews",
        "methods": "Semi-structured interviews; Observation",
        "participants": "patients=12, professionals=3, total=15",
        "mean_age": "45.5",
        "findings": "Patients valued being listened to.",
    }
    assert _status(inc, ref) is ExtractionStatus.IN_PROGRESS
    shown = aoife.get(url + "?done=saved").text
    assert 'role="status" class="done">Your values are saved.' in shown
    assert 'value="Norway"' in shown and 'value="Interviews" selected' in shown
    assert (
        'value="Observation" checked' in shown
        and 'name="v.participants.g0" inputmode="numeric" class="count" value="12"' in shown
    )
    assert 'value="45.5"' in shown
    # the authors were the record's own and stay derived: no value was written for them
    written = {e.payload["field"] for e in read_log(inc.ws, types=["extraction.value_set"])}
    assert "authors" not in written and "country" in written

    assert _post(aoife, url, {**FILLED, "action": "complete"}) == 303
    assert _status(inc, ref) is ExtractionStatus.COMPLETE
    listing = aoife.get(f"/p/{inc.key}/extraction").text
    assert "complete" in listing and "aoife" in listing


def test_a_wrong_or_missing_value_is_shown_at_its_field_with_the_values_kept_and_nothing_saved(
    included: Builder,
) -> None:
    inc = included(extraction="single")
    aoife, ref = inc.client("aoife"), inc.refs[0]
    url = f"/p/{inc.key}/extraction/{ref}"
    token = csrf_of(aoife.get(url).text)
    data = {**FILLED, "v.country": "", "v.mean_age": "forty", "action": "complete", "csrf_token": token}
    response = aoife.post(url, data=data, follow_redirects=False)
    assert response.status_code == 422
    page = response.text
    assert 'role="alert"' in page and "2 mistakes; nothing was saved" in page
    assert 'id="e-country"><span class="sr-only">Error: </span>Required: fill this in' in page
    assert (
        "&#39;forty&#39; is not a number" in page
        and 'aria-describedby="e-mean_age" aria-invalid="true"' in page
    )
    assert 'aria-describedby="h-country e-country" aria-invalid="true" aria-required="true"' in page
    assert 'value="forty"' in page and "Patients valued being listened to." in page  # as typed
    assert read_log(inc.ws, types=["extraction.value_set", "extraction.completed"]) == []
    assert _status(inc, ref) is ExtractionStatus.NOT_STARTED


def _extraction_get_urls(inc: Included) -> list[str]:
    urls = []
    for route in api_routes(inc.app):
        path = route.path
        if "GET" not in (route.methods or set()) or not path.startswith("/p/{key}/extraction"):
            continue
        path = path.replace("{key}", inc.key)
        if "{fmt}" in path:
            urls += [path.replace("{fmt}", fmt) for fmt in ("csv", "md", "html")]
        elif "{study_id}" in path:
            urls += [path.replace("{study_id}", ref) for ref in inc.refs]
        else:
            urls.append(path)
    assert len(urls) >= 7, urls
    return urls


def test_dual_extraction_is_blind_on_every_route_until_both_complete_then_an_owner_resolves(
    included: Builder,
) -> None:
    inc = included(extraction="dual")
    aoife, lukasz, olwen = inc.client("aoife"), inc.client("lukasz"), inc.client("olwen")
    ref = inc.refs[0]
    url = f"/p/{inc.key}/extraction/{ref}"
    assert _post(aoife, url, {**FILLED, "v.country": "Secretland", "action": "complete"}) == 303
    assert _status(inc, ref) is ExtractionStatus.IN_PROGRESS

    def pages(client: TestClient) -> dict[str, str]:
        found = {}
        for page_url in _extraction_get_urls(inc):
            response = client.get(page_url)
            assert response.status_code == 200, page_url
            found[page_url] = response.text
        return found

    for who in (lukasz, olwen):
        for page_url, text in pages(who).items():
            assert "Secretland" not in text, f"{page_url} shows aoife's value before both are complete"
            assert "45.5" not in text, page_url
    # lukasz extracts too, but his saved draft does not unblind anything
    assert _post(lukasz, url, {**FILLED, "v.country": "Sweden", "action": "save"}) == 303
    assert all("Secretland" not in text for text in pages(lukasz).values())
    assert 'value="Sweden"' in lukasz.get(url).text  # his own values, and only his

    assert _post(lukasz, url, {**FILLED, "v.country": "Sweden", "action": "complete"}) == 303
    assert _status(inc, ref) is ExtractionStatus.COMPARED
    compared = lukasz.get(url).text
    assert "Discrepancies between the two extractions" in compared
    assert re.search(r"<th scope=\"row\">Country</th>\s*<td>Secretland</td><td>Sweden</td>", compared)
    assert "An owner of the project records the agreed value." in compared
    # a reviewer cannot record the consensus; an owner can
    consensus = f"{url}/consensus"
    assert _post(lukasz, consensus, {"field": "country", "take": "aoife"}, page_url=url) == 403
    assert (
        _post(olwen, consensus, {"field": "country", "value": "Norway", "note": "checked"}, page_url=url)
        == 303
    )
    assert _status(inc, ref) is ExtractionStatus.AGREED
    table = olwen.get(f"/p/{inc.key}/extraction/table").text
    assert "<td>Norway</td>" in table and "Secretland" not in table
    csv_text = olwen.get(f"/p/{inc.key}/extraction/table.csv").text
    assert "Norway" in csv_text and "12 patients, 3 professionals (total 15)" in csv_text


def test_single_verified_a_second_reviewer_flags_a_field_the_extractor_resolves_then_verifies(
    included: Builder,
) -> None:
    inc = included(extraction="single-verified")
    aoife, lukasz = inc.client("aoife"), inc.client("lukasz")
    ref = inc.refs[1]
    url = f"/p/{inc.key}/extraction/{ref}"
    assert "Check this extraction" not in lukasz.get(url).text  # nothing to check yet
    assert _post(aoife, url, {**FILLED, "action": "complete"}) == 303
    page = lukasz.get(url).text
    assert "Check this extraction" in page
    assert "Check this extraction" not in aoife.get(url).text  # nobody checks their own
    flag = {"action": "flag", "field": "country", "note": "Table 1 says Denmark", "suggest": "Denmark"}
    assert _post(lukasz, f"{url}/check", flag, page_url=url) == 303
    assert _status(inc, ref) is ExtractionStatus.FLAGGED
    flagged = aoife.get(url).text
    assert 'id="fl-country"><strong>Flagged</strong> by lukasz: Table 1 says Denmark' in flagged
    assert 'aria-describedby="h-country fl-country"' in flagged
    assert _post(aoife, f"{url}/flags", {"field": "country", "how": "take"}, page_url=url) == 303
    assert _values(inc, ref, "aoife")["country"] == "Denmark"
    assert _post(lukasz, f"{url}/check", {"action": "verify"}, page_url=url) == 303
    assert _status(inc, ref) is ExtractionStatus.VERIFIED
    listing = lukasz.get(f"/p/{inc.key}/extraction").text
    assert "verified" in listing and "Checked by" in listing


def test_a_viewer_cannot_post_and_a_post_without_its_token_is_refused(included: Builder) -> None:
    inc = included(extraction="single")
    vera, aoife = inc.client("vera"), inc.client("aoife")
    url = f"/p/{inc.key}/extraction/{inc.refs[0]}"
    page = vera.get(url).text
    assert page.count(" disabled") >= 7 and "Save and mark complete" not in page  # read-only form
    assert _post(vera, url, {**FILLED, "action": "save"}) == 403
    assert aoife.post(url, data={**FILLED, "action": "save"}, follow_redirects=False).status_code == 403
    wrong = aoife.post(url, data={**FILLED, "action": "save", "csrf_token": "forged"}, follow_redirects=False)
    assert wrong.status_code == 403
    assert read_log(inc.ws, types=["extraction.value_set"]) == []
    assert vera.get(f"/p/{inc.key}/extraction/table.docx").status_code == 200
    assert vera.get(f"/p/{inc.key}/extraction/table.exe").status_code == 404
    assert vera.get(f"/p/{inc.key}/extraction/9999").status_code == 404
