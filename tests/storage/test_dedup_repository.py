"""Deduplication storage (runs, pairs, groups) on SQLite and PostgreSQL, and the invariants the
database itself keeps: a record in one group at most, one primary per group, pairs ordered."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from synthesist.dedup.model import FilledField, GroupOrigin, NewDedupRun, Outcome, PairStatus, PairVerdict
from synthesist.errors import NotFound
from synthesist.importing.batch import NewBatch
from synthesist.records.model import Record
from synthesist.storage import schema
from synthesist.storage.dedup_repository import SqlDedupRepository
from synthesist.workspace import Workspace


def _records(workspace: Workspace, count: int) -> list[int]:
    """Insert ``count`` records in one batch; returns their ids in order."""
    batch = NewBatch(
        source="MEDLINE (Ovid)",
        file_name="medline.ris",
        file_sha256="0" * 64,
        format="ris",
        encoding="utf-8",
        searched_on=None,
        query=None,
        other_method=None,
        imported_by="tester",
        forced=False,
    )
    with workspace.unit_of_work() as uow:
        batch_id = uow.batches.add(batch)
        uow.records.add_many(batch_id, [(n, n + 1, Record(title=f"Title {n}")) for n in range(count)])
        ids = [stored.id for stored in uow.records.iterate()]
        uow.commit()
    return ids


def _run(workspace: Workspace) -> int:
    with workspace.unit_of_work() as uow:
        run_id = uow.dedup.add_run(NewDedupRun(scope="all", started_by="tester", settings={"rules": "v1"}))
        uow.commit()
    return run_id


def test_runs_round_trip(workspace: Workspace) -> None:
    with workspace.unit_of_work(write=False) as uow:
        assert uow.dedup.last_run() is None
        assert uow.dedup.runs() == []
    first = _run(workspace)
    with workspace.unit_of_work() as uow:
        second = uow.dedup.add_run(NewDedupRun(scope="new", started_by="ana", settings={"threshold": 0.9}))
        uow.dedup.finish_run(
            second,
            max_record_id=120,
            records_checked=100,
            candidate_pairs=40,
            duplicate_pairs=12,
            possible_pairs=3,
            groups_created=10,
            groups_grown=1,
            seconds=1.5,
        )
        uow.commit()
    with workspace.unit_of_work(write=False) as uow:
        runs = uow.dedup.runs()
        last = uow.dedup.last_run()
    assert [run.id for run in runs] == [first, second]
    assert runs[0].records_checked == 0 and runs[0].seconds == 0.0 and runs[0].settings == {"rules": "v1"}
    assert last == runs[1]
    assert (last.scope, last.started_by, last.settings) == ("new", "ana", {"threshold": 0.9})
    assert (last.max_record_id, last.records_checked, last.candidate_pairs) == (120, 100, 40)
    assert (last.duplicate_pairs, last.possible_pairs, last.groups_created, last.groups_grown) == (
        12,
        3,
        10,
        1,
    )
    assert last.seconds == 1.5
    assert last.started_at.tzinfo is not None
    assert abs((datetime.now(UTC) - last.started_at).total_seconds()) < 60


def test_saving_pairs_twice_keeps_the_first_row_and_its_decision(workspace: Workspace) -> None:
    a, b, c, d = _records(workspace, 4)
    run_id = _run(workspace)
    verdicts = [
        PairVerdict(a, b, Outcome.DUPLICATE, 0.98, ("doi", "title")),
        PairVerdict(b, c, Outcome.POSSIBLE, 0.81, ("title",)),
        PairVerdict(a, c, Outcome.POSSIBLE, 0.75),
    ]
    with workspace.unit_of_work() as uow:
        assert uow.dedup.save_pairs(verdicts[:1], run_id=run_id, status=PairStatus.AUTO) == 1
        assert uow.dedup.save_pairs(verdicts[1:], run_id=run_id, status=PairStatus.PENDING) == 2
        pending = uow.dedup.find_pair(b, c)
        assert pending is not None
        uow.dedup.decide_pair(pending.id, PairStatus.REJECTED, by="ana", note="different trials")
        uow.commit()

    later = _run(workspace)
    again = [
        *verdicts,
        PairVerdict(c, d, Outcome.DUPLICATE, 0.99),
        PairVerdict(c, d, Outcome.DUPLICATE, 0.99),
    ]
    with workspace.unit_of_work() as uow:
        assert uow.dedup.save_pairs(again, run_id=later, status=PairStatus.PENDING) == 1
        assert uow.dedup.save_pairs([], run_id=later, status=PairStatus.PENDING) == 0
        uow.commit()

    with workspace.unit_of_work(write=False) as uow:
        pairs = uow.dedup.pairs()
        rejected = uow.dedup.get_pair(pending.id)
        statuses = uow.dedup.pair_statuses()
    assert [(p.first, p.second) for p in pairs] == [(a, b), (b, c), (a, c), (c, d)]
    assert pairs[0].reasons == ("doi", "title") and pairs[0].score == 0.98 and pairs[0].run_id == run_id
    assert pairs[2].reasons == ()
    assert pairs[3].run_id == later
    assert rejected.status is PairStatus.REJECTED and rejected.outcome is Outcome.POSSIBLE
    assert (rejected.decided_by, rejected.note, rejected.run_id) == ("ana", "different trials", run_id)
    assert rejected.decided_at is not None and rejected.decided_at.tzinfo is not None
    assert pairs[0].decided_by is None and pairs[0].decided_at is None and pairs[0].note is None
    assert statuses == {
        (a, b): PairStatus.AUTO,
        (b, c): PairStatus.REJECTED,
        (a, c): PairStatus.PENDING,
        (c, d): PairStatus.PENDING,
    }


def test_pairs_filter_by_status_and_outcome_and_are_found_either_way_round(workspace: Workspace) -> None:
    a, b, c = _records(workspace, 3)
    run_id = _run(workspace)
    with workspace.unit_of_work() as uow:
        uow.dedup.save_pairs(
            [PairVerdict(a, b, Outcome.DUPLICATE, 1.0)], run_id=run_id, status=PairStatus.AUTO
        )
        uow.dedup.save_pairs(
            [PairVerdict(a, c, Outcome.POSSIBLE, 0.8), PairVerdict(b, c, Outcome.POSSIBLE, 0.7)],
            run_id=run_id,
            status=PairStatus.PENDING,
        )
        found = uow.dedup.find_pair(c, b)
        assert found is not None and (found.first, found.second) == (b, c)
        uow.dedup.decide_pair(found.id, PairStatus.CONFIRMED, by="ana")
        uow.commit()
    with workspace.unit_of_work(write=False) as uow:
        dedup = uow.dedup
        assert [(p.first, p.second) for p in dedup.pairs(status=PairStatus.PENDING)] == [(a, c)]
        assert [(p.first, p.second) for p in dedup.pairs(outcome=Outcome.DUPLICATE)] == [(a, b)]
        assert [p.id for p in dedup.pairs(status=PairStatus.CONFIRMED, outcome=Outcome.POSSIBLE)] == [
            found.id
        ]
        assert dedup.pairs(status=PairStatus.REJECTED) == []
        assert dedup.get_pair(found.id).note is None
        assert dedup.find_pair(a, a + 1000) is None
        with pytest.raises(NotFound, match="no duplicate pair 999"):
            dedup.get_pair(999)
    with workspace.unit_of_work() as uow, pytest.raises(NotFound, match="no duplicate pair 999"):
        uow.dedup.decide_pair(999, PairStatus.CONFIRMED, by="ana")


def test_groups_round_trip(workspace: Workspace) -> None:
    ids = _records(workspace, 8)
    run_id = _run(workspace)
    filled = {"doi": FilledField("10.1000/xyz", ids[1]), "year": FilledField(2008, ids[2])}
    with workspace.unit_of_work() as uow:
        first = uow.dedup.create_group(
            ids[0],
            [ids[2], ids[0], ids[1]],
            origin=GroupOrigin.AUTO,
            run_id=run_id,
            created_by="tester",
            filled=filled,
        )
        many = uow.dedup.create_groups(
            [
                (ids[4], [ids[3], ids[4]], {}),
                (ids[5], [ids[5], ids[6]], {"pages": FilledField("1-9", ids[6])}),
            ],
            origin=GroupOrigin.MANUAL,
            run_id=None,
            created_by="ana",
        )
        uow.commit()
    with workspace.unit_of_work(write=False) as uow:
        groups = uow.dedup.groups()
        group = uow.dedup.get_group(first)
        assert uow.dedup.group_of(ids[1]) == group
        assert uow.dedup.group_of(ids[7]) is None
        membership = uow.dedup.membership()
        counts = uow.dedup.counts()
    assert [g.id for g in groups] == [first, *many]
    assert groups[0] == group
    assert group.primary_id == ids[0] and group.member_ids == (ids[0], ids[1], ids[2])
    assert group.duplicate_ids == (ids[1], ids[2])
    assert (group.origin, group.run_id, group.created_by) == (GroupOrigin.AUTO, run_id, "tester")
    assert group.filled == filled
    assert group.created_at.tzinfo is not None
    assert (groups[1].primary_id, groups[1].member_ids, groups[1].filled) == (ids[4], (ids[3], ids[4]), {})
    assert (groups[1].origin, groups[1].run_id, groups[1].created_by) == (GroupOrigin.MANUAL, None, "ana")
    assert groups[2].filled == {"pages": FilledField("1-9", ids[6])}
    assert membership == {
        ids[0]: (first, True),
        ids[1]: (first, False),
        ids[2]: (first, False),
        ids[3]: (many[0], False),
        ids[4]: (many[0], True),
        ids[5]: (many[1], True),
        ids[6]: (many[1], False),
    }
    assert counts == (3, 4)


def test_group_members_and_primary_change(workspace: Workspace) -> None:
    a, b, c, d, e = _records(workspace, 5)
    with workspace.unit_of_work() as uow:
        group_id = uow.dedup.create_group(
            a, [a, b], origin=GroupOrigin.AUTO, run_id=None, created_by="tester", filled={}
        )
        uow.dedup.add_members(group_id, [c, d])
        uow.dedup.set_primary(group_id, c)
        uow.dedup.remove_members(group_id, [a, d])
        uow.dedup.set_filled(group_id, {"abstract": FilledField("Text", b)})
        uow.commit()
    with workspace.unit_of_work(write=False) as uow:
        group = uow.dedup.get_group(group_id)
        assert uow.dedup.membership() == {b: (group_id, False), c: (group_id, True)}
        assert uow.dedup.group_of(a) is None
    assert (group.primary_id, group.member_ids) == (c, (b, c))
    assert group.filled == {"abstract": FilledField("Text", b)}

    with workspace.unit_of_work() as uow:
        with pytest.raises(ValueError, match="primary"):
            uow.dedup.remove_members(group_id, [c])
        with pytest.raises(ValueError, match="not a member"):
            uow.dedup.set_primary(group_id, e)
        with pytest.raises(ValueError, match="not among the members"):
            uow.dedup.create_group(
                e, [d], origin=GroupOrigin.MANUAL, run_id=None, created_by="ana", filled={}
            )
        uow.dedup.delete_group(group_id)
        assert uow.dedup.groups() == [] and uow.dedup.membership() == {} and uow.dedup.counts() == (0, 0)
        uow.commit()
    with workspace.unit_of_work(write=False) as uow:
        assert uow.dedup.groups() == []
        assert uow.dedup.create_groups([], origin=GroupOrigin.AUTO, run_id=None, created_by="x") == []


@pytest.mark.parametrize("action", ["get", "add", "remove", "primary", "filled", "delete"])
def test_a_missing_group_is_not_found(workspace: Workspace, action: str) -> None:
    with workspace.unit_of_work() as uow, pytest.raises(NotFound, match="no duplicate group 42") as caught:
        dedup = uow.dedup
        if action == "get":
            dedup.get_group(42)
        elif action == "add":
            dedup.add_members(42, [1])
        elif action == "remove":
            dedup.remove_members(42, [1])
        elif action == "primary":
            dedup.set_primary(42, 1)
        elif action == "filled":
            dedup.set_filled(42, {})
        else:
            dedup.delete_group(42)
    assert "synthesist dedup groups" in str(caught.value)


def test_many_groups_get_their_ids_in_order(workspace: Workspace) -> None:
    ids = _records(workspace, 3000)
    specs = [(ids[n + 1], [ids[n], ids[n + 1]], {"n": FilledField(n, ids[n])}) for n in range(0, 3000, 2)]
    with workspace.unit_of_work() as uow:
        created = uow.dedup.create_groups(specs, origin=GroupOrigin.AUTO, run_id=None, created_by="tester")
        uow.commit()
    with workspace.unit_of_work(write=False) as uow:
        groups = {group.id: group for group in uow.dedup.groups()}
        assert uow.dedup.counts() == (1500, 1500)
    assert len(created) == len(set(created)) == 1500
    for group_id, (primary, members, filled) in zip(created, specs, strict=True):
        assert groups[group_id].primary_id == primary
        assert groups[group_id].member_ids == tuple(members)
        assert groups[group_id].filled == filled


def test_each_project_sees_only_its_own_deduplication(workspace: Workspace) -> None:
    a, b = _records(workspace, 2)
    run_id = _run(workspace)
    with workspace.unit_of_work() as uow:
        uow.dedup.save_pairs(
            [PairVerdict(a, b, Outcome.DUPLICATE, 1.0)], run_id=run_id, status=PairStatus.AUTO
        )
        group_id = uow.dedup.create_group(
            a, [a, b], origin=GroupOrigin.AUTO, run_id=run_id, created_by="t", filled={}
        )
        uow.commit()
    with workspace.storage.engine.begin() as connection:
        other_id = connection.execute(
            schema.projects.insert()
            .values(key="other", title="Other review", created_at=datetime.now(UTC))
            .returning(schema.projects.c.id)
        ).scalar_one()
        other = SqlDedupRepository(connection, other_id)
        assert other.runs() == [] and other.last_run() is None
        assert other.pairs() == [] and other.pair_statuses() == {} and other.find_pair(a, b) is None
        assert other.groups() == [] and other.membership() == {} and other.counts() == (0, 0)
        assert other.group_of(a) is None
        with pytest.raises(NotFound):
            other.get_group(group_id)


def _group_with_members(workspace: Workspace) -> tuple[int, list[int]]:
    ids = _records(workspace, 4)
    with workspace.unit_of_work() as uow:
        group_id = uow.dedup.create_group(
            ids[0], ids[:2], origin=GroupOrigin.AUTO, run_id=None, created_by="tester", filled={}
        )
        uow.commit()
    return group_id, ids


def _insert_group(connection: sa.Connection, project_id: int, primary: int) -> int:
    query = (
        schema.duplicate_groups.insert()
        .values(
            project_id=project_id,
            primary_record_id=primary,
            origin="manual",
            created_by="mallory",
            created_at=datetime.now(UTC),
            filled={},
        )
        .returning(schema.duplicate_groups.c.id)
    )
    return int(connection.execute(query).scalar_one())


def test_the_database_refuses_a_record_in_two_groups(workspace: Workspace) -> None:
    _group_id, ids = _group_with_members(workspace)
    project_id = workspace.storage.project_id
    with pytest.raises(sa.exc.IntegrityError), workspace.storage.engine.begin() as connection:
        other = _insert_group(connection, project_id, ids[2])
        connection.execute(
            schema.duplicate_members.insert(),
            [
                {"record_id": ids[2], "group_id": other, "project_id": project_id, "is_primary": True},
                {"record_id": ids[1], "group_id": other, "project_id": project_id, "is_primary": False},
            ],
        )


def test_the_database_refuses_a_group_with_two_primaries(workspace: Workspace) -> None:
    group_id, ids = _group_with_members(workspace)
    project_id = workspace.storage.project_id
    with pytest.raises(sa.exc.IntegrityError), workspace.storage.engine.begin() as connection:
        connection.execute(
            schema.duplicate_members.insert().values(
                record_id=ids[2], group_id=group_id, project_id=project_id, is_primary=True
            )
        )
    with workspace.storage.engine.begin() as connection:
        # a second duplicate (not primary) is fine
        connection.execute(
            schema.duplicate_members.insert().values(
                record_id=ids[2], group_id=group_id, project_id=project_id, is_primary=False
            )
        )


def test_the_database_refuses_an_unordered_pair(workspace: Workspace) -> None:
    a, b = _records(workspace, 2)
    with pytest.raises(sa.exc.IntegrityError), workspace.storage.engine.begin() as connection:
        connection.execute(
            schema.duplicate_pairs.insert().values(
                project_id=workspace.storage.project_id,
                first_record_id=b,
                second_record_id=a,
                outcome="possible",
                score=0.5,
                reasons=[],
                status="pending",
            )
        )


def test_a_dissolved_groups_id_is_never_given_to_a_new_group(workspace: Workspace) -> None:
    """The event log names groups by id, so ids must not come back (SQLite would reuse the highest)."""
    a, b, c, d = _records(workspace, 4)
    with workspace.unit_of_work() as uow:
        first, second = uow.dedup.create_groups(
            [(a, [a, b], {}), (c, [c, d], {})], origin=GroupOrigin.AUTO, run_id=None, created_by="tester"
        )
        uow.dedup.delete_group(second)
        uow.commit()
    with workspace.unit_of_work() as uow:
        again = uow.dedup.create_group(
            c, [c, d], origin=GroupOrigin.MANUAL, run_id=None, created_by="ana", filled={}
        )
        uow.commit()
    assert first < second < again
