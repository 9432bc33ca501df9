"""Handing ledger jobs to the engine, a few at a time, in the ledger's order.

Only as many engine jobs wait as there are live workers (at least one): each worker has its next job ready when it
ends one, and which job goes next is decided as late as that, by the ledger's rule of taking turns by person. A
round runs under a PostgreSQL advisory lock, so the bot and the workers may all run rounds; a job is handed over
in the same transaction that checks it has no engine job yet.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..ledger import JobLedger
from .engine import STALLED_AFTER
from .names import QueueQueries

log = logging.getLogger(__name__)


@dataclass
class Dispatcher:
    """Hands due ledger jobs to the engine (see the module's description)."""

    store: JobLedger
    queries: QueueQueries
    clock: Callable[[], datetime]
    alive_within: timedelta = STALLED_AFTER

    async def dispatch(self) -> int:
        """One round: hand over as many due jobs as there is room for; how many."""
        async with self.store.transaction():
            await self.queries.lock_dispatch()
            workers, waiting = await self.queries.engine_backlog(self.alive_within)
            room = max(1, workers) - waiting
            if room <= 0:
                return 0
            # a few more than the room: two jobs of the same file and settings go one after the other
            candidates = await self.queries.dispatchable(self.clock(), room + 8)
            chosen, works = [], set()
            for candidate in candidates:
                if candidate.work not in works and len(chosen) < room:
                    works.add(candidate.work)
                    chosen.append(candidate.id)
            for job_id in chosen:
                await self.queries.hand_to_engine(job_id)
        if chosen:
            log.debug("handed %d transcription job(s) to the engine: %s", len(chosen), chosen)
        return len(chosen)

    async def requeue_orphaned(self) -> int:
        """Ledger jobs marked running that no engine job stands behind go back to the queue; how many."""
        async with self.store.transaction():
            count = await self.queries.requeue_orphaned(self.clock())
        if count:
            log.info("requeued %d transcription job(s) that no worker held", count)
        return count
