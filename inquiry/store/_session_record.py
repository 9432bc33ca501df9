"""Queries on what is recorded in oral evidence sessions: answers (typed or spoken) and formal minutes items."""

from __future__ import annotations

from datetime import datetime

from inquiry.sessions.models import CorrectionStatus, MinuteItem, MinuteKind, SessionAnswer

from ._base import from_db_time, to_db_time
from ._session_changes import SessionChangeQueries


def _answer(row) -> SessionAnswer:
    data = dict(row)
    data.update(
        spoken=bool(data["spoken"]),
        correction_status=CorrectionStatus(data["correction_status"]),
        created_at=from_db_time(data["created_at"]),
    )
    return SessionAnswer(**data)


def _minute(row) -> MinuteItem:
    data = dict(row)
    data.update(kind=MinuteKind(data["kind"]))
    for key in ("created_at", "edited_at", "removed_at"):
        data[key] = from_db_time(data[key])
    return MinuteItem(**data)


class SessionRecordQueries(SessionChangeQueries):
    """Answers and minutes items; :class:`SessionRepo` adds the sessions, panels, members and questions."""

    # Answers ----------------------------------------------------------------------------------

    async def add_answer(
        self,
        *,
        session_id: int,
        question_id: int,
        witness_id: int | None,
        user_id: int | None,
        speaker_name: str,
        message_id: int | None,
        text: str | None,
        now: datetime,
        spoken: bool = False,
        attachment_name: str | None = None,
        attachment_url: str | None = None,
    ) -> int | None:
        """Record what was said; the same Discord message is recorded once (returns None the second time)."""
        row = await self._one(
            "INSERT INTO session_answers (session_id, question_id, witness_id, user_id, speaker_name, message_id,"
            " spoken, attachment_name, attachment_url, uncorrected_text, correction_status, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING RETURNING id",
            (
                session_id,
                question_id,
                witness_id,
                user_id,
                speaker_name,
                message_id,
                int(spoken),
                attachment_name,
                attachment_url,
                text,
                (CorrectionStatus.AWAITING_TRANSCRIPT if spoken else CorrectionStatus.NONE).value,
                to_db_time(now),
            ),
        )
        return int(row[0]) if row else None

    async def answer(self, answer_id: int) -> SessionAnswer | None:
        row = await self._one("SELECT * FROM session_answers WHERE id = ?", (answer_id,))
        return _answer(row) if row else None

    async def answer_for_media_item(self, media_item_id: int) -> SessionAnswer | None:
        row = await self._one("SELECT * FROM session_answers WHERE media_item_id = ?", (media_item_id,))
        return _answer(row) if row else None

    async def answers(self, session_id: int) -> list[SessionAnswer]:
        rows = await self._all("SELECT * FROM session_answers WHERE session_id = ? ORDER BY id", (session_id,))
        return [_answer(r) for r in rows]

    async def link_media(self, answer_id: int, media_item_id: int) -> None:
        await self._run("UPDATE session_answers SET media_item_id = ? WHERE id = ?", (media_item_id, answer_id))

    async def set_transcript(self, answer_id: int, text: str) -> None:
        """Keep a spoken answer's (newest) transcript as its uncorrected text. A correction approved or proposed
        stays as it is: a transcription made again never replaces the witness's corrected text."""
        await self._run(
            "UPDATE session_answers SET uncorrected_text = ?, correction_status = CASE correction_status"
            " WHEN 'awaiting_transcript' THEN 'none' ELSE correction_status END WHERE id = ?",
            (text, answer_id),
        )

    # Minutes ----------------------------------------------------------------------------------

    async def add_minute(
        self,
        *,
        session_id: int,
        kind: MinuteKind,
        text: str,
        owner: str | None,
        due: str | None,
        actor_id: int,
        now: datetime,
    ) -> int:
        row = await self._one(
            "INSERT INTO minute_items (session_id, number, kind, text, owner, due, actor_id, created_at)"
            " SELECT CAST(? AS BIGINT), coalesce(max(number), 0) + 1, CAST(? AS TEXT), CAST(? AS TEXT),"
            " CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS TEXT) FROM minute_items"
            " WHERE session_id = ?"
            " RETURNING id",
            (session_id, kind.value, text, owner, due, actor_id, to_db_time(now), session_id),
        )
        return int(row[0])

    async def minutes(self, session_id: int, *, removed: bool = False) -> list[MinuteItem]:
        """The session's minutes items by number; removed items only when asked."""
        rows = await self._all(
            "SELECT * FROM minute_items WHERE session_id = ?"
            + ("" if removed else " AND removed_at IS NULL")
            + " ORDER BY number",
            (session_id,),
        )
        return [_minute(r) for r in rows]

    async def minute_by_number(self, session_id: int, number: int) -> MinuteItem | None:
        row = await self._one("SELECT * FROM minute_items WHERE session_id = ? AND number = ?", (session_id, number))
        return _minute(row) if row else None

    async def minute(self, item_id: int) -> MinuteItem | None:
        row = await self._one("SELECT * FROM minute_items WHERE id = ?", (item_id,))
        return _minute(row) if row else None
