"""Prioritised screening: the order of the queue, what the ranking learns from, and seed studies."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import tomlkit

from synthesist.errors import NotFound, UserError
from synthesist.review.project import find_project
from synthesist.screening.model import Stage, StageStatus, Vote
from synthesist.services.dedup.review import merge_records, set_group_primary
from synthesist.services.projects import init_project
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.records.reading import read_log
from synthesist.services.screening.decisions import decide, next_records, overview, undo_decision
from synthesist.services.screening.queue import (
    NextRecord,
    Order,
    PrioritisedQueue,
    Reason,
    prioritised_next,
    training_labels,
)
from synthesist.services.screening.seeds import add_seeds, list_seeds, remove_seeds
from synthesist.workspace import Workspace, open_workspace
from tests.helpers import ON_TOPIC, TOPICS, topic_ris

TA, FT = Stage.TITLE_ABSTRACT, Stage.FULL_TEXT

Opener = Callable[..., Workspace]


@pytest.fixture
def open_project(tmp_path: Path, database_url: str | None) -> Iterator[Opener]:
    """A project of the twelve records, its screening section set per test."""
    opened: list[Workspace] = []

    def opener(
        mode: str = "single",
        keywords: list[str] | None = None,
        prioritisation: dict[str, Any] | None = None,
        **stage: Any,
    ) -> Workspace:
        folder = tmp_path / f"review-{len(opened)}"
        init_project(folder, "Queue test").close()
        document = tomlkit.parse((folder / "review.toml").read_text(encoding="utf-8"))
        screening = document["screening"]
        screening["exclusion_reasons"] = ["Not back pain"]
        screening["highlight_include"] = keywords or []
        for key in ("title_abstract", "full_text"):
            screening[key]["mode"] = mode
            screening[key]["reviewers"] = ["Aoife", "Lukasz", "Ingrid"]
            for name, value in stage.items():
                screening[key][name] = value
        for name, value in (prioritisation or {}).items():
            screening["prioritisation"][name] = value
        (folder / "review.toml").write_text(tomlkit.dumps(document), encoding="utf-8")
        workspace = open_workspace(find_project(folder), actor="tester")
        opened.append(workspace)
        export = folder / "records.ris"
        export.write_text(topic_ris(TOPICS), encoding="utf-8")
        import_files(workspace, ImportRequest(paths=[export], source="MEDLINE"))
        return workspace

    yield opener
    for workspace in opened:
        workspace.close()


def order(workspace: Workspace, reviewer: str = "Aoife", **options: Any) -> list[NextRecord]:
    return PrioritisedQueue(workspace, reviewer, TA, **options).upcoming()


def first_id(workspace: Workspace) -> int:
    """On PostgreSQL the projects of one test share a database, so a second project's records do
    not start at 1; tests that open several projects number records as in TOPICS through this."""
    with workspace.unit_of_work(write=False) as uow:
        return min(uow.records.ids())


def local(workspace: Workspace, record_ids: list[int]) -> list[int]:
    return [record_id - first_id(workspace) + 1 for record_id in record_ids]


# -- cold start, model, seeds -------------------------------------------------------------------


def test_cold_start_puts_keyword_matches_first_then_random(open_project: Opener) -> None:
    ws = open_project(keywords=["back pain", "partnership"])
    found = order(ws)
    assert {item.record_id for item in found[:3]} == ON_TOPIC
    assert [item.reason for item in found] == [Reason.KEYWORDS] * 3 + [Reason.RANDOM] * 9
    assert sorted(item.record_id for item in found) == list(TOPICS), "every waiting record, once"
    rest = [item.record_id for item in found[3:]]
    assert rest != sorted(rest), "the rest in a random order, not by id"
    assert found[0].explain() == "matches include keywords"
    assert found[-1].explain() == "random (no relevant record known yet)"


def test_the_prioritisation_keywords_replace_the_highlighted_ones(open_project: Opener) -> None:
    ws = open_project(keywords=["back pain"], prioritisation={"keywords": ["malaria"]})
    assert order(ws)[0].record_id == 8
    ws = open_project(keywords=["back pain"], prioritisation={"keywords": []})
    assert {item.reason for item in order(ws)} == {Reason.RANDOM}


def test_after_one_include_and_one_exclude_the_model_ranks_a_similar_record_first(
    open_project: Opener,
) -> None:
    ws = open_project()
    decide(ws, 4, TA, Vote.INCLUDE, reviewer="Aoife")
    decide(ws, 2, TA, Vote.EXCLUDE, reviewer="Aoife")
    item = PrioritisedQueue(ws, "Aoife", TA).next()
    assert item is not None and item.record_id in ON_TOPIC - {4}
    assert item.reason is Reason.MODEL and item.model == "svm" and item.trained_on == 2
    assert item.explain() == "ranked by model (svm, retrained after 2 decisions)"
    assert {r for r in prioritised_next(ws, "Aoife", TA, limit=2)} == ON_TOPIC - {4}


def test_seed_studies_come_first_and_make_similar_records_follow(open_project: Opener) -> None:
    ws = open_project()
    add_seeds(ws, ["4"])
    found = order(ws)
    assert found[0].record_id == 4 and found[0].reason is Reason.SEED, "a seed is still screened, first"
    assert {item.record_id for item in found[1:3]} == ON_TOPIC - {4}
    assert {item.reason for item in found[1:]} == {Reason.SIMILAR}
    # Screening the seed: the decision counts from now on, not the seed (an exclusion overrides it).
    decide(ws, 4, TA, Vote.EXCLUDE, reviewer="Aoife")
    assert overview(ws).records[4].at(TA) is StageStatus.EXCLUDED, "a seed decides nothing"
    assert {item.reason for item in order(ws)} == {Reason.RANDOM}


def test_a_seed_merged_into_a_duplicate_group_counts_for_its_primary(open_project: Opener) -> None:
    ws = open_project()
    add_seeds(ws, ["10"])
    set_group_primary(ws, merge_records(ws, [7, 10]).id, 7)
    found = order(ws)
    assert found[0].record_id == 7 and found[0].reason is Reason.SEED
    assert 10 not in {item.record_id for item in found}


def test_the_same_seed_gives_the_same_order_and_another_seed_another(open_project: Opener) -> None:
    first = open_project(keywords=["back pain"], prioritisation={"seed": 7})
    second = open_project(keywords=["back pain"], prioritisation={"seed": 7})
    other = open_project(keywords=["back pain"], prioritisation={"seed": 8})
    ids = [local(ws, [item.record_id for item in order(ws)]) for ws in (first, second, other)]
    assert ids[0] == ids[1]
    assert ids[0][3:] != ids[2][3:], "the records no keyword matches come in another random order"
    ranked = []
    for ws in (first, second):
        decide(ws, first_id(ws) + 3, TA, Vote.INCLUDE, reviewer="Aoife")  # record 4
        decide(ws, first_id(ws), TA, Vote.EXCLUDE, reviewer="Aoife")  # record 1
        ranked.append(local(ws, prioritised_next(ws, "Aoife", TA)))
    assert ranked[0] == ranked[1]


def test_retrain_every_counts_decisions_between_retrains(open_project: Opener) -> None:
    ws = open_project(prioritisation={"retrain_every": 3})
    decide(ws, 4, TA, Vote.INCLUDE, reviewer="Aoife")
    decide(ws, 2, TA, Vote.EXCLUDE, reviewer="Aoife")
    queue = PrioritisedQueue(ws, "Aoife", TA)
    trained_on = []
    for _ in range(7):
        item = queue.next()
        assert item is not None and item.reason is Reason.MODEL
        trained_on.append(item.trained_on)
        decide(ws, item.record_id, TA, Vote.EXCLUDE, reviewer="Aoife")
    assert trained_on == [2, 2, 2, 5, 5, 5, 8]


def test_the_listed_order_is_the_order_a_session_gives_between_retrains(open_project: Opener) -> None:
    ws = open_project(prioritisation={"retrain_every": 50})
    decide(ws, 4, TA, Vote.INCLUDE, reviewer="Aoife")
    decide(ws, 2, TA, Vote.EXCLUDE, reviewer="Aoife")
    listed = prioritised_next(ws, "Aoife", TA, limit=6)
    queue = PrioritisedQueue(ws, "Aoife", TA)
    screened = []
    for _ in range(6):
        item = queue.next()
        assert item is not None and item.trained_on == 2, "no retrain within the batch"
        screened.append(item.record_id)
        decide(ws, item.record_id, TA, Vote.EXCLUDE, reviewer="Aoife")
    assert screened == listed


def test_every_decision_retrains_by_default_and_the_team_decisions_count(open_project: Opener) -> None:
    ws = open_project()
    decide(ws, 4, TA, Vote.INCLUDE, reviewer="Aoife")
    decide(ws, 2, TA, Vote.EXCLUDE, reviewer="Aoife")
    queue = PrioritisedQueue(ws, "Aoife", TA)
    first = queue.next()
    assert first is not None and first.trained_on == 2
    decide(ws, 11, TA, Vote.EXCLUDE, reviewer="Lukasz")  # single mode: final, the ranking learns it
    again = queue.next()
    assert again is not None and again.trained_on == 3 and again.record_id != 11


# -- what the ranking may learn from ------------------------------------------------------------


def test_blind_dual_screening_does_not_leak_the_other_reviewers_votes(open_project: Opener) -> None:
    ws = open_project("dual")
    before = order(ws)
    decide(ws, 7, TA, Vote.INCLUDE, reviewer="Lukasz")
    decide(ws, 10, TA, Vote.INCLUDE, reviewer="Lukasz")
    decide(ws, 2, TA, Vote.EXCLUDE, reviewer="Lukasz")
    after = order(ws)
    assert after == before, "Aoife's order does not change when Lukasz votes"
    assert {item.reason for item in after} == {Reason.RANDOM}
    view = overview(ws)
    waiting = set(next_records(ws, "Aoife", TA))
    assert training_labels(view, "Aoife", TA, (), waiting) == {}
    assert training_labels(view, "Lukasz", TA, (), set(next_records(ws, "Lukasz", TA))) == {
        7: True,
        10: True,
        2: False,
    }
    # Once both have voted the outcome is the team's, and both rankings may learn it.
    decide(ws, 7, TA, Vote.MAYBE, reviewer="Aoife")
    decide(ws, 2, TA, Vote.EXCLUDE, reviewer="Aoife")
    assert training_labels(overview(ws), "Ingrid", TA, (), set()) == {7: True, 2: False}
    item = PrioritisedQueue(ws, "Aoife", TA).next()
    assert item is not None and item.reason is Reason.MODEL and item.record_id == 10


def test_a_check_waits_out_of_the_ranking_and_comes_first(open_project: Opener) -> None:
    ws = open_project("single-verified", verify_sample="all")
    decide(ws, 9, TA, Vote.INCLUDE, reviewer="Lukasz")
    item = PrioritisedQueue(ws, "Aoife", TA).next()
    assert item is not None and item.record_id == 9 and item.reason is Reason.CHECK
    assert training_labels(overview(ws), "Aoife", TA, (), {9}) == {}, "not checked: not learned"
    assert 9 not in {r.record_id for r in order(ws, "Lukasz")}


def test_undo_and_skip_bring_the_queue_back_in_line(open_project: Opener) -> None:
    ws = open_project(keywords=["back pain"])
    queue = PrioritisedQueue(ws, "Aoife", TA)
    first = queue.next()
    assert first is not None and first.record_id in ON_TOPIC
    skipped = queue.next(skip={first.record_id})
    assert skipped is not None and skipped.record_id in ON_TOPIC - {first.record_id}
    decide(ws, first.record_id, TA, Vote.INCLUDE, reviewer="Aoife")
    decide(ws, 1, TA, Vote.EXCLUDE, reviewer="Aoife")
    assert (queue.next() or first).reason is Reason.MODEL
    undo_decision(ws, reviewer="Aoife", stage=TA)
    undo_decision(ws, reviewer="Aoife", stage=TA)
    again = queue.next()
    assert again is not None and again.record_id == first.record_id and again.reason is Reason.KEYWORDS
    assert again.waiting == 12


def test_full_text_disabled_and_order_id_keep_the_id_order(open_project: Opener) -> None:
    ws = open_project(keywords=["back pain"], prioritisation={"enabled": False})
    assert [item.record_id for item in order(ws)] == list(TOPICS)
    assert {item.reason for item in order(ws)} == {Reason.ID_ORDER}
    assert order(ws, order=Order.PRIORITY)[0].record_id in ON_TOPIC, "--order overrides"
    ws = open_project(keywords=["back pain"])
    assert local(ws, prioritised_next(ws, "Aoife", TA, order=Order.ID, limit=3)) == [1, 2, 3]
    for number in (12, 3, 5):
        decide(ws, first_id(ws) + number - 1, TA, Vote.INCLUDE, reviewer="Aoife")
    assert prioritised_next(ws, "Aoife", FT) == next_records(ws, "Aoife", FT)
    assert local(ws, prioritised_next(ws, "Aoife", FT)) == [3, 5, 12]
    with pytest.raises(UserError, match="title/abstract screening only"):
        PrioritisedQueue(ws, "Aoife", FT, order=Order.PRIORITY)


def test_nothing_waiting_means_no_suggestion(open_project: Opener) -> None:
    ws = open_project()
    for record_id in TOPICS:
        decide(ws, record_id, TA, Vote.EXCLUDE if record_id % 2 else Vote.INCLUDE, reviewer="Aoife")
    assert PrioritisedQueue(ws, "Aoife", TA).next() is None
    assert prioritised_next(ws, "Aoife", TA) == []


# -- seed studies -------------------------------------------------------------------------------


def test_seeds_are_added_by_id_doi_or_pmid_listed_and_removed_with_events(open_project: Opener) -> None:
    ws = open_project()
    change = add_seeds(ws, ["4", "https://doi.org/10.1000/TEST.7", "pmid:900010"], note="scoping search")
    assert change.changed == [4, 7, 10] and change.unchanged == []
    assert add_seeds(ws, ["10.1000/test.4"]).unchanged == [4], "adding twice changes nothing"
    decide(ws, 7, TA, Vote.INCLUDE, reviewer="Aoife")
    listed = {item.seed.record_id: item for item in list_seeds(ws)}
    assert sorted(listed) == [4, 7, 10]
    assert listed[4].seed.added_by == "tester" and listed[4].seed.note == "scoping search"
    assert listed[7].status is StageStatus.INCLUDED and listed[4].status is StageStatus.TO_SCREEN
    assert listed[4].title is not None and listed[4].title.startswith("Patient-professional")

    with pytest.raises(UserError, match="record 5 is not a seed study; nothing was removed"):
        remove_seeds(ws, ["4", "5"])
    assert remove_seeds(ws, ["pmid:900004"]).changed == [4]
    assert [item.seed.record_id for item in list_seeds(ws)] == [7, 10]
    events = [(e.type, e.payload["record_id"]) for e in read_log(ws) if e.type.startswith("screening.seed")]
    assert events == [
        ("screening.seed_added", 4),
        ("screening.seed_added", 7),
        ("screening.seed_added", 10),
        ("screening.seed_removed", 4),
    ]


def test_seed_references_that_name_nothing_or_several_records_are_refused(open_project: Opener) -> None:
    ws = open_project()
    with pytest.raises(NotFound, match="no record 99"):
        add_seeds(ws, ["99"])
    with pytest.raises(NotFound, match=r"no record with DOI 10\.1000/nothing"):
        add_seeds(ws, ["10.1000/nothing"])
    with pytest.raises(UserError, match="cannot tell which record 'Cooper 2008' is"):
        add_seeds(ws, ["Cooper 2008"])
    export = ws.project.root / "again.ris"
    export.write_text(topic_ris({13: TOPICS[4]}).replace("test.13", "test.4"), encoding="utf-8")
    import_files(ws, ImportRequest(paths=[export], source="CINAHL"))
    with pytest.raises(UserError, match=r"names several records \(4, 13\)"):
        add_seeds(ws, ["10.1000/test.4"])
    set_group_primary(ws, merge_records(ws, [4, 13]).id, 4)
    assert add_seeds(ws, ["10.1000/test.4", "13"]).changed == [4], "a duplicate stands for its primary"
    assert list_seeds(ws)[0].seed.record_id == 4
