"""Deduplication services: runs, the review queue, merging by hand, splitting, undoing, the primary,
the protocol's [deduplication] settings, the export and the status (SQLite and PostgreSQL).

The data (tests/dedup_helpers.py) is one article as Embase and MEDLINE export it, its erratum, its
conference abstract, another article by the same first author in the same issue, and a pair with the
same title and authors but other pages, which only a reviewer can decide.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path
from typing import Any

import pytest
import tomlkit

import synthesist.services.dedup.runs as dedup_service
from synthesist.dedup.model import FilledField, GroupOrigin, PairStatus, StoredPair
from synthesist.errors import ChangedMeanwhile, NotFound, UserError
from synthesist.review.project import find_project
from synthesist.services.dedup.review import (
    decide_pair,
    group_for_record,
    list_groups,
    list_pairs,
    merge_records,
    review_queue,
    set_group_primary,
    show_group,
    split_group,
    undo_group,
)
from synthesist.services.dedup.runs import run_dedup
from synthesist.services.records.reading import (
    export_records,
    get_record,
    list_records,
    project_status,
    read_log,
)
from synthesist.storage.dedup_repository import SqlDedupRepository
from synthesist.workspace import Workspace
from tests.dedup_helpers import (
    ABSTRACT,
    CINAHL,
    EMBASE_ARTICLE,
    MEDLINE_ARTICLE,
    PREPRINTS,
    import_ris,
    import_searches,
    record_ids,
    ris_file,
)


@pytest.fixture
def ids(workspace: Workspace, tmp_path: Path) -> dict[str, int]:
    """The Embase and MEDLINE searches imported, not yet deduplicated; record ids by the file's ID."""
    return import_searches(workspace, tmp_path / "exports")


def _pair(workspace: Workspace, first: int, second: int) -> StoredPair:
    [found] = [p for p in list_pairs(workspace) if {p.first, p.second} == {first, second}]
    return found


def _grouped(workspace: Workspace) -> list[set[int]]:
    return [set(group.member_ids) for group in list_groups(workspace)]


def _queued(workspace: Workspace) -> list[int]:
    return [view.pair.id for view in review_queue(workspace)]


def _events(workspace: Workspace, kind: str) -> list[dict[str, Any]]:
    return [event.payload for event in read_log(workspace, types=[kind])]


def _with_protocol(workspace: Workspace, **settings: Any) -> Workspace:
    """The workspace after editing review.toml's [deduplication] section (the protocol is reread)."""
    path = workspace.project.protocol_path
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    section = document["deduplication"]
    assert isinstance(section, dict)
    section.update(settings)
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
    return dataclasses.replace(workspace, project=find_project(workspace.project.root))


def _import_cinahl(workspace: Workspace, tmp_path: Path) -> dict[str, int]:
    """The later CINAHL search: a third copy of the article and a new article."""
    import_ris(workspace, tmp_path / "exports", "cinahl.ris", CINAHL, "CINAHL")
    return record_ids(workspace)


def _csv_rows(workspace: Workspace, **options: Any) -> dict[str, dict[str, str]]:
    handle = io.StringIO(newline="")
    export_records(workspace, "csv", handle, **options)
    handle.seek(0)
    return {row["source_record_id"]: row for row in csv.DictReader(handle)}


# Runs ---------------------------------------------------------------------------------------------


