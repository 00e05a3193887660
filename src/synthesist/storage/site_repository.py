"""A site's registry of reviews, its administrators, and copying accounts into it (``site add``).

The registry is the site database's ``projects`` table: a row with a ``folder`` is a review the
site hosts (the site's own log row, ``__site__``, has none). Works on any database, so that the same
calls read a review's own ``review.db`` when its accounts are copied out of it."""

from __future__ import annotations

import builtins
from collections import defaultdict
from datetime import UTC, datetime

import sqlalchemy as sa

from synthesist.errors import NotFound
from synthesist.review.hosting import AccountCopy, HostedReview, MembershipCopy
from synthesist.storage import schema

__all__ = ["SqlSiteRepository"]


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class SqlSiteRepository:
    def __init__(self, connection: sa.Connection, project_id: int) -> None:
        self._connection = connection
        self._project_id = project_id

    # the registry
    def reviews(self) -> builtins.list[HostedReview]:
        p, m, u = schema.projects, schema.memberships, schema.users
        rows = self._connection.execute(
            sa.select(p.c.id, p.c.key, p.c.title, p.c.folder, p.c.created_at)
            .where(p.c.folder.is_not(None))
            .order_by(p.c.created_at, p.c.id)
        ).all()
        counted: dict[int, int] = defaultdict(int)
        owners: dict[int, list[str]] = defaultdict(list)
        for member in self._connection.execute(
            sa.select(m.c.project_id, m.c.role, u.c.name).join(u, u.c.id == m.c.user_id).order_by(u.c.name)
        ):
            counted[member.project_id] += 1
            if member.role == "owner":
                owners[member.project_id].append(member.name)
        return [
            HostedReview(
                key=row.key,
                title=row.title,
                folder=row.folder,
                created_at=_aware(row.created_at),
                members=counted[row.id],
                owners=tuple(owners[row.id]),
            )
            for row in rows
        ]

    def review(self, key: str) -> HostedReview | None:
        return next((review for review in self.reviews() if review.key == key), None)

    def review_folder(self, key: str) -> str | None:
        """One indexed lookup (the web app asks it for a review it has not opened yet)."""
        p = schema.projects
        found = self._connection.execute(
            sa.select(p.c.folder).where(p.c.key == key, p.c.folder.is_not(None))
        ).first()
        return None if found is None else str(found.folder)

    def set_title(self, title: str) -> bool:
        """Write the current review's title into its registry row (the home page and the
        administrators' list read it there); returns whether it differed."""
        p = schema.projects
        changed = self._connection.execute(
            p.update().where(p.c.id == self._project_id, p.c.title != title).values(title=title)
        )
        return bool(changed.rowcount)

    # administrators
    def is_admin(self, name: str) -> bool:
        u = schema.users
        found = self._connection.execute(
            sa.select(u.c.site_admin).where(u.c.name == name, u.c.disabled.is_(False))
        ).first()
        return bool(found is not None and found.site_admin)

    def set_admin(self, name: str, admin: bool) -> None:
        u = schema.users
        changed = self._connection.execute(u.update().where(u.c.name == name).values(site_admin=admin))
        if changed.rowcount != 1:
            raise NotFound(f"no user named {name!r}", hint="`synthesist users list` shows the users.")

    def admins(self) -> builtins.list[str]:
        u = schema.users
        query = sa.select(u.c.name).where(u.c.site_admin.is_(True)).order_by(u.c.name)
        return [str(name) for name in self._connection.execute(query).scalars()]

    # accounts, copied from a review's own database into the site's
    def accounts(self) -> builtins.list[AccountCopy]:
        u = schema.users
        rows = self._connection.execute(sa.select(u).order_by(u.c.name)).mappings()
        return [
            AccountCopy(
                name=row["name"],
                password_hash=row["password_hash"],
                display_name=row["display_name"],
                email=row["email"],
                disabled=bool(row["disabled"]),
                created_at=_aware(row["created_at"]),
            )
            for row in rows
        ]

    def memberships(self) -> builtins.list[MembershipCopy]:
        """The current project's memberships, with who added each."""
        m, u = schema.memberships, schema.users
        query = (
            sa.select(u.c.name, m.c.role, m.c.added_by)
            .join(u, u.c.id == m.c.user_id)
            .where(m.c.project_id == self._project_id)
            .order_by(u.c.name)
        )
        return [MembershipCopy(row.name, row.role, row.added_by) for row in self._connection.execute(query)]

    def copy_account(self, account: AccountCopy) -> int:
        inserted = self._connection.execute(
            schema.users.insert()
            .values(
                name=account.name,
                password_hash=account.password_hash,
                display_name=account.display_name,
                email=account.email,
                disabled=account.disabled,
                created_at=account.created_at,
            )
            .returning(schema.users.c.id)
        )
        return int(inserted.scalar_one())
