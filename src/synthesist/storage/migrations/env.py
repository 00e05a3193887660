"""Alembic environment. Synthesist runs migrations in-process (storage.migrate), handing over an open
connection in ``config.attributes["connection"]``; the ``alembic`` command line works too with
``-x url=sqlite:///path/review.db`` for developers writing a new migration."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from synthesist.storage.schema import metadata

config = context.config
connection = config.attributes.get("connection")


def _run(conn: Connection) -> None:
    context.configure(
        connection=conn,
        target_metadata=metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    _run(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("pass the database with: alembic -x url=sqlite:///review.db upgrade head")
    engine = create_engine(url)
    with engine.begin() as conn:
        _run(conn)
