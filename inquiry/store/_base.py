"""Helpers shared by the repositories: time stamps and row access."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from ._db import Database, Record


def to_db_time(when: datetime | None) -> str | None:
    """Store instants as ISO 8601 in UTC."""
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="microseconds")


def from_db_time(text: str | None) -> datetime | None:
    """Read an instant written by :func:`to_db_time`."""
    if text is None:
        return None
    return datetime.fromisoformat(text)


Params = Sequence[Any] | Mapping[str, Any]


class Repo:
    """A group of queries on one subject, sharing the store's database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @property
    def postgres(self) -> bool:
        return self.db.postgres

    async def _one(self, sql: str, params: Params = ()) -> Record | None:
        rows = (await self.db.execute(sql, params)).rows
        return rows[0] if rows else None

    async def _all(self, sql: str, params: Params = ()) -> list[Record]:
        return (await self.db.execute(sql, params)).rows

    async def _run(self, sql: str, params: Params = ()) -> int:
        """Execute a write; return the new row's id (for inserts) or the row count."""
        result = await self.db.execute(sql, params)
        if sql.lstrip().upper().startswith("INSERT"):
            return result.lastrowid or 0
        return result.rowcount

    async def _changed(self, sql: str, params: Params = ()) -> bool:
        """Execute a conditional update; True when it changed a row (its condition held)."""
        return (await self.db.execute(sql, params)).rowcount > 0
