"""A witness's limits and the free-disk guard through SimCord: past a limit the bot says which and when they can
send again, and keeps nothing of the file; with the disk nearly full it refuses new media and says so."""

from __future__ import annotations

import pytest

from demo.driver import WitnessSteps, make_world
from transcription.intake import IntakeLimits
from transcription.synth import tone, write_media

pytestmark = [pytest.mark.slow, pytest.mark.simcord(settle_timeout=180)]


@pytest.fixture
async def witness_on_q1(simcord_env, simcord_bot):
    world = await make_world(simcord_env, simcord_bot)
    await world.open_call()
    steps = WitnessSteps(world, world.witness("margaret"))
    await steps.start()
    await steps.details("Margaret Ellis")
    await steps.click("Answer the questions")
    return world, steps


def clip(tmp_path, hz: float) -> bytes:
    return write_media(tmp_path / f"clip-{hz:g}.wav", tone(1.0, hz)).read_bytes()


async def items(world) -> int:
    return (await world.bot.services.store.fetch_one("SELECT count(*) FROM media_items"))[0]


def kept(world) -> list:
    folder = world.bot.transcription.media_dir
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


async def test_past_the_files_an_hour_the_witness_is_told_the_limit_and_when(witness_on_q1, tmp_path):
    world, steps = witness_on_q1
    world.bot.transcription.settings.limits = IntakeLimits(files_per_hour=2, pending_per_person=0)
    for hz in (300, 310):
        await steps.send_file(f"clip-{hz}.wav", clip(tmp_path, hz))
    assert await items(world) == 2
    await steps.send_file("clip-320.wav", clip(tmp_path, 320))
    reply = steps.dm.last_message.content
    assert "You have sent 2 files in the last hour, the most I take from one person in an hour." in reply
    assert "You can send another in about" in reply
    assert await items(world) == 2
    assert len(kept(world)) == 2


async def test_with_the_disk_nearly_full_new_recordings_are_refused(witness_on_q1, tmp_path):
    world, steps = witness_on_q1
    world.bot.transcription.settings.limits = IntakeLimits(min_free_bytes=1 << 60)  # more than any disk has
    await steps.send_file("clip.wav", clip(tmp_path, 300))
    assert "almost out of disk space" in steps.dm.last_message.content
    assert await items(world) == 0 and kept(world) == []
