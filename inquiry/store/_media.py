"""Queries on media received as evidence, the items they arrived as, and the transcription queue."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from transcription.ledger import Job, MediaItem, MediaRow

from ._base import Repo, from_db_time, to_db_time


def _media(row) -> MediaRow:
    data = dict(row)
    return MediaRow(**{**data, "has_video": bool(data["has_video"]), "created_at": from_db_time(data["created_at"])})


def _item(row) -> MediaItem:
    data = dict(row)
    data.update(
        corrected=bool(data["corrected"]),
        confirmed_at=from_db_time(data["confirmed_at"]),
        created_at=from_db_time(data["created_at"]),
    )
    return MediaItem(**data)


def _job(row) -> Job:
    data = dict(row)
    result = data.pop("result_json")
    data.update(
        translate=bool(data["translate"]),
        result=json.loads(result) if result else None,
        not_before=from_db_time(data["not_before"]),
        created_at=from_db_time(data["created_at"]),
        updated_at=from_db_time(data["updated_at"]),
        announced_at=from_db_time(data["announced_at"]),
    )
    return Job(**data)


# Whose turn a job is: the person who sent it, else the session it belongs to, else the job alone.
_OWNER = "coalesce('u' || i.user_id, 's' || i.session_id, 'j' || j.id)"


class MediaRepo(Repo):
    # Media files ------------------------------------------------------------------------------

    async def add_media(
        self, *, sha256: str, path: str, filename: str, content_type: str | None, size: int, now: datetime
    ) -> int:
        """Record a stored file; the same content is recorded once."""
        await self._run(
            "INSERT INTO media (sha256, path, filename, content_type, size_bytes, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
            (sha256, path, filename, content_type, size, to_db_time(now)),
        )
        row = await self._one("SELECT id FROM media WHERE sha256 = ?", (sha256,))
        return int(row[0])

    async def media_by_sha(self, sha256: str) -> MediaRow | None:
        """The stored file with this content, if any."""
        row = await self._one("SELECT * FROM media WHERE sha256 = ?", (sha256,))
        return _media(row) if row else None

    async def media_paths(self) -> set[str]:
        """Where every stored file is, relative to the media folder (to find files nothing refers to)."""
        return {r[0] for r in await self._all("SELECT path FROM media")}

    async def set_media_probe(self, media_id: int, duration: float, has_video: bool) -> None:
        await self._run(
            "UPDATE media SET duration = ?, has_video = ? WHERE id = ?", (duration, int(has_video), media_id)
        )

    async def media(self, media_id: int) -> MediaRow | None:
        row = await self._one("SELECT * FROM media WHERE id = ?", (media_id,))
        return _media(row) if row else None

    # Items ------------------------------------------------------------------------------------

    async def add_item(self, *, media_id: int, kind: str, now: datetime, **fields: Any) -> int | None:
        """Record where a file arrived; the same message and file twice is recorded once (returns None)."""
        columns = ["media_id", "kind", "created_at", *fields]
        values = [media_id, kind, to_db_time(now), *fields.values()]
        marks = ", ".join("?" for _ in columns)
        row = await self._one(
            f"INSERT INTO media_items ({', '.join(columns)}) VALUES ({marks})"
            " ON CONFLICT (discord_message_id, media_id) DO NOTHING RETURNING id",
            tuple(values),
        )
        return int(row[0]) if row else None

    async def item(self, item_id: int) -> MediaItem | None:
        row = await self._one("SELECT * FROM media_items WHERE id = ?", (item_id,))
        return _item(row) if row else None

    async def item_for_message(self, message_id: int, media_id: int) -> MediaItem | None:
        row = await self._one(
            "SELECT * FROM media_items WHERE discord_message_id = ? AND media_id = ?", (message_id, media_id)
        )
        return _item(row) if row else None

    async def items_of_submission(self, submission_id: int) -> list[MediaItem]:
        rows = await self._all("SELECT * FROM media_items WHERE submission_id = ? ORDER BY id", (submission_id,))
        return [_item(r) for r in rows]

    async def set_item_status(self, item_id: int, status: str) -> None:
        await self._run("UPDATE media_items SET status = ? WHERE id = ?", (status, item_id))

    async def advance_item(self, item_id: int, status: str) -> bool:
        """A transcription ended ('transcribed' or 'failed'): record it on an item still waiting for one (or whose
        last one failed); a confirmed item stays confirmed."""
        return await self._changed(
            "UPDATE media_items SET status = ? WHERE id = ? AND status IN ('queued', 'failed')", (status, item_id)
        )

    async def confirm_item(self, item_id: int, text: str, corrected: bool, now: datetime) -> None:
        await self._run(
            "UPDATE media_items SET status = 'confirmed', confirmed_text = ?, corrected = ?, confirmed_at = ?"
            " WHERE id = ?",
            (text, int(corrected), to_db_time(now), item_id),
        )

    async def confirm_item_if(
        self,
        item_id: int,
        text: str,
        corrected: bool,
        now: datetime,
        *,
        submission_id: int | None,
        editable: tuple[str, ...],
    ) -> bool:
        """Record a confirmed transcript only while the item's submission (if any) is in an editable state."""
        if submission_id is None:
            return await self._changed(
                "UPDATE media_items SET status = 'confirmed', confirmed_text = ?, corrected = ?, confirmed_at = ?"
                " WHERE id = ? AND submission_id IS NULL",
                (text, int(corrected), to_db_time(now), item_id),
            )
        marks = ", ".join("?" for _ in editable)
        return await self._changed(
            "UPDATE media_items SET status = 'confirmed', confirmed_text = ?, corrected = ?, confirmed_at = ?"
            f" WHERE id = ? AND submission_id = ? AND EXISTS (SELECT 1 FROM submissions WHERE id = ? AND status IN"
            f" ({marks}))",
            (text, int(corrected), to_db_time(now), item_id, submission_id, submission_id, *map(str, editable)),
        )

    async def media_only_of_user(self, user_id: int) -> list[MediaRow]:
        """Files that came from this witness alone (no other item, nor a session's recording, refers to them)."""
        rows = await self._all(
            "SELECT * FROM media WHERE id IN (SELECT media_id FROM media_items WHERE user_id = ?)"
            " AND id NOT IN (SELECT media_id FROM media_items WHERE user_id IS NOT ? OR user_id IS NULL)"
            " AND id NOT IN (SELECT media_id FROM session_recording_tracks WHERE media_id IS NOT NULL)",
            (user_id, user_id),
        )
        return [_media(r) for r in rows]

    async def erase_items_of_user(self, user_id: int) -> int:
        """Delete a witness's recordings everywhere: items, their transcripts, and the media rows only they used."""
        rows = await self._all("SELECT id FROM media_items WHERE user_id = ?", (user_id,))
        await self.erase_items([r["id"] for r in rows])
        return len(rows)

    # Erasure ----------------------------------------------------------------------------------

    async def items_to_erase(self, submission_ids: list[int], user_id: int | None) -> list[MediaItem]:
        """The recordings given with these submissions, and the witness's recordings attached to nothing."""
        rows = await self._all(
            "SELECT * FROM media_items WHERE submission_id IN (SELECT value FROM json_each(?))"
            " OR (user_id = ? AND submission_id IS NULL AND session_id IS NULL) ORDER BY id",
            (json.dumps(submission_ids), user_id),
        )
        return [_item(r) for r in rows]

    async def job_notices(self, item_ids: list[int]) -> list[tuple[int, int]]:
        """(channel, message) of the bot's messages about these items' transcriptions ("Got your recording ...")."""
        rows = await self._all(
            "SELECT DISTINCT notify_channel_id, notify_message_id FROM transcription_jobs"
            " WHERE item_id IN (SELECT value FROM json_each(?)) AND notify_message_id IS NOT NULL",
            (json.dumps(item_ids),),
        )
        return [(r[0], r[1]) for r in rows]

    async def erase_items(self, item_ids: list[int]) -> list[MediaRow]:
        """Delete recordings (inside the caller's transaction) with their jobs, which hold their transcripts. A file
        no other item nor session recording refers to loses its media row too, and is returned for its file to be
        deleted; a file another item shares stays, with that item's own job and transcript."""
        if not item_ids:
            return []
        erased = json.dumps(item_ids)
        unused = await self._all(
            "SELECT * FROM media WHERE id IN (SELECT media_id FROM media_items WHERE id IN"
            " (SELECT value FROM json_each(?)))"
            " AND id NOT IN (SELECT media_id FROM media_items WHERE id NOT IN (SELECT value FROM json_each(?)))"
            " AND id NOT IN (SELECT media_id FROM session_recording_tracks WHERE media_id IS NOT NULL)",
            (erased, erased),
        )
        gone = json.dumps([r["id"] for r in unused])
        await self._run(
            "DELETE FROM transcription_jobs WHERE (item_id IN (SELECT value FROM json_each(?))"
            " OR media_id IN (SELECT value FROM json_each(?)))"
            " AND id NOT IN (SELECT job_id FROM session_recording_tracks WHERE job_id IS NOT NULL)",
            (erased, gone),
        )
        await self._run("DELETE FROM media_items WHERE id IN (SELECT value FROM json_each(?))", (erased,))
        await self._run("DELETE FROM media WHERE id IN (SELECT value FROM json_each(?))", (gone,))
        return [_media(r) for r in unused]

    async def erase_orphaned_media(self, created_before: datetime | None = None) -> list[MediaRow]:
        """Media left behind with nothing referring to them (no item, no session recording's track), recorded
        before ``created_before`` if given: their jobs (with the transcript text) and rows go; returned for their
        files to be deleted. A file is recorded together with its item, so one just arriving is never taken."""
        rows = await self._all(
            "SELECT * FROM media m WHERE NOT EXISTS (SELECT 1 FROM media_items i WHERE i.media_id = m.id)"
            " AND NOT EXISTS (SELECT 1 FROM session_recording_tracks t WHERE t.media_id = m.id)"
            " AND (CAST(? AS TEXT) IS NULL OR m.created_at < ?)",
            (to_db_time(created_before), to_db_time(created_before)),
        )
        gone = json.dumps([r["id"] for r in rows])
        await self._run("DELETE FROM transcription_jobs WHERE media_id IN (SELECT value FROM json_each(?))", (gone,))
        await self._run("DELETE FROM media WHERE id IN (SELECT value FROM json_each(?))", (gone,))
        return [_media(r) for r in rows]

    # Jobs -------------------------------------------------------------------------------------

    async def add_job(
        self,
        *,
        media_id: int,
        item_id: int | None,
        engine: str,
        model: str,
        language: str | None,
        translate: bool,
        now: datetime,
    ) -> int:
        """Queue a transcription of an item (a recording as it arrived); the same item with the same engine, model
        and task is queued once. Another item of the same file has its own job (which may reuse this one's result)."""
        stamp = to_db_time(now)
        await self._run(
            "INSERT INTO transcription_jobs (media_id, item_id, engine, model, language, translate, not_before,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (item_id, engine, model, translate) DO NOTHING",
            (media_id, item_id, engine, model, language, int(translate), stamp, stamp, stamp),
        )
        row = await self._one(
            "SELECT id FROM transcription_jobs WHERE media_id = ? AND item_id IS ? AND engine = ? AND model = ?"
            " AND translate = ? ORDER BY id DESC LIMIT 1",
            (media_id, item_id, engine, model, int(translate)),
        )
        return int(row[0])

    async def job(self, job_id: int) -> Job | None:
        row = await self._one("SELECT * FROM transcription_jobs WHERE id = ?", (job_id,))
        return _job(row) if row else None

    async def jobs_for_item(self, item_id: int) -> list[Job]:
        rows = await self._all("SELECT * FROM transcription_jobs WHERE item_id = ? ORDER BY id", (item_id,))
        return [_job(r) for r in rows]

    async def job_for_item(self, item_id: int, engine: str, model: str, translate: bool) -> Job | None:
        """An item's job with this engine, model and task."""
        row = await self._one(
            "SELECT * FROM transcription_jobs WHERE item_id = ? AND engine = ? AND model = ? AND translate = ?",
            (item_id, engine, model, int(translate)),
        )
        return _job(row) if row else None

    async def claim_job(self, now: datetime) -> Job | None:
        """Take the next ready job and mark it running (one more attempt), taking turns: among the people (or
        sessions) with a job ready, the one served least recently goes first, and each one's jobs go in order. A
        job waits while the same file is being transcribed with the same settings for another item (it will
        reuse that result), and one whose file was already transcribed so is not taken: it reuses that result."""
        row = await self._one(
            f"UPDATE transcription_jobs SET state = 'running', attempts = attempts + 1, updated_at = ?,"
            f" claim_seq = (SELECT coalesce(max(claim_seq), 0) + 1 FROM transcription_jobs)"
            f" WHERE id = (WITH due AS (SELECT j.id, j.not_before, {_OWNER} AS owner FROM transcription_jobs j"
            f" LEFT JOIN media_items i ON i.id = j.item_id WHERE j.state = 'queued' AND j.not_before <= ?"
            f" AND NOT EXISTS (SELECT 1 FROM transcription_jobs r WHERE r.media_id = j.media_id"
            f" AND r.engine = j.engine AND r.model = j.model AND r.translate = j.translate"
            f" AND (r.state = 'running' OR (r.state = 'done' AND r.language IS j.language)))),"
            f" served AS (SELECT {_OWNER} AS owner, max(j.claim_seq) AS last FROM transcription_jobs j"
            f" LEFT JOIN media_items i ON i.id = j.item_id WHERE j.claim_seq IS NOT NULL GROUP BY 1)"
            f" SELECT due.id FROM due LEFT JOIN served ON served.owner = due.owner"
            f" ORDER BY coalesce(served.last, 0), due.not_before, due.id LIMIT 1) RETURNING *",
            (to_db_time(now), to_db_time(now)),
        )
        return _job(row) if row else None

    async def finish_job(self, job_id: int, result: dict[str, Any], now: datetime) -> bool:
        """Record a running job's transcript; False if the job is no longer running (erased meanwhile)."""
        return await self._changed(
            "UPDATE transcription_jobs SET state = 'done', progress = 1, error = NULL, result_json = ?,"
            " updated_at = ? WHERE id = ? AND state = 'running'",
            (json.dumps(result), to_db_time(now), job_id),
        )

    async def retry_job(self, job_id: int, error: str, not_before: datetime, now: datetime) -> bool:
        """Put a running job back in the queue after a failure, not before ``not_before``."""
        return await self._changed(
            "UPDATE transcription_jobs SET state = 'queued', error = ?, not_before = ?, updated_at = ?"
            " WHERE id = ? AND state = 'running'",
            (error, to_db_time(not_before), to_db_time(now), job_id),
        )

    async def fail_job(self, job_id: int, error: str, now: datetime) -> bool:
        """A running job fails for good, with its reason."""
        return await self._changed(
            "UPDATE transcription_jobs SET state = 'failed', error = ?, updated_at = ?"
            " WHERE id = ? AND state = 'running'",
            (error, to_db_time(now), job_id),
        )

    async def finished_twin(self, job_id: int) -> int | None:
        """A finished job of the same file with the same settings, for another item (the original preferred)."""
        row = await self._one(
            "SELECT d.id FROM transcription_jobs j JOIN transcription_jobs d ON d.media_id = j.media_id"
            " AND d.engine = j.engine AND d.model = j.model AND d.translate = j.translate"
            " AND d.language IS j.language AND d.state = 'done' AND d.id != j.id"
            " WHERE j.id = ? ORDER BY d.reused_from IS NOT NULL, d.id LIMIT 1",
            (job_id,),
        )
        return int(row[0]) if row else None

    async def unannounced_jobs(self) -> list[Job]:
        """Jobs that ended (done or failed) and that the bot has not yet been told of, oldest first."""
        rows = await self._all(
            "SELECT * FROM transcription_jobs WHERE state IN ('done', 'failed') AND announced_at IS NULL ORDER BY id"
        )
        return [_job(r) for r in rows]

    async def mark_announced(self, job_id: int, now: datetime) -> bool:
        """The bot has been told the job ended."""
        return await self._changed(
            "UPDATE transcription_jobs SET announced_at = ? WHERE id = ? AND announced_at IS NULL",
            (to_db_time(now), job_id),
        )

    async def reusable_jobs(self) -> list[tuple[int, int]]:
        """Queued jobs whose file was already transcribed with the same settings for another item: (job, the
        finished job to copy), the original transcription preferred to a copy of it."""
        rows = await self._all(
            "SELECT id, source FROM (SELECT j.id, (SELECT d.id FROM transcription_jobs d WHERE d.media_id = j.media_id"
            " AND d.engine = j.engine AND d.model = j.model AND d.translate = j.translate"
            " AND d.language IS j.language AND d.state = 'done' ORDER BY d.reused_from IS NOT NULL, d.id LIMIT 1)"
            " AS source FROM transcription_jobs j WHERE j.state = 'queued') AS ready"
            " WHERE source IS NOT NULL ORDER BY id"
        )
        return [(r[0], r[1]) for r in rows]

    async def reuse_result(self, job_id: int, source_id: int, now: datetime) -> bool:
        """Finish a queued job with a copy of another job's result, marked with where it came from (the original
        transcription); the other job and its item are left as they are."""
        return await self._changed(
            "UPDATE transcription_jobs SET state = 'done', progress = 1, error = NULL,"
            " result_json = (SELECT s.result_json FROM transcription_jobs s WHERE s.id = :source),"
            " reused_from = (SELECT coalesce(s.reused_from, s.id) FROM transcription_jobs s WHERE s.id = :source),"
            " updated_at = :now WHERE id = :job AND state = 'queued'"
            " AND EXISTS (SELECT 1 FROM transcription_jobs s WHERE s.id = :source AND s.state = 'done')",
            {"source": source_id, "now": to_db_time(now), "job": job_id},
        )

    async def requeue_running(self, now: datetime) -> int:
        """After a restart: jobs that were running when the bot stopped go back to the queue."""
        return await self._run(
            "UPDATE transcription_jobs SET state = 'queued', updated_at = ? WHERE state = 'running'",
            (to_db_time(now),),
        )

    async def set_notify(self, job_id: int, channel_id: int, message_id: int) -> None:
        await self._run(
            "UPDATE transcription_jobs SET notify_channel_id = ?, notify_message_id = ? WHERE id = ?",
            (channel_id, message_id, job_id),
        )

    async def waiting_recordings_of_user(self, user_id: int) -> int:
        """A person's recordings still waiting for their first transcript (a transcription the secretariat asks
        for again is not theirs to wait for)."""
        row = await self._one("SELECT count(*) FROM media_items WHERE user_id = ? AND status = 'queued'", (user_id,))
        return int(row[0])

    async def pending_jobs(self) -> int:
        """Jobs still to run or running."""
        row = await self._one("SELECT count(*) FROM transcription_jobs WHERE state IN ('queued', 'running')")
        return int(row[0])

    async def running_jobs(self) -> list[Job]:
        rows = await self._all("SELECT * FROM transcription_jobs WHERE state = 'running' ORDER BY id")
        return [_job(r) for r in rows]
