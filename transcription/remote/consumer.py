"""A transcription worker on PostgreSQL: takes jobs from the engine one at a time, runs each in a child process,
and records how it ended in the ledger.

The engine job says which ledger job to run. The worker marks that ledger row running (one more attempt) in a
transaction that first checks, with the engine's row locked, that the engine still gives the job to this worker;
every later write checks the same, so a worker taken for dead that comes back writes nothing over its successor.
A row found running already was left by a worker that stopped in the middle: it is taken over, the attempt
counted, and failed for good once the attempts are used up. The media are fetched from the storage the worker was
given; progress goes straight to the ledger row from the child process; the outcome follows the same rules as in
the bot (:mod:`transcription.outcomes`). The worker never speaks to Discord: it notifies the bot through
PostgreSQL, and the bot tells the witness.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import procrastinate

from ..ledger import Job, JobLedger
from ..outcomes import job_spec, judge, judge_interrupted, record_outcome
from ..worker import WorkerPool
from .dispatcher import Dispatcher
from .engine import STALLED_AFTER, heartbeat_interval, retry_stalled
from .names import QUEUE, TASK, QueueQueries

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class WorkerSettings:
    """How a worker transcribes: where the media are (a folder or an ``s3://`` URL), where it puts copies while
    it reads them, the size and length limits, CPU threads per job, and the device."""

    media: str
    work_dir: Path
    max_bytes: int
    max_seconds: float
    threads: int = 2
    device: str = "cpu"
    stalled_after: timedelta = STALLED_AFTER


@dataclass
class RemoteWorker:
    """One engine worker (one job at a time) over an open ledger; ``database`` is its ``postgresql://`` URL, for
    the child process's progress."""

    database: str
    store: JobLedger
    queries: QueueQueries
    app: procrastinate.App
    settings: WorkerSettings
    clock: Callable[[], datetime]
    name: str = "transcription"
    pool: WorkerPool = field(default_factory=WorkerPool)
    ran: int = 0
    _current: asyncio.Task | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.dispatcher = Dispatcher(self.store, self.queries, self.clock, self.settings.stalled_after)
        self.app.task(name=TASK, queue=QUEUE, pass_context=True)(self._handle)

    async def run(self, *, install_signal_handlers: bool = True, graceful: float | None = None) -> None:
        """Work until stopped (SIGINT or SIGTERM when ``install_signal_handlers``, else by cancelling): the job in
        progress is finished first, for at most ``graceful`` seconds (None: however long it takes)."""
        stalled = self.settings.stalled_after.total_seconds()
        sweeper = asyncio.create_task(self._sweep_loop())
        try:
            await self.dispatcher.dispatch()  # jobs due while no one was handing them over
            await self.app.run_worker_async(
                queues=[QUEUE],
                name=self.name,
                concurrency=1,
                wait=True,
                install_signal_handlers=install_signal_handlers,
                shutdown_graceful_timeout=graceful,
                update_heartbeat_interval=heartbeat_interval(self.settings.stalled_after),
                stalled_worker_timeout=stalled,
                fetch_job_polling_interval=min(5.0, stalled),
                delete_jobs="successful",
            )
        finally:
            sweeper.cancel()
            await asyncio.gather(sweeper, return_exceptions=True)
            self.pool.close()

    async def _sweep_loop(self) -> None:
        """Now and then: take back the jobs of dead workers, put back ledger rows no engine job stands behind (a
        worker's handling that failed outright), and hand over due jobs (retries whose wait is over)."""
        while True:
            await asyncio.sleep(heartbeat_interval(self.settings.stalled_after))
            try:
                await retry_stalled(self.app, self.settings.stalled_after)
                await self.dispatcher.requeue_orphaned()
                await self.dispatcher.dispatch()
            except Exception:
                log.warning("could not look for stalled or due transcription jobs; trying again", exc_info=True)

    def abandon(self) -> None:
        """Stop the job in progress now (its child process killed); it goes back to the queue, the attempt not
        counted."""
        if self._current is not None:
            self._current.cancel()

    async def _handle(self, context: procrastinate.JobContext, job_id: int) -> None:
        engine_job, worker_id = context.job.id, context.job.worker_id

        async def still_held() -> bool:
            return await self.queries.holds(engine_job, worker_id)

        self._current = asyncio.current_task()
        job = None
        try:
            job = await self._claim(job_id, still_held)
            if job is not None:
                await self._run(job, still_held)
                self.ran += 1
        except asyncio.CancelledError:  # stopped without waiting for the job to end
            await self.pool.kill()
            if job is not None:
                await asyncio.shield(self._release(job, still_held))
            raise
        finally:
            self._current = None
        try:  # the next job for this worker, as late as possible
            await self.dispatcher.dispatch()
        except Exception:
            log.warning("could not hand over the next transcription jobs; the next round will", exc_info=True)

    async def _release(self, job: Job, still_held) -> None:
        async with self.store.transaction():
            if await still_held() and await self.queries.release(job.id, self.clock()):
                await self.queries.notify(f"released {job.id}")
                log.info("transcription job %s goes back to the queue: this worker is stopping", job.id)

    async def _claim(self, job_id: int, still_held) -> Job | None:
        async with self.store.transaction():
            if not await still_held():
                return None
            claimed = await self.queries.claim(job_id, self.clock())
            if claimed is None:  # done, failed or erased meanwhile
                return None
            job, previous = claimed
            await self.queries.notify(f"taken {job.id}")
        if previous != "running":
            return job
        log.warning("taking over transcription job %s from a worker that stopped (attempt %d)", job.id, job.attempts)
        if outcome := judge_interrupted(job):
            await self._record(job, outcome, still_held)
            return None
        return job

    async def _run(self, job: Job, still_held) -> None:
        media = await self.store.media.media(job.media_id)
        if media is None:  # erased while it waited
            return
        item = await self.store.media.item(job.item_id) if job.item_id else None
        spec = job_spec(
            job,
            media,
            item,
            database=self.database,
            media_storage=self.settings.media,
            work_dir=str(self.settings.work_dir),
            max_bytes=self.settings.max_bytes,
            max_seconds=self.settings.max_seconds,
            threads=self.settings.threads,
            device=self.settings.device,
        )
        log.info("transcribing job %s (%s %s, attempt %d)", job.id, job.engine, job.model, job.attempts)
        try:
            outcome = judge(job, await self.pool.run(spec))
        except Exception as error:  # a crash, a time limit, media that cannot be read: retried, then failed
            outcome = judge(job, error)
        await self._record(job, outcome, still_held)
        log.info("transcription job %s: %s%s", job.id, outcome.kind, f" ({outcome.reason})" if outcome.reason else "")

    async def _record(self, job: Job, outcome, still_held) -> None:
        async with self.store.transaction():
            if await record_outcome(self.store, job, outcome, self.clock(), still_held=still_held):
                await self.queries.notify(f"{outcome.kind} {job.id}")
