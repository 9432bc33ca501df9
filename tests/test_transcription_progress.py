"""Progress on long files: the worker records the fraction done in the job's row, and the bot edits its
"transcribing" message with the percentage (only when it changed, and never 0% or 100%)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from demo.driver import WitnessSteps, make_world
from transcription.worker import _ProgressWriter

pytestmark = pytest.mark.simcord(settle_timeout=60)

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


async def queued_job(store, *, user_id: int, message_id: int) -> int:
    """A recording's rows as the queue writes them, for a job the worker has just started."""
    async with store.transaction():
        media_id = await store.media.add_media(
            sha256="ab" * 32, path="ab/long.ogg", filename="long.ogg", content_type="audio/ogg", size=1, now=NOW
        )
        item_id = await store.media.add_item(
            media_id=media_id, kind="voice", now=NOW, discord_message_id=message_id, user_id=user_id
        )
        job_id = await store.media.add_job(
            media_id=media_id, item_id=item_id, engine="faster-whisper", model="tiny.en", language=None,
            translate=False, now=NOW,
        )  # fmt: skip
    return job_id


async def progress_in_row(store, job_id: int) -> float:
    row = await store.fetch_one("SELECT progress FROM transcription_jobs WHERE id = ?", (job_id,))
    return row["progress"]


async def test_the_worker_records_progress_at_most_once_a_second_and_always_the_end(store):
    job_id = await queued_job(store, user_id=7, message_id=1)
    async with store.transaction():
        assert (await store.media.claim_job(NOW)).id == job_id  # progress is written only while the job runs
    write = _ProgressWriter(str(store.target), job_id)  # the database as the queue names it to the worker
    try:
        write(0.25)
        assert await progress_in_row(store, job_id) == pytest.approx(0.25)
        write(0.5)  # within the second: not written, the database is spared
        assert await progress_in_row(store, job_id) == pytest.approx(0.25)
        write(1.0)  # the end is always written
        assert await progress_in_row(store, job_id) == pytest.approx(1.0)
        write(1.7)  # clamped
        assert await progress_in_row(store, job_id) == pytest.approx(1.0)
    finally:
        write.close()


async def test_the_transcribing_message_shows_the_percentage_done(simcord_env, simcord_bot, store):
    world = await make_world(simcord_env, simcord_bot)
    await world.open_call()
    steps = WitnessSteps(world, world.witness("margaret"))
    await steps.start()
    user = await world.bot.fetch_user(steps.witness.id)
    told = await user.send("Got your voice message (42 min). I will add it to Q1 of your evidence to SCI.")
    job_id = await queued_job(store, user_id=steps.witness.id, message_id=told.id)
    async with store.transaction():
        await store.media.set_notify(job_id, told.channel.id, told.id)
        assert (await store.media.claim_job(NOW)).id == job_id
    cog = world.bot.get_cog("VoiceEvidenceCog")

    async def tick(fraction: float) -> str:
        write = _ProgressWriter(str(store.target), job_id)  # as the worker does, from its own process
        try:
            write(fraction)
        finally:
            write.close()
        await cog.progress()
        await world.env.settle()
        return next(m.content for m in steps.dm.history() if m.id == told.id)

    assert await tick(0.0) == told.content  # nothing to show yet
    shown = await tick(0.42)
    assert shown == f"{told.content} · transcribing: 42% done"
    assert await tick(0.875) == f"{told.content} · transcribing: 87% done"  # replaced, not appended
    assert await tick(1.0) == f"{told.content} · transcribing: 87% done"  # the transcript itself says it is done
