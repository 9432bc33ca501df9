"""The bot on PostgreSQL through SimCord: a witness's voice message is transcribed by a worker process the bot
started (`evidence-bot worker`, which holds no Discord token) and the bot alone posts the transcript."""

from __future__ import annotations

import pytest

from bot import Settings
from demo.driver import WitnessSteps, make_world
from transcription.synth import spoken_samples, word_error_rate, write_media

SAID = "What should the Government be doing to support you in your work to reach isolated groups?"
WER_BOUND = 0.3  # tiny.en: 0.0 on this sentence here; see worker_fixtures.py

pytestmark = [pytest.mark.slow, pytest.mark.simcord(settle_timeout=240), pytest.mark.timeout(600)]


@pytest.fixture
def settings(tmp_path, fresh_postgres_database) -> Settings:
    return Settings(
        token=None,
        database=fresh_postgres_database,
        media_dir=tmp_path / "media",
        export_dir=tmp_path / "exports",
        transcription_model="tiny.en",
        transcription_workers=1,
    )


@pytest.fixture(autouse=True)
async def _bot_closed(simcord_bot):
    """SimCord detaches the bot without closing it: stop its worker processes as its close would."""
    yield
    await simcord_bot.transcription.close()


async def test_a_voice_message_is_transcribed_by_a_worker_process_and_posted_by_the_bot(
    simcord_env, simcord_bot, tmp_path
):
    world = await make_world(simcord_env, simcord_bot)
    await world.open_call()
    steps = WitnessSteps(world, world.witness("margaret"))
    await steps.start()
    await steps.details("Margaret Ellis")
    await steps.click("Answer the questions")

    voice = write_media(tmp_path / "voice-message.ogg", spoken_samples(SAID, tmp_path)).read_bytes()
    await steps.send_file("voice-message.ogg", voice)

    post = steps.witness.user.dm_channel.last_message
    assert post.content.startswith("**Transcript of your recording for Q1"), post.content
    heard = post.content.splitlines()[1]
    assert word_error_rate(SAID, heard) <= WER_BOUND, heard
    store = world.bot.services.store
    [job] = await store.fetch_all("SELECT state, attempts, progress FROM transcription_jobs")
    assert tuple(job) == ("done", 1, 1.0)
    [engine_worker] = await store.fetch_all("SELECT count(*) FROM procrastinate_workers")
    assert engine_worker[0] == 1  # the bot's one worker process, registered with the engine
