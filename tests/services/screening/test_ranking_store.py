"""Stored screening rankings: trained once for the team, read by any process, the next record a query
that never offers a record with all the votes its mode needs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import tomlkit

from synthesist.errors import UserError
from synthesist.screening.model import Vote
from synthesist.screening.stored_ranking import RankingPhase
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.records.reading import read_log
from synthesist.services.screening import ranking_store
from synthesist.services.screening.decisions import decide, waiting_for
from synthesist.services.screening.queue import Reason
from synthesist.services.screening.ranking_store import (
    latest_model,
    needs_training,
    next_record,
    retrain_threshold,
    train_ranking,
)
from synthesist.services.screening.seeds import add_seeds
from synthesist.workspace import Workspace
from tests.helpers import ON_TOPIC, topic_ris
from tests.services.screening.conftest import FT, REVIEWERS, TA, Opener, app, rid


def local(workspace: Workspace, record_id: int) -> int:
    return record_id - rid(workspace, 1) + 1


# training and storing ---------------------------------------------------------------------------


def test_the_ranking_is_stored_once_and_read_by_a_second_workspace(
    open_project: Opener, again: Callable[[Workspace], Workspace]
) -> None:
    ws = open_project()
    decide(ws, rid(ws, 4), TA, Vote.INCLUDE, reviewer="Aoife")
    decide(ws, rid(ws, 1), TA, Vote.EXCLUDE, reviewer="Aoife")
    steps: list[tuple[int, int | None, str | None]] = []
    model = train_ranking(ws, TA, progress=lambda done, total, message: steps.append((done, total, message)))
    assert (model.version, model.phase, model.decisions, model.records) == (1, RankingPhase.MODEL, 2, 10)
    assert [done for done, _, _ in steps] == [0, 1, 2, 3] and all(total == 4 for _, total, _ in steps)

    other = again(ws)
    assert latest_model(other, TA) == model, "the second process reads the one stored model"
    with other.unit_of_work(write=False) as uow:
        ranked = [local(other, item.record_id) for item in uow.rankings.ranking(model.id)]
    assert sorted(ranked) == [2, 3, 5, 6, 7, 8, 9, 10, 11, 12], "every record still to settle, once"
    assert set(ranked[:2]) == ON_TOPIC - {4}, "the records like the included one first"
    first = next_record(other, "Lukasz", TA)
    assert first is not None and first == next_record(ws, "Lukasz", TA)
    assert local(ws, first.record_id) in ON_TOPIC
    assert first.reason is Reason.MODEL and first.trained_on == 2 and first.score is not None
    assert "ranked by model (svm" in first.explain()
    logged = [e for e in read_log(ws) if e.type == "screening.ranked"]
    assert len(logged) == 1 and logged[0].payload["version"] == 1 and logged[0].payload["records"] == 10


def test_the_last_three_versions_are_kept(open_project: Opener) -> None:
    ws = open_project()
    models = [train_ranking(ws, TA) for _ in range(4)]
    assert [m.version for m in models] == [1, 2, 3, 4]
    with ws.unit_of_work(write=False) as uow:
        assert [m.version for m in uow.rankings.models(TA)] == [4, 3, 2]
        assert uow.rankings.ranking(models[0].id) == [], "the oldest version's ranking is deleted"
        assert len(uow.rankings.ranking(models[3].id)) == 12


def test_the_cold_start_ranks_keyword_matches_first_then_random(open_project: Opener) -> None:
    ws = open_project(keywords=["back pain", "partnership"])
    model = train_ranking(ws, TA)
    assert model.phase is RankingPhase.COLD and model.decisions == 0
    seen: list[tuple[int, Reason]] = []
    skip: list[int] = []
    while (item := next_record(ws, "Aoife", TA, skip=skip)) is not None:
        seen.append((local(ws, item.record_id), item.reason))
        skip.append(item.record_id)
    assert {number for number, _ in seen[:3]} == ON_TOPIC
    assert [reason for _, reason in seen] == [Reason.KEYWORDS] * 3 + [Reason.RANDOM] * 9


def test_seed_studies_make_a_ranking_by_similarity_and_come_first(open_project: Opener) -> None:
    ws = open_project()
    add_seeds(ws, [str(rid(ws, 4))])
    model = train_ranking(ws, TA)
    assert model.phase is RankingPhase.SEEDS and model.decisions == 1
    item = next_record(ws, "Aoife", TA)
    assert item is not None and (local(ws, item.record_id), item.reason) == (4, Reason.SEED)
    item = next_record(ws, "Aoife", TA, skip=[rid(ws, 4)])
    assert item is not None and item.reason is Reason.SIMILAR and local(ws, item.record_id) in ON_TOPIC


def test_full_text_and_an_unranked_protocol_are_refused_training(open_project: Opener) -> None:
    ws = open_project()
    with pytest.raises(UserError, match="screening is not ranked"):
        train_ranking(ws, FT)
    assert needs_training(ws, FT) is False
    unranked = open_project(enabled=False)
    assert needs_training(unranked, TA) is False


# when to train again ------------------------------------------------------------------------------


def test_needs_training_counts_decisions_at_the_stage_against_retrain_every(open_project: Opener) -> None:
    ws = open_project(retrain_every=2)
    assert needs_training(ws, TA), "no model yet"
    train_ranking(ws, TA)
    assert not needs_training(ws, TA)
    decide(ws, rid(ws, 1), TA, Vote.EXCLUDE, reviewer="Aoife")
    assert not needs_training(ws, TA), "one decision of two"
    decide(ws, rid(ws, 2), TA, Vote.EXCLUDE, reviewer="Aoife")
    assert needs_training(ws, TA)
    train_ranking(ws, TA)
    assert not needs_training(ws, TA)


def test_needs_training_when_records_are_imported_or_seeds_change(
    open_project: Opener, tmp_path: Path
) -> None:
    ws = open_project(retrain_every=50)
    train_ranking(ws, TA)
    more = tmp_path / "more.ris"
    more.write_text(topic_ris({20: ("Back pain and yoga", "Yoga classes for chronic back pain.")}))
    import_files(ws, ImportRequest(paths=[more], source="Embase"))
    assert needs_training(ws, TA)
    train_ranking(ws, TA)
    add_seeds(ws, [str(rid(ws, 7))])
    assert needs_training(ws, TA)


def test_a_server_retrains_at_most_every_ten_decisions_once_a_review_has_fifty() -> None:
    assert retrain_threshold(1, 49) == 1
    assert retrain_threshold(1, 50) == 10
    assert retrain_threshold(25, 200) == 25
    assert retrain_threshold(25, 500) == 50, "a tenth of the decisions so far"


# the next record ----------------------------------------------------------------------------------


def test_the_next_record_is_the_same_in_two_apps_on_one_database(
    open_project: Opener, again: Callable[[Workspace], Workspace]
) -> None:
    ws = open_project()
    decide(ws, rid(ws, 4), TA, Vote.INCLUDE, reviewer="Aoife")
    decide(ws, rid(ws, 1), TA, Vote.EXCLUDE, reviewer="Aoife")
    train_ranking(ws, TA)
    first_app, second_app = app(ws), app(again(ws))
    other = second_app.projects[ws.project.key]
    for _ in range(4):
        one, view_one = first_app.next_with_overview(ws, "Lukasz", TA, [])
        two, view_two = second_app.next_with_overview(other, "Lukasz", TA, [])
        assert one is not None and one == two
        assert view_one.records == view_two.records
        # decided through the first app's workspace: the second app learns of it from the database
        decide(ws, one.record_id, TA, Vote.EXCLUDE, reviewer="Lukasz")
        after, _ = second_app.next_with_overview(other, "Lukasz", TA, [])
        assert after is not None and after.record_id != one.record_id


def test_in_dual_mode_a_record_with_two_votes_is_offered_to_no_one(
    open_project: Opener, again: Callable[[Workspace], Workspace]
) -> None:
    ws = open_project(mode="dual")
    train_ranking(ws, TA)
    both, one_vote = rid(ws, 4), rid(ws, 7)
    decide(ws, both, TA, Vote.INCLUDE, reviewer="Aoife")
    decide(ws, both, TA, Vote.EXCLUDE, reviewer="Lukasz")  # a conflict: for consensus, not a third vote
    decide(ws, one_vote, TA, Vote.INCLUDE, reviewer="Aoife")
    second_app = app(again(ws))
    offered: list[int] = []
    while True:
        item, _ = second_app.next_with_overview(second_app.projects[ws.project.key], "Ingrid", TA, [])
        if item is None:
            break
        assert item.record_id != both, "a third vote is never offered"
        offered.append(item.record_id)
        decide(ws, item.record_id, TA, Vote.EXCLUDE, reviewer="Ingrid")
    assert one_vote in offered, "a record with one vote waits for a second reviewer"
    assert len(offered) == 11
    # Ingrid's votes were second votes on record 7 and first votes on the rest: Lukasz, who voted on
    # none, is offered every record with one vote, never the two with two
    lukasz = _all_offered(ws, "Lukasz")
    assert both not in lukasz and one_vote not in lukasz
    assert len(lukasz) == 10
    assert sorted(_all_offered(ws, "Aoife")) == sorted(lukasz), "the same ten wait for Aoife"
    assert _all_offered(ws, "Ingrid") == []


def _all_offered(workspace: Workspace, reviewer: str) -> list[int]:
    skip: list[int] = []
    while (item := next_record(workspace, reviewer, TA, skip=skip)) is not None:
        skip.append(item.record_id)
    return skip


def test_single_mode_offers_a_voted_record_to_no_one_and_skips_are_left_out(open_project: Opener) -> None:
    ws = open_project()
    train_ranking(ws, TA)
    voted = rid(ws, 3)
    decide(ws, voted, TA, Vote.EXCLUDE, reviewer="Aoife")
    for reviewer in REVIEWERS:
        assert voted not in _all_offered(ws, reviewer)
    item = next_record(ws, "Lukasz", TA)
    assert item is not None
    later = next_record(ws, "Lukasz", TA, skip=[item.record_id])
    assert later is not None and later.record_id != item.record_id
    assert later.waiting == 10, "eleven waiting, one skipped"


def test_single_verified_checks_come_first(open_project: Opener) -> None:
    ws = open_project(mode="single-verified")
    # the protocol's template samples every decision for a check unless told otherwise
    train_ranking(ws, TA)
    decided = rid(ws, 5)
    decide(ws, decided, TA, Vote.EXCLUDE, reviewer="Aoife")
    item = next_record(ws, "Lukasz", TA)
    assert item is not None and (item.record_id, item.reason) == (decided, Reason.CHECK)
    mine = next_record(ws, "Aoife", TA)
    assert mine is not None and mine.record_id != decided, "no one checks their own decision"


def test_without_a_model_or_after_an_import_records_come_in_id_order(
    open_project: Opener, tmp_path: Path
) -> None:
    ws = open_project()
    item = next_record(ws, "Aoife", TA)
    assert item is not None and (local(ws, item.record_id), item.reason) == (1, Reason.ID_ORDER)
    model = train_ranking(ws, TA)
    more = tmp_path / "more.ris"
    more.write_text(topic_ris({20: ("Back pain and yoga", "Yoga classes for chronic back pain.")}))
    import_files(ws, ImportRequest(paths=[more], source="Embase"))
    with ws.unit_of_work(write=False) as uow:
        ranked = [r.record_id for r in uow.rankings.ranking(model.id)]
        new = max(uow.records.ids())
    assert new not in ranked
    item = next_record(ws, "Aoife", TA, skip=ranked)
    assert item is not None and (item.record_id, item.reason) == (new, Reason.ID_ORDER), (
        "a new record is offered at once, after the ranked ones, before any training"
    )


def test_full_text_comes_in_id_order_among_the_included(open_project: Opener) -> None:
    ws = open_project()
    for number in (9, 3, 6):
        decide(ws, rid(ws, number), TA, Vote.INCLUDE, reviewer="Aoife")
    decide(ws, rid(ws, 1), TA, Vote.EXCLUDE, reviewer="Aoife")
    from synthesist.services.screening.decisions import overview

    expected = waiting_for(overview(ws), "single", "Lukasz", FT)
    offered = []
    skip: list[int] = []
    while (item := next_record(ws, "Lukasz", FT, skip=skip)) is not None:
        assert item.reason is Reason.ID_ORDER
        offered.append(item.record_id)
        skip.append(item.record_id)
    assert offered == expected


# the background job -------------------------------------------------------------------------------


class _Context:
    """What a job runner is handed, reduced to the progress calls this runner makes."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, int | None, str | None]] = []

    def progress(self, done: int, total: int | None = None, message: str | None = None) -> None:
        self.calls.append((done, total, message))


