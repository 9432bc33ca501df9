"""Queries on written submissions, their answers and the secretariat's redactions."""

from __future__ import annotations

from datetime import datetime

from inquiry.evidence.models import Capacity, Publication, Redaction, Submission, SubmissionStatus

from ._base import Repo, from_db_time, to_db_time


def _submission(row, answers: dict[int, str], pending: dict[int, str] | None = None) -> Submission:
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
        pending_answers=pending or {},
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
        return await self._load(row) if row else None

    async def _load(self, row) -> Submission:
        return _submission(row, await self.answers(row["id"]), await self.pending_answers(row["id"]))

    async def draft_for(self, inquiry_id: int, user_id: int) -> Submission | None:
        row = await self._one(
            "SELECT * FROM submissions WHERE inquiry_id = ? AND user_id = ? AND status = 'draft'",
            (inquiry_id, user_id),
        )
        return await self._load(row) if row else None

    async def by_reference(self, inquiry_id: int, reference: str) -> Submission | None:
        row = await self._one(
            "SELECT * FROM submissions WHERE inquiry_id = ? AND lower(reference) = lower(?)",
            (inquiry_id, reference),
        )
        return await self._load(row) if row else None

    async def of_user(self, user_id: int) -> list[Submission]:
        rows = await self._all("SELECT * FROM submissions WHERE user_id = ? ORDER BY id", (user_id,))
        return [await self._load(r) for r in rows]

    async def in_inquiry(self, inquiry_id: int, statuses: tuple[SubmissionStatus, ...]) -> list[Submission]:
        marks = ", ".join("?" for _ in statuses)
        rows = await self._all(
            f"SELECT * FROM submissions WHERE inquiry_id = ? AND status IN ({marks}) ORDER BY reference_number, id",
            (inquiry_id, *(s.value for s in statuses)),
        )
        return [await self._load(r) for r in rows]

    async def set_details(
        self,
        submission_id: int,
        *,
        status: SubmissionStatus,
        capacity: Capacity | None,
        name: str | None,
        organisation: str | None,
        contact: str | None,
        publication: Publication | None,
        now: datetime,
    ) -> bool:
        """Who the evidence is from and how it may be published, provided it is still ``status``."""
        return await self._changed(
            "UPDATE submissions SET capacity = ?, submitter_name = ?, organisation = ?, contact = ?,"
            " publication = ?, updated_at = ? WHERE id = ? AND status = ?",
            (
                capacity.value if capacity else None,
                name,
                organisation,
                contact,
                publication.value if publication else None,
                to_db_time(now),
                submission_id,
                status.value,
            ),
        )

    async def set_step(self, submission_id: int, step: int, now: datetime) -> None:
        await self._run(
            "UPDATE submissions SET step = ?, updated_at = ? WHERE id = ?", (step, to_db_time(now), submission_id)
        )

    async def mark_submitted(
        self, submission_id: int, *, number: int, reference: str, late: bool, words: int, now: datetime
    ) -> bool:
        """Give a draft its reference; False (nothing changed) unless it was still a draft."""
        stamp = to_db_time(now)
        return await self._changed(
            "UPDATE submissions SET status = 'submitted', reference_number = ?, reference = ?, late = ?,"
            " word_count = ?, submitted_at = ?, updated_at = ? WHERE id = ? AND status = 'draft'",
            (number, reference, int(late), words, stamp, stamp, submission_id),
        )

    async def touch(self, submission_id: int, status: SubmissionStatus, words: int, now: datetime) -> bool:
        """Record a change of the answers (their word count), provided the submission is still ``status``."""
        return await self._changed(
            "UPDATE submissions SET word_count = ?, updated_at = ? WHERE id = ? AND status = ?",
            (words, to_db_time(now), submission_id, status.value),
        )

    async def change_status(
        self,
        submission_id: int,
        *,
        was: SubmissionStatus,
        to: SubmissionStatus,
        reason: str | None,
        now: datetime,
    ) -> bool:
        """Move a submission from ``was`` to ``to``; False (nothing changed) when it was no longer ``was``."""
        return await self._changed(
            "UPDATE submissions SET status = ?, decision_reason = ?, updated_at = ? WHERE id = ? AND status = ?",
            (to.value, reason, to_db_time(now), submission_id, was.value),
        )

    async def link_forum_thread(self, submission_id: int, thread_id: int) -> bool:
        """Remember the submission's forum post, unless another post is already linked to it."""
        return await self._changed(
            "UPDATE submissions SET forum_thread_id = ? WHERE id = ? AND status != 'erased'"
            " AND (forum_thread_id IS NULL OR forum_thread_id = ?)",
            (thread_id, submission_id, thread_id),
        )

    async def erase(self, submission_id: int, now: datetime) -> bool:
        """Keep only a tombstone: inquiry, reference and status 'erased'. False when there was nothing to erase
        (a draft, or erased already)."""
        erased = await self._changed(
            "UPDATE submissions SET status = 'erased', user_id = NULL, capacity = NULL, submitter_name = NULL,"
            " organisation = NULL, contact = NULL, publication = NULL, decision_reason = NULL,"
            " forum_thread_id = NULL, word_count = 0, updated_at = ?"
            " WHERE id = ? AND status NOT IN ('draft', 'erased')",
            (to_db_time(now), submission_id),
        )
        if erased:
            await self._run("DELETE FROM answers WHERE submission_id = ?", (submission_id,))
            await self._run("DELETE FROM pending_answers WHERE submission_id = ?", (submission_id,))
            await self._run("DELETE FROM redactions WHERE submission_id = ?", (submission_id,))
            await self._run("DELETE FROM automatic_redactions WHERE submission_id = ?", (submission_id,))
        return erased

    async def delete_draft(self, submission_id: int) -> bool:
        """Delete a draft; False when it is no longer a draft."""
        return await self._changed("DELETE FROM submissions WHERE id = ? AND status = 'draft'", (submission_id,))

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

    # Changes kept but not sent (over the word limit) --------------------------------------------

    async def pending_answers(self, submission_id: int) -> dict[int, str]:
        rows = await self._all(
            "SELECT question_id, text FROM pending_answers WHERE submission_id = ?", (submission_id,)
        )
        return {r["question_id"]: r["text"] for r in rows}

    async def keep_pending_answer(self, submission_id: int, question_id: int, text: str, now: datetime) -> None:
        await self._run(
            "INSERT INTO pending_answers (submission_id, question_id, text, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (submission_id, question_id) DO UPDATE SET text = excluded.text,"
            " updated_at = excluded.updated_at",
            (submission_id, question_id, text, to_db_time(now)),
        )

    async def clear_pending_answers(self, submission_id: int) -> int:
        return await self._run("DELETE FROM pending_answers WHERE submission_id = ?", (submission_id,))

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
            "INSERT INTO redactions (target_kind, target_id, submission_id, question_id, passage, reason, actor_id,"
            " created_at) VALUES ('answer', ?, ?, ?, ?, ?, ?, ?)",
            (question_id, submission_id, question_id, passage, reason, actor_id, to_db_time(now)),
        )

    async def redactions(self, submission_id: int) -> list[Redaction]:
        """The redactions of a submission's written answers still in force (``store.redactions`` has every kind)."""
        rows = await self._all(
            "SELECT id, submission_id, question_id, passage, reason, actor_id, created_at FROM redactions"
            " WHERE submission_id = ? AND target_kind = 'answer' AND removed_at IS NULL ORDER BY id",
            (submission_id,),
        )
        return [Redaction(**{**dict(r), "created_at": from_db_time(r["created_at"])}) for r in rows]
