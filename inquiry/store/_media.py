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
    )
    return Job(**data)


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
        """Files that came from this witness alone (no other item refers to them)."""
        rows = await self._all(
            "SELECT * FROM media WHERE id IN (SELECT media_id FROM media_items WHERE user_id = ?)"
            " AND id NOT IN (SELECT media_id FROM media_items WHERE user_id IS NOT ? OR user_id IS NULL)",
            (user_id, user_id),
        )
        return [_media(r) for r in rows]

    async def erase_items_of_user(self, user_id: int) -> int:
        """Delete a witness's recordings: items, their jobs and transcripts, and the media rows only they used."""
        only_theirs = [m.id for m in await self.media_only_of_user(user_id)]
        await self._run(
            "DELETE FROM transcription_jobs WHERE item_id IN (SELECT id FROM media_items WHERE user_id = ?)"
            " OR media_id IN (SELECT value FROM json_each(?))",
            (user_id, json.dumps(only_theirs)),
        )
        count = await self._run("DELETE FROM media_items WHERE user_id = ?", (user_id,))
        await self._run("DELETE FROM media WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(only_theirs),))
        return count

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
        """Queue a transcription; the same file with the same engine, model and task is queued once."""
        stamp = to_db_time(now)
        await self._run(
            "INSERT INTO transcription_jobs (media_id, item_id, engine, model, language, translate, not_before,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (media_id, engine, model, translate) DO NOTHING",
            (media_id, item_id, engine, model, language, int(translate), stamp, stamp, stamp),
        )
        row = await self._one(
            "SELECT id FROM transcription_jobs WHERE media_id = ? AND engine = ? AND model = ? AND translate = ?",
            (media_id, engine, model, int(translate)),
        )
        return int(row[0])

    async def job(self, job_id: int) -> Job | None:
        row = await self._one("SELECT * FROM transcription_jobs WHERE id = ?", (job_id,))
        return _job(row) if row else None

    async def jobs_for_item(self, item_id: int) -> list[Job]:
        rows = await self._all("SELECT * FROM transcription_jobs WHERE item_id = ? ORDER BY id", (item_id,))
        return [_job(r) for r in rows]

    async def claim_job(self, now: datetime) -> Job | None:
        """Take the oldest ready job and mark it running (one more attempt)."""
        row = await self._one(
            "UPDATE transcription_jobs SET state = 'running', attempts = attempts + 1, updated_at = ?"
            " WHERE id = (SELECT id FROM transcription_jobs WHERE state = 'queued' AND not_before <= ?"
            " ORDER BY not_before, id LIMIT 1) RETURNING *",
            (to_db_time(now), to_db_time(now)),
        )
        return _job(row) if row else None

    async def finish_job(self, job_id: int, result: dict[str, Any], now: datetime) -> None:
        await self._run(
            "UPDATE transcription_jobs SET state = 'done', progress = 1, error = NULL, result_json = ?,"
            " updated_at = ? WHERE id = ?",
            (json.dumps(result), to_db_time(now), job_id),
        )

    async def retry_job(self, job_id: int, error: str, not_before: datetime, now: datetime) -> None:
        await self._run(
            "UPDATE transcription_jobs SET state = 'queued', error = ?, not_before = ?, updated_at = ? WHERE id = ?",
            (error, to_db_time(not_before), to_db_time(now), job_id),
        )

    async def fail_job(self, job_id: int, error: str, now: datetime) -> None:
        await self._run(
            "UPDATE transcription_jobs SET state = 'failed', error = ?, updated_at = ? WHERE id = ?",
            (error, to_db_time(now), job_id),
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

    async def pending_jobs(self) -> int:
        """Jobs still to run or running."""
        row = await self._one("SELECT count(*) FROM transcription_jobs WHERE state IN ('queued', 'running')")
        return int(row[0])

    async def running_jobs(self) -> list[Job]:
        rows = await self._all("SELECT * FROM transcription_jobs WHERE state = 'running' ORDER BY id")
        return [_job(r) for r in rows]
