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
import os
import signal
import sqlite3
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


class WorkerCrashed(RuntimeError):
    """The worker process died (crash, or killed for using too much memory)."""


class JobTimedOut(RuntimeError):
    """The job ran past its wall-clock limit, and its worker process was killed."""


class MediaUnavailable(RuntimeError):
    """The worker could not fetch the job's media, or what it fetched did not match its hash."""


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
    """Everything a worker needs, as plain picklable values. The worker fetches the media itself, from the storage
    ``media_storage`` names (a folder, or an ``s3://`` URL: workers on other machines read the same bucket), and
    checks it against ``media_sha256`` before transcribing."""

    job_id: int
    database: str
    media_key: str  # the file's key in the storage (its path under the media folder)
    engine: str
    model: str
    language: str | None
    translate: bool
    max_bytes: int
    max_seconds: float
    threads: int = 2
    batch_size: int | None = None  # None: the engine's default; 0: sequential, with sentence-level timestamps
    duration: float | None = None  # the media's probed length, for the time limit; None: max_seconds
    media_storage: str = ""  # where the media are kept, as ``storage.open_storage`` takes it
    media_sha256: str | None = None  # the content's hash; None: the address in its key
    work_dir: str | None = None  # where a copy fetched from a bucket is put while it is read; None: the temp folder
    device: str = "cpu"  # where the model runs: cpu, or cuda


class _ProgressWriter:
    """Record the fraction done in the job's row, at most once a second: in the SQLite file, or on the PostgreSQL
    server over one connection kept for the job (a worker on another machine reaches the ledger only so)."""

    def __init__(self, database: str, job_id: int) -> None:
        self.database = database
        self.job_id = job_id
        self._last = 0.0
        self._postgres: Any = None

    def __call__(self, fraction: float) -> None:
        now = time.monotonic()
        if now - self._last < 1.0 and fraction < 1.0:
            return
        self._last = now
        value = max(0.0, min(1.0, fraction))
        if _is_postgres(self.database):
            self._write_postgres(value)
            return
        try:
            with sqlite3.connect(self.database, timeout=5) as conn:
                conn.execute(_PROGRESS.replace("%s", "?"), (value, self.job_id))
        except sqlite3.Error:
            log.debug("could not record progress of job %s", self.job_id, exc_info=True)

    def _write_postgres(self, value: float) -> None:
        import psycopg

        try:
            if self._postgres is None or self._postgres.closed:
                self._postgres = psycopg.connect(libpq_url(self.database), autocommit=True, connect_timeout=5)
            self._postgres.execute(_PROGRESS, (value, self.job_id))
        except psycopg.Error:  # progress is a courtesy: the transcription goes on, the next write tries again
            log.debug("could not record progress of job %s", self.job_id, exc_info=True)
            self.close()

    def close(self) -> None:
        if self._postgres is not None:
            self._postgres.close()
            self._postgres = None


# Only while the job runs: a job taken over by another worker (this one taken for dead) is not written to.
_PROGRESS = "UPDATE transcription_jobs SET progress = %s WHERE id = %s AND state = 'running'"


def _is_postgres(database: str) -> bool:
    return database.startswith(("postgresql://", "postgres://", "postgresql+"))


def libpq_url(url: str) -> str:
    """A ``postgresql://`` URL as libpq (psycopg) takes it, without a SQLAlchemy driver name."""
    scheme, rest = url.split("://", 1)
    return f"postgresql://{rest}" if scheme.startswith(("postgresql", "postgres")) else url


def run_job(spec: JobSpec) -> dict[str, Any]:
    """Transcribe one file; runs in the worker process. Bad media come back as a reason, not an exception; media
    that cannot be fetched, or that do not match their hash, raise :class:`MediaUnavailable` (the job is tried
    again later)."""
    from storage import StorageError, address_of

    from . import transcribe_file
    from .errors import MediaError

    started = time.perf_counter()
    storage = _storage(spec.media_storage)
    sha256 = spec.media_sha256 or address_of(spec.media_key)
    work_dir = Path(spec.work_dir) if spec.work_dir else None
    progress = _ProgressWriter(spec.database, spec.job_id)
    try:
        with storage.local_copy(spec.media_key, sha256, work_dir) as path:
            transcript = transcribe_file(
                str(path),
                engine=spec.engine,
                model=spec.model,
                language=spec.language,
                translate=spec.translate,
                max_bytes=spec.max_bytes,
                max_seconds=spec.max_seconds,
                threads=spec.threads,
                batch_size=spec.batch_size,
                device=spec.device,
                on_progress=progress,
            )
    except MediaError as error:
        return {"ok": False, "reason": error.reason}
    except StorageError as error:
        raise MediaUnavailable(f"the recording could not be read: {error}") from None
    finally:
        progress.close()
    return {"ok": True, "transcript": transcript.to_dict(), "seconds": time.perf_counter() - started}


_storages: dict[str, Any] = {}


def _storage(spec: str):
    """The storage a job names, opened once per worker process (an S3 client takes a while to make)."""
    from storage import open_storage

    if not spec:
        raise ValueError("the job does not say where its media are kept")
    if spec not in _storages:
        _storages[spec] = open_storage(spec)
    return _storages[spec]


class WorkerPool:
    """One worker process (started on first use, replaced if it dies or is stopped), fed through the event loop's
    executor. Jobs are stopped at ``time_limit`` (see :class:`JobTimeLimit`)."""

    def __init__(self, processes: int = 1, time_limit: JobTimeLimit | None = None) -> None:
        self.processes = processes
        self.time_limit = time_limit or JobTimeLimit()
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_die_with_parent,
                initargs=(os.getpid(),),
            )
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

    async def kill(self) -> None:
        """Stop the job in progress at once (its worker process killed); the next job starts a fresh process."""
        await self._kill()

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


def _die_with_parent(parent: int) -> None:
    """In the worker process (Linux): be killed when the process that started it dies, so that a bot or worker
    killed outright leaves no transcription running on behind it."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the request was made
        os._exit(1)


_PR_SET_PDEATHSIG = 1


def _reap(processes: list[multiprocessing.Process]) -> None:
    for process in processes:
        process.join(timeout=10)


def _in_words(seconds: float) -> str:
    if seconds < 90:
        return f"{max(1, round(seconds))} seconds"
    return f"{math.ceil(seconds / 60)} minutes"
