"""Queries on upload grants: the private links through which people send files too large for Discord."""

from __future__ import annotations

from datetime import datetime

from web.grants import Grant, GrantStatus, TargetKind

from ._base import Repo, from_db_time, to_db_time


def _grant(row) -> Grant:
    return Grant(
        id=row["id"],
        user_id=row["user_id"],
        target_kind=TargetKind(row["target_kind"]),
        target_id=row["target_id"],
        description=row["description"],
        created_at=from_db_time(row["created_at"]),
        expires_at=from_db_time(row["expires_at"]),
        status=GrantStatus(row["status"]),
        guild_id=row["guild_id"],
        question_id=row["question_id"],
        created_by=row["created_by"],
        message=row["message"],
        filename=row["filename"],
        size_bytes=row["size_bytes"],
        received_at=from_db_time(row["received_at"]),
        finished_at=from_db_time(row["finished_at"]),
    )


class UploadGrantRepo(Repo):
    async def add(self, grant: Grant) -> None:
        await self._run(
            "INSERT INTO upload_grants (id, guild_id, user_id, target_kind, target_id, question_id, description,"
            " created_by, status, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                grant.id,
                grant.guild_id,
                grant.user_id,
                grant.target_kind.value,
                grant.target_id,
                grant.question_id,
                grant.description,
                grant.created_by,
                grant.status.value,
                to_db_time(grant.created_at),
                to_db_time(grant.expires_at),
            ),
        )

    async def get(self, grant_id: str) -> Grant | None:
        row = await self._one("SELECT * FROM upload_grants WHERE id = ?", (grant_id,))
        return _grant(row) if row else None

    async def consume(self, grant_id: str, *, filename: str, size_bytes: int, now: datetime) -> bool:
        """Open and unexpired -> received; False when the grant was used, refused or expired already."""
        return await self._changed(
            "UPDATE upload_grants SET status = 'received', filename = ?, size_bytes = ?, received_at = ?"
            " WHERE id = ? AND status = 'open' AND expires_at > ?",
            (filename, size_bytes, to_db_time(now), grant_id, to_db_time(now)),
        )

    async def finish(self, grant_id: str, *, status: GrantStatus, message: str, now: datetime) -> bool:
        """Received -> complete or refused, with the bot's answer."""
        return await self._changed(
            "UPDATE upload_grants SET status = ?, message = ?, finished_at = ? WHERE id = ? AND status = 'received'",
            (status.value, message, to_db_time(now), grant_id),
        )

    async def of_user(self, user_id: int) -> list[Grant]:
        rows = await self._all("SELECT * FROM upload_grants WHERE user_id = ? ORDER BY created_at", (user_id,))
        return [_grant(r) for r in rows]

    async def forget_user(self, user_id: int) -> int:
        """Delete a person's grants (their erasure): the links stop working."""
        return await self._run("DELETE FROM upload_grants WHERE user_id = ?", (user_id,))
