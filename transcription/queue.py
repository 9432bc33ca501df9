"""The durable transcription queue: media kept as evidence, jobs as rows, a worker process, retries.

A file arrives into a staging folder, is checked against its sender's limits and the free disk space, probed in a
separate process, and only then moved into the content-addressed store (see :mod:`transcription.intake`): a
refused file leaves nothing behind. Each recording as it arrived (an item) has its own job and result; the same
file sent again (by the same witness or another, for any question) is never transcribed twice: the finished
result is copied into the new item's job, marked as reused. The same message delivered twice is one item.

The worker takes turns: among the people with a job ready, the one served least recently goes first. Jobs that
were running when the bot stopped go back to the queue; a failure is retried with back-off; after a few tries the
job fails for good with a reason. A job stopped at its time limit is tried once more, then fails for good.

On PostgreSQL a runner (:mod:`transcription.remote`) takes the place of the one worker process: the jobs are handed
to a queue engine whose workers may run on any machine, with the same rows, order and rules.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from storage import FolderStorage, MediaStorage, StorageError

from .intake import (
    DAY,
    HOUR,
    WORK,
    DiskFull,
    LimitReached,
    MediaRefused,
    stale_keys,
    sweep_staged,
)
from .ledger import Job, JobLedger, MediaRow
from .outcomes import MAX_ATTEMPTS, job_spec, judge, record_outcome
from .receiving import MediaReceiving, Received, TranscriptionSettings
from .worker import WorkerPool


class Runner(Protocol):
    """Runs the queue's jobs somewhere else than in the bot's own worker process: on PostgreSQL, the queue engine
    and its workers (:class:`transcription.remote.runner.RemoteRunner`)."""

    async def start(self, service: TranscriptionService) -> int: ...
    async def dispatch(self) -> int: ...
    async def in_flight(self) -> int: ...
    async def wait(self, seconds: float) -> None: ...
    async def close(self) -> None: ...


log = logging.getLogger(__name__)

__all__ = [
    "MAX_ATTEMPTS",
    "DiskFull",
    "LimitReached",
    "MediaRefused",
    "Received",
    "Swept",
    "TranscriptionService",
    "TranscriptionSettings",
]

VIDEO_EXTENSIONS = {".mp4", ".mov", ".mkv", ".m4v", ".avi"}
# Seconds of compute per second of audio, measured on 2 cores (see benchmarks/); used only for estimates.
FOLLOW_POLL = 5.0  # seconds: with a runner, how often a run looks at its jobs when no worker has said anything
REAL_TIME_FACTOR = {("faster-whisper", "tiny.en"): 0.04, ("faster-whisper", "base"): 0.07}


@dataclass(frozen=True, slots=True)
class Swept:
    """What a sweep removed: media rows nothing referred to, files no row referred to, old intake records."""

    media_rows: int
    files: int
    intake_rows: int


Listener = Callable[..., Awaitable[None]]


@dataclass
class TranscriptionService(MediaReceiving):
    """Saves evidence media, queues and runs transcription jobs, and tells listeners how they ended.

    Files are staged under the local folder ``media_dir`` and kept in ``storage``: by default that folder itself;
    with a bucket, the local folder holds only files being taken in or read."""

    store: JobLedger
    media_dir: Path
    clock: Callable[[], datetime]
    settings: TranscriptionSettings = field(default_factory=TranscriptionSettings)
    pool: WorkerPool = field(default_factory=WorkerPool)
    storage: MediaStorage | None = None  # None: the folder ``media_dir``
    runner: Runner | None = None  # None: jobs run here, one after another, in ``pool``
    on_done: list[Listener] = field(default_factory=list)
    on_failed: list[Listener] = field(default_factory=list)
    on_wake: list[Callable[[], None]] = field(default_factory=list)
    _running: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)
    _announcing: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)
    _again: bool = field(default=False, repr=False)
    _tasks: set[asyncio.Task] = field(default_factory=set, repr=False)

    def __post_init__(self) -> None:
        if self.storage is None:
            self.storage = FolderStorage(self.media_dir)

    @property
    def work_dir(self) -> Path:
        """Where copies fetched from the storage are put while they are read."""
        return self.media_dir / WORK

    def estimate(self, duration: float, engine: str | None = None, model: str | None = None) -> float:
        """Roughly how long a file of ``duration`` seconds takes, model loading included."""
        key = (engine or self.settings.engine, model or self.settings.model)
        return 5.0 + duration * REAL_TIME_FACTOR.get(key, 0.5)

    async def rerun(self, item_id: int, engine: str, model: str) -> Job:
        """Queue the same recording again with another engine or model (the secretariat's choice); a finished
        transcription of the same file with those settings is reused."""
        item = await self.store.media.item(item_id)
        if item is None:
            raise MediaRefused("That recording no longer exists.")
        async with self.store.transaction():
            job_id = await self.store.media.add_job(
                media_id=item.media_id,
                item_id=item.id,
                engine=engine,
                model=model,
                language=None,
                translate=False,
                now=self.clock(),
            )
        return await self.store.media.job(job_id)

    async def forget_user(self, user_id: int) -> int:
        """Erase a witness's recordings and their transcripts on every server, and the record of the files they
        sent; return how many recordings. (Erasure at a witness's request goes through the privacy service, one
        server at a time.)"""
        async with self.store.transaction():
            keys = [m.path for m in await self.store.media.media_only_of_user(user_id)]
            count = await self.store.media.erase_items_of_user(user_id)
            await self.store.media_intake.forget_user(user_id)
        await self._delete_stored(keys)
        return count

    def path_of(self, media: MediaRow) -> Path:
        """Where a stored file is when media are kept in the folder ``media_dir``."""
        return self.media_dir / media.path

    async def sweep(self) -> Swept:
        """Remove what nothing refers to: media rows without an item or a session's track (recorded over an hour
        ago) with their jobs and files; stored files that no row names and staged files (unchanged for an hour:
        refused or interrupted arrivals); and records of files sent that are older than every limit."""
        now = self.clock()
        async with self.store.transaction():
            rows = await self.store.media.erase_orphaned_media(now - HOUR)
            intake = await self.store.media_intake.sweep(now - 2 * DAY)
        await self._delete_stored([row.path for row in rows])
        known = await self.store.media.media_paths()
        try:
            stale = stale_keys(await self.storage.list(), known)
        except StorageError as error:  # the next sweep looks again
            log.error("media sweep: could not list the media storage: %s", error)
            stale = []
        deleted = await self._delete_stored(stale)
        staged = await asyncio.to_thread(sweep_staged, self.media_dir)
        swept = Swept(len(rows), deleted + len(staged), intake)
        log.info(
            "media sweep: %d media row(s) nothing referred to, %d file(s) no row named, %d old intake record(s)",
            *(swept.media_rows, swept.files, swept.intake_rows),
        )
        return swept

    async def _delete_stored(self, keys: list[str]) -> int:
        """Delete stored files whose rows are gone; how many were deleted. One the storage cannot delete now is
        logged and left: no row names it any more, so the sweep deletes it later."""
        deleted = 0
        for key in keys:
            try:
                deleted += await self.storage.delete(key)
            except StorageError as error:
                log.error("could not delete %s from the media storage: %s", key, error)
        return deleted

    # Running ------------------------------------------------------------------------------------

    async def recover(self) -> int:
        """At start-up: put back in the queue the jobs that were running when the bot stopped. With a runner,
        start it instead: the jobs workers are running go on, and only those no worker holds go back."""
        if self.runner is not None:
            return await self.runner.start(self)
        async with self.store.transaction():
            count = await self.store.media.requeue_running(self.clock())
        if count:
            log.info("requeued %d transcription job(s) interrupted by a restart", count)
        return count

    def wake(self) -> None:
        """Start running due jobs now, in the background (or tell the run in progress to look again); results
        that can be reused are handed out at once, even while another file is being transcribed."""
        self._again = True
        for listener in self.on_wake:
            listener()
        loop = asyncio.get_running_loop()
        runs = [self.reuse_ready()] + ([] if self._running.locked() else [self.run_ready()])  # reuse: told now
        for run in runs:
            task = loop.create_task(run)
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def run_ready(self) -> int:
        """Run every job that is due, one after another, taking turns by person; return how many ran (results
        reused are not counted). One run at a time. With a runner, hand due jobs to it instead and follow them
        until none is in flight (returns how many were handed over)."""
        if self.runner is not None:
            return await self._follow()
        if self._running.locked():
            self._again = True
            return 0
        ran = 0
        async with self._running:
            self._again = True
            while self._again:
                self._again = False
                await self.reuse_ready()
                while job := await self._claim():
                    await self._run(job)
                    ran += 1
                    await self.reuse_ready()
        return ran

    async def _follow(self) -> int:
        if self._running.locked():
            return 0
        handed = 0
        async with self._running:
            while True:
                busy = await self.runner.in_flight()
                await self.reuse_ready()  # tells of every job that ended before ``busy`` was counted
                now = await self.runner.dispatch()
                handed += now
                if not busy and not now:
                    return handed
                await self.runner.wait(FOLLOW_POLL)

    async def close(self) -> None:
        """Stop the runs in progress, the worker process, and the runner (with the workers it started)."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self.pool.close()
        if self.runner is not None:
            await self.runner.close()

    async def reuse_ready(self) -> int:
        """Finish every queued job whose file was already transcribed with the same settings for another item, with
        a copy of that result (nothing is transcribed again); then tell the listeners of every job that ended and
        that they have not been told of. Returns how many were reused."""
        reused = 0
        for job_id, source_id in await self.store.media.reusable_jobs():
            async with self.store.transaction():
                if await self._reuse(job_id, source_id):
                    reused += 1
        await self.announce_ready()
        return reused

    async def announce_ready(self) -> int:
        """Tell the listeners (``on_done``, ``on_failed``) of each job that ended and was not told of yet: ended
        just now, reused when its file arrived, or while the bot was down or in another process (the upload page
        on its own). Each is told once it has been passed to every listener; returns how many."""
        async with self._announcing:
            jobs = await self.store.media.unannounced_jobs()
            for job in jobs:
                await self._tell(self.on_done if job.state == "done" else self.on_failed, job)
                async with self.store.transaction():
                    await self.store.media.mark_announced(job.id, self.clock())
        return len(jobs)

    async def _reuse(self, job_id: int, source_id: int) -> bool:
        """Inside a transaction: finish a queued job with a copy of another's result."""
        if not await self.store.media.reuse_result(job_id, source_id, self.clock()):
            return False
        job = await self.store.media.job(job_id)
        if job.item_id:
            await self.store.media.advance_item(job.item_id, "transcribed")
        log.info("job %s reuses the transcript of job %s (the same file)", job_id, job.reused_from)
        return True

    async def _claim(self) -> Job | None:
        async with self.store.transaction():
            return await self.store.media.claim_job(self.clock())

    async def _run(self, job: Job) -> None:
        media = await self.store.media.media(job.media_id)
        if media is None:  # erased while it waited
            return
        item = await self.store.media.item(job.item_id) if job.item_id else None
        spec = job_spec(
            job,
            media,
            item,
            database=str(self.store.target),
            media_storage=self.storage.spec,
            work_dir=str(self.work_dir),
            max_bytes=self.settings.max_bytes,
            max_seconds=self.settings.max_seconds,
            threads=self.settings.threads,
        )
        try:
            outcome = judge(job, await self.pool.run(spec))
        except Exception as error:  # a crash, a time limit, media that cannot be read: retried, then failed
            outcome = judge(job, error)
        await record_outcome(self.store, job, outcome, self.clock())
        if outcome.ended:
            await self.announce_ready()

    async def _tell(self, listeners: list[Listener], job: Job) -> None:
        for listener in listeners:
            try:
                await listener(job)
            except Exception:
                log.exception("a transcription listener failed for job %s", job.id)
