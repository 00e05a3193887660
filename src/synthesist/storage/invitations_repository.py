"""Invitations and password-reset links: single-use, expiring, only the token's SHA-256 stored.

An invitation to a review carries the current project's id; one to join the site (or a reset link)
carries none. Using a link is one conditional UPDATE (still unused, not revoked, not expired), so two
people opening the same link at once cannot both use it."""

from __future__ import annotations

import builtins
from datetime import UTC, datetime

import sqlalchemy as sa

from synthesist.review.accounts import Invitation, Role
from synthesist.storage import schema

__all__ = ["SqlInvitationRepository"]


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class SqlInvitationRepository:
    def __init__(self, connection: sa.Connection, project_id: int) -> None:
        self._connection = connection
        self._project_id = project_id

    def add(
        self,
        token_sha256: str,
        *,
        for_project: bool,
        role: str | None,
        email: str | None,
        created_by: str,
        expires_at: datetime,
        reset_user_id: int | None = None,
    ) -> int:
        inserted = self._connection.execute(
            schema.invitations.insert()
            .values(
                token_sha256=token_sha256,
                project_id=self._project_id if for_project else None,
                role=role,
                email=email,
                created_by=created_by,
                created_at=datetime.now(UTC),
                expires_at=expires_at,
                reset_user_id=reset_user_id,
            )
            .returning(schema.invitations.c.id)
        )
        return int(inserted.scalar_one())

    def find(self, token_sha256: str) -> Invitation | None:
        rows = self._connection.execute(
            _select().where(schema.invitations.c.token_sha256 == token_sha256)
        ).mappings()
        row = rows.first()
        return None if row is None else _invitation(row)

    def get(self, invitation_id: int) -> Invitation | None:
        row = self._connection.execute(_select().where(schema.invitations.c.id == invitation_id)).mappings()
        found = row.first()
        return None if found is None else _invitation(found)

    def list(self, *, for_project: bool) -> builtins.list[Invitation]:
        """The current project's invitations (``for_project``), or the site's (no project), newest
        first; reset links are never listed with invitations."""
        i = schema.invitations
        where = i.c.project_id == self._project_id if for_project else i.c.project_id.is_(None)
        rows = self._connection.execute(
            _select().where(where, i.c.reset_user_id.is_(None)).order_by(i.c.id.desc())
        ).mappings()
        return [_invitation(row) for row in rows]

    def use(self, invitation_id: int, user_id: int, now: datetime) -> bool:
        """Mark the link used by ``user_id``, only if it is still open; ``False`` when it was not."""
        i = schema.invitations
        changed = self._connection.execute(
            i.update()
            .where(
                i.c.id == invitation_id,
                i.c.used_at.is_(None),
                i.c.revoked_at.is_(None),
                i.c.expires_at > now,
            )
            .values(used_at=now, used_by=user_id)
        )
        return changed.rowcount == 1

    def revoke(self, invitation_id: int, now: datetime) -> bool:
        i = schema.invitations
        changed = self._connection.execute(
            i.update()
            .where(i.c.id == invitation_id, i.c.used_at.is_(None), i.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        return changed.rowcount == 1

    def project_id_of(self, key: str) -> int | None:
        p = schema.projects
        return self._connection.execute(sa.select(p.c.id).where(p.c.key == key)).scalar_one_or_none()


def _select() -> sa.Select[tuple[object, ...]]:
    i, p = schema.invitations, schema.projects
    user_used = schema.users.alias("used")
    user_reset = schema.users.alias("reset")
    return sa.select(
        i,
        p.c.key.label("project_key"),
        p.c.title.label("project_title"),
        user_used.c.name.label("used_by_name"),
        user_reset.c.name.label("reset_name"),
    ).select_from(
        i.outerjoin(p, p.c.id == i.c.project_id)
        .outerjoin(user_used, user_used.c.id == i.c.used_by)
        .outerjoin(user_reset, user_reset.c.id == i.c.reset_user_id)
    )


def _invitation(row: sa.RowMapping) -> Invitation:
    created_at = _aware(row["created_at"])
    expires_at = _aware(row["expires_at"])
    assert created_at is not None and expires_at is not None
    return Invitation(
        id=row["id"],
        project_key=row["project_key"],
        role=Role(row["role"]) if row["role"] else None,
        email=row["email"],
        created_by=row["created_by"],
        created_at=created_at,
        expires_at=expires_at,
        used_at=_aware(row["used_at"]),
        used_by=row["used_by_name"],
        revoked_at=_aware(row["revoked_at"]),
        reset_user=row["reset_name"],
        project_title=row["project_title"],
    )
