"""How a transcription job ends, the same wherever it ran: in the bot's own worker process (SQLite, or PostgreSQL
with the bot's workers) or in an ``evidence-bot worker`` on another machine.

:func:`job_spec` says what the worker process needs; :func:`judge` turns what it returned (or the exception it
raised) into an :class:`Outcome` by the queue's rules: a failure is retried with back-off, up to
:data:`MAX_ATTEMPTS` tries; a job stopped at its time limit is tried once more, then fails for good; media that
cannot be transcribed fail at once with the reason. :func:`record_outcome` writes it into the job ledger.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from .ledger import Job, JobLedger, MediaItem, MediaRow
from .worker import JobSpec, JobTimedOut

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
TIMEOUT_ATTEMPTS = 2  # a job stopped at its time limit is tried once more, then fails for good
RETRY_DELAYS = (timedelta(seconds=30), timedelta(minutes=2))


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one attempt ended: ``done`` with its result, ``retry`` after ``delay`` with the reason, or ``failed``
    for good with the reason."""

    kind: str
    result: dict[str, Any] | None = None
    reason: str | None = None
    delay: timedelta | None = None

    @property
    def ended(self) -> bool:
        """The job has its final state (its listeners are told)."""
        return self.kind != "retry"


def job_spec(
    job: Job,
    media: MediaRow,
    item: MediaItem | None,
    *,
    database: str,
    media_storage: str,
    work_dir: str | None,
    max_bytes: int,
    max_seconds: float,
    threads: int,
    device: str = "cpu",
) -> JobSpec:
    """What the worker process needs to transcribe ``job``'s media."""
    return JobSpec(
        job_id=job.id,
        database=database,
        media_key=media.path,
        media_storage=media_storage,
        media_sha256=media.sha256,
        work_dir=work_dir,
        engine=job.engine,
        model=job.model,
        language=job.language,
        translate=job.translate,
        max_bytes=max_bytes,
        max_seconds=max_seconds,
        threads=threads,
        device=device,
        # Oral sessions attribute segments to questions by time: they need sentence-level timestamps, which
        # batched decoding (faster, the default) does not give.
        batch_size=0 if item is not None and item.session_id is not None else None,
        duration=media.duration,
    )


def judge(job: Job, returned: dict[str, Any] | BaseException) -> Outcome:
    """The outcome of an attempt at ``job`` (its ``attempts`` counting this one) from what the worker process
    returned, or the exception it raised."""
    if isinstance(returned, JobTimedOut):
        log.warning("transcription job %s stopped at its time limit (attempt %d)", job.id, job.attempts)
        if job.attempts >= TIMEOUT_ATTEMPTS:
            return Outcome("failed", reason=f"{returned} (tried {job.attempts} times)")
        return _retry_or_fail(job, str(returned))
    if isinstance(returned, BaseException):  # a crash, unreadable media, any failure in the worker
        log.warning("transcription job %s failed (attempt %d): %s", job.id, job.attempts, returned)
        return _retry_or_fail(job, describe(returned))
    if not returned["ok"]:
        return Outcome("failed", reason=returned["reason"])
    # how long the worker spent (probe, model load when cold, transcription): for estimates and audit
    return Outcome("done", result={**returned["transcript"], "compute_seconds": round(returned["seconds"], 3)})


def judge_interrupted(job: Job) -> Outcome | None:
    """A job taken over from a worker that stopped in the middle of it (killed, or its machine lost): None to run
    it again, or its failure when its attempts (this one counted) are used up."""
    if job.attempts <= MAX_ATTEMPTS:
        return None
    reason = f"transcription was interrupted {job.attempts - 1} times (its worker stopped)"
    return Outcome("failed", reason=f"{reason}; last error: {job.error}" if job.error else reason)


def _retry_or_fail(job: Job, reason: str) -> Outcome:
    if job.attempts >= MAX_ATTEMPTS:
        return Outcome("failed", reason=f"transcription failed {job.attempts} times; last error: {reason}")
    return Outcome("retry", reason=reason, delay=RETRY_DELAYS[min(job.attempts - 1, len(RETRY_DELAYS) - 1)])


async def record_outcome(
    store: JobLedger,
    job: Job,
    outcome: Outcome,
    now: datetime,
    *,
    still_held: Callable[[], Awaitable[bool]] | None = None,
) -> bool:
    """Write ``outcome`` into the ledger in one transaction (the item follows a result or a failure). A worker
    passes ``still_held``, checked first inside the transaction: one that lost the job (taken for dead, the job
    given to another) writes nothing. False when nothing was written."""
    async with store.transaction():
        if still_held is not None and not await still_held():
            log.warning("job %s was given to another worker meanwhile; its outcome here is dropped", job.id)
            return False
        if outcome.kind == "done":
            changed = await store.media.finish_job(job.id, outcome.result, now)
            status = "transcribed"
        elif outcome.kind == "failed":
            changed = await store.media.fail_job(job.id, outcome.reason, now)
            status = "failed"
        else:
            return await store.media.retry_job(job.id, outcome.reason, now + outcome.delay, now)
        if changed and job.item_id:
            await store.media.advance_item(job.item_id, status)
        return changed


def describe(error: BaseException) -> str:
    """One line saying what went wrong."""
    text = str(error) or type(error).__name__
    return text.splitlines()[0][:300]