def test_the_job_runner_trains_and_reports_the_version(open_project: Opener) -> None:
    ws = open_project()
    context = _Context()
    result = ranking_store._run_job(ws, {"stage": "title_abstract"}, context)
    assert result == {
        "stage": "title-abstract",
        "version": 1,
        "model": "svm",
        "phase": "cold",
        "decisions": 0,
        "records": 12,
    }
    assert context.calls[-1][:2] == (3, 4), "the last report comes before the write"
    with pytest.raises(UserError, match="not a screening stage"):
        ranking_store._run_job(ws, {"stage": "coding"}, context)


def test_the_runner_is_registered_with_the_jobs_package_when_it_exists() -> None:
    jobs = pytest.importorskip("synthesist.services.jobs")
    if not hasattr(jobs, "register_runner"):
        pytest.skip("the jobs package does not export register_runner yet")
    assert ranking_store.register_job_runner()
    from synthesist.services.jobs import context

    assert context._RUNNERS[ranking_store.JOB_KIND] is ranking_store._run_job


def test_a_stale_ranking_is_asked_of_one_job_and_the_job_stores_it(
    open_project: Opener, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("synthesist.services.jobs")
    from synthesist.services.jobs import JobStatus
    from synthesist.services.jobs.execute import run_job

    monkeypatch.setattr(ranking_store, "_asked", {})
    monkeypatch.setattr(ranking_store, "ASK_EVERY", 0.0)
    ws = open_project()
    job_id = ranking_store.request_training(ws, TA)
    assert job_id is not None
    assert ranking_store.request_training(ws, TA) == job_id, "asked again: the same queued job"
    assert latest_model(ws, TA) is None
    item = next_record(ws, "Aoife", TA)
    assert item is not None and item.reason is Reason.ID_ORDER, "the page does not wait for the job"
    done = run_job(ws, job_id)
    assert done.status is JobStatus.DONE and done.result is not None and done.result["version"] == 1
    assert not needs_training(ws, TA)
    assert ranking_store.request_training(ws, TA) is None
    decide(ws, rid(ws, 2), TA, Vote.EXCLUDE, reviewer="Aoife")
    again_id = ranking_store.request_training(ws, TA)
    assert again_id is not None and again_id != job_id, "a decision since (retrain_every = 1): a new job"


def test_a_process_asks_for_training_at_most_every_few_seconds(
    open_project: Opener, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("synthesist.services.jobs")
    from synthesist.services.jobs.execute import run_job

    monkeypatch.setattr(ranking_store, "_asked", {})
    ws = open_project()
    job_id = ranking_store.request_training(ws, TA)
    assert job_id is not None
    run_job(ws, job_id)
    decide(ws, rid(ws, 2), TA, Vote.EXCLUDE, reviewer="Aoife")
    assert needs_training(ws, TA)
    assert ranking_store.request_training(ws, TA) is None, f"asked {ranking_store.ASK_EVERY} s ago"
    monkeypatch.setattr(ranking_store, "ASK_EVERY", 0.0)
    assert ranking_store.request_training(ws, TA) not in (None, job_id)


def test_a_training_cancelled_before_its_write_stores_nothing(open_project: Opener) -> None:
    ws = open_project()

    class Cancelled(Exception):
        pass

    def cancel_at_the_last_report(done: int, total: int | None, message: str | None) -> None:
        if done == 3:
            raise Cancelled

    with pytest.raises(Cancelled):
        train_ranking(ws, TA, progress=cancel_at_the_last_report)
    assert latest_model(ws, TA) is None
    assert not [e for e in read_log(ws) if e.type == "screening.ranked"]


def test_a_protocol_naming_another_model_needs_a_training(
    open_project: Opener, again: Callable[[Workspace], Workspace]
) -> None:
    ws = open_project()
    train_ranking(ws, TA)
    path = ws.project.root / "review.toml"
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    document["screening"]["prioritisation"]["model"] = "logistic"
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
    edited = again(ws)
    assert needs_training(edited, TA)
    assert train_ranking(edited, TA).model == "logistic"
    assert not needs_training(edited, TA)
