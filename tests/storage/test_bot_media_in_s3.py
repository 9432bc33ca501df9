"""The bot with its media in a real S3-compatible bucket (EVIDENCE_BOT_MEDIA=s3://…), through SimCord and the real
Whisper model: a witness's voice message is kept in the bucket and nowhere on the bot's disk, the worker process
fetches it from the bucket and transcribes it, and /privacy forget-me deletes it from the bucket."""

from __future__ import annotations

import hashlib

import pytest

from bot import Settings, open_media
from demo.driver import WitnessSteps, make_world
from transcription.synth import spoken_samples, word_error_rate, write_media

SAID = (
    "What issues has the COVID-19 crisis raised for socially isolated groups? "
    "How are you and your organisation responding to these challenges to reach these groups?"
)
WER_BOUND = 0.2  # the text and bound of voice messages kept in a folder (tests/test_voice_evidence.py)

pytestmark = [pytest.mark.slow, pytest.mark.s3, pytest.mark.simcord(settle_timeout=180)]


@pytest.fixture
def settings(tmp_path, fresh_s3_prefix) -> Settings:
    env = {
        "EVIDENCE_BOT_DATA_DIR": str(tmp_path),
        "EVIDENCE_BOT_MEDIA": fresh_s3_prefix,
    }
    return Settings.from_env(env)


async def in_bucket(settings) -> list[str]:
    return sorted(o.key for o in await open_media(settings).list())


def on_disk(settings) -> list:
    return sorted(p for p in settings.media_dir.rglob("*") if p.is_file()) if settings.media_dir.exists() else []


async def test_a_voice_message_kept_in_the_bucket_is_transcribed_from_it_and_erased_from_it(
    simcord_env, simcord_bot, settings, tmp_path
):
    assert settings.media_storage is not None and settings.media_dir == tmp_path / "media"
    world = await make_world(simcord_env, simcord_bot)
    await world.open_call()
    margaret = world.witness("margaret")
    steps = WitnessSteps(world, margaret)
    await steps.start()
    await steps.details("Margaret Ellis")
    await steps.click("Answer the questions")
    voice = write_media(tmp_path / "voice-message.ogg", spoken_samples(SAID, tmp_path)).read_bytes()
    await steps.send_file("voice-message.ogg", voice)

    sha = hashlib.sha256(voice).hexdigest()
    assert await in_bucket(settings) == [f"{sha[:2]}/{sha}.ogg"]  # the original, kept in the bucket
    assert on_disk(settings) == []  # and nowhere on the bot's disk: the worker read it from the bucket
    transcript = steps.dm.last_message
    assert transcript.content.startswith("**Transcript of your recording for Q1")
    heard = transcript.content.splitlines()[1]
    assert word_error_rate(SAID, heard) <= WER_BOUND, heard
    store = world.bot.services.store
    [job] = [tuple(r) for r in await store.fetch_all("SELECT state, attempts FROM transcription_jobs")]
    assert job == ("done", 1)  # read from the bucket at the first attempt

    asked = await margaret.slash(world.general, "privacy forget-me")
    assert "1 recording you sent with it: the files and their transcripts" in asked.response.content
    await margaret.click(asked.response.message, label="Yes, erase my data")

    assert await in_bucket(settings) == []
    for table in ("transcription_jobs", "media_items", "media"):
        assert (await store.fetch_one(f"SELECT count(*) FROM {table}"))[0] == 0, table
