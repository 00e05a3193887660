"""Migration 0014 (one consensus per record and stage): a database that already holds two
contradictory consensus decisions on one record (the race it closes) is upgraded without losing
either: the latest stays in force, as the record's status used it, and the earlier one is kept in
the history, marked undone. Then the index refuses a second one. SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from synthesist.screening.model import Stage, StageStatus
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.screening.decisions import overview
from synthesist.storage import schema
from synthesist.storage.clock import utc_now
from synthesist.workspace import Workspace
from tests.helpers import alembic_config, ris_text


def test_contradictory_consensus_rows_are_kept_and_the_latest_stays_in_force(workspace: Workspace) -> None:
    export = workspace.project.root / "records.ris"
    export.write_text(ris_text(1), encoding="utf-8")
    import_files(workspace, ImportRequest(paths=[export], source="MEDLINE"))
    engine = workspace.storage.engine
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0013")
    table = schema.screening_decisions
    with engine.begin() as connection:
        project_id = connection.execute(sa.select(schema.projects.c.id)).scalar_one()
        for vote in ("include", "exclude"):
            connection.execute(
                table.insert().values(
                    project_id=project_id, record_id=1, stage="title-abstract", reviewer="A & B", vote=vote,
                    kind="consensus", labels=[], participants=["A", "B"], decided_at=utc_now(),
                )
            )  # fmt: skip
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    with engine.connect() as connection:
        rows = connection.execute(sa.select(table.c.vote, table.c.undone_by).order_by(table.c.id)).all()
        assert compare_metadata(MigrationContext.configure(connection), schema.metadata) == []
    assert [row.vote for row in rows] == ["include", "exclude"], "nothing deleted"
    assert "superseded" in (rows[0].undone_by or "") and rows[1].undone_by is None
    assert overview(workspace).records[1].at(Stage.TITLE_ABSTRACT) is StageStatus.EXCLUDED
