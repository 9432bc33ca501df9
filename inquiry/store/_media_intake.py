"""Queries on the files people sent that were taken in for checking: what their limits are counted on."""

from __future__ import annotations

from datetime import datetime

from ._base import Repo, from_db_time, to_db_time


class MediaIntakeRepo(Repo):
    """One row per file taken in for checking (accepted or refused), kept for two days."""

    async def sent_since(self, user_id: int, since: datetime) -> list[tuple[datetime, int]]:
        """(when, bytes) of every file this person sent since ``since``, oldest first."""
        rows = await self._all(
            "SELECT created_at, size_bytes FROM media_intake WHERE user_id = ? AND created_at >= ?"
            " ORDER BY created_at, id",
            (user_id, to_db_time(since)),
        )
        return [(from_db_time(r[0]), int(r[1])) for r in rows]

    async def add(self, *, user_id: int, size: int, now: datetime) -> int:
        """Count a file taken in for checking (inside the transaction that checked the limits)."""
        return await self._run(
            "INSERT INTO media_intake (user_id, size_bytes, created_at) VALUES (?, ?, ?)",
            (user_id, size, to_db_time(now)),
        )

    async def settle(self, intake_id: int, status: str, *, media_id: int | None, reason: str | None) -> bool:
        """Record how the check ended: 'accepted' (with the stored file) or 'refused' (with why)."""
        return await self._changed(
            "UPDATE media_intake SET status = ?, media_id = ?, reason = ? WHERE id = ? AND status = 'checking'",
            (status, media_id, reason, intake_id),
        )

    async def forget_user(self, user_id: int) -> int:
        """Erase a person's record of files sent (at their request)."""
        return await self._run("DELETE FROM media_intake WHERE user_id = ?", (user_id,))

    async def sweep(self, before: datetime) -> int:
        """Delete the rows older than every limit's window."""
        return await self._run("DELETE FROM media_intake WHERE created_at < ?", (to_db_time(before),))
