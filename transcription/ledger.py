"""The job ledger the transcription queue works on: a small interface that the bot's store implements.

The queue keeps evidence media, the items they arrived as and the transcription jobs through this interface only,
so that it knows nothing of the store behind it. ``MediaRow``, ``MediaItem`` and ``Job`` are the rows it reads.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class MediaRow:
    id: int
    sha256: str
    path: str
    filename: str
    content_type: str | None
    size_bytes: int
    duration: float | None
    has_video: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class MediaItem:
    id: int
    media_id: int
    kind: str
    user_id: int | None
    submission_id: int | None
    question_id: int | None
    session_id: int | None
    discord_message_id: int | None
    discord_channel_id: int | None
    status: str
    confirmed_text: str | None
    corrected: bool
    confirmed_at: datetime | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Job:
    id: int
    media_id: int
    item_id: int | None
    engine: str
    model: str
    language: str | None
    translate: bool
    state: str
    attempts: int
    not_before: datetime
    progress: float
    error: str | None
    result: dict[str, Any] | None
    notify_channel_id: int | None
    notify_message_id: int | None
    created_at: datetime
    updated_at: datetime
    reused_from: int | None = None  # the job whose finished result this one copied (the same file, sent again)
    claim_seq: int | None = None  # when the worker last took it, as a count of claims (for taking turns)
    announced_at: datetime | None = None  # when the queue told its listeners that the job ended


class MediaQueries(Protocol):
    """The queries on media, items and jobs that the queue needs (one method per query)."""

    async def add_media(
        self, *, sha256: str, path: str, filename: str, content_type: str | None, size: int, now: datetime
    ) -> int: ...
    async def media_by_sha(self, sha256: str) -> MediaRow | None: ...
    async def media_paths(self) -> set[str]: ...
    async def erase_orphaned_media(self, created_before: datetime | None = None) -> list[MediaRow]: ...
    async def set_media_probe(self, media_id: int, duration: float, has_video: bool) -> None: ...
    async def media(self, media_id: int) -> MediaRow | None: ...
    async def add_item(self, *, media_id: int, kind: str, now: datetime, **fields: Any) -> int | None: ...
    async def item(self, item_id: int) -> MediaItem | None: ...
    async def item_for_message(self, message_id: int, media_id: int) -> MediaItem | None: ...
    async def set_item_status(self, item_id: int, status: str) -> None: ...
    async def advance_item(self, item_id: int, status: str) -> bool: ...
    async def media_only_of_user(self, user_id: int) -> list[MediaRow]: ...
    async def erase_items_of_user(self, user_id: int) -> int: ...
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
    ) -> int: ...
    async def job(self, job_id: int) -> Job | None: ...
    async def job_for_item(self, item_id: int, engine: str, model: str, translate: bool) -> Job | None: ...
    async def claim_job(self, now: datetime) -> Job | None: ...
    async def finish_job(self, job_id: int, result: dict[str, Any], now: datetime) -> bool: ...
    async def retry_job(self, job_id: int, error: str, not_before: datetime, now: datetime) -> bool: ...
    async def fail_job(self, job_id: int, error: str, now: datetime) -> bool: ...
    async def finished_twin(self, job_id: int) -> int | None: ...
    async def reusable_jobs(self) -> list[tuple[int, int]]: ...
    async def unannounced_jobs(self) -> list[Job]: ...
    async def mark_announced(self, job_id: int, now: datetime) -> bool: ...
    async def reuse_result(self, job_id: int, source_id: int, now: datetime) -> bool: ...
    async def requeue_running(self, now: datetime) -> int: ...
    async def waiting_recordings_of_user(self, user_id: int) -> int: ...


class IntakeQueries(Protocol):
    """The record of files taken in for checking, person by person, that their limits are counted on."""

    async def sent_since(self, user_id: int, since: datetime) -> list[tuple[datetime, int]]: ...
    async def add(self, *, user_id: int, size: int, now: datetime) -> int: ...
    async def settle(self, intake_id: int, status: str, *, media_id: int | None, reason: str | None) -> bool: ...
    async def forget_user(self, user_id: int) -> int: ...
    async def sweep(self, before: datetime) -> int: ...


class JobLedger(Protocol):
    """Where the queue keeps its rows: queries grouped under ``media``, writes inside ``transaction()``.

    ``path`` is the database file the worker process writes its progress into.
    """

    path: Path
    media: MediaQueries
    media_intake: IntakeQueries

    def transaction(self) -> AbstractAsyncContextManager[Any]: ...
