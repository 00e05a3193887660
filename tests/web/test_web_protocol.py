"""The protocol page: owners save review.toml's sections (checked with the CLI's messages, shown
beside the field, input kept, nothing written when refused), others read it; duties tick members into
the stages' lists; every process serves the protocol as the file has it now."""

from __future__ import annotations

import re
import tomllib

from fastapi.testclient import TestClient

from synthesist.events import ProtocolEdited
from synthesist.services.protocol_edit.forms import SECTIONS
from synthesist.services.records.reading import read_log
from tests.web.conftest import Served, csrf_of


def _form(served: Served, client: TestClient, section: str) -> dict[str, str]:
    """The section's form as the page shows it: every input with its value, and the hidden ones."""
    page = client.get(f"/p/{served.a.project.key}/protocol")
    assert page.status_code == 200
    data = tomllib.loads(served.a.project.protocol_path.read_text(encoding="utf-8"))
    form = dict(SECTIONS[section].values(data)) if section in SECTIONS else {}
    version = re.search(
        rf'name="section" value="{section}">\s*<input type="hidden" name="version" value="([0-9a-f]+)"',
        page.text,
    )
    assert version, f"the {section} form carries its version"
    return {**form, "section": section, "version": version.group(1), "csrf_token": csrf_of(page.text)}


def _edits(served: Served) -> list[ProtocolEdited]:
    return [e for e in (logged.decoded() for logged in read_log(served.a)) if isinstance(e, ProtocolEdited)]


def test_an_owner_saves_the_criteria_and_the_file_keeps_its_comments(served: Served) -> None:
    olwen = served.client("olwen")
    key = served.a.project.key
    path = served.a.project.protocol_path
    before = path.read_text(encoding="utf-8")
    form = _form(served, olwen, "criteria")
    form["criteria.inclusion"] = "Adults with chronic back pain\n\nQualitative studies\n"
    saved = olwen.post(f"/p/{key}/protocol", data=form, follow_redirects=False)
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/p/{key}/protocol?saved=criteria#criteria"

    after = path.read_text(encoding="utf-8")
    assert after == before.replace(
        "inclusion = []", 'inclusion = ["Adults with chronic back pain", "Qualitative studies"]', 1
    )
    page = olwen.get(saved.headers["location"])
    assert "Saved to review.toml." in page.text
    assert "Qualitative studies" in page.text
    (event,) = _edits(served)
    assert event.section == "criteria"
    assert "protocol.edited" in [logged.type for logged in read_log(served.a)]
    assert any(
        event_row.actor == "olwen" for event_row in read_log(served.a) if event_row.type == "protocol.edited"
    )


def test_a_refused_form_shows_the_clis_message_beside_the_field_and_keeps_the_input(served: Served) -> None:
    olwen = served.client("olwen")
    key = served.a.project.key
    before = served.a.project.protocol_path.read_bytes()
    form = _form(served, olwen, "extraction")
    form |= {
        "extraction.fields.0.name": "mean_age",
        "extraction.fields.0.label": "Mean age",
        "extraction.fields.0.type": "number",
        "extraction.fields.0.min": "about 3",
    }
    refused = olwen.post(f"/p/{key}/protocol", data=form)
    assert refused.status_code == 400
    error = re.search(r'<p class="field-error" id="e-extraction-fields-0-min">([^<]*)</p>', refused.text)
    assert error, "the message is beside the minimum's input"
    assert error.group(1).startswith("extraction.fields[0].min = &#34;about 3&#34; is not allowed")
    assert 'aria-describedby="h-extraction-fields-0-min e-extraction-fields-0-min" aria-invalid="true"' in (
        refused.text
    )
    assert 'value="about 3"' in refused.text and 'value="Mean age"' in refused.text  # as typed
    assert "Nothing was saved." in refused.text
    assert served.a.project.protocol_path.read_bytes() == before
    assert _edits(served) == []


def test_members_who_are_not_owners_read_the_protocol_but_cannot_save_it(served: Served) -> None:
    aoife = served.client("aoife")
    key = served.a.project.key
    page = aoife.get(f"/p/{key}/protocol")
    assert page.status_code == 200
    assert "owners edit it" in page.text
    assert '<fieldset class="plain" disabled>' in page.text
    assert "<button" not in page.text.split("<main")[1].replace('<button type="submit">Log out', "")
    before = served.a.project.protocol_path.read_bytes()
    form = _form(served, aoife, "review") | {"review.title": "Taken over"}
    assert aoife.post(f"/p/{key}/protocol", data=form).status_code == 403
    assert served.a.project.protocol_path.read_bytes() == before
    # without the CSRF token even an owner is refused
    olwen = served.client("olwen")
    forged = _form(served, olwen, "review") | {"review.title": "Forged", "csrf_token": "nope"}
    assert olwen.post(f"/p/{key}/protocol", data=forged).status_code == 403
    assert served.a.project.protocol_path.read_bytes() == before
    # a member of another review does not learn this one exists
    assert served.client("outsider").get(f"/p/{key}/protocol").status_code == 404