def test_a_run_groups_the_copies_of_an_article_keeps_the_look_alikes_apart_and_deletes_nothing(
    workspace: Workspace, ids: dict[str, int]
) -> None:
    before = [(stored.id, stored.record) for stored in list_records(workspace)[0]]
    result = run_dedup(workspace)
    assert _grouped(workspace) == [{ids["emb-article"], ids["med-article"]}]
    assert (result.records_total, result.duplicates_total, result.remaining) == (7, 1, 6)
    assert (result.groups_total, result.pending_total) == (1, 1)
    # The erratum, the conference abstract and the other article are neither merged nor queued.
    [possible] = review_queue(workspace)
    assert {possible.first.id, possible.second.id} == {ids["emb-possible"], ids["med-possible"]}
    assert "different pages" in " ".join(possible.pair.reasons)
    grouped_or_queued = {r for pair in list_pairs(workspace) for r in (pair.first, pair.second)}
    assert not grouped_or_queued & {ids["emb-erratum"], ids["emb-conference"], ids["med-other"]}
    # No record is deleted or changed.
    assert [(stored.id, stored.record) for stored in list_records(workspace)[0]] == before
    assert result.run is not None
    assert (result.run.scope, result.run.records_checked, result.run.groups_created) == ("new", 7, 1)
    [event] = read_log(workspace, types=["dedup.run"])
    assert event.actor == "tester"
    assert event.payload["run_id"] == result.run.id and event.payload["scope"] == "new"
    assert (event.payload["records_checked"], event.payload["duplicate_pairs"]) == (7, 1)
    assert (event.payload["possible_pairs"], event.payload["groups_created"]) == (1, 1)
    assert event.payload["settings"] == {"preprints": "distinct", "year_tolerance": 1, "auto_merge": True}


def test_the_primary_is_the_most_complete_record_and_its_gaps_are_filled_from_the_others(
    workspace: Workspace, ids: dict[str, int]
) -> None:
    run_dedup(workspace)
    [group] = list_groups(workspace)
    assert group.primary_id == ids["emb-article"]  # the copy with the abstract and the DOI
    assert group.duplicate_ids == (ids["med-article"],)
    assert group.origin is GroupOrigin.AUTO and group.created_by == "tester"
    assert group.filled == {
        "language": FilledField("English", ids["med-article"]),
        "keywords": FilledField(["Ambulatory Surgical Procedures", "Telephone"], ids["med-article"]),
    }
    view = show_group(workspace, group.id)
    assert set(view.records) == {ids["emb-article"], ids["med-article"]}
    assert (view.merged.language, view.merged.abstract, view.merged.doi) == (
        "English", ABSTRACT, "10.1111/jan.12600",
    )  # fmt: skip
    # The records themselves stay as imported.
    assert get_record(workspace, ids["emb-article"]).record.language is None
    assert get_record(workspace, ids["med-article"]).record.abstract is None
    assert group_for_record(workspace, ids["med-article"]) == group
    with pytest.raises(NotFound, match="not in a duplicate group"):
        group_for_record(workspace, ids["emb-erratum"])
    with pytest.raises(NotFound, match="no record 999"):
        group_for_record(workspace, 999)
    with pytest.raises(NotFound, match="no duplicate group 999"):
        show_group(workspace, 999)


def test_an_incremental_run_grows_the_group_and_a_run_with_nothing_new_does_nothing(
    workspace: Workspace, ids: dict[str, int], tmp_path: Path
) -> None:
    run_dedup(workspace)
    [before] = list_groups(workspace)
    assert run_dedup(workspace).run is None, "nothing imported since"
    ids = _import_cinahl(workspace, tmp_path)
    result = run_dedup(workspace)
    assert result.run is not None and result.run.scope == "new"
    assert (result.run.groups_created, result.run.groups_grown) == (0, 1)
    [after] = list_groups(workspace)
    assert after.id == before.id and after.primary_id == ids["emb-article"]
    assert set(after.member_ids) == {ids["emb-article"], ids["med-article"], ids["cin-article"]}
    assert after.filled["issn"] == FilledField("0309-2402", ids["cin-article"])
    assert ids["cin-new"] not in {record for group in _grouped(workspace) for record in group}
    assert (result.duplicates_total, result.remaining) == (2, 7)

    again = run_dedup(workspace)
    assert again.run is None
    assert (again.duplicates_total, again.groups_total, again.pending_total) == (2, 1, 1)
    assert len(_events(workspace, "dedup.run")) == 2


def test_scope_all_compares_every_record_again_without_changing_what_was_found(
    workspace: Workspace, ids: dict[str, int]
) -> None:
    first = run_dedup(workspace)
    groups, pairs = list_groups(workspace), list_pairs(workspace)
    again = run_dedup(workspace, scope="all")
    assert again.run is not None and first.run is not None
    assert (again.run.scope, again.run.records_checked) == ("all", 7)
    assert again.run.candidate_pairs == first.run.candidate_pairs
    assert (again.run.groups_created, again.run.groups_grown) == (0, 0)
    assert list_groups(workspace) == groups and list_pairs(workspace) == pairs
    with pytest.raises(UserError, match="unknown scope"):
        run_dedup(workspace, scope="everything")  # type: ignore[arg-type]


