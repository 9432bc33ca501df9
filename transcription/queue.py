"""The durable transcription queue: media kept as evidence, jobs as rows, a worker process, retries.

A file is saved under its content hash as soon as it arrives; it is probed before it is queued; one job per file
(and engine, model and task), however often the same event arrives. Jobs that were running when the bot stopped
go back to the queue; a failure is retried with back-off; after a few tries the job fails for good with a reason.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from .ledger import Job, JobLedger, MediaItem, MediaRow
from .probe import describe_bytes
from .worker import JobSpec, WorkerPool

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
RETRY_DELAYS = (timedelta(seconds=30), timedelta(minutes=2))
VIDEO_EXTENSIONS = {".mp4", ".mov", ".mkv", ".m4v", ".avi"}
# Seconds of compute per second of audio, measured on 2 cores (see benchmarks/); used only for estimates.
REAL_TIME_FACTOR = {("faster-whisper", "tiny.en"): 0.04, ("faster-whisper", "base"): 0.08}


class MediaRefused(Exception):
    """A file that cannot be taken as evidence; ``str(error)`` says why, for the person who sent it."""


@dataclass(frozen=True, slots=True)
class Received:
    """A file received and queued (or found already queued)."""

    media: MediaRow
    item: MediaItem | None  # None when this very message and file were seen before
    job: Job
    duration: float
    estimate_seconds: float


Listener = Callable[..., Awaitable[None]]


@dataclass
class TranscriptionSettings:
    engine: str = "faster-whisper"
    model: str = "tiny.en"
    max_bytes: int = 200 * 1024 * 1024
    max_seconds: float = 2 * 3600
    threads: int = 2


@dataclass
class TranscriptionService:
    """Saves evidence media, queues and runs transcription jobs, and tells listeners how they ended."""

    store: JobLedger
    media_dir: Path
    clock: Callable[[], datetime]
    settings: TranscriptionSettings = field(default_factory=TranscriptionSettings)
    pool: WorkerPool = field(default_factory=WorkerPool)
    on_done: list[Listener] = field(default_factory=list)
    on_failed: list[Listener] = field(default_factory=list)
    on_wake: list[Callable[[], None]] = field(default_factory=list)
    _running: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)
    _again: bool = field(default=False, repr=False)
    _tasks: set[asyncio.Task] = field(default_factory=set, repr=False)

    # Receiving ----------------------------------------------------------------------------------

    async def receive(
        self, data: bytes, filename: str, content_type: str | None, *, message_id: int | None = None, **where
    ) -> Received:
        """Keep the original, probe it, record where it came from and queue its transcription."""
        if len(data) > self.settings.max_bytes:
            raise MediaRefused(
                f"{filename} is {describe_bytes(len(data))}; the largest file I can take is "
                f"{describe_bytes(self.settings.max_bytes)}."
            )
        sha256, path = await asyncio.to_thread(self._keep, data, filename)
        async with self.store.transaction():
            media_id = await self.store.media.add_media(
                sha256=sha256, path=path, filename=filename, content_type=content_type, size=len(data), now=self.clock()
            )
        info = await self._probe(media_id, filename)
        kind = "voice" if where.pop("voice", False) else ("video" if info.has_video else "audio")
        async with self.store.transaction():
            item_id = await self.store.media.add_item(
                media_id=media_id, kind=kind, now=self.clock(), discord_message_id=message_id, **where
            )
            if item_id is None:
                item = await self.store.media.item_for_message(message_id, media_id)
            job_id = await self.store.media.add_job(
                media_id=media_id,
                item_id=item_id or item.id,
                engine=self.settings.engine,
                model=self.settings.model,
                language=None,
                translate=False,
                now=self.clock(),
            )
        media = await self.store.media.media(media_id)
        return Received(
            media=media,
            item=await self.store.media.item(item_id) if item_id else None,
            job=await self.store.media.job(job_id),
            duration=info.duration,
            estimate_seconds=self.estimate(info.duration),
        )

    def estimate(self, duration: float, engine: str | None = None, model: str | None = None) -> float:
        """Roughly how long a file of ``duration`` seconds takes, model loading included."""
        key = (engine or self.settings.engine, model or self.settings.model)
        return 5.0 + duration * REAL_TIME_FACTOR.get(key, 0.5)

    async def rerun(self, item_id: int, engine: str, model: str) -> Job:
        """Queue the same file again with another engine or model (the secretariat's choice)."""
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
        """Erase a witness's recordings and their transcripts (at their request); return how many."""
        files = [self.path_of(m) for m in await self.store.media.media_only_of_user(user_id)]
        count = await self.store.media.erase_items_of_user(user_id)
        for path in files:
            await asyncio.to_thread(path.unlink, missing_ok=True)
        return count

    def path_of(self, media: MediaRow) -> Path:
        return self.media_dir / media.path

    # Running ------------------------------------------------------------------------------------

    async def recover(self) -> int:
        """At start-up: put back in the queue the jobs that were running when the bot stopped."""
        async with self.store.transaction():
            count = await self.store.media.requeue_running(self.clock())
        if count:
            log.info("requeued %d transcription job(s) interrupted by a restart", count)
        return count

    def wake(self) -> None:
        """Start running due jobs now, in the background (or tell the run in progress to look again)."""
        self._again = True
        for listener in self.on_wake:
            listener()
        if not self._running.locked():
            task = asyncio.get_running_loop().create_task(self.run_ready())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def run_ready(self) -> int:
        """Run every job that is due, one after another; return how many ran. One run at a time."""
        if self._running.locked():
            self._again = True
            return 0
        ran = 0
        async with self._running:
            self._again = True
            while self._again:
                self._again = False
                while job := await self._claim():
                    await self._run(job)
                    ran += 1
        return ran

    async def _claim(self) -> Job | None:
        async with self.store.transaction():
            return await self.store.media.claim_job(self.clock())

    async def _run(self, job: Job) -> None:
        media = await self.store.media.media(job.media_id)
        item = await self.store.media.item(job.item_id) if job.item_id else None
        spec = JobSpec(
            job_id=job.id,
            database=str(self.store.path),
            media_path=str(self.path_of(media)),
            engine=job.engine,
            model=job.model,
            language=job.language,
            translate=job.translate,
            max_bytes=self.settings.max_bytes,
            max_seconds=self.settings.max_seconds,
            threads=self.settings.threads,
            # Oral sessions attribute segments to questions by time: they need sentence-level timestamps,
            # which batched decoding (faster, the default) does not give.
            batch_size=0 if item is not None and item.session_id is not None else None,
        )
        try:
            outcome = await self.pool.run(spec)
        except Exception as error:  # a crash or any failure in the worker: retry, then give up
            log.warning("transcription job %s failed (attempt %d): %s", job.id, job.attempts, error)
            await self._retry_or_fail(job, _describe(error))
            return
        if outcome["ok"]:
            async with self.store.transaction():
                # how long the worker spent (probe, model load when cold, transcription): for estimates and audit
                result = {**outcome["transcript"], "compute_seconds": round(outcome["seconds"], 3)}
                await self.store.media.finish_job(job.id, result, self.clock())
                if job.item_id:
                    await self.store.media.set_item_status(job.item_id, "transcribed")
            await self._tell(self.on_done, await self.store.media.job(job.id))
        else:
            await self._fail(job, outcome["reason"])

    async def _retry_or_fail(self, job: Job, reason: str) -> None:
        if job.attempts >= MAX_ATTEMPTS:
            await self._fail(job, f"transcription failed {job.attempts} times; last error: {reason}")
            return
        delay = RETRY_DELAYS[min(job.attempts - 1, len(RETRY_DELAYS) - 1)]
        async with self.store.transaction():
            await self.store.media.retry_job(job.id, reason, self.clock() + delay, self.clock())

    async def _fail(self, job: Job, reason: str) -> None:
        async with self.store.transaction():
            await self.store.media.fail_job(job.id, reason, self.clock())
            if job.item_id:
                await self.store.media.set_item_status(job.item_id, "failed")
        await self._tell(self.on_failed, await self.store.media.job(job.id))

    async def _tell(self, listeners: list[Listener], job: Job) -> None:
        for listener in listeners:
            try:
                await listener(job)
            except Exception:
                log.exception("a transcription listener failed for job %s", job.id)

    # Files --------------------------------------------------------------------------------------

    def _keep(self, data: bytes, filename: str) -> tuple[str, str]:
        """Write the original under its SHA-256 (atomically, once); return the hash and the relative path."""
        sha256 = hashlib.sha256(data).hexdigest()
        suffix = Path(filename).suffix.lower()[:10]
        relative = Path(sha256[:2]) / f"{sha256}{suffix}"
        target = self.media_dir / relative
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(handle.name, target)
        return sha256, str(relative)

    async def _probe(self, media_id: int, filename: str):
        from .errors import MediaError
        from .probe import probe_media

        media = await self.store.media.media(media_id)
        try:
            info = await asyncio.to_thread(
                probe_media,
                self.path_of(media),
                max_bytes=self.settings.max_bytes,
                max_seconds=self.settings.max_seconds,
            )
        except MediaError as error:
            raise MediaRefused(f"I could not take {filename}: {error.reason}.") from error
        async with self.store.transaction():
            await self.store.media.set_media_probe(media_id, info.duration, info.has_video)
        return info


def _describe(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return text.splitlines()[0][:300]
