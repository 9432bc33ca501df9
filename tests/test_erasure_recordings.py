"""Forget-me with a recording in an unfinished draft, through SimCord and the real Whisper model: the recording's
file, its transcript (in the job row too) and the bot's messages about it in the witness's direct messages all go.
Before erasure removed a draft's recordings first, deleting the draft cascaded to its items and left the file and
the transcript text behind."""

from __future__ import annotations

import pytest

from demo.driver import WitnessSteps, make_world
from transcription.synth import spoken_samples, write_media

SAID = "Our village phone tree rang every member of the lunch club twice a week."

pytestmark = [pytest.mark.slow, pytest.mark.simcord(settle_timeout=180)]


async def test_forget_me_takes_a_drafts_recording_its_transcript_and_the_bots_messages(
    simcord_env, simcord_bot, settings, tmp_path
):
    world = await make_world(simcord_env, simcord_bot)
    await world.open_call()
    margaret = world.witness("margaret")
    steps = WitnessSteps(world, margaret)
    await steps.start()
    await steps.details("Margaret Ellis")
    await steps.click("Answer the questions")
    voice = write_media(tmp_path / "voice-message.ogg", spoken_samples(SAID, tmp_path)).read_bytes()
    await steps.send_file("voice-message.ogg", voice)

    bots = [m for m in steps.dm.history() if m.author.id == world.bot.user.id]
    assert [m.content.split(" ")[0] for m in bots] == ["Got", "**Transcript"]
    store = world.bot.services.store
    row = await store.fetch_one("SELECT count(*) FROM transcription_jobs WHERE result_json LIKE '%lunch%'")
    assert row[0] == 1  # the transcript, kept in the job row
    assert len([p for p in settings.media_dir.rglob("*") if p.is_file()]) == 1

    asked = await margaret.slash(world.general, "privacy forget-me")
    assert "1 unfinished draft" in asked.response.content
    assert "1 recording you sent with it: the files and their transcripts" in asked.response.content
    assert "2 messages I sent you" in asked.response.content
    await margaret.click(asked.response.message, label="Yes, erase my data")

    left = [m for m in steps.dm.history() if m.author.id == world.bot.user.id]
    assert {m.id for m in left}.isdisjoint({m.id for m in bots})  # the acknowledgement and the transcript are gone
    assert [m for m in steps.dm.history() if m.author.id == margaret.id]  # hers are hers to delete
    assert [p for p in settings.media_dir.rglob("*") if p.is_file()] == []
    for table in ("transcription_jobs", "media_items", "media"):
        assert (await store.fetch_one(f"SELECT count(*) FROM {table}"))[0] == 0, table
