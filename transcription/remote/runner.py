"""The bot's side of the queue on PostgreSQL: it hands jobs to the engine, hears when workers end them, and tells
the witnesses; it may start workers of its own, as ``evidence-bot worker`` processes beside it.

The bot keeps no task of its own running forever: like the embedded queue's run, a run here (see
``TranscriptionService.run_ready``) hands due jobs over, then follows them, woken by the workers' notifications
(or every few seconds, should one be lost), announcing each ending, until none is in flight. Retries whose wait is
over are picked up by the next run (the bot starts one every few seconds while jobs are pending) and by the
workers themselves, who also take back the jobs of dead workers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import tempfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg

from ..worker import libpq_url
from .dispatcher import Dispatcher
from .engine import STALLED_AFTER, install_schema
from .names import CHANNEL, QueueQueries
from .processes import WorkerProcesses

if TYPE_CHECKING:
    from ..queue import TranscriptionService

log = logging.getLogger(__name__)


@dataclass
class RemoteRunner:
    """Runs the transcription queue of a service on procrastinate in the PostgreSQL ``database``, starting
    ``workers`` worker processes beside the bot (0: only workers started elsewhere)."""

    database: str
    queries: QueueQueries
    workers: int = 1
    stalled_after: timedelta = STALLED_AFTER
    threads: int | None = None  # per job in the bot's workers; None: the service's setting
    _dispatcher: Dispatcher | None = field(default=None, repr=False)
    _processes: WorkerProcesses | None = field(default=None, repr=False)
    _listener: psycopg.AsyncConnection | None = field(default=None, repr=False)
    _folder: tempfile.TemporaryDirectory | None = field(default=None, repr=False)

    async def start(self, service: TranscriptionService) -> int:
        """Begin (once): install the engine's tables if need be, put back the ledger jobs no worker holds (how
        many is returned), and start the bot's workers."""
        if self._dispatcher is not None:
            return 0
        await install_schema(self.database)
        self._dispatcher = Dispatcher(service.store, self.queries, service.clock, self.stalled_after)
        requeued = await self._dispatcher.requeue_orphaned()
        if self.workers:
            self._folder = tempfile.TemporaryDirectory(prefix="evidence-bot-workers-")
            self._processes = WorkerProcesses(
                self.database,
                service.storage.spec,
                Path(self._folder.name),
                threads=self.threads or service.settings.threads,
                stalled_after=int(self.stalled_after.total_seconds()),
                max_mb=max(1, service.settings.max_bytes // (1024 * 1024)),
                max_minutes=max(1, round(service.settings.max_seconds / 60)),
                log_files=False,  # their lines, named after them, go with the bot's
            )
            for number in range(self.workers):
                worker = await asyncio.to_thread(self._processes.start, f"bot-worker-{number + 1}")
                log.info("started transcription worker %s (process %d)", number + 1, worker.pid)
        return requeued

    async def dispatch(self) -> int:
        """Hand due jobs to the engine now; how many (none before :meth:`start`)."""
        if self._dispatcher is None:
            return 0
        return await self._dispatcher.dispatch()

    async def in_flight(self) -> int:
        """Jobs a worker is running or that wait for one in the engine."""
        return await self.queries.in_flight()

    async def wait(self, seconds: float) -> None:
        """Until a worker takes or ends a job, or ``seconds`` pass."""
        try:
            if self._listener is None or self._listener.closed:
                self._listener = await psycopg.AsyncConnection.connect(libpq_url(self.database), autocommit=True)
                await self._listener.execute(f"LISTEN {CHANNEL}")
            async for _ in self._listener.notifies(timeout=seconds, stop_after=1):
                pass
        except psycopg.Error as error:
            log.warning("could not hear from the transcription workers (%s); looking again shortly", error)
            await self._close_listener()
            await asyncio.sleep(seconds)

    async def close(self) -> None:
        """Stop the bot's workers (a job they were running goes back to the queue) and stop listening."""
        if self._processes is not None:
            await asyncio.to_thread(self._processes.stop_all)
            self._processes = None
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None
        await self._close_listener()
        self._dispatcher = None

    async def _close_listener(self) -> None:
        if self._listener is not None:
            with contextlib.suppress(psycopg.Error):
                await self._listener.close()
            self._listener = None
