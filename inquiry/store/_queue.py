"""Queries of the transcription queue on PostgreSQL, where procrastinate runs the work and the job ledger
(``transcription_jobs``) stays the record of every job (see :mod:`transcription.remote`).

Each ledger job due to run gets one procrastinate job in the queue ``transcription``, whose ``lock`` and
``queueing_lock`` are ``transcription-job:<ledger id>`` (the names are in :mod:`transcription.remote.names`):
procrastinate never runs two jobs with the same lock at once, nor queues two. Whether a ledger job has been handed
to the engine is read from procrastinate's table (a job of that lock waiting or running) rather than kept in a
column of its own, so that no handing-over can be lost or counted twice. These queries are PostgreSQL's only:
SQLite keeps its embedded queue.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from transcription.ledger import Job
from transcription.remote.names import CHANNEL, LOCK_PREFIX, QUEUE, TASK

from ._base import Repo, to_db_time
from ._media import _OWNER, _job

_DISPATCH_LOCK = 0x45564944  # pg_advisory_xact_lock key: one dispatcher at a time

_LIVE_ENGINE_JOB = (
    f"SELECT 1 FROM procrastinate_jobs p WHERE p.lock = '{LOCK_PREFIX}' || {{job}}.id AND p.status IN ('todo', 'doing')"
)


@dataclass(frozen=True, slots=True)
class Dispatchable:
    """A ledger job due to run and not yet handed to the engine, with what makes two jobs the same work."""

    id: int
    media_id: int
    engine: str
    model: str
    translate: bool

    @property
    def work(self) -> tuple[int, str, str, bool]:
        return (self.media_id, self.engine, self.model, self.translate)


class QueueRepo(Repo):
    """The ledger's side of the engine's queue (PostgreSQL only)."""

    async def lock_dispatch(self) -> None:
        """Inside a transaction: wait for any other dispatcher (the bot, a worker) to finish its round."""
        await self._one("SELECT pg_advisory_xact_lock(?)", (_DISPATCH_LOCK,))

    async def engine_backlog(self, alive_within: timedelta) -> tuple[int, int]:
        """(workers with a heartbeat within ``alive_within``, engine jobs waiting for one of them)."""
        row = await self._one(
            "SELECT (SELECT count(*) FROM procrastinate_workers WHERE last_heartbeat > now() - CAST(? AS interval)),"
            " (SELECT count(*) FROM procrastinate_jobs WHERE queue_name = ? AND status = 'todo')",
            (alive_within, QUEUE),
        )
        return int(row[0]), int(row[1])

    async def dispatchable(self, now: datetime, limit: int) -> list[Dispatchable]:
        """Ledger jobs due now with no engine job, in the order the embedded queue would run them (taking turns
        by person, see ``MediaRepo.claim_job``). A job whose file is being transcribed with the same settings
        (running, or handed to the engine) waits: it will reuse that result; so does one already transcribed so."""
        live = _LIVE_ENGINE_JOB.format(job="j")
        twin_in_engine = _LIVE_ENGINE_JOB.format(job="r")
        rows = await self._all(
            f"WITH due AS (SELECT j.id, j.media_id, j.engine, j.model, j.translate, j.not_before, {_OWNER} AS owner"
            f" FROM transcription_jobs j LEFT JOIN media_items i ON i.id = j.item_id"
            f" WHERE j.state = 'queued' AND j.not_before <= ? AND NOT EXISTS ({live})"
            f" AND NOT EXISTS (SELECT 1 FROM transcription_jobs r WHERE r.media_id = j.media_id AND r.id <> j.id"
            f" AND r.engine = j.engine AND r.model = j.model AND r.translate = j.translate"
            f" AND (r.state = 'running' OR (r.state = 'done' AND r.language IS j.language)"
            f" OR EXISTS ({twin_in_engine})))),"
            f" served AS (SELECT {_OWNER} AS owner, max(j.claim_seq) AS last FROM transcription_jobs j"
            f" LEFT JOIN media_items i ON i.id = j.item_id WHERE j.claim_seq IS NOT NULL GROUP BY 1)"
            f" SELECT due.id, due.media_id, due.engine, due.model, due.translate FROM due"
            f" LEFT JOIN served ON served.owner = due.owner"
            f" ORDER BY coalesce(served.last, 0), due.not_before, due.id LIMIT ?",
            (to_db_time(now), limit),
        )
        return [Dispatchable(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows]

    async def hand_to_engine(self, job_id: int) -> int:
        """Inside the dispatch transaction: queue the engine job that runs ledger job ``job_id``; its id."""
        lock = f"{LOCK_PREFIX}{job_id}"
        row = await self._one(
            "SELECT procrastinate_defer_jobs_v1(ARRAY[CAST(ROW(CAST(? AS varchar), CAST(? AS varchar),"
            " CAST(0 AS integer), CAST(? AS text), CAST(? AS text), CAST(? AS jsonb), CAST(NULL AS timestamptz))"
            " AS procrastinate_job_to_defer_v1)])",
            (QUEUE, TASK, lock, lock, json.dumps({"job_id": job_id})),
        )
        return int(row[0][0])

    async def holds(self, engine_job_id: int, worker_id: int) -> bool:
        """Inside a transaction: whether this worker still runs this engine job (not taken for dead and the job
        given to another); the engine's row stays locked until the transaction ends, so the answer holds for the
        writes made in it."""
        row = await self._one(
            "SELECT id FROM procrastinate_jobs WHERE id = ? AND status = 'doing' AND worker_id = ? FOR UPDATE",
            (engine_job_id, worker_id),
        )
        return row is not None

    async def claim(self, job_id: int, now: datetime) -> tuple[Job, str] | None:
        """Mark ledger job ``job_id`` running (one more attempt, progress from zero) for the worker the engine gave
        it to, and return it with the state it was in: ``queued``, or ``running`` when its previous worker
        stopped in the middle of it. None when it is no longer to be run (done, failed, or erased)."""
        row = await self._one(
            "WITH previous AS (SELECT id, state FROM transcription_jobs WHERE id = ? AND state IN ('queued', 'running')"
            " FOR UPDATE) UPDATE transcription_jobs SET state = 'running', attempts = attempts + 1, progress = 0,"
            " updated_at = ?, claim_seq = (SELECT coalesce(max(claim_seq), 0) + 1 FROM transcription_jobs)"
            " FROM previous WHERE transcription_jobs.id = previous.id"
            " RETURNING transcription_jobs.*, previous.state AS previous_state",
            (job_id, to_db_time(now)),
        )
        if row is None:
            return None
        data = dict(zip(row.keys(), row, strict=True))
        previous = data.pop("previous_state")
        return _job(data), previous

    async def requeue_orphaned(self, now: datetime) -> int:
        """Ledger jobs marked running with no engine job behind them (their worker's job was lost, or they ran in
        the bot before it moved to PostgreSQL) go back to the queue; how many."""
        return await self._run(
            "UPDATE transcription_jobs SET state = 'queued', updated_at = ?"
            f" WHERE state = 'running' AND NOT EXISTS ({_LIVE_ENGINE_JOB.format(job='transcription_jobs')})",
            (to_db_time(now),),
        )

    async def in_flight(self) -> int:
        """Ledger jobs handed to the engine and not ended: waiting for a worker, or running (a worker taken for dead
        included, until another takes its job over)."""
        row = await self._one(
            "SELECT count(*) FROM transcription_jobs j WHERE j.state IN ('queued', 'running')"
            f" AND EXISTS ({_LIVE_ENGINE_JOB.format(job='j')})"
        )
        return int(row[0])

    async def notify(self, message: str) -> None:
        """Tell whoever listens on :data:`CHANNEL` (the bot) that a job was taken or ended; sent on commit."""
        await self._one("SELECT pg_notify(?, ?)", (CHANNEL, message))

    async def release(self, job_id: int, now: datetime) -> bool:
        """A worker stopped on purpose in the middle of a job: it goes back to the queue at once, the attempt not
        counted (nothing went wrong with it)."""
        return await self._changed(
            "UPDATE transcription_jobs SET state = 'queued', attempts = greatest(attempts - 1, 0), progress = 0,"
            " not_before = ?, updated_at = ? WHERE id = ? AND state = 'running'",
            (to_db_time(now), to_db_time(now), job_id),
        )