def test_a_failing_run_leaves_nothing_half_written(
    workspace: Workspace, ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(SqlDedupRepository, "create_groups", broken)  # after the run and pairs are saved
    with pytest.raises(RuntimeError, match="disk full"):
        run_dedup(workspace)
    monkeypatch.undo()
    assert list_groups(workspace) == [] and list_pairs(workspace) == []
    assert _events(workspace, "dedup.run") == []
    with workspace.unit_of_work(write=False) as uow:
        assert uow.dedup.runs() == []
    result = run_dedup(workspace)
    assert result.run is not None and result.groups_total == 1, "the next run starts afresh"


def test_a_run_that_finds_the_data_changed_meanwhile_writes_nothing(
    workspace: Workspace, ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run matches outside the write lock; a merge made by someone else in the meantime must
    not be overwritten by results computed before it."""
    real_match = dedup_service.match

    def match_while_someone_merges(*args: Any, **kwargs: Any) -> Any:
        result = real_match(*args, **kwargs)
        merge_records(workspace, [ids["emb-possible"], ids["med-possible"]], note="a colleague, meanwhile")
        return result

    monkeypatch.setattr(dedup_service, "match", match_while_someone_merges)
    with pytest.raises(ChangedMeanwhile, match="changed while deduplication ran"):
        run_dedup(workspace)
    monkeypatch.undo()
    with workspace.unit_of_work(write=False) as uow:
        assert uow.dedup.runs() == []
    assert len(list_groups(workspace)) == 1, "only the colleague's merge"
    assert run_dedup(workspace).run is not None


# The review queue --------------------------------------------------------------------------------


def test_confirming_a_possible_pair_groups_it_and_logs_the_decision_once(
    workspace: Workspace, ids: dict[str, int]
) -> None:
    run_dedup(workspace)
    [view] = review_queue(workspace)
    assert "pages" in view.differences and "title" not in view.differences
    assert "source_record_id" not in view.differences
    assert {view.first.source, view.second.source} == {"Embase", "MEDLINE (Ovid)"}

    group_id = decide_pair(workspace, view.pair.id, "confirm", note="page numbers typed wrongly")
    assert group_id is not None
    group = show_group(workspace, group_id).group
    assert set(group.member_ids) == {ids["emb-possible"], ids["med-possible"]}
    assert group.origin is GroupOrigin.REVIEW
    decided = _pair(workspace, ids["emb-possible"], ids["med-possible"])
    assert (decided.status, decided.decided_by, decided.note) == (
        PairStatus.CONFIRMED, "tester", "page numbers typed wrongly",
    )  # fmt: skip
    assert decided.decided_at is not None and _queued(workspace) == []
    assert project_status(workspace).duplicates == 2

    with pytest.raises(UserError, match="already confirmed by tester"):
        decide_pair(workspace, view.pair.id, "reject")
    with pytest.raises(UserError, match="unknown decision"):
        decide_pair(workspace, view.pair.id, "maybe")  # type: ignore[arg-type]
    with pytest.raises(NotFound, match="no duplicate pair 999"):
        decide_pair(workspace, 999, "confirm")
    [event] = _events(workspace, "dedup.pair_decided")
    assert event == {
        "pair_id": view.pair.id, "first": decided.first, "second": decided.second,
        "decision": "confirmed", "group_id": group_id, "note": "page numbers typed wrongly",
    }  # fmt: skip


def test_a_rejected_pair_stays_apart_and_out_of_the_queue_in_later_runs(
    workspace: Workspace, ids: dict[str, int]
) -> None:
    run_dedup(workspace)
    [view] = review_queue(workspace)
    assert decide_pair(workspace, view.pair.id, "reject") is None
    assert _queued(workspace) == [] and project_status(workspace).possible_duplicates == 0
    [event] = _events(workspace, "dedup.pair_decided")
    assert (event["decision"], event["group_id"]) == ("rejected", None)
    with pytest.raises(UserError, match="already rejected"):
        decide_pair(workspace, view.pair.id, "confirm")

    run_dedup(workspace, scope="all")
    assert _pair(workspace, ids["emb-possible"], ids["med-possible"]).status is PairStatus.REJECTED
    assert _queued(workspace) == [] and project_status(workspace).possible_duplicates == 0
    assert _grouped(workspace) == [{ids["emb-article"], ids["med-article"]}]


def test_confirming_a_record_with_a_grouped_one_adds_it_to_that_group(
    workspace: Workspace, ids: dict[str, int], tmp_path: Path
) -> None:
    # Scopus has the article with a typo in its pages: a question for a reviewer.
    typo = {"ID": "sco-article", "SP": "298", "EP": "307"}
    scopus = [(tag, typo.get(tag, value)) for tag, value in EMBASE_ARTICLE if tag not in ("DO", "AB")]
    import_ris(workspace, tmp_path, "scopus.ris", ris_file(scopus), "Scopus")
    ids = record_ids(workspace)
    run_dedup(workspace)
    [group] = list_groups(workspace)
    pair = _pair(workspace, ids["emb-article"], ids["sco-article"])
    assert pair.status is PairStatus.PENDING
    assert decide_pair(workspace, pair.id, "confirm") == group.id
    after = show_group(workspace, group.id).group
    assert set(after.member_ids) == {ids["emb-article"], ids["med-article"], ids["sco-article"]}
    assert after.primary_id == ids["emb-article"]
    # Its pair with the MEDLINE copy has nothing left to decide, and cannot be rejected.
    other = _pair(workspace, ids["med-article"], ids["sco-article"])
    assert other.id not in _queued(workspace)
    with pytest.raises(UserError, match="already in one duplicate group"):
        decide_pair(workspace, other.id, "reject")


def test_a_failing_decision_leaves_nothing_half_written(
    workspace: Workspace, ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    run_dedup(workspace)
    [view] = review_queue(workspace)
    groups = list_groups(workspace)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("connection lost")

    monkeypatch.setattr(SqlDedupRepository, "decide_pair", broken)  # the group is formed before
    with pytest.raises(RuntimeError):
        decide_pair(workspace, view.pair.id, "confirm")
    monkeypatch.undo()
    assert list_groups(workspace) == groups
    assert _pair(workspace, ids["emb-possible"], ids["med-possible"]).status is PairStatus.PENDING
    assert _events(workspace, "dedup.pair_decided") == []


# Merging by hand, splitting, undoing, the primary ------------------------------------------------


def test_merging_by_hand_joins_groups_without_chains(
    workspace: Workspace, ids: dict[str, int], tmp_path: Path
) -> None:
    run_dedup(workspace)
    ids = _import_cinahl(workspace, tmp_path)
    run_dedup(workspace)
    [article] = list_groups(workspace)
    second = merge_records(workspace, [ids["med-possible"], ids["emb-possible"]], note="same study")
    assert second.origin is GroupOrigin.MANUAL and second.created_by == "tester"
    assert set(second.member_ids) == {ids["emb-possible"], ids["med-possible"]}
    assert _pair(workspace, ids["emb-possible"], ids["med-possible"]).status is PairStatus.CONFIRMED
    [event] = _events(workspace, "dedup.merged")
    assert event == {
        "group_id": second.id, "record_ids": sorted([ids["emb-possible"], ids["med-possible"]]),
        "primary_id": second.primary_id, "note": "same study",
    }  # fmt: skip

    # A record of one group merged with a record of another: the groups fold into the older one.
    joined = merge_records(workspace, [ids["med-possible"], ids["cin-article"]])
    assert joined.id == article.id and joined.primary_id == article.primary_id
    assert len(joined.member_ids) == 5 and list_groups(workspace) == [joined]
    with workspace.unit_of_work(write=False) as uow:
        membership = uow.dedup.membership()
    assert {record: group for record, (group, _) in membership.items()} == dict.fromkeys(
        joined.member_ids, joined.id
    )
    assert [record for record, (_, primary) in membership.items() if primary] == [joined.primary_id]
    rows = _csv_rows(workspace)
    by_id = {row["record_id"]: row for row in rows.values()}
    duplicates = [row for row in rows.values() if row["duplicate_of"]]
    assert len(duplicates) == 4
    for row in duplicates:  # every duplicate points at a primary, never at another duplicate
        target = by_id[row["duplicate_of"]]
        assert row["is_primary"] == "no" and target["is_primary"] == "yes" and not target["duplicate_of"]


def test_a_pair_merged_by_hand_stays_merged_in_later_runs(workspace: Workspace, ids: dict[str, int]) -> None:
    run_dedup(workspace)
    group = merge_records(workspace, [ids["emb-erratum"], ids["med-other"]])
    pair = _pair(workspace, ids["emb-erratum"], ids["med-other"])
    assert pair.status is PairStatus.CONFIRMED and pair.run_id is None  # the matcher never proposed it
    run_dedup(workspace, scope="all")
    assert set(show_group(workspace, group.id).group.member_ids) == {ids["emb-erratum"], ids["med-other"]}


def test_merging_needs_two_existing_records(workspace: Workspace, ids: dict[str, int]) -> None:
    with pytest.raises(UserError, match="at least two different records"):
        merge_records(workspace, [ids["emb-article"]])
    with pytest.raises(UserError, match="at least two different records"):
        merge_records(workspace, [ids["emb-article"], ids["emb-article"]])
    with pytest.raises(NotFound, match="no record 999"):
        merge_records(workspace, [ids["emb-article"], 999])
    assert list_groups(workspace) == [] and _events(workspace, "dedup.merged") == []


def test_records_split_off_a_group_stay_apart_and_a_group_of_one_is_dissolved(
    workspace: Workspace, ids: dict[str, int], tmp_path: Path
) -> None:
    run_dedup(workspace)
    ids = _import_cinahl(workspace, tmp_path)
    run_dedup(workspace)
    [group] = list_groups(workspace)
    with pytest.raises(UserError, match=f"record {ids['med-other']} is not in duplicate group"):
        split_group(workspace, group.id, [ids["med-other"]])
    for everything_or_nothing in (list(group.member_ids), []):
        with pytest.raises(UserError, match="some, not all"):
            split_group(workspace, group.id, everything_or_nothing)
    with pytest.raises(NotFound, match="no duplicate group 999"):
        split_group(workspace, 999, [ids["med-article"]])
    assert _events(workspace, "dedup.split") == []

    after = split_group(workspace, group.id, [ids["cin-article"]], note="another trial arm")
    assert after is not None and after.primary_id == ids["emb-article"]
    assert set(after.member_ids) == {ids["emb-article"], ids["med-article"]}
    assert "issn" not in after.filled, "it came from the record taken out"
    for kept in ("emb-article", "med-article"):
        assert _pair(workspace, ids[kept], ids["cin-article"]).status is PairStatus.REJECTED
    run_dedup(workspace, scope="all")
    assert _grouped(workspace) == [{ids["emb-article"], ids["med-article"]}]

    assert split_group(workspace, group.id, [ids["med-article"]]) is None
    assert list_groups(workspace) == [] and project_status(workspace).duplicates == 0
    assert _events(workspace, "dedup.split") == [
        {"group_id": group.id, "record_ids": [ids["cin-article"]], "primary_id": ids["emb-article"],
         "note": "another trial arm"},
        {"group_id": group.id, "record_ids": [ids["med-article"]], "primary_id": None, "note": None},
    ]  # fmt: skip


def test_splitting_off_the_primary_picks_a_new_one(
    workspace: Workspace, ids: dict[str, int], tmp_path: Path
) -> None:
    run_dedup(workspace)
    ids = _import_cinahl(workspace, tmp_path)
    run_dedup(workspace)
    [group] = list_groups(workspace)
    after = split_group(workspace, group.id, [ids["emb-article"]])
    assert after is not None
    assert set(after.member_ids) == {ids["med-article"], ids["cin-article"]}
    assert after.primary_id != ids["emb-article"] and after.primary_id in after.member_ids
    assert len(after.duplicate_ids) == 1
    assert "abstract" not in after.filled and "doi" not in after.filled
    assert _events(workspace, "dedup.split")[0]["primary_id"] == after.primary_id


def test_undoing_a_group_dissolves_it_for_good(workspace: Workspace, ids: dict[str, int]) -> None:
    run_dedup(workspace)
    [group] = list_groups(workspace)
    assert undo_group(workspace, group.id, note="two reports, kept apart") == group
    assert list_groups(workspace) == [] and project_status(workspace).duplicates == 0
    assert _pair(workspace, ids["emb-article"], ids["med-article"]).status is PairStatus.REJECTED
    [event] = _events(workspace, "dedup.undone")
    assert event == {
        "group_id": group.id, "member_ids": list(group.member_ids), "primary_id": ids["emb-article"],
        "origin": "auto", "note": "two reports, kept apart",
    }  # fmt: skip
    assert [record.id for record in list_records(workspace)[0]] == sorted(ids.values())
    run_dedup(workspace, scope="all")
    assert list_groups(workspace) == []
    with pytest.raises(NotFound, match="dedup groups"):
        undo_group(workspace, group.id)


def test_the_primary_can_be_changed_and_the_filled_gaps_follow(
    workspace: Workspace, ids: dict[str, int]
) -> None:
    run_dedup(workspace)
    [group] = list_groups(workspace)
    changed = set_group_primary(workspace, group.id, ids["med-article"])
    assert changed.primary_id == ids["med-article"] and changed.duplicate_ids == (ids["emb-article"],)
    assert changed.filled["abstract"] == FilledField(ABSTRACT, ids["emb-article"])
    assert changed.filled["doi"] == FilledField("10.1111/jan.12600", ids["emb-article"])
    assert "language" not in changed.filled
    [event] = _events(workspace, "dedup.primary_changed")
    assert event == {
        "group_id": group.id, "old_primary_id": ids["emb-article"], "new_primary_id": ids["med-article"],
    }  # fmt: skip
    assert set_group_primary(workspace, group.id, ids["med-article"]) == changed
    assert len(_events(workspace, "dedup.primary_changed")) == 1, "no event when nothing changes"
    with pytest.raises(UserError, match="not in duplicate group"):
        set_group_primary(workspace, group.id, ids["med-other"])
    rows = _csv_rows(workspace)
    assert rows["med-article"]["is_primary"] == "yes"
    assert rows["emb-article"]["duplicate_of"] == str(ids["med-article"])
    run_dedup(workspace, scope="all")
    assert list_groups(workspace)[0].primary_id == ids["med-article"], "a later run keeps the choice"


# The protocol's [deduplication] section ---------------------------------------------------------


def test_without_auto_merge_even_certain_duplicates_wait_for_a_reviewer(
    workspace: Workspace, ids: dict[str, int]
) -> None:
    workspace = _with_protocol(workspace, auto_merge=False)
    result = run_dedup(workspace)
    assert list_groups(workspace) == [] and result.duplicates_total == 0
    pair = _pair(workspace, ids["emb-article"], ids["med-article"])
    assert pair.status is PairStatus.PENDING and pair.id in _queued(workspace)
    assert any("confirmed by a reviewer" in reason for reason in pair.reasons)
    assert _events(workspace, "dedup.run")[0]["settings"]["auto_merge"] is False
    group_id = decide_pair(workspace, pair.id, "confirm")
    assert show_group(workspace, group_id or 0).group.primary_id == ids["emb-article"]


def test_with_no_year_tolerance_an_ahead_of_print_copy_goes_to_review(
    workspace: Workspace, tmp_path: Path
) -> None:
    workspace = _with_protocol(workspace, year_tolerance=0)
    ahead = [(tag, "2014" if tag == "PY" else value) for tag, value in MEDLINE_ARTICLE]
    import_ris(workspace, tmp_path, "both.ris", ris_file(EMBASE_ARTICLE, ahead), "Embase")
    ids = record_ids(workspace)
    run_dedup(workspace)
    assert list_groups(workspace) == []
    assert _pair(workspace, ids["emb-article"], ids["med-article"]).status is PairStatus.PENDING
    # The default tolerance (one year) takes it for the same article.
    workspace = _with_protocol(workspace, year_tolerance=1)
    run_dedup(workspace, scope="all")
    assert _grouped(workspace) == [{ids["emb-article"], ids["med-article"]}]
    assert _queued(workspace) == []


def test_preprints_are_kept_apart_by_default_and_reviewed_when_the_protocol_says_possible(
    workspace: Workspace, tmp_path: Path
) -> None:
    import_ris(workspace, tmp_path, "preprints.ris", PREPRINTS, "medRxiv")
    ids = record_ids(workspace)
    run_dedup(workspace)
    assert list_groups(workspace) == [] and list_pairs(workspace) == []
    workspace = _with_protocol(workspace, preprints="possible")
    run_dedup(workspace, scope="all")
    assert list_groups(workspace) == []
    [view] = review_queue(workspace)
    assert {view.first.id, view.second.id} == {ids["preprint"], ids["published"]}


def test_preprints_are_merged_into_the_published_version_when_the_protocol_says_duplicate(
    workspace: Workspace, tmp_path: Path
) -> None:
    workspace = _with_protocol(workspace, preprints="duplicate")
    import_ris(workspace, tmp_path, "preprints.ris", PREPRINTS, "medRxiv")
    ids = record_ids(workspace)
    run_dedup(workspace)
    [group] = list_groups(workspace)
    assert group.primary_id == ids["published"] and group.duplicate_ids == (ids["preprint"],)


# Export and status ------------------------------------------------------------------------------


def test_the_export_marks_duplicates_and_the_deduplicated_export_leaves_them_out(
    workspace: Workspace, ids: dict[str, int]
) -> None:
    before = _csv_rows(workspace)
    assert {(row["duplicate_group"], row["is_primary"], row["duplicate_of"]) for row in before.values()} == {
        ("", "", "")
    }
    run_dedup(workspace)
    [group] = list_groups(workspace)
    rows = _csv_rows(workspace)
    assert len(rows) == 7
    marks = {
        key: (row["duplicate_group"], row["is_primary"], row["duplicate_of"]) for key, row in rows.items()
    }
    assert marks["emb-article"] == (str(group.id), "yes", "")
    assert marks["med-article"] == (str(group.id), "no", str(ids["emb-article"]))
    assert marks["med-other"] == ("", "", "")
    assert rows["emb-article"]["language"] == "", "the full export shows the records as imported"

    kept = _csv_rows(workspace, deduplicated=True)
    assert set(kept) == set(ids) - {"med-article"}
    primary = kept["emb-article"]
    assert (primary["language"], primary["keywords"]) == (
        "English",
        "Ambulatory Surgical Procedures; Telephone",
    )
    assert (primary["abstract"], primary["pages"]) == (ABSTRACT, "288-297")
    handle = io.StringIO()
    assert export_records(workspace, "ris", handle, deduplicated=True) == 6
    assert handle.getvalue().count("ER  -") == 6


def test_the_status_counts_duplicates_removed_and_records_remaining(
    workspace: Workspace, tmp_path: Path
) -> None:
    assert run_dedup(workspace).run is None, "an empty project has nothing to compare"
    import_searches(workspace, tmp_path / "exports")
    status = project_status(workspace)
    assert (status.duplicates, status.remaining, status.deduplicated) == (0, 7, False)
    assert "duplicates removed" not in status.stages
    run_dedup(workspace)
    status = project_status(workspace)
    assert (status.total, status.duplicates, status.remaining) == (7, 1, 6)
    assert (status.duplicate_groups, status.possible_duplicates, status.deduplicated) == (1, 1, True)
    expected = {"imported": 7, "duplicates removed": 1, "after deduplication": 6, "records screened": 6}
    assert {stage: status.stages[stage] for stage in expected} == expected
    assert {line.source: line.records for line in status.sources} == {"Embase": 4, "MEDLINE (Ovid)": 3}
    _import_cinahl(workspace, tmp_path)
    assert project_status(workspace).deduplicated is False
    run_dedup(workspace)
    status = project_status(workspace)
    assert (status.total, status.duplicates, status.remaining, status.deduplicated) == (9, 2, 7, True)
