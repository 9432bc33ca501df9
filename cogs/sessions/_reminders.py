"""Reminders before sessions: a loop that sends the reminders that have fallen due, by direct message.

The reminders are rows in the store (see ``inquiry.sessions.reminders``), so a restart loses none and
nobody is told twice. The loop only looks at the clock and sends.
"""

from __future__ import annotations

import logging

import discord
from discord.ext import commands, tasks

from cogs.sessions import _text as say
from inquiry.sessions.models import DueReminder

log = logging.getLogger(__name__)

LONGEST_SLEEP = 6 * 3600.0  # look again at least every six hours, whatever the rows say
MARGIN = 1.0  # wake just after a reminder falls due, never just before


class SessionRemindersCog(commands.Cog):
    """Sends due reminders to the witnesses and members of upcoming sessions."""

    def __init__(self, bot) -> None:
        self.bot = bot
        self.reminders = bot.services.reminders
        self._woken = False

    async def cog_load(self) -> None:
        self.check.start()

    async def cog_unload(self) -> None:
        self.check.cancel()

    def wake(self) -> None:
        """Look at the reminders again now (a session was just scheduled)."""
        self._woken = True
        if self.check.is_running():
            self.check.change_interval(seconds=0)

    @tasks.loop(seconds=0)
    async def check(self) -> None:
        """Send every reminder that is due, then sleep until the next one falls due (six hours at most)."""
        self._woken = False
        try:
            for due in await self.reminders.due():
                await self.send(due)
            sleep = await self._until_next()
        except Exception:
            log.exception("the session reminder round failed; it will be tried again")
            sleep = 60.0
        self.check.change_interval(seconds=0 if self._woken else sleep)

    async def _until_next(self) -> float:
        next_due = await self.reminders.next_due()
        if next_due is None:
            return LONGEST_SLEEP
        seconds = (next_due - self.bot.services.clock()).total_seconds() + MARGIN
        return min(LONGEST_SLEEP, max(MARGIN, seconds))

    @check.before_loop
    async def _ready(self) -> None:
        await self.bot.wait_until_ready()

    async def send(self, due: DueReminder) -> None:
        """Tell each recipient not yet told, recording them first; then retire the reminder."""
        sent = unreachable = 0
        for recipient in due.recipients:
            if not await self.reminders.claim(due.reminder.id, recipient.user_id):
                continue
            content = say.reminder(due, recipient, self.bot.services.tz, self.bot.services.clock())
            ok = await self._direct_message(recipient.user_id, content)
            await self.reminders.delivered(due.reminder.id, recipient.user_id, ok)
            sent += ok
            unreachable += not ok
        outcome = f"sent to {sent}" + (f"; {unreachable} could not be reached" if unreachable else "")
        await self.reminders.finish(due.reminder.id, outcome)
        log.info("reminder %s of session %s: %s", due.reminder.id, due.session.id, outcome)

    async def _direct_message(self, user_id: int, content: str) -> bool:
        try:
            user = self.bot.get_user(user_id) or await self.bot.fetch_user(user_id)
            await user.send(content)
            return True
        except discord.HTTPException as error:
            log.info("could not remind user %s: %s", user_id, error)
            return False
