"""Reminders before oral evidence sessions, kept as rows: a restart loses none and none is sent twice.

Each reminder row is due at a fixed time before the start. Whoever is told is recorded before the message goes out,
so a crash in the middle of a round can at worst leave one person untold, never tell anyone twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from inquiry.sessions.models import DueReminder, SessionStatus
from inquiry.sessions.rules import reminder_recipients
from inquiry.store import Store

log = logging.getLogger(__name__)


class ReminderService:
    """Finds the reminders that are due and records who has been told."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock

    async def due(self) -> list[DueReminder]:
        """Reminders now due, each with the people not yet told; stale ones (session started) are retired."""
        now = self.clock()
        found: list[DueReminder] = []
        for reminder in await self.store.sessions.due_reminders(now):
            session = await self.store.sessions.get(reminder.session_id)
            if session is None or session.status is not SessionStatus.SCHEDULED or now >= session.starts_at:
                await self.finish(reminder.id, "not sent: the session had already started")
                continue
            inquiry = await self.store.inquiries.get(session.inquiry_id)
            told = await self.store.sessions.told(reminder.id)
            recipients = tuple(r for r in reminder_recipients(session) if r.user_id not in told)
            found.append(DueReminder(reminder, session, inquiry.guild_id, inquiry.code, inquiry.title, recipients))
        return found

    async def claim(self, reminder_id: int, user_id: int) -> bool:
        """Mark a person as told before telling them; False when they already were."""
        async with self.store.transaction():
            return await self.store.sessions.claim_delivery(reminder_id, user_id, self.clock())

    async def delivered(self, reminder_id: int, user_id: int, ok: bool) -> None:
        """Whether the message reached them (closed direct messages do not)."""
        async with self.store.transaction():
            await self.store.sessions.set_delivered(reminder_id, user_id, ok)

    async def finish(self, reminder_id: int, outcome: str) -> None:
        """The round is over: the reminder is never sent again."""
        async with self.store.transaction():
            await self.store.sessions.finish_reminder(reminder_id, self.clock(), outcome)

    async def next_due(self) -> datetime | None:
        """When the next unsent reminder falls due, if any."""
        return await self.store.sessions.next_reminder_due()
