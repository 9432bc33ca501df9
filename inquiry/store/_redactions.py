"""Queries on redactions of any part of the record, and on the automatic redactions the exports have noted."""

from __future__ import annotations

from datetime import datetime

from inquiry.review.redaction_models import RedactionRecord, TargetKind

from ._base import Repo, from_db_time, to_db_time


def _record(row) -> RedactionRecord:
    data = dict(row)
    data.update(
        target_kind=TargetKind(data["target_kind"]),
        created_at=from_db_time(data["created_at"]),
        removed_at=from_db_time(data["removed_at"]),
    )
    return RedactionRecord(**data)


class RedactionRepo(Repo):
    """Redactions by target, listing by submission or session, undoing, and the automatic redactions' ledger."""

    async def add(
        self,
        *,
        target_kind: TargetKind,
        target_id: int,
        submission_id: int | None,
        session_id: int | None,
        question_id: int | None,
        passage: str,
        reason: str,
        actor_id: int,
        now: datetime,
    ) -> int:
        return await self._run(
            "INSERT INTO redactions (target_kind, target_id, submission_id, session_id, question_id, passage, reason,"
            " actor_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                target_kind.value,
                target_id,
                submission_id,
                session_id,
                question_id,
                passage,
                reason,
                actor_id,
                to_db_time(now),
            ),
        )

    async def get(self, redaction_id: int) -> RedactionRecord | None:
        row = await self._one("SELECT * FROM redactions WHERE id = ?", (redaction_id,))
        return _record(row) if row else None

    async def of_submission(self, submission_id: int, *, undone: bool = False) -> list[RedactionRecord]:
        """A submission's redactions, oldest first; with ``undone``, those undone too."""
        rows = await self._all(
            "SELECT * FROM redactions WHERE submission_id = ? AND (? = 1 OR removed_at IS NULL) ORDER BY id",
            (submission_id, int(undone)),
        )
        return [_record(r) for r in rows]

    async def of_session(self, session_id: int, *, undone: bool = False) -> list[RedactionRecord]:
        """A session's redactions, oldest first; with ``undone``, those undone too."""
        rows = await self._all(
            "SELECT * FROM redactions WHERE session_id = ? AND (? = 1 OR removed_at IS NULL) ORDER BY id",
            (session_id, int(undone)),
        )
        return [_record(r) for r in rows]

    async def undo(self, redaction_id: int, actor_id: int, reason: str, now: datetime) -> bool:
        """Undo a redaction, keeping it with who undid it and why; False when it was undone already."""
        return await self._changed(
            "UPDATE redactions SET removed_at = ?, removed_by = ?, removed_reason = ?"
            " WHERE id = ? AND removed_at IS NULL",
            (to_db_time(now), actor_id, reason, redaction_id),
        )

    # Automatic redactions ----------------------------------------------------------------------

    async def note_automatic(
        self,
        key: str,
        *,
        inquiry_id: int,
        submission_id: int | None,
        session_id: int | None,
        kind: str,
        location: str,
        now: datetime,
    ) -> bool:
        """Note an automatic redaction of a passage; False when it was noted before (by an earlier export)."""
        row = await self._one(
            "INSERT INTO automatic_redactions (key, inquiry_id, submission_id, session_id, kind, location, first_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING RETURNING key",
            (key, inquiry_id, submission_id, session_id, kind, location, to_db_time(now)),
        )
        return row is not None
