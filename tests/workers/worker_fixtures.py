"""The transcription queue on a real PostgreSQL server with real `evidence-bot worker` processes.

A test opens the bot's side (:class:`BotSide`: the store, the queue service with its remote runner, and what it
told its listeners) on a fresh database, speaks a few sentences with espeak-ng, and starts workers that each have
their own working folder. The bot runs no worker of its own here, so every job is run by a worker process.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from inquiry.store import Store
from inquiry.store._queue import QueueRepo
from storage import MediaStorage
from transcription.ledger import Job
from transcription.queue import Received, TranscriptionService, TranscriptionSettings
from transcription.remote.runner import RemoteRunner

# Short sentences, each its own recording (tiny.en on espeak-ng speech: see the bound below).
SENTENCES = (
    "We found that digital exclusion was the biggest barrier for the people we support.",
    "Volunteers telephoned older residents every week during the first lockdown.",
    "The youth club moved its meetings online and lost half of its members.",
    "Local councils should fund community spaces that stay open in the evenings.",
    "What should the Government be doing to support you in your work to reach isolated groups?",
    "Many carers told us they felt invisible and exhausted by the end of the year.",
    "People living alone were the hardest to reach during the pandemic.",
)
# tiny.en with one thread on these sentences as espeak-ng speech: at most 1 word in 10 wrong here ("area" for
# "barrier"); the bound allows about 3 in 10 and fails a transcript of other speech or none.
WER_BOUND = 0.3
STALLED_AFTER = 4  # seconds: workers in these tests are taken for dead quickly


@dataclass
class BotSide:
    """The bot's half of the queue: the store, the service with its runner, and the endings it announced."""

    database: str
    media_dir: Path
    store: Store
    service: TranscriptionService
    announced: list[Job] = field(default_factory=list)

    async def receive(self, wav: bytes, message_id: int, user_id: int) -> Received:
        """A recording sent by a witness, as the bot takes it in."""
        return await self.service.receive(
            wav, f"m{message_id}.wav", "audio/wav", message_id=message_id, user_id=user_id
        )

    async def job(self, job_id: int) -> Job:
        return await self.store.media.job(job_id)

    async def wait_for(self, what: Callable[[], object], within: float, every: float = 0.25) -> None:
        """Wait until ``what()`` (sync or async) is true; fail after ``within`` seconds."""
        end = time.monotonic() + within
        while time.monotonic() < end:
            value = what()
            if asyncio.iscoroutine(value):
                value = await value
            if value:
                return
            await asyncio.sleep(every)
        raise AssertionError(f"still waiting after {within} s")

    async def states(self) -> dict[int, str]:
        rows = await self.store.fetch_all("SELECT id, state FROM transcription_jobs ORDER BY id")
        return {r[0]: r[1] for r in rows}


async def open_bot_side(database: str, media_dir: Path, storage: MediaStorage | None = None) -> BotSide:
    """The bot's side over ``database``, keeping media in ``storage`` (default: the folder ``media_dir``)."""
    store = await Store.open(database)
    side = BotSide(database, media_dir, store, None)  # type: ignore[arg-type]

    async def told(job: Job) -> None:
        side.announced.append(job)

    side.service = TranscriptionService(
        store=store,
        media_dir=media_dir,
        storage=storage,
        clock=lambda: datetime.now(UTC),
        settings=TranscriptionSettings(model="tiny.en", threads=1),
        runner=RemoteRunner(database, QueueRepo(store.db), workers=0, stalled_after=timedelta(seconds=STALLED_AFTER)),
        on_done=[told],
        on_failed=[told],
    )
    return side


async def close_bot_side(side: BotSide) -> None:
    await side.service.close()
    await side.store.close()
