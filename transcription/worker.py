"""Transcription in a worker process: a crash or out-of-memory in the model cannot take the bot down.

The worker writes its progress straight into the job's row (SQLite in WAL mode lets it write beside the bot),
so the bot can show a percentage without any channel between the processes but the database.

Each job has a wall-clock limit that grows with the length of its media (:class:`JobTimeLimit`); past it the
worker process is killed (and replaced for the next job) and :meth:`WorkerPool.run` raises :class:`JobTimedOut`.
"""

from __future__ import annotations

import asyncio
import logging
import math
import multiprocessing
import sqlite3
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


class WorkerCrashed(RuntimeError):
    """The worker process died (crash, or killed for using too much memory)."""


class JobTimedOut(RuntimeError):
    """The job ran past its wall-clock limit, and its worker process was killed."""


@dataclass(frozen=True, slots=True)
class JobTimeLimit:
    """How long a job may run, in wall-clock seconds: ``max(floor, per_audio_second * duration) + extra``.

    ``extra`` covers starting the worker and loading a model (converting an openai-whisper checkpoint the first
    time). The defaults leave room for the slowest engine and model (openai-whisper base translating runs at about
    real time on 2 cores) while stopping a job that hangs.
    """

    floor: float = 60.0
    per_audio_second: float = 3.0
    extra: float = 120.0

    def seconds(self, duration: float) -> float:
        """The limit for media of ``duration`` seconds."""
        return max(self.floor, self.per_audio_second * max(0.0, duration)) + self.extra


@dataclass(frozen=True, slots=True)
class JobSpec:
    """Everything a worker needs, as plain picklable values."""

    job_id: int
    database: str
    media_path: str
    engine: str
    model: str
    language: str | None
    translate: bool
    max_bytes: int
    max_seconds: float
    threads: int = 2
    batch_size: int | None = None  # None: the engine's default; 0: sequential, with sentence-level timestamps
    duration: float | None = None  # the media's probed length, for the time limit; None: max_seconds


class _ProgressWriter:
    """Record the fraction done in the job's row, at most once a second."""

    def __init__(self, database: str, job_id: int) -> None:
        self.database = database
        self.job_id = job_id
        self._last = 0.0

    def __call__(self, fraction: float) -> None:
        now = time.monotonic()
        if now - self._last < 1.0 and fraction < 1.0:
            return
        self._last = now
        try:
            with sqlite3.connect(self.database, timeout=5) as conn:
                conn.execute(
                    "UPDATE transcription_jobs SET progress = ? WHERE id = ?",
                    (max(0.0, min(1.0, fraction)), self.job_id),
                )
        except sqlite3.Error:
            log.debug("could not record progress of job %s", self.job_id, exc_info=True)


def run_job(spec: JobSpec) -> dict[str, Any]:
    """Transcribe one file; runs in the worker process. Bad media come back as a reason, not an exception."""
    from . import transcribe_file
    from .errors import MediaError

    started = time.perf_counter()
    try:
        transcript = transcribe_file(
            spec.media_path,
            engine=spec.engine,
            model=spec.model,
            language=spec.language,
            translate=spec.translate,
            max_bytes=spec.max_bytes,
            max_seconds=spec.max_seconds,
            threads=spec.threads,
            batch_size=spec.batch_size,
            on_progress=_ProgressWriter(spec.database, spec.job_id),
        )
    except MediaError as error:
        return {"ok": False, "reason": error.reason}
    return {"ok": True, "transcript": transcript.to_dict(), "seconds": time.perf_counter() - started}


class WorkerPool:
    """One worker process (started on first use, replaced if it dies or is stopped), fed through the event loop's
    executor. Jobs are stopped at ``time_limit`` (see :class:`JobTimeLimit`)."""

    def __init__(self, processes: int = 1, time_limit: JobTimeLimit | None = None) -> None:
        self.processes = processes
        self.time_limit = time_limit or JobTimeLimit()
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"))
        return self._pool

    def limit_for(self, spec: JobSpec) -> float:
        """The job's wall-clock limit in seconds (from its media's length, else from the length limit)."""
        return self.time_limit.seconds(spec.duration if spec.duration is not None else spec.max_seconds)

    async def run(self, spec: JobSpec) -> dict[str, Any]:
        """Run a job in the worker; raise :class:`WorkerCrashed` if the process died under it, and
        :class:`JobTimedOut` (after killing the process) if it ran past its limit."""
        loop = asyncio.get_running_loop()
        limit = self.limit_for(spec)
        try:
            return await asyncio.wait_for(loop.run_in_executor(self._executor(), run_job, spec), limit)
        except BrokenProcessPool as error:
            self._discard()
            raise WorkerCrashed("the transcription worker stopped unexpectedly (crash or out of memory)") from error
        except TimeoutError:
            log.warning("transcription job %s ran past its %.0f s limit; stopping its worker", spec.job_id, limit)
            await self._kill()
            raise JobTimedOut(
                f"the transcription took longer than its time limit ({_in_words(limit)}) and was stopped"
            ) from None

    def worker_pids(self) -> list[int]:
        """The worker processes' ids (for monitoring and tests)."""
        processes = getattr(self._pool, "_processes", None) or {}
        return list(processes)

    async def _kill(self) -> None:
        """Kill the worker processes now and wait until they are gone; the next job starts a fresh one."""
        processes = list((getattr(self._pool, "_processes", None) or {}).values())
        for process in processes:
            process.kill()
        self._discard()
        await asyncio.to_thread(_reap, processes)

    def _discard(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def close(self) -> None:
        """Stop the worker processes."""
        self._discard()


def _reap(processes: list[multiprocessing.Process]) -> None:
    for process in processes:
        process.join(timeout=10)


def _in_words(seconds: float) -> str:
    if seconds < 90:
        return f"{max(1, round(seconds))} seconds"
    return f"{math.ceil(seconds / 60)} minutes"