def test_duties_tick_members_into_the_stages_lists(served: Served) -> None:
    olwen = served.client("olwen")
    key = served.a.project.key
    page = olwen.get(f"/p/{key}/protocol").text
    # the fixture's protocol lists aoife, lukasz and olwen for both screening stages
    assert re.search(r'name="duties.title_abstract" value="aoife" checked', page)
    form = _form(served, olwen, "duties")
    data = {
        **form,
        "duties.title_abstract": ["aoife", "olwen"],
        "duties.extraction": ["lukasz"],
        "duties.coding": ["aoife", "lukasz"],
    }
    assert olwen.post(f"/p/{key}/protocol", data=data, follow_redirects=False).status_code == 303
    protocol = served.a.project.protocol_path.read_text(encoding="utf-8")
    parsed = tomllib.loads(protocol)
    assert parsed["screening"]["title_abstract"]["reviewers"] == ["aoife", "olwen"]
    assert parsed["screening"]["full_text"]["reviewers"] == []  # nobody ticked
    assert parsed["extraction"]["reviewers"] == ["lukasz"]
    assert parsed["synthesis"]["coders"] == ["aoife", "lukasz"]
    # the running app reads the new lists at once: lukasz may no longer screen titles and abstracts
    lukasz = served.client("lukasz")
    screen = lukasz.get(f"/p/{key}/screen/title-abstract")
    vote = lukasz.post(
        f"/p/{key}/screen/title-abstract",
        data={"shortcut": "i", "record_id": 1, "csrf_token": csrf_of(screen.text)},
    )
    assert vote.status_code == 400
    assert "is not a reviewer for" in vote.text, vote.text[-600:]
    assert _screened_by(served, "lukasz") == []


def _screened_by(served: Served, reviewer: str) -> list[int]:
    from synthesist.events import ScreeningDecided

    return [
        e.record_id
        for e in (logged.decoded() for logged in read_log(served.a))
        if isinstance(e, ScreeningDecided) and e.reviewer == reviewer
    ]


def test_a_form_shown_before_anothers_save_is_refused_with_the_current_values(served: Served) -> None:
    olwen = served.client("olwen")
    key = served.a.project.key
    first = _form(served, olwen, "review")
    second = dict(first)
    first["review.question"] = "First question?"
    assert olwen.post(f"/p/{key}/protocol", data=first, follow_redirects=False).status_code == 303
    second["review.question"] = "Second question?"
    stale = olwen.post(f"/p/{key}/protocol", data=second)
    assert stale.status_code == 409
    assert "changed by someone else" in stale.text
    assert "First question?" in stale.text  # the section as it is now, to make the change again on
    assert tomllib.loads(served.a.project.protocol_path.read_text(encoding="utf-8"))["review"][
        "question"
    ] == ("First question?")


def test_every_request_serves_the_protocol_as_the_file_has_it(served: Served) -> None:
    olwen = served.client("olwen")
    key = served.a.project.key
    form = _form(served, olwen, "review") | {"review.title": "A new title"}
    assert olwen.post(f"/p/{key}/protocol", data=form, follow_redirects=False).status_code == 303
    assert "A new title" in olwen.get(f"/p/{key}").text
    # edited by hand (or by the CLI, or another server process): the next request reads it
    path = served.a.project.protocol_path
    path.write_text(
        path.read_text(encoding="utf-8").replace("A new title", "Edited by hand"), encoding="utf-8"
    )
    assert "Edited by hand" in olwen.get(f"/p/{key}").text


def test_a_rule_typed_without_choosing_custom_rules_is_refused_beside_the_choice(served: Served) -> None:
    olwen = served.client("olwen")
    form = _form(served, olwen, "appraisal") | {
        "appraisal.rating_rules.0.rating": "High",
        "appraisal.rating_rules.0.when": "no = 0",
    }
    assert form["appraisal.rules"] == "default"
    refused = olwen.post(f"/p/{served.a.project.key}/protocol", data=form)
    assert refused.status_code == 400
    assert re.search(
        r'<p class="field-error" id="e-appraisal-rules">[^<]*choose &#34;These rules&#34;', refused.text
    )
    assert 'value="High"' in refused.text
