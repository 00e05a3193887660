"""The appraisal pages: the checklist as radio groups, answers saved and the rating the rules give
shown with the rule that gave it, errors next to their question with nothing written, blind dual
appraisal through every appraisal route, consensus by an owner, the second reviewer's check, the
traffic-light plot with its table, and who may post."""

from __future__ import annotations

from fastapi.testclient import TestClient

from synthesist.appraisal.model import StudyStatus
from synthesist.services.appraisal.setup import AppraisedStudy, appraisal_setup
from synthesist.services.appraisal.views import appraisal_overview
from synthesist.services.records.reading import read_log
from synthesist.web.app import api_routes
from tests.web._included_fixtures import Builder, Included, included
from tests.web.conftest import csrf_of

__all__ = ["included"]  # the fixture, imported to be found by pytest

QUESTIONS = [str(number) for number in range(1, 11)]
MEDIUM = ["yes", "yes", "cant_tell", "yes", "yes", "no", "yes", "yes", "yes", "yes"]  # 1 No + 1 Can't tell


def _answers(answers: list[str], **extra: str) -> dict[str, str]:
    return {**{f"a.{q}": answer for q, answer in zip(QUESTIONS, answers, strict=True)}, **extra}


def _post(client: TestClient, url: str, data: dict[str, str], *, page_url: str | None = None) -> int:
    token = csrf_of(client.get(page_url or url).text)
    status: int = client.post(url, data={**data, "csrf_token": token}, follow_redirects=False).status_code
    return status


def _study(inc: Included, ref: str) -> AppraisedStudy:
    return next(s for s in appraisal_overview(inc.ws).studies if int(ref) in s.view.study.record_ids)


def test_a_reviewer_answers_the_checklist_and_sees_the_rating_the_rules_give(included: Builder) -> None:
    inc = included(appraisal="single")
    aoife, ref = inc.client("aoife"), inc.refs[0]
    url = f"/p/{inc.key}/appraisal/{ref}"
    form = aoife.get(url).text
    assert '<fieldset id="question-1" class="question" aria-describedby="hint-1">' in form
    assert "<legend>Q1. Did the study state its aims clearly?</legend>" in form
    assert form.count('type="radio" name="a.1"') == 3
    assert 'for="q-1">Supporting quote<span class="sr-only"> for Q1</span>' in form
    assert "not yet; it is computed by the protocol" in form

    extra = {"c.6": "Relationship not considered", "q.6": "we did not reflect", "p.6": "7"}
    assert _post(aoife, url, _answers(MEDIUM, **extra)) == 303
    study = _study(inc, ref)
    assert study.appraisal.status is StudyStatus.COMPLETE
    expected = appraisal_setup(inc.ws).rules.rate(study.counts)  # type: ignore[union-attr]
    assert expected is not None and expected.rating == "Medium"
    shown = aoife.get(url + "?done=saved").text
    assert (
        "<strong>Medium, because 8 Yes + 1 No + 1 Can&#39;t tell matches rule 2 "
        "(0 No + 2–3 Can&#39;t tell; or 1 No + 0–3 Can&#39;t tell)</strong>" in shown
    )
    assert 'name="a.6" value="no" checked' in shown and "we did not reflect" in shown
    assert "<td>Relationship not considered</td><td>we did not reflect</td><td>7</td>" in shown
    # saving the same answers again records nothing new: every answer is kept in the history
    assert _post(aoife, url, _answers(MEDIUM, **extra)) == 303
    assert len(read_log(inc.ws, types=["appraisal.answered"])) == 10

    overview = aoife.get(f"/p/{inc.key}/appraisal").text
    assert '<span class="rating rating-medium">Medium</span>' in overview
    assert '<svg aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg"' in overview
    assert "<?xml" not in overview
    # the text alternative: the same answers as words
    assert '<th scope="row">Cooper 2001</th><td>Yes</td><td>Yes</td><td>Can&#39;t tell</td>' in overview


def test_a_page_that_is_not_a_number_is_shown_at_its_question_and_nothing_is_saved(included: Builder) -> None:
    inc = included(appraisal="single")
    aoife, ref = inc.client("aoife"), inc.refs[0]
    url = f"/p/{inc.key}/appraisal/{ref}"
    token = csrf_of(aoife.get(url).text)
    data = {**_answers(MEDIUM, **{"p.3": "twelve", "c.3": "kept as typed"}), "c.4": "", "csrf_token": token}
    data.pop("a.5")
    data["c.5"] = "a comment without an answer"
    response = aoife.post(url, data=data, follow_redirects=False)
    assert response.status_code == 422
    page = response.text
    assert 'role="alert"' in page and "2 mistakes; nothing was saved" in page
    assert 'aria-describedby="hint-3 err-3"' in page
    assert "Page &#39;twelve&#39; is not a page number" in page
    assert "Choose an answer to go with the comment, quote or page." in page
    assert "kept as typed" in page and 'name="a.6" value="no" checked' in page
    assert read_log(inc.ws, types=["appraisal.answered"]) == []


