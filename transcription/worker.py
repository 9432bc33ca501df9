"""Transcription in a worker process: a crash or out-of-memory in the model cannot take the bot down.

The worker writes its progress straight into the job's row (SQLite in WAL mode lets it write beside the bot),
so the bot can show a percentage without any channel between the processes but the database.
"""

from __future__ import annotations

import asyncio
import logging
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
    """One worker process (started on first use, replaced if it dies), fed through the event loop's executor."""

    def __init__(self, processes: int = 1) -> None:
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"))
        return self._pool

    async def run(self, spec: JobSpec) -> dict[str, Any]:
        """Run a job in the worker; raise :class:`WorkerCrashed` if the process died under it."""
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor(), run_job, spec)
        except BrokenProcessPool as error:
            self._discard()
            raise WorkerCrashed("the transcription worker stopped unexpectedly (crash or out of memory)") from error

    def worker_pids(self) -> list[int]:
        """The worker processes' ids (for monitoring and tests)."""
        processes = getattr(self._pool, "_processes", None) or {}
        return list(processes)

    def _discard(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def close(self) -> None:
        """Stop the worker processes."""
        self._discard()
