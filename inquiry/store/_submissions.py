"""Queries on written submissions, their answers and the secretariat's redactions."""

from __future__ import annotations

from datetime import datetime

from inquiry.evidence.models import Capacity, Publication, Redaction, Submission, SubmissionStatus

from ._base import Repo, from_db_time, to_db_time


def _submission(row, answers: dict[int, str]) -> Submission:
    return Submission(
        id=row["id"],
        inquiry_id=row["inquiry_id"],
        user_id=row["user_id"],
        status=SubmissionStatus(row["status"]),
        capacity=Capacity(row["capacity"]) if row["capacity"] else None,
        submitter_name=row["submitter_name"],
        organisation=row["organisation"],
        contact=row["contact"],
        publication=Publication(row["publication"]) if row["publication"] else None,
        step=row["step"],
        reference=row["reference"],
        late=bool(row["late"]),
        word_count=row["word_count"],
        decision_reason=row["decision_reason"],
        forum_thread_id=row["forum_thread_id"],
        created_at=from_db_time(row["created_at"]),
        updated_at=from_db_time(row["updated_at"]),
        submitted_at=from_db_time(row["submitted_at"]),
        answers=answers,
    )


class SubmissionRepo(Repo):
    async def create_draft(self, inquiry_id: int, user_id: int, now: datetime) -> int:
        stamp = to_db_time(now)
        return await self._run(
            "INSERT INTO submissions (inquiry_id, user_id, created_at, updated_at) VALUES (?, ?, ?, ?)",
            (inquiry_id, user_id, stamp, stamp),
        )

    async def get(self, submission_id: int) -> Submission | None:
        row = await self._one("SELECT * FROM submissions WHERE id = ?", (submission_id,))
        return _submission(row, await self.answers(submission_id)) if row else None

    async def draft_for(self, inquiry_id: int, user_id: int) -> Submission | None:
        row = await self._one(
            "SELECT * FROM submissions WHERE inquiry_id = ? AND user_id = ? AND status = 'draft'",
            (inquiry_id, user_id),
        )
        return _submission(row, await self.answers(row["id"])) if row else None

    async def by_reference(self, inquiry_id: int, reference: str) -> Submission | None:
        row = await self._one(
            "SELECT * FROM submissions WHERE inquiry_id = ? AND reference = ? COLLATE NOCASE",
            (inquiry_id, reference),
        )
        return _submission(row, await self.answers(row["id"])) if row else None

    async def of_user(self, user_id: int) -> list[Submission]:
        rows = await self._all("SELECT * FROM submissions WHERE user_id = ? ORDER BY id", (user_id,))
        return [_submission(r, await self.answers(r["id"])) for r in rows]

    async def in_inquiry(self, inquiry_id: int, statuses: tuple[SubmissionStatus, ...]) -> list[Submission]:
        marks = ", ".join("?" for _ in statuses)
        rows = await self._all(
            f"SELECT * FROM submissions WHERE inquiry_id = ? AND status IN ({marks}) ORDER BY reference_number, id",
            (inquiry_id, *(s.value for s in statuses)),
        )
        return [_submission(r, await self.answers(r["id"])) for r in rows]

    async def set_details(
        self,
        submission_id: int,
        *,
        capacity: Capacity | None,
        name: str | None,
        organisation: str | None,
        contact: str | None,
        publication: Publication | None,
        now: datetime,
    ) -> None:
        await self._run(
            "UPDATE submissions SET capacity = ?, submitter_name = ?, organisation = ?, contact = ?,"
            " publication = ?, updated_at = ? WHERE id = ?",
            (
                capacity.value if capacity else None,
                name,
                organisation,
                contact,
                publication.value if publication else None,
                to_db_time(now),
                submission_id,
            ),
        )

    async def set_step(self, submission_id: int, step: int, now: datetime) -> None:
        await self._run(
            "UPDATE submissions SET step = ?, updated_at = ? WHERE id = ?", (step, to_db_time(now), submission_id)
        )

    async def mark_submitted(
        self, submission_id: int, *, number: int, reference: str, late: bool, words: int, now: datetime
    ) -> None:
        stamp = to_db_time(now)
        await self._run(
            "UPDATE submissions SET status = 'submitted', reference_number = ?, reference = ?, late = ?,"
            " word_count = ?, submitted_at = ?, updated_at = ? WHERE id = ?",
            (number, reference, int(late), words, stamp, stamp, submission_id),
        )

    async def set_word_count(self, submission_id: int, words: int, now: datetime) -> None:
        await self._run(
            "UPDATE submissions SET word_count = ?, updated_at = ? WHERE id = ?",
            (words, to_db_time(now), submission_id),
        )

    async def set_status(self, submission_id: int, status: SubmissionStatus, reason: str | None, now: datetime) -> None:
        await self._run(
            "UPDATE submissions SET status = ?, decision_reason = ?, updated_at = ? WHERE id = ?",
            (status.value, reason, to_db_time(now), submission_id),
        )

    async def set_forum_thread(self, submission_id: int, thread_id: int | None) -> None:
        await self._run("UPDATE submissions SET forum_thread_id = ? WHERE id = ?", (thread_id, submission_id))

    async def erase(self, submission_id: int, now: datetime) -> None:
        """Keep only a tombstone: inquiry, reference and status 'erased'."""
        await self._run("DELETE FROM answers WHERE submission_id = ?", (submission_id,))
        await self._run("DELETE FROM redactions WHERE submission_id = ?", (submission_id,))
        await self._run(
            "UPDATE submissions SET status = 'erased', user_id = NULL, capacity = NULL, submitter_name = NULL,"
            " organisation = NULL, contact = NULL, publication = NULL, decision_reason = NULL,"
            " forum_thread_id = NULL, word_count = 0, updated_at = ? WHERE id = ?",
            (to_db_time(now), submission_id),
        )

    async def delete_draft(self, submission_id: int) -> None:
        await self._run("DELETE FROM submissions WHERE id = ? AND status = 'draft'", (submission_id,))

    # Answers ---------------------------------------------------------------------------------

    async def answers(self, submission_id: int) -> dict[int, str]:
        rows = await self._all("SELECT question_id, text FROM answers WHERE submission_id = ?", (submission_id,))
        return {r["question_id"]: r["text"] for r in rows}

    async def save_answer(self, submission_id: int, question_id: int, text: str, now: datetime) -> None:
        await self._run(
            "INSERT INTO answers (submission_id, question_id, text, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (submission_id, question_id) DO UPDATE SET text = excluded.text,"
            " updated_at = excluded.updated_at",
            (submission_id, question_id, text, to_db_time(now)),
        )

    async def delete_answer(self, submission_id: int, question_id: int) -> None:
        await self._run("DELETE FROM answers WHERE submission_id = ? AND question_id = ?", (submission_id, question_id))

    # Figures ---------------------------------------------------------------------------------

    async def count_by_status(self, inquiry_id: int) -> dict[str, int]:
        rows = await self._all(
            "SELECT status, count(*) AS n FROM submissions WHERE inquiry_id = ? GROUP BY status", (inquiry_id,)
        )
        return {r["status"]: r["n"] for r in rows}

    async def count_late(self, inquiry_id: int) -> int:
        row = await self._one(
            "SELECT count(*) FROM submissions WHERE inquiry_id = ? AND late = 1 AND status != 'draft'",
            (inquiry_id,),
        )
        return int(row[0])

    async def answers_per_question(self, inquiry_id: int) -> dict[int, int]:
        rows = await self._all(
            "SELECT a.question_id, count(*) AS n FROM answers a JOIN submissions s ON s.id = a.submission_id"
            " WHERE s.inquiry_id = ? AND s.status NOT IN ('draft', 'withdrawn', 'erased')"
            " GROUP BY a.question_id",
            (inquiry_id,),
        )
        return {r["question_id"]: r["n"] for r in rows}

    # Redactions ------------------------------------------------------------------------------

    async def add_redaction(
        self, submission_id: int, question_id: int, passage: str, reason: str, actor_id: int, now: datetime
    ) -> int:
        return await self._run(
            "INSERT INTO redactions (submission_id, question_id, passage, reason, actor_id, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (submission_id, question_id, passage, reason, actor_id, to_db_time(now)),
        )

    async def redactions(self, submission_id: int) -> list[Redaction]:
        rows = await self._all("SELECT * FROM redactions WHERE submission_id = ? ORDER BY id", (submission_id,))
        return [Redaction(**{**dict(r), "created_at": from_db_time(r["created_at"])}) for r in rows]
