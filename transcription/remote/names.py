"""What the bot, the workers and the store agree on: the engine's queue, task and lock names, the notification
channel, and the queries the remote queue needs from the store (implemented by ``inquiry.store._queue``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from ..ledger import Job

QUEUE = "transcription"  # procrastinate's queue
TASK = "transcribe"  # procrastinate's task name; its one argument is the ledger job's id
LOCK_PREFIX = "transcription-job:"  # + ledger id: the engine job's lock and queueing lock
CHANNEL = "evidence_bot_transcription"  # NOTIFY channel: a worker took or ended a job


class Candidate(Protocol):
    """A ledger job due to run and not yet handed to the engine."""

    id: int

    @property
    def work(self) -> tuple[int, str, str, bool]: ...


class QueueQueries(Protocol):
    """The queries on the ledger and the engine's tables that the remote queue needs (PostgreSQL)."""

    async def lock_dispatch(self) -> None: ...
    async def engine_backlog(self, alive_within: timedelta) -> tuple[int, int]: ...
    async def dispatchable(self, now: datetime, limit: int) -> list[Candidate]: ...
    async def hand_to_engine(self, job_id: int) -> int: ...
    async def holds(self, engine_job_id: int, worker_id: int) -> bool: ...
    async def claim(self, job_id: int, now: datetime) -> tuple[Job, str] | None: ...
    async def requeue_orphaned(self, now: datetime) -> int: ...
    async def release(self, job_id: int, now: datetime) -> bool: ...
    async def in_flight(self) -> int: ...
    async def notify(self, message: str) -> None: ...
