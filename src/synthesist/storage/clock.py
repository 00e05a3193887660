"""Timestamps as every repository stores and reads them: aware, in UTC."""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["as_utc", "utc_now"]


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """SQLite gives naive datetimes back; everything we store is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)
