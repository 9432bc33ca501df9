"""procrastinate, the queue engine on PostgreSQL: its app, its schema, and taking back the jobs of dead workers.

procrastinate's workers record a heartbeat; one silent for longer than ``stalled_after`` is taken for dead. Its
engine jobs are then put back to wait (procrastinate leaves that step to its users: :func:`retry_stalled` does it,
run by the bot and by every worker), and the next worker takes the job over.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import procrastinate
import psycopg
from procrastinate.exceptions import ConnectorException
from procrastinate.schema import SchemaManager

from ..worker import libpq_url
from .names import QUEUE

log = logging.getLogger(__name__)

STALLED_AFTER = timedelta(seconds=30)  # a worker silent this long is taken for dead
_SCHEMA_LOCK = 0x45564945  # pg_advisory_lock key while the engine's schema is installed


def heartbeat_interval(stalled_after: timedelta) -> float:
    """How often a worker says it is alive: four times within the time after which it is taken for dead."""
    return max(0.5, stalled_after.total_seconds() / 4)


def make_app(database: str, *, connections: int = 3) -> procrastinate.App:
    """A procrastinate app on ``database`` (a ``postgresql://`` URL), with a small pool of its own."""
    connector = procrastinate.PsycopgConnector(conninfo=libpq_url(database), min_size=1, max_size=connections)
    return procrastinate.App(connector=connector)


async def install_schema(database: str) -> bool:
    """Create procrastinate's tables and functions in ``database`` unless they are there; True when created.
    Bot and workers may start together: an advisory lock lets one of them do it."""
    async with await psycopg.AsyncConnection.connect(libpq_url(database), autocommit=True) as conn:
        await conn.execute("SELECT pg_advisory_lock(%s)", (_SCHEMA_LOCK,))
        try:
            row = await (await conn.execute("SELECT to_regclass('procrastinate_jobs')")).fetchone()
            if row[0] is not None:
                return False
            async with conn.transaction():
                await conn.execute(SchemaManager.get_schema())
            log.info("installed the queue engine's tables (procrastinate) in the database")
            return True
        finally:
            await conn.execute("SELECT pg_advisory_unlock(%s)", (_SCHEMA_LOCK,))


async def retry_stalled(app: procrastinate.App, stalled_after: timedelta) -> int:
    """Put back to wait the engine jobs of workers silent for longer than ``stalled_after`` (forgetting those
    workers); how many. Another process doing the same at the same moment is no harm."""
    seconds = stalled_after.total_seconds()
    await app.job_manager.prune_stalled_workers(seconds)
    count = 0
    for job in await app.job_manager.get_stalled_jobs(queue=QUEUE, seconds_since_heartbeat=seconds):
        try:
            await app.job_manager.retry_job(job)
        except ConnectorException:  # already put back by someone else, or finished meanwhile
            continue
        log.warning("engine job %s (%s) had a worker that stopped; it goes to another", job.id, job.lock)
        count += 1
    return count
