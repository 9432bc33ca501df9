"""A witness answers by voice in the session's thread: the recording is kept, transcribed by the real
transcription queue (Whisper tiny.en in a worker process), and the uncorrected transcript joins the record."""

from __future__ import annotations

import asyncio

import pytest

from demo.driver import make_world
from demo.sessions_scene import set_up_session
from inquiry.sessions.models import CorrectionStatus
from transcription import synth

SPOKEN = "Older people in rural villages lost their lunch clubs and their only weekly contact."
# tiny.en on this answer as espeak-ng speech: 0.0 with AVX-512, AVX2 and generic int8 kernels (0.07 once: "they're"
# for "their"); the bound allows 4 words in 14 and fails a transcript of other speech.
WER_BOUND = 0.35

pytest.importorskip("transcription.probe", reason="the transcription engine is not installed")
pytest.importorskip("faster_whisper")

pytestmark = pytest.mark.slow


@pytest.fixture
async def world(simcord_env, simcord_bot):
    return await make_world(simcord_env, simcord_bot)


def speak(text: str, path) -> bytes:
    """A WAV file of ``text`` spoken by espeak-ng."""
    return synth.speak(text, path).read_bytes()


@pytest.mark.simcord(settle_timeout=180)  # the model loads and transcribes inside the settle
async def test_a_voice_answer_is_transcribed_into_the_record(world, tmp_path):
    sw = await set_up_session(world)
    await sw.open()
    await sw.chair_does("ask", text="Who is most at risk of isolation?")
    sam = sw.witnesses["sam_okafor"]
    voice = speak(SPOKEN, tmp_path / "answer.wav")

    sent = await sam.send(sw.thread, "", attachments=[("answer.wav", voice)])
    [told] = [m for m in sw.thread.history() if m.reference and m.reference.message_id == sent.id]
    assert "Recorded as Sam Okafor's spoken answer to Q1" in told.content

    store = world.bot.services.store
    for _ in range(240):  # the worker loads the model and transcribes: a few seconds on two cores
        [answer] = await store.sessions.answers(sw.session_id)
        if answer.correction_status is not CorrectionStatus.AWAITING_TRANSCRIPT:
            break
        await asyncio.sleep(0.5)
    assert answer.spoken and answer.message_id == sent.id and answer.media_item_id is not None
    assert answer.correction_status is CorrectionStatus.NONE
    assert synth.word_error_rate(SPOKEN, answer.uncorrected_text) <= WER_BOUND, answer.uncorrected_text
    item = await store.media.item(answer.media_item_id)
    assert item.session_id == sw.session_id and item.user_id == sam.id and item.status == "transcribed"
    await world.env.advance_time(1)
    posted = [m.content for m in sw.thread.history() if m.content.startswith("Uncorrected transcript")]
    assert posted == [f"Uncorrected transcript of Sam Okafor's spoken answer to Q1:\n> {answer.uncorrected_text}"]
