"""The outbox service: what the domain owes Discord, written with each change, and the bookkeeping of sending it.

Services call the ``*_owed`` methods inside their own transaction, next to the change that causes the effect, and
``wake()`` after it commits. The bot's sender (``cogs/_shared/outbox.py``) takes due rows with :meth:`claim`, does
what they say, and records the outcome with :meth:`sent`, :meth:`failed_attempt` or :meth:`failed_for_good`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from inquiry.outbox.models import (
    GRACE_S,
    LEASE_S,
    MAX_ATTEMPTS,
    OutboxKind,
    OutboxRow,
    OutboxState,
    retry_delay,
    submission_subject,
)
from inquiry.store import Store

log = logging.getLogger(__name__)


class OutboxService:
    """Side effects on Discord as durable rows: owed in a transaction, sent after it, retried until done."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock
        self.listeners: list[Callable[[], None]] = []  # told when new rows have been committed

    # Owing (inside the caller's transaction) ----------------------------------------------------

    async def owe(
        self, kind: OutboxKind, key: str, subject: str, payload: dict[str, Any], *, grace: bool = False
    ) -> int | None:
        """Record an effect owed to Discord, inside the transaction of the change that causes it. With ``grace``
        the loop leaves it for a minute to the interaction that caused it (which reports the outcome to its user).
        Returns the row id, or None when an effect with this key is owed already."""
        if not self.store.in_transaction:
            raise RuntimeError("an outbox row must be written in the transaction of the change that causes it")
        now = self.clock()
        due = now + timedelta(seconds=GRACE_S) if grace else None
        return await self.store.outbox.add(kind, key, subject, payload, now, due)

    async def receipt_owed(self, submission_id: int, reference: str) -> int | None:
        """The witness's receipt for a submission just received."""
        subject = submission_subject(submission_id, "receipt")
        payload = {"submission_id": submission_id}
        return await self.owe(OutboxKind.RECEIPT, f"receipt:{submission_id}:{reference}", subject, payload, grace=True)

    async def forum_post_owed(self, submission_id: int) -> int | None:
        """The submission's post in the evidence forum, made once."""
        subject = submission_subject(submission_id, "forum")
        payload = {"submission_id": submission_id}
        return await self.owe(OutboxKind.FORUM_POST, f"forum-post:{submission_id}", subject, payload)

    async def forum_update_owed(
        self, submission_id: int, change_id: int, note: str | None, *, actor_id: int | None = None, **extra: Any
    ) -> int | None:
        """Bring the forum post up to date (title, tags) and add ``note``. ``change_id`` (the audit entry of the
        change) makes it once per change; ``{actor}`` in the note becomes the actor's name when it is sent."""
        payload = {"submission_id": submission_id, "note": note, "actor_id": actor_id, **extra}
        subject = submission_subject(submission_id, "forum")
        return await self.owe(OutboxKind.FORUM_UPDATE, f"forum-update:{submission_id}:{change_id}", subject, payload)

    async def witness_notice_owed(
        self, submission_id: int, change_id: int, status: str, reason: str | None
    ) -> int | None:
        """Tell the witness of a decision (``status``, with its reason) by direct message."""
        payload = {"submission_id": submission_id, "status": status, "reason": reason}
        subject = submission_subject(submission_id, "witness")
        key = f"notice:{submission_id}:{change_id}"
        return await self.owe(OutboxKind.WITNESS_NOTICE, key, subject, payload, grace=True)

    async def forum_delete_owed(self, submission_id: int, thread_id: int) -> int | None:
        """Delete a forum post (its submission was erased)."""
        subject = submission_subject(submission_id, "forum")
        return await self.owe(OutboxKind.FORUM_DELETE, f"forum-delete:{thread_id}", subject, {"thread_id": thread_id})

    async def owe_now(self, kind: OutboxKind, key: str, subject: str, payload: dict[str, Any]) -> int | None:
        """Record an effect in a transaction of its own and wake the sender (for a change already committed)."""
        async with self.store.transaction():
            row_id = await self.owe(kind, key, subject, payload)
        self.wake()
        return row_id

    def wake(self) -> None:
        """Tell the sender that rows have been committed. Call after the transaction."""
        for listener in list(self.listeners):
            try:
                listener()
            except Exception:
                log.exception("an outbox listener failed")

    # Sending ------------------------------------------------------------------------------------

    async def due(self, limit: int = 20) -> list[OutboxRow]:
        """Rows to send now, oldest first (one subject's rows in order)."""
        return await self.store.outbox.due(self.clock(), limit)

    async def next_due(self) -> datetime | None:
        """When the next pending row falls due, if any."""
        return await self.store.outbox.next_due()

    async def get(self, row_id: int) -> OutboxRow | None:
        """One row as stored now."""
        return await self.store.outbox.get(row_id)

    async def latest(self, submission_id: int, kind: OutboxKind) -> OutboxRow | None:
        """The latest row of ``kind`` about a submission."""
        channel = {OutboxKind.RECEIPT: "receipt", OutboxKind.WITNESS_NOTICE: "witness"}.get(kind, "forum")
        return await self.store.outbox.latest(submission_subject(submission_id, channel), kind)

    async def claim(self, row_id: int, *, now: bool = False) -> OutboxRow | None:
        """Take a pending row for one attempt, provided no older row of its subject is pending; it must be due,
        unless ``now`` (the interaction that caused it sends it at once). None when it cannot be taken."""
        moment = self.clock()
        async with self.store.transaction():
            row = await self.store.outbox.get(row_id)
            if row is None or row.state is not OutboxState.PENDING or not await self._first_of_subject(row):
                return None
            lease = moment + timedelta(seconds=LEASE_S)
            if not await self.store.outbox.claim(row_id, lease, due_by=None if now else moment):
                return None
        return await self.store.outbox.get(row_id)

    async def progress(self, row: OutboxRow, **changes: Any) -> OutboxRow:
        """Record how far a row has gone (messages sent ...), so a retry carries on from there."""
        merged = {**row.progress, **changes}
        async with self.store.transaction():
            await self.store.outbox.save_progress(row.id, merged)
        return await self.store.outbox.get(row.id)

    async def link_forum_post(self, row: OutboxRow, submission_id: int, thread_id: int) -> tuple[OutboxRow, bool]:
        """Record a forum post just made (or found), before anything else: on the row and on its submission, at
        once. False when the submission has another post linked already, or was erased (this one is extra)."""
        merged = {**row.progress, "thread_id": thread_id}
        async with self.store.transaction():
            linked = await self.store.submissions.link_forum_thread(submission_id, thread_id)
            if linked:
                await self.store.outbox.save_progress(row.id, merged)
        return await self.store.outbox.get(row.id), linked

    async def sent(self, row: OutboxRow, note: str | None = None) -> None:
        """The row's effect is done (``note`` says how, when it was not the plain way)."""
        async with self.store.transaction():
            await self.store.outbox.mark_sent(row.id, note, self.clock())

    async def failed_attempt(self, row: OutboxRow, error: str) -> OutboxState:
        """An attempt failed: retry later with back-off, or fail for good after the last attempt."""
        if row.attempts >= MAX_ATTEMPTS:
            await self.failed_for_good(row, f"{error} (after {row.attempts} attempts)")
            return OutboxState.FAILED
        async with self.store.transaction():
            await self.store.outbox.mark_retry(row.id, error[:1000], self.clock() + retry_delay(row.attempts))
        log.debug("outbox row %s (%s) failed, attempt %d: %s", row.id, row.key, row.attempts, error)
        return OutboxState.PENDING

    async def failed_for_good(self, row: OutboxRow, error: str) -> None:
        """The effect cannot be done: stop trying and keep the reason."""
        async with self.store.transaction():
            await self.store.outbox.mark_failed(row.id, error[:1000], self.clock())
        log.error("outbox row %s (%s, %s) failed for good: %s", row.id, row.kind.value, row.key, error)

    # Reading ------------------------------------------------------------------------------------

    async def of_submission(self, submission_id: int) -> list[OutboxRow]:
        """Every row about a submission, oldest first."""
        rows = []
        for channel in ("forum", "receipt", "witness"):
            rows += await self.store.outbox.of_subject(submission_subject(submission_id, channel))
        return sorted(rows, key=lambda r: r.id)

    async def in_state(self, state: OutboxState) -> list[OutboxRow]:
        """Rows in one state, oldest first."""
        return await self.store.outbox.in_state(state)

    async def counts(self) -> dict[str, int]:
        """How many rows are pending, sent and failed."""
        return await self.store.outbox.count_by_state()

    async def _first_of_subject(self, row: OutboxRow) -> bool:
        for other in await self.store.outbox.of_subject(row.subject):
            if other.state is OutboxState.PENDING:
                return other.id == row.id
        return True
