"""Helpers shared by the repositories: time stamps and row access."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import aiosqlite


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


class Repo:
    """A group of queries on one subject, sharing the store's connection."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def _one(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> aiosqlite.Row | None:
        async with self.conn.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def _all(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[aiosqlite.Row]:
        async with self.conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def _run(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> int:
        """Execute a write; return the last row id (for inserts) or the row count."""
        async with self.conn.execute(sql, params) as cursor:
            return cursor.lastrowid if sql.lstrip().upper().startswith("INSERT") else cursor.rowcount

    async def _changed(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> bool:
        """Execute a conditional update; True when it changed a row (its condition held)."""
        async with self.conn.execute(sql, params) as cursor:
            return cursor.rowcount > 0
