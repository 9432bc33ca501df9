"""Queries on the outbox: side effects on Discord waiting to be sent, their attempts and their outcome."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from inquiry.outbox.models import OutboxKind, OutboxRow, OutboxState

from ._base import Repo, from_db_time, to_db_time

AT_ONCE = datetime.min.replace(tzinfo=UTC)  # due before any clock reading


def _row(row) -> OutboxRow:
    return OutboxRow(
        id=row["id"],
        kind=OutboxKind(row["kind"]),
        key=row["key"],
        subject=row["subject"],
        state=OutboxState(row["state"]),
        attempts=row["attempts"],
        next_attempt_at=from_db_time(row["next_attempt_at"]),
        created_at=from_db_time(row["created_at"]),
        last_error=row["last_error"],
        done_at=from_db_time(row["done_at"]),
        payload=json.loads(row["payload"]),
        progress=json.loads(row["progress"]),
    )


class OutboxRepo(Repo):
    async def add(
        self, kind: OutboxKind, key: str, subject: str, payload: dict[str, Any], now: datetime, due: datetime | None
    ) -> int | None:
        """A new row, due at ``due`` (None: at once, whatever the clock says); None when a row with this key exists
        already (the effect is owed once)."""
        row = await self._one(
            "INSERT INTO outbox (kind, key, subject, payload, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (key) DO NOTHING RETURNING id",
            (
                kind.value,
                key,
                subject,
                json.dumps(payload, sort_keys=True),
                to_db_time(due or AT_ONCE),
                to_db_time(now),
            ),
        )
        return int(row[0]) if row else None

    async def get(self, row_id: int) -> OutboxRow | None:
        row = await self._one("SELECT * FROM outbox WHERE id = ?", (row_id,))
        return _row(row) if row else None

    async def by_key(self, key: str) -> OutboxRow | None:
        row = await self._one("SELECT * FROM outbox WHERE key = ?", (key,))
        return _row(row) if row else None

    async def due(self, now: datetime, limit: int = 20) -> list[OutboxRow]:
        """Pending rows whose time has come, oldest first, each only when no older row of its subject is pending."""
        rows = await self._all(
            "SELECT * FROM outbox o WHERE o.state = 'pending' AND o.next_attempt_at <= ?"
            " AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.subject = o.subject AND p.id < o.id"
            " AND p.state = 'pending') ORDER BY o.id LIMIT ?",
            (to_db_time(now), limit),
        )
        return [_row(r) for r in rows]

    async def next_due(self) -> datetime | None:
        """When the earliest pending row that is first of its subject falls due."""
        row = await self._one(
            "SELECT min(o.next_attempt_at) FROM outbox o WHERE o.state = 'pending'"
            " AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.subject = o.subject AND p.id < o.id"
            " AND p.state = 'pending')"
        )
        return from_db_time(row[0]) if row and row[0] else None

    async def claim(self, row_id: int, lease_until: datetime, *, due_by: datetime | None) -> bool:
        """Take a pending row for one attempt (only when due by ``due_by``, unless None); it is not due again
        before ``lease_until``."""
        return await self._changed(
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?"
            " WHERE id = ? AND state = 'pending' AND (CAST(? AS TEXT) IS NULL OR next_attempt_at <= ?)",
            (to_db_time(lease_until), row_id, to_db_time(due_by), to_db_time(due_by)),
        )

    async def latest(self, subject: str, kind: OutboxKind) -> OutboxRow | None:
        row = await self._one(
            "SELECT * FROM outbox WHERE subject = ? AND kind = ? ORDER BY id DESC LIMIT 1", (subject, kind.value)
        )
        return _row(row) if row else None

    async def save_progress(self, row_id: int, progress: dict[str, Any]) -> bool:
        return await self._changed(
            "UPDATE outbox SET progress = ? WHERE id = ? AND state = 'pending'",
            (json.dumps(progress, sort_keys=True), row_id),
        )

    async def mark_sent(self, row_id: int, note: str | None, now: datetime) -> bool:
        return await self._changed(
            "UPDATE outbox SET state = 'sent', last_error = ?, done_at = ? WHERE id = ? AND state = 'pending'",
            (note, to_db_time(now), row_id),
        )

    async def mark_retry(self, row_id: int, error: str, next_attempt_at: datetime) -> bool:
        return await self._changed(
            "UPDATE outbox SET last_error = ?, next_attempt_at = ? WHERE id = ? AND state = 'pending'",
            (error, to_db_time(next_attempt_at), row_id),
        )

    async def mark_failed(self, row_id: int, error: str, now: datetime) -> bool:
        return await self._changed(
            "UPDATE outbox SET state = 'failed', last_error = ?, done_at = ? WHERE id = ? AND state = 'pending'",
            (error, to_db_time(now), row_id),
        )

    async def of_subject(self, subject: str) -> list[OutboxRow]:
        rows = await self._all("SELECT * FROM outbox WHERE subject = ? ORDER BY id", (subject,))
        return [_row(r) for r in rows]

    async def in_state(self, state: OutboxState, limit: int = 100) -> list[OutboxRow]:
        rows = await self._all("SELECT * FROM outbox WHERE state = ? ORDER BY id LIMIT ?", (state.value, limit))
        return [_row(r) for r in rows]

    async def count_by_state(self) -> dict[str, int]:
        rows = await self._all("SELECT state, count(*) AS n FROM outbox GROUP BY state")
        return {r["state"]: r["n"] for r in rows}
