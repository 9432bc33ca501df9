"""Queries on inquiries and their numbered questions."""

from __future__ import annotations

from datetime import datetime

from inquiry.inquiries.models import Inquiry, InquiryStatus, Question

from ._base import Repo, from_db_time, to_db_time


def _inquiry(row, questions: tuple[Question, ...] = ()) -> Inquiry:
    return Inquiry(
        id=row["id"],
        guild_id=row["guild_id"],
        code=row["code"],
        title=row["title"],
        terms_of_reference=row["terms_of_reference"],
        word_limit=row["word_limit"],
        status=InquiryStatus(row["status"]),
        closes_at=from_db_time(row["closes_at"]),
        call_channel_id=row["call_channel_id"],
        call_message_id=row["call_message_id"],
        created_at=from_db_time(row["created_at"]),
        questions=questions,
        committee_reads_confidential=bool(row["committee_confidential"]),
    )


class InquiryRepo(Repo):
    async def create(
        self, *, guild_id: int, code: str, title: str, terms: str, word_limit: int, actor_id: int, now: datetime
    ) -> int:
        return await self._run(
            "INSERT INTO inquiries (guild_id, code, title, terms_of_reference, word_limit, created_by, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (guild_id, code, title, terms, word_limit, actor_id, to_db_time(now)),
        )

    async def get(self, inquiry_id: int) -> Inquiry | None:
        row = await self._one("SELECT * FROM inquiries WHERE id = ?", (inquiry_id,))
        return _inquiry(row, await self.questions(inquiry_id)) if row else None

    async def by_code(self, guild_id: int, code: str) -> Inquiry | None:
        row = await self._one("SELECT * FROM inquiries WHERE guild_id = ? AND lower(code) = lower(?)", (guild_id, code))
        return _inquiry(row, await self.questions(row["id"])) if row else None

    async def by_code_anywhere(self, code: str) -> list[Inquiry]:
        """Inquiries with this code on any server (the command line has no server to go by)."""
        rows = await self._all("SELECT * FROM inquiries WHERE lower(code) = lower(?) ORDER BY id", (code.strip(),))
        return [_inquiry(r, await self.questions(r["id"])) for r in rows]

    async def in_guild(self, guild_id: int) -> list[Inquiry]:
        rows = await self._all("SELECT * FROM inquiries WHERE guild_id = ? ORDER BY id", (guild_id,))
        return [_inquiry(r) for r in rows]

    async def update_settings(self, inquiry_id: int, *, title: str, terms: str, word_limit: int) -> None:
        await self._run(
            "UPDATE inquiries SET title = ?, terms_of_reference = ?, word_limit = ? WHERE id = ?",
            (title, terms, word_limit, inquiry_id),
        )

    async def set_status(self, inquiry_id: int, status: InquiryStatus, closes_at: datetime | None) -> None:
        await self._run(
            "UPDATE inquiries SET status = ?, closes_at = ? WHERE id = ?",
            (status.value, to_db_time(closes_at), inquiry_id),
        )

    async def set_announcement(self, inquiry_id: int, channel_id: int, message_id: int) -> None:
        await self._run(
            "UPDATE inquiries SET call_channel_id = ?, call_message_id = ? WHERE id = ?",
            (channel_id, message_id, inquiry_id),
        )

    async def set_committee_confidential(self, inquiry_id: int, allowed: bool) -> bool:
        """Let the committee read evidence given in confidence, or not; False when that was the setting already."""
        return await self._changed(
            "UPDATE inquiries SET committee_confidential = ? WHERE id = ? AND committee_confidential <> ?",
            (int(allowed), inquiry_id, int(allowed)),
        )

    async def take_reference_number(self, inquiry_id: int) -> int:
        """Reserve the inquiry's next reference number; numbers are never handed out twice."""
        row = await self._one(
            "UPDATE inquiries SET next_reference = next_reference + 1 WHERE id = ? RETURNING next_reference - 1",
            (inquiry_id,),
        )
        return int(row[0])

    # Questions -------------------------------------------------------------------------------

    async def questions(self, inquiry_id: int) -> tuple[Question, ...]:
        rows = await self._all(
            "SELECT id, inquiry_id, position, text FROM questions WHERE inquiry_id = ? ORDER BY position",
            (inquiry_id,),
        )
        return tuple(Question(**dict(r)) for r in rows)

    async def add_question(self, inquiry_id: int, position: int, text: str) -> int:
        return await self._run(
            "INSERT INTO questions (inquiry_id, position, text) VALUES (?, ?, ?)", (inquiry_id, position, text)
        )

    async def set_question_text(self, question_id: int, text: str) -> None:
        await self._run("UPDATE questions SET text = ? WHERE id = ?", (text, question_id))

    async def set_question_position(self, question_id: int, position: int) -> None:
        await self._run("UPDATE questions SET position = ? WHERE id = ?", (position, question_id))

    async def delete_question(self, question_id: int) -> None:
        await self._run("DELETE FROM questions WHERE id = ?", (question_id,))

    async def count_answers_to(self, question_id: int) -> int:
        row = await self._one("SELECT count(*) FROM answers WHERE question_id = ?", (question_id,))
        return int(row[0])
