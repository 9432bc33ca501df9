"""Queries on changes to sessions after they were scheduled: moving and cancelling them, panels changed, witnesses'
attendance, declarations of interest, and formal minutes corrected, removed and agreed.

Every state change is a conditional update: it returns True only when its condition held (the session was still
scheduled, the item was not removed yet ...), so two people acting at once cannot both succeed.
"""

from __future__ import annotations

from datetime import date, datetime

from inquiry.sessions.models import Declaration, MinuteKind, WitnessAttendance

from ._base import from_db_time, to_db_time
from ._session_transcript import SessionTranscriptQueries

_NOT_CANCELLED = "cancelled_at IS NULL"


def _declaration(row) -> Declaration:
    data = dict(row)
    for key in ("created_at", "updated_at", "withdrawn_at"):
        data[key] = from_db_time(data[key])
    return Declaration(**data)


class SessionChangeQueries(SessionTranscriptQueries):
    """Changes to sessions; :class:`SessionRepo` holds the sessions themselves."""

    # Moving and cancelling ----------------------------------------------------------------------

    async def move(self, session_id: int, starts_at: datetime, ends_at: datetime) -> bool:
        """Move a session that is still scheduled."""
        return await self._changed(
            "UPDATE sessions SET starts_at = ?, ends_at = ?"
            f" WHERE id = ? AND status = 'scheduled' AND {_NOT_CANCELLED}",
            (to_db_time(starts_at), to_db_time(ends_at), session_id),
        )

    async def cancel(self, session_id: int, actor_id: int, reason: str, now: datetime) -> bool:
        """Cancel a session that is still scheduled; it is kept, with who cancelled it and why."""
        return await self._changed(
            "UPDATE sessions SET cancelled_at = ?, cancelled_by = ?, cancel_reason = ?"
            f" WHERE id = ? AND status = 'scheduled' AND {_NOT_CANCELLED}",
            (to_db_time(now), actor_id, reason, session_id),
        )

    async def replan_reminders(self, session_id: int, plan: list[tuple[int, datetime]]) -> None:
        """Replace a session's reminders (and the record of who was told) by ``(minutes_before, due_at)``."""
        await self._run("DELETE FROM session_reminders WHERE session_id = ?", (session_id,))
        for minutes_before, due_at in plan:
            await self._run(
                "INSERT INTO session_reminders (session_id, minutes_before, due_at) VALUES (?, ?, ?)",
                (session_id, minutes_before, to_db_time(due_at)),
            )

    async def retire_reminders(self, session_id: int, now: datetime, outcome: str) -> int:
        """Mark every unsent reminder of a session as done, never to be sent."""
        return await self._run(
            "UPDATE session_reminders SET sent_at = ?, outcome = ? WHERE session_id = ? AND sent_at IS NULL",
            (to_db_time(now), outcome, session_id),
        )

    # Panels -------------------------------------------------------------------------------------

    async def witness_in_record(self, witness_id: int) -> bool:
        """Whether anything in the record points at this witness (answers, recording tracks or passages)."""
        row = await self._one(
            "SELECT EXISTS (SELECT 1 FROM session_answers WHERE witness_id = :w)"
            " OR EXISTS (SELECT 1 FROM session_recording_tracks WHERE witness_id = :w)"
            " OR EXISTS (SELECT 1 FROM session_transcript_segments WHERE witness_id = :w)",
            {"w": witness_id},
        )
        return bool(row[0])

    async def remove_witness(self, session_id: int, witness_id: int) -> bool:
        return await self._changed(
            "DELETE FROM session_witnesses WHERE id = ? AND session_id = ?", (witness_id, session_id)
        )

    async def move_witness(self, session_id: int, witness_id: int, from_panel: int, to_panel: int) -> bool:
        """Put a witness last on another panel (provided they are still on ``from_panel``)."""
        return await self._changed(
            "UPDATE session_witnesses SET panel = :to, position = (SELECT coalesce(max(position), 0) + 1"
            " FROM session_witnesses WHERE session_id = :s AND panel = :to) WHERE id = :w AND session_id = :s"
            " AND panel = :from",
            {"to": to_panel, "s": session_id, "w": witness_id, "from": from_panel},
        )

    async def describe_witness(
        self, session_id: int, witness_id: int, name: str, role: str, organisation: str, old_name: str
    ) -> bool:
        """Correct a witness's name, role or organisation; what the record attributes to them under their old
        name takes the new one."""
        changed = await self._changed(
            "UPDATE session_witnesses SET name = ?, role = ?, organisation = ? WHERE id = ? AND session_id = ?",
            (name, role, organisation, witness_id, session_id),
        )
        if changed and name != old_name:
            for table in ("session_answers", "session_transcript_segments", "session_recording_tracks"):
                await self._run(
                    f"UPDATE {table} SET speaker_name = ? WHERE witness_id = ? AND speaker_name = ?",
                    (name, witness_id, old_name),
                )
        return changed

    async def set_witness_attendance(
        self, session_id: int, witness_id: int, attendance: WitnessAttendance | None
    ) -> bool:
        return await self._changed(
            "UPDATE session_witnesses SET attendance = ? WHERE id = ? AND session_id = ?",
            (attendance.value if attendance else None, witness_id, session_id),
        )

    async def witnesses_heard(self, session_id: int) -> set[int]:
        """The witnesses whose words are in the record: an answer in the thread (typed or spoken), or their voice
        on one of the session's recordings (their track, or passages attributed to them or to their name)."""
        rows = await self._all(
            "SELECT witness_id FROM session_answers WHERE session_id = :s AND witness_id IS NOT NULL"
            " UNION SELECT w.id FROM session_witnesses w JOIN session_transcript_segments t"
            " ON t.session_id = w.session_id AND (t.witness_id = w.id OR (w.user_id IS NOT NULL"
            " AND t.user_id = w.user_id) OR lower(trim(t.speaker_name)) = lower(trim(w.name)))"
            " WHERE w.session_id = :s",
            {"s": session_id},
        )
        return {row[0] for row in rows}

    # Declarations of interest ---------------------------------------------------------------------

    async def declare(
        self, session_id: int, user_id: int, name: str, interest: str, recorded_by: int, now: datetime
    ) -> int:
        """Record a member's declaration; declaring again replaces the text (and undoes a withdrawal)."""
        row = await self._one(
            "INSERT INTO session_declarations (session_id, user_id, name, interest, recorded_by, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (session_id, user_id) DO UPDATE SET name = excluded.name,"
            " interest = excluded.interest, recorded_by = excluded.recorded_by, updated_at = excluded.created_at,"
            " withdrawn_at = NULL, withdrawn_by = NULL RETURNING id",
            (session_id, user_id, name, interest, recorded_by, to_db_time(now)),
        )
        return int(row[0])

    async def withdraw_declaration(self, session_id: int, user_id: int, actor_id: int, now: datetime) -> bool:
        return await self._changed(
            "UPDATE session_declarations SET withdrawn_at = ?, withdrawn_by = ?"
            " WHERE session_id = ? AND user_id = ? AND withdrawn_at IS NULL",
            (to_db_time(now), actor_id, session_id, user_id),
        )

    async def declarations(self, session_id: int, *, withdrawn: bool = False) -> list[Declaration]:
        """The session's declarations in the order they were first made (withdrawn ones only when asked)."""
        rows = await self._all(
            "SELECT * FROM session_declarations WHERE session_id = ?"
            + ("" if withdrawn else " AND withdrawn_at IS NULL")
            + " ORDER BY id",
            (session_id,),
        )
        return [_declaration(r) for r in rows]

    async def declaration(self, session_id: int, user_id: int) -> Declaration | None:
        row = await self._one(
            "SELECT * FROM session_declarations WHERE session_id = ? AND user_id = ?", (session_id, user_id)
        )
        return _declaration(row) if row else None

    # Minutes ------------------------------------------------------------------------------------

    async def edit_minute(
        self,
        item_id: int,
        *,
        kind: MinuteKind,
        text: str,
        owner: str | None,
        due: str | None,
        actor_id: int,
        now: datetime,
    ) -> bool:
        """Correct an item that has not been removed."""
        return await self._changed(
            "UPDATE minute_items SET kind = ?, text = ?, owner = ?, due = ?, edited_by = ?, edited_at = ?"
            " WHERE id = ? AND removed_at IS NULL",
            (kind.value, text, owner, due, actor_id, to_db_time(now), item_id),
        )

    async def remove_minute(self, item_id: int, actor_id: int, reason: str, now: datetime) -> bool:
        """Mark an item removed: its row and number are kept, with who removed it and why."""
        return await self._changed(
            "UPDATE minute_items SET removed_at = ?, removed_by = ?, removed_reason = ?"
            " WHERE id = ? AND removed_at IS NULL",
            (to_db_time(now), actor_id, reason, item_id),
        )

    async def agree_minutes(self, session_id: int, agreed_on: date, actor_id: int, now: datetime) -> bool:
        """Record that the committee agreed the minutes of a closed session (still a draft until now)."""
        return await self._changed(
            "UPDATE sessions SET minutes_agreed_on = ?, minutes_agreed_by = ?, minutes_agreed_at = ?"
            f" WHERE id = ? AND status = 'closed' AND minutes_agreed_on IS NULL AND {_NOT_CANCELLED}",
            (agreed_on.isoformat(), actor_id, to_db_time(now), session_id),
        )

    async def reopen_minutes(self, session_id: int) -> bool:
        """Make agreed minutes a draft again."""
        return await self._changed(
            "UPDATE sessions SET minutes_agreed_on = NULL, minutes_agreed_by = NULL, minutes_agreed_at = NULL"
            " WHERE id = ? AND minutes_agreed_on IS NOT NULL",
            (session_id,),
        )
