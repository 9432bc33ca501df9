"""Queries on the audit log: who did what to which submission, when and why."""

from __future__ import annotations

from datetime import datetime

from inquiry.core.models import AuditEntry

from ._base import Repo, from_db_time, to_db_time


def _entry(row) -> AuditEntry:
    data = dict(row)
    data["at"] = from_db_time(data["at"])
    return AuditEntry(**data)


class AuditRepo(Repo):
    async def record(
        self,
        *,
        inquiry_id: int | None,
        submission_id: int | None,
        actor_id: int | None,
        action: str,
        at: datetime,
        detail: str = "",
        reason: str | None = None,
    ) -> int:
        return await self._run(
            "INSERT INTO audit_log (inquiry_id, submission_id, actor_id, action, detail, reason, at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (inquiry_id, submission_id, actor_id, action, detail, reason, to_db_time(at)),
        )

    async def for_submission(self, submission_id: int) -> list[AuditEntry]:
        rows = await self._all("SELECT * FROM audit_log WHERE submission_id = ? ORDER BY id", (submission_id,))
        return [_entry(r) for r in rows]

    async def for_inquiry(self, inquiry_id: int, limit: int = 50) -> list[AuditEntry]:
        rows = await self._all(
            "SELECT * FROM audit_log WHERE inquiry_id = ? ORDER BY id DESC LIMIT ?", (inquiry_id, limit)
        )
        return [_entry(r) for r in rows]

    async def forget_actor(self, actor_id: int, submission_ids: list[int]) -> None:
        """Remove a witness's user id from the entries about their own submissions."""
        for submission_id in submission_ids:
            await self._run(
                "UPDATE audit_log SET actor_id = NULL WHERE actor_id = ? AND submission_id = ?",
                (actor_id, submission_id),
            )
