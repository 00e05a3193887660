"""What every table module shares: the metadata with its naming convention, the JSON column type,
and partial unique indexes that work on both backends."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

__all__ = ["Json", "metadata", "partial_unique_index"]

# Named constraints, so that migrations can refer to them on every backend (taguette's habit).
metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class _Jsonb(sa.types.TypeDecorator[Any]):
    """PostgreSQL's JSONB, imported when a PostgreSQL connection first uses it.

    Naming ``JSONB`` here would import SQLAlchemy's whole PostgreSQL dialect (its asyncpg, psycopg and
    pg8000 modules too) into every command of a SQLite project: ~40 ms of start-up for nothing.
    """

    impl = sa.JSON
    cache_ok = True

    def load_dialect_impl(self, dialect: sa.Dialect) -> sa.types.TypeEngine[Any]:
        from sqlalchemy.dialects.postgresql import JSONB

        return dialect.type_descriptor(JSONB())


Json = sa.JSON().with_variant(_Jsonb(), "postgresql")


def partial_unique_index(name: str, *columns: sa.Column[Any], where: sa.ColumnElement[bool]) -> None:
    """A unique index over the rows where ``where`` holds, on both backends.

    PostgreSQL's condition is attached just before a PostgreSQL connection creates the index: giving
    ``postgresql_where`` here would import the PostgreSQL dialect on SQLite projects (see ``_Jsonb``).
    """
    index = sa.Index(name, *columns, unique=True, sqlite_where=where)

    @sa.event.listens_for(index, "before_create")
    def _postgresql_where(_index: sa.Index, connection: sa.Connection, **_kw: Any) -> None:
        if connection.dialect.name == "postgresql":
            index.dialect_options["postgresql"]["where"] = where
