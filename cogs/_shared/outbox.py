"""The outbox sender: a loop that does on Discord what the domain's changes owe (receipts, forum posts and their
updates, decisions told to witnesses, deletions owed by erasures), retrying with back-off until it is done.

Rows are written by the services in the transaction of the change that causes them (``inquiry.outbox``), so a
restart or a failed call loses nothing. The loop wakes when rows are committed and sleeps until the next one falls
due. Each kind of row has a handler here (registered with :func:`handles`); a handler records its progress on the
row (a forum post made, messages sent) so a retry carries on where the last attempt stopped, and never does twice
what it did once. Failures that retrying cannot mend (closed DMs, a deleted channel, missing permissions) end the
row at once; others are retried with exponential back-off, then end it. Either way the failure is logged and, where
there is one, noted in the submission's forum post for the secretariat.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import discord
from discord.ext import commands

from cogs._shared.format import clip
from inquiry.outbox.models import OutboxKind, OutboxRow, OutboxState

log = logging.getLogger(__name__)

LONGEST_SLEEP = 3600.0  # look again at least hourly, whatever the rows say
SHORTEST_SLEEP = 1.0  # new rows wake the loop at once; a round never follows another without a pause
ROUND_FAILED_SLEEP = 30.0
CLOSED_DMS = 50007

Handler = Callable[[object, OutboxRow, "OutboxCog"], Awaitable[str | None]]
Fallback = Callable[[OutboxRow], Awaitable[None]]


class Undeliverable(Exception):
    """The effect cannot be done, and retrying will not change that."""


@dataclass(frozen=True, slots=True)
class Delivery:
    """What became of a row: sent, still pending (it will be retried), or failed for good."""

    state: OutboxState
    note: str | None = None  # how it was done, when not the plain way; or the last error
    unreachable: bool = False  # the person's direct messages are closed

    @property
    def sent(self) -> bool:
        return self.state is OutboxState.SENT


@dataclass(frozen=True, slots=True)
class _Entry:
    handler: Handler
    what: str  # "the receipt", for reports: "Could not send the receipt: ..."


HANDLERS: dict[OutboxKind, _Entry] = {}


def handles(kind: OutboxKind, what: str):
    """Register the function that does what rows of ``kind`` ask: ``async (bot, row, sender) -> note | None``."""

    def register(handler: Handler) -> Handler:
        HANDLERS[kind] = _Entry(handler, what)
        return handler

    return register


def is_permanent(error: BaseException) -> bool:
    """Whether retrying cannot mend this failure."""
    if isinstance(error, Undeliverable | discord.Forbidden | discord.NotFound):
        return True
    if isinstance(error, discord.HTTPException):
        return error.status < 500 and error.status != 429
    return False


def describe(error: BaseException) -> str:
    if isinstance(error, discord.HTTPException):
        if error.code == CLOSED_DMS:
            return "the witness's direct messages are closed"
        return f"Discord said {error.status} {error.text or error.__class__.__name__}".strip()
    return str(error) or error.__class__.__name__


class OutboxCog(commands.Cog):
    """Sends what the outbox owes Discord, and retries it: one background task, woken when rows are committed,
    asleep until the next row falls due."""

    def __init__(self, bot) -> None:
        self.bot = bot
        self.outbox = bot.services.outbox
        self._inflight: dict[int, asyncio.Future[Delivery]] = {}
        self._task: asyncio.Task | None = None
        self._nap: asyncio.Task | None = None
        self._woken = False

    async def cog_load(self) -> None:
        self.outbox.listeners.append(self.wake)
        self._task = asyncio.get_running_loop().create_task(self._serve(), name="outbox sender")

    async def cog_unload(self) -> None:
        if self.wake in self.outbox.listeners:
            self.outbox.listeners.remove(self.wake)
        if self._task is not None:
            self._task.cancel()

    def wake(self) -> None:
        """Look at the outbox again now (rows were just committed)."""
        self._woken = True
        if self._nap is not None:
            self._nap.cancel()

    async def _serve(self) -> None:
        await self.bot.wait_until_ready()
        while True:
            self._woken = False
            try:
                await self.send_due()
                delay = await self._until_next()
            except Exception:
                log.exception("the outbox round failed; it will be tried again")
                delay = ROUND_FAILED_SLEEP
            if self._woken:
                continue
            self._nap = asyncio.get_running_loop().create_task(asyncio.sleep(delay), name="outbox sender asleep")
            try:
                await asyncio.wait([self._nap])
            finally:
                self._nap.cancel()
                self._nap = None

    async def send_due(self) -> int:
        """Send every row that is due now; how many were tried."""
        tried: set[int] = set()
        while due := [row for row in await self.outbox.due() if row.id not in tried]:
            for row in due:  # a row found due again in this round waits for the next one
                tried.add(row.id)
                await self._run(row.id)
        return len(tried)

    async def _until_next(self) -> float:
        next_due = await self.outbox.next_due()
        if next_due is None:
            return LONGEST_SLEEP
        seconds = (next_due - self.bot.services.clock()).total_seconds()
        return min(LONGEST_SLEEP, max(SHORTEST_SLEEP, seconds))

    async def deliver_now(self, row_id: int | None, *, fallback: Fallback | None = None) -> Delivery:
        """Send a row at once, for the interaction that caused it (it then tells its user how it went).
        ``fallback`` is tried when the recipient cannot be reached (closed DMs); if it works the row is done."""
        if row_id is None:
            return Delivery(OutboxState.SENT, "nothing was owed")
        try:
            return await self._run(row_id, now=True, fallback=fallback)
        finally:
            self.wake()  # the loop may be asleep until this row's grace ends: it plans its sleep again

    async def _run(self, row_id: int, *, now: bool = False, fallback: Fallback | None = None) -> Delivery:
        """One attempt at a row, unless an attempt at it is under way already (then its outcome)."""
        if row_id in self._inflight:
            return await asyncio.shield(self._inflight[row_id])
        future: asyncio.Future[Delivery] = asyncio.get_running_loop().create_future()
        self._inflight[row_id] = future
        try:
            row = await self.outbox.claim(row_id, now=now)
            delivery = await (self._attempt(row, fallback) if row else self._as_stored(row_id))
            future.set_result(delivery)
            return delivery
        except BaseException as error:
            future.set_exception(error)
            future.exception()  # retrieved: whoever awaits it sees it; nobody else need
            raise
        finally:
            del self._inflight[row_id]

    async def _as_stored(self, row_id: int) -> Delivery:
        row = await self.outbox.get(row_id)
        if row is None:
            return Delivery(OutboxState.FAILED, "no such outbox row")
        return Delivery(row.state, row.last_error, unreachable=bool(row.last_error and "closed" in row.last_error))

    async def _attempt(self, row: OutboxRow, fallback: Fallback | None) -> Delivery:
        entry = HANDLERS.get(row.kind)
        if entry is None:  # its feature is not loaded (yet): keep it for later
            state = await self.outbox.failed_attempt(row, f"nothing here sends {row.kind.value} rows")
            return Delivery(state, "not sent yet")
        try:
            note = await entry.handler(self.bot, row, self)
        except Exception as error:
            return await self._failed(row, entry, error, fallback)
        await self.outbox.sent(row, note)
        return Delivery(OutboxState.SENT, note)

    async def _failed(self, row: OutboxRow, entry: _Entry, error: Exception, fallback: Fallback | None) -> Delivery:
        reason = describe(error)
        unreachable = isinstance(error, discord.HTTPException) and error.code == CLOSED_DMS
        if not isinstance(error, Undeliverable | discord.HTTPException):
            log.error("outbox row %s (%s) raised", row.id, row.key, exc_info=error)
        if unreachable and fallback is not None:
            try:
                await fallback(row)
            except Exception:
                log.warning("the fallback for outbox row %s failed too", row.id, exc_info=True)
            else:
                note = f"{reason}: given privately in the channel instead"
                await self.outbox.sent(row, note)
                return Delivery(OutboxState.SENT, note, unreachable=True)
        if is_permanent(error):
            await self.outbox.failed_for_good(row, reason)
            state = OutboxState.FAILED
        else:
            state = await self.outbox.failed_attempt(row, reason)
            self.wake()  # the loop may be asleep until later than this retry
            log.warning(
                "could not deliver %s (%s, attempt %d): %s; %s",
                entry.what,
                row.key,
                row.attempts,
                reason,
                "retrying later" if state is OutboxState.PENDING else "giving up",
            )
        if state is OutboxState.FAILED:
            await self._report(row, entry, reason)
        return Delivery(state, reason, unreachable=unreachable)

    async def _report(self, row: OutboxRow, entry: _Entry, reason: str) -> None:
        """Tell the secretariat, in the submission's forum post when there is one (the log has it already)."""
        submission_id = row.payload.get("submission_id")
        if submission_id is None or row.kind in (OutboxKind.FORUM_POST, OutboxKind.FORUM_DELETE):
            return
        submission = await self.bot.services.submissions.submission(submission_id)
        if submission is None or submission.forum_thread_id is None:
            return
        try:
            thread = self.bot.get_channel(submission.forum_thread_id) or await self.bot.fetch_channel(
                submission.forum_thread_id
            )
            await thread.send(
                clip(f"⚠️ I could not deliver {entry.what} for {submission.reference}: {reason}.", 2000),
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except discord.HTTPException:
            log.warning("could not report the failure of outbox row %s in the forum", row.id, exc_info=True)


def sender(bot) -> OutboxCog:
    """The bot's outbox sender."""
    return bot.get_cog("OutboxCog")
