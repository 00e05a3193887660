"""Appraisal storage: migration 0008 down and up again, and the repository, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from synthesist.appraisal.model import AnswerKind, NewAnswer
from synthesist.storage import schema
from synthesist.storage.migrate import current_revision, head_revision
from synthesist.workspace import Workspace
from tests.helpers import alembic_config


def test_the_appraisal_migration_goes_down_and_up_again(workspace: Workspace) -> None:
    engine = workspace.storage.engine
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0007")
    tables = sa.inspect(engine).get_table_names()
    assert "appraisal_answers" not in tables and "appraisal_categories" not in tables
    assert "extraction_values" in tables, "only 0008 was undone"
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), schema.metadata) == []
        columns = {column["name"] for column in sa.inspect(connection).get_columns("appraisal_answers")}
    assert columns == {
        "id", "project_id", "study_id", "checklist", "question", "reviewer", "answer", "kind", "comment",
        "quote", "page", "participants", "answered_at",
    }  # fmt: skip


def test_answers_are_kept_as_given_and_a_category_is_replaced(workspace: Workspace) -> None:
    with workspace.unit_of_work() as uow:
        study_id = uow.fulltext.create_study("Cooper 2008", [], by="tester")
        ids = uow.appraisal.add_answers(
            [
                NewAnswer(study_id, "casp-qualitative", "1", "alice", "yes"),
                NewAnswer(study_id, "casp-qualitative", "1", "alice", "no", comment="on reflection", page=3),
                NewAnswer(study_id, "mmat-2018", "S1", "alice", "yes"),
                NewAnswer(study_id, "casp-qualitative", "1", "alice & bob", "no", AnswerKind.CONSENSUS,
                          participants=("alice", "bob")),
            ]
        )  # fmt: skip
        uow.appraisal.set_category(study_id, "mmat-2018", "qualitative", by="alice")
        uow.appraisal.set_category(study_id, "mmat-2018", "mixed", by="bob")
        uow.commit()
    with workspace.unit_of_work(write=False) as uow:
        casp = uow.appraisal.answers("casp-qualitative")
        assert [a.id for a in casp] == [ids[0], ids[1], ids[3]]
        assert [(a.answer, a.comment, a.page) for a in casp[:2]] == [
            ("yes", None, None),
            ("no", "on reflection", 3),
        ]
        assert casp[2].kind is AnswerKind.CONSENSUS and casp[2].participants == ("alice", "bob")
        assert uow.appraisal.answers("casp-qualitative", [study_id + 1]) == []
        [chosen] = uow.appraisal.categories("mmat-2018").values()
        assert (chosen.category, chosen.chosen_by) == ("mixed", "bob")
        assert uow.appraisal.categories("casp-qualitative") == {}