def _appraisal_get_urls(inc: Included) -> list[str]:
    urls = []
    for route in api_routes(inc.app):
        if "GET" in (route.methods or set()) and route.path.startswith("/p/{key}/appraisal"):
            path = route.path.replace("{key}", inc.key)
            urls += [path.replace("{study_id}", ref) for ref in inc.refs] if "{study_id}" in path else [path]
    assert len(urls) >= 4, urls
    return urls


def test_dual_appraisal_is_blind_on_every_route_until_both_complete_then_an_owner_resolves(
    included: Builder,
) -> None:
    inc = included(appraisal="dual")
    aoife, lukasz, olwen = inc.client("aoife"), inc.client("lukasz"), inc.client("olwen")
    ref = inc.refs[0]
    url = f"/p/{inc.key}/appraisal/{ref}"
    secret = _answers(["no"] * 10, **{"c.1": "SECRET-COMMENT", "q.2": "SECRET-QUOTE"})
    assert _post(aoife, url, secret) == 303

    def pages(client: TestClient) -> dict[str, str]:
        found = {}
        for page_url in _appraisal_get_urls(inc):
            response = client.get(page_url)
            assert response.status_code == 200, page_url
            found[page_url] = response.text
        return found

    for who in (lukasz, olwen):
        for page_url, text in pages(who).items():
            assert "SECRET-" not in text, f"{page_url} shows aoife's comment or quote"
            assert " checked" not in text, f"{page_url} shows an answer that is not theirs"
            assert "<td>No</td>" not in text, page_url
    assert "SECRET-COMMENT" in aoife.get(url).text  # her own

    # lukasz answers all but the last question: his appraisal is not complete, so still blind
    partial = _answers(["yes"] * 9 + ["no"])
    del partial["a.10"]
    assert _post(lukasz, url, partial) == 303
    assert all("SECRET-" not in text for text in pages(lukasz).values())
    assert _post(lukasz, url, {"a.10": "no"}) == 303
    study = _study(inc, ref)
    assert study.appraisal.status is StudyStatus.CONFLICT and not study.appraisal.blind
    compared = lukasz.get(url).text
    assert "SECRET-COMMENT" in compared and "aoife: <strong>No</strong>" in compared
    assert "lukasz: <strong>Yes</strong>" in compared
    assert "An owner of the project records the consensus." in compared
    consensus = {"question": "1", "answer": "yes", "participants": "aoife, lukasz, olwen"}
    assert _post(lukasz, f"{url}/consensus", consensus, page_url=url) == 403
    for question in QUESTIONS[:9]:
        answer = {**consensus, "question": question}
        assert _post(olwen, f"{url}/consensus", answer, page_url=url) == 303
    study = _study(inc, ref)
    assert study.appraisal.status is StudyStatus.COMPLETE
    assert study.rating is not None and study.rating.rating == "Medium"  # 9 Yes + 1 No
    assert "<strong>Medium, because 9 Yes + 1 No matches rule 2" in olwen.get(url).text


def test_single_verified_a_second_reviewer_confirms_or_flags_each_answer(included: Builder) -> None:
    inc = included(appraisal="single-verified")
    aoife, lukasz, olwen = inc.client("aoife"), inc.client("lukasz"), inc.client("olwen")
    ref = inc.refs[2]
    url = f"/p/{inc.key}/appraisal/{ref}"
    assert _post(aoife, url, _answers(["yes"] * 10)) == 303
    page = lukasz.get(url).text
    assert "Check aoife's answers" in page and "Save my answers" not in page
    assert "Check aoife" not in aoife.get(url).text
    check = {**_answers(["yes"] * 10), "a.4": "cant_tell", "comment": "recruitment unclear"}
    assert _post(lukasz, f"{url}/check", check, page_url=url) == 303
    study = _study(inc, ref)
    assert study.appraisal.status is StudyStatus.CONFLICT
    assert [state.question for state in study.appraisal.conflicts()] == ["4"]
    consensus = {"question": "4", "answer": "cant_tell", "participants": "aoife, lukasz"}
    assert _post(olwen, f"{url}/consensus", consensus, page_url=url) == 303
    rating = _study(inc, ref).rating
    assert rating is not None and rating.rating == "High"


def test_a_viewer_cannot_post_and_a_post_without_its_token_is_refused(included: Builder) -> None:
    inc = included(appraisal="single")
    vera, aoife = inc.client("vera"), inc.client("aoife")
    url = f"/p/{inc.key}/appraisal/{inc.refs[0]}"
    assert "Save my answers" not in vera.get(url).text
    assert _post(vera, url, _answers(MEDIUM)) == 403
    assert aoife.post(url, data=_answers(MEDIUM), follow_redirects=False).status_code == 403
    assert read_log(inc.ws, types=["appraisal.answered"]) == []
    assert vera.get(f"/p/{inc.key}/appraisal/9999").status_code == 404
