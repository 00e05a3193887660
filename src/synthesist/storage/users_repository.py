"""Users, memberships, web sessions and failed logins (the web app's accounts).

Users and sessions belong to the database; memberships and the "projects of a user" query reach
across projects, which is why this repository takes the project id only for the current project's
members."""

from __future__ import annotations

import builtins
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal

import sqlalchemy as sa

from synthesist.errors import Conflict, NotFound
from synthesist.review.accounts import Membership, UserAccount, WebSession
from synthesist.storage import schema
from synthesist.storage.engine import dialect_insert

if TYPE_CHECKING:
    pass

__all__ = ["SqlUserRepository"]


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class SqlUserRepository:
    def __init__(self, connection: sa.Connection, project_id: int) -> None:
        self._connection = connection
        self._project_id = project_id

    # users
    def add(self, name: str, password_hash: str) -> int:
        if self.find(name) is not None:
            raise Conflict(f"a user named {name!r} exists already", hint="Choose another name.")
        inserted = self._connection.execute(
            schema.users.insert()
            .values(name=name, password_hash=password_hash, created_at=datetime.now(UTC), disabled=False)
            .returning(schema.users.c.id)
        )
        return int(inserted.scalar_one())

    def find(self, name: str) -> UserAccount | None:
        row = (
            self._connection.execute(sa.select(schema.users).where(schema.users.c.name == name))
            .mappings()
            .first()
        )
        return None if row is None else _user(row)

    def get(self, name: str) -> UserAccount:
        found = self.find(name)
        if found is None:
            raise NotFound(f"no user named {name!r}", hint="`synthesist users list` shows the users.")
        return found

    def set_password(self, user_id: int, password_hash: str) -> None:
        self._connection.execute(
            schema.users.update().where(schema.users.c.id == user_id).values(password_hash=password_hash)
        )

    def set_display_name(self, user_id: int, display_name: str | None) -> None:
        self._connection.execute(
            schema.users.update().where(schema.users.c.id == user_id).values(display_name=display_name)
        )

    def set_email(self, user_id: int, email: str | None) -> None:
        self._connection.execute(
            schema.users.update().where(schema.users.c.id == user_id).values(email=email)
        )

    def set_disabled(self, user_id: int, disabled: bool) -> None:
        self._connection.execute(
            schema.users.update().where(schema.users.c.id == user_id).values(disabled=disabled)
        )

    def list(self) -> builtins.list[UserAccount]:
        rows = self._connection.execute(sa.select(schema.users).order_by(schema.users.c.name)).mappings()
        return [_user(row) for row in rows]

    # memberships of the current project
    def set_member(self, user_id: int, role: str, *, by: str) -> None:
        m = schema.memberships
        where = (m.c.project_id == self._project_id) & (m.c.user_id == user_id)
        if self._connection.execute(sa.select(m.c.role).where(where)).first() is None:
            self._connection.execute(
                m.insert().values(
                    project_id=self._project_id,
                    user_id=user_id,
                    role=role,
                    added_by=by,
                    added_at=datetime.now(UTC),
                )
            )
        else:
            self._connection.execute(m.update().where(where).values(role=role))

    def remove_member(self, user_id: int) -> bool:
        m = schema.memberships
        deleted = self._connection.execute(
            m.delete().where((m.c.project_id == self._project_id) & (m.c.user_id == user_id))
        )
        return bool(deleted.rowcount)

    def members(self) -> builtins.list[Membership]:
        m, u, p = schema.memberships, schema.users, schema.projects
        query = (
            sa.select(u.c.name, m.c.role, p.c.key)
            .join(u, u.c.id == m.c.user_id)
            .join(p, p.c.id == m.c.project_id)
            .where(m.c.project_id == self._project_id)
            .order_by(u.c.name)
        )
        return [Membership(row.key, row.name, row.role) for row in self._connection.execute(query)]

    def member(self, name: str) -> tuple[str, UserAccount] | None:
        m, u = schema.memberships, schema.users
        query = (
            sa.select(u, m.c.role)
            .join(m, m.c.user_id == u.c.id)
            .where(m.c.project_id == self._project_id, u.c.name == name)
        )
        row = self._connection.execute(query).mappings().first()
        return None if row is None else (str(row["role"]), _user(row))

    def memberships_of(self, user_id: int) -> builtins.list[Membership]:
        """Every project of the database this user is a member of (the web app's project list)."""
        m, u, p = schema.memberships, schema.users, schema.projects
        query = (
            sa.select(u.c.name, m.c.role, p.c.key)
            .join(u, u.c.id == m.c.user_id)
            .join(p, p.c.id == m.c.project_id)
            .where(m.c.user_id == user_id)
            .order_by(p.c.key)
        )
        return [Membership(row.key, row.name, row.role) for row in self._connection.execute(query)]

    # sessions
    def add_session(self, token_sha256: str, user_id: int, csrf_token: str, expires_at: datetime) -> None:
        self._connection.execute(
            schema.web_sessions.insert().values(
                token_sha256=token_sha256,
                user_id=user_id,
                csrf_token=csrf_token,
                created_at=datetime.now(UTC),
                expires_at=expires_at,
            )
        )

    def session(self, token_sha256: str) -> WebSession | None:
        s, u = schema.web_sessions, schema.users
        row = self._connection.execute(
            sa.select(s.c.csrf_token, s.c.expires_at, u.c.id, u.c.name, u.c.disabled)
            .join(u, u.c.id == s.c.user_id)
            .where(s.c.token_sha256 == token_sha256)
        ).first()
        if row is None:
            return None
        return WebSession(row.id, row.name, row.csrf_token, _aware(row.expires_at), bool(row.disabled))

    def session_member(self, token_sha256: str) -> tuple[WebSession, str | None, UserAccount] | None:
        s, u, m = schema.web_sessions, schema.users, schema.memberships
        row = (
            self._connection.execute(
                sa.select(s.c.csrf_token, s.c.expires_at, u, m.c.role)
                .join(u, u.c.id == s.c.user_id)
                .outerjoin(m, (m.c.user_id == u.c.id) & (m.c.project_id == self._project_id))
                .where(s.c.token_sha256 == token_sha256)
            )
            .mappings()
            .first()
        )
        if row is None:
            return None
        account = _user(row)
        session = WebSession(
            account.id, account.name, row["csrf_token"], _aware(row["expires_at"]), account.disabled
        )
        return session, row["role"], account

    def delete_session(self, token_sha256: str) -> None:
        s = schema.web_sessions
        self._connection.execute(s.delete().where(s.c.token_sha256 == token_sha256))

    def delete_expired_sessions(self, now: datetime) -> None:
        s = schema.web_sessions
        self._connection.execute(s.delete().where(s.c.expires_at <= now))

    def delete_sessions_of(self, user_id: int) -> None:
        s = schema.web_sessions
        self._connection.execute(s.delete().where(s.c.user_id == user_id))

    # login limits
    def take_login_attempt(
        self,
        address: str,
        name: str,
        *,
        per_address: int,
        per_account: int,
        window: timedelta,
        now: datetime,
    ) -> Literal["address", "account"] | None:
        """Count one attempt against the address's counter and the (name, address) counter, unless
        either is at its limit within the window: ``None`` if the attempt may go ahead, else the
        scope that refused it (and nothing is counted; the caller rolls back).

        Each counter is one row changed by one conditional UPDATE, so simultaneous attempts cannot
        all pass a check made before any of them is counted: PostgreSQL locks the row and re-checks
        the condition on the committed row; SQLite holds its write lock. The address row is always
        taken first, so two attempts never wait for each other's rows in opposite orders (no
        deadlock on PostgreSQL).
        """
        limit = schema.login_limits
        since = now - window
        for scope, counted_name, allowed in (
            ("address", "", per_address),
            ("account", name, per_account),
        ):
            key = {"scope": scope, "address": address, "name": counted_name}
            self._connection.execute(
                dialect_insert(self._connection, limit)
                .values(**key, attempts=0, window_started_at=now)
                .on_conflict_do_nothing()
            )
            expired = limit.c.window_started_at < since
            taken = self._connection.execute(
                limit.update()
                .where(
                    limit.c.scope == scope,
                    limit.c.address == address,
                    limit.c.name == counted_name,
                    expired | (limit.c.attempts < allowed),
                )
                .values(
                    attempts=sa.case((expired, 1), else_=limit.c.attempts + 1),
                    window_started_at=sa.case((expired, now), else_=limit.c.window_started_at),
                )
            )
            if taken.rowcount != 1:
                return "address" if scope == "address" else "account"
        # Counters whose window has passed count for nothing: drop them so the table stays small.
        # Last, and skipping rows other attempts hold (PostgreSQL), so this never waits for a lock
        # while holding one: simultaneous attempts cannot deadlock over each other's old rows.
        primary_key = sa.tuple_(limit.c.scope, limit.c.address, limit.c.name)
        stale = (
            sa.select(limit.c.scope, limit.c.address, limit.c.name)
            .where(limit.c.window_started_at < since)
            .with_for_update(skip_locked=True)
        )
        self._connection.execute(limit.delete().where(primary_key.in_(stale)))
        return None

    def settle_successful_login(self, address: str, name: str) -> None:
        """A right password: the name's counter starts again, and the address gets its attempt back
        (so colleagues behind one address are not refused for each other's logins, and logging in
        to one's own account does not reset what the address has spent on other names)."""
        limit = schema.login_limits
        self._connection.execute(
            limit.delete().where(limit.c.scope == "account", limit.c.address == address, limit.c.name == name)
        )
        self._connection.execute(
            limit.update()
            .where(
                limit.c.scope == "address",
                limit.c.address == address,
                limit.c.name == "",
                limit.c.attempts > 0,
            )
            .values(attempts=limit.c.attempts - 1)
        )


def _user(row: sa.RowMapping) -> UserAccount:
    return UserAccount(
        id=row["id"],
        name=row["name"],
        password_hash=row["password_hash"],
        created_at=_aware(row["created_at"]),
        disabled=bool(row["disabled"]),
        display_name=row["display_name"],
        email=row["email"],
        site_admin=bool(row["site_admin"]),
    )
