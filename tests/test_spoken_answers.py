"""Spoken answers inside the witness's flow, through SimCord and the real Whisper model: a voice message sent while a
question is open answers that question once its transcript is confirmed, and every place that shows the evidence
says so (the question page, the overview, the review page, the receipt, the forum post, /review show, the volume),
with the transcript's state and the words counted. A transcript the engine flags is shown as needing checking."""

from __future__ import annotations

import io
import re

import docx
import pytest

from demo.driver import WitnessSteps, make_world
from inquiry.core.rules import count_words
from tests.helpers import reply_text
from transcription.synth import spoken_samples, word_error_rate, write_media

SAID = "Our lunch club volunteers telephoned every member twice a week during the lockdown."
WELSH = "Dylai'r llywodraeth gefnogi'r gwirfoddolwyr sy'n helpu pobl hŷn yn ystod yr argyfwng. Caeodd y clybiau cinio."
Q1 = "Lunch clubs closed and isolated people lost their only weekly contact."
# A 13-word sentence from espeak-ng: one thread and int8 kernels gave 4 word errors (0.31) where two threads gave
# 1-2; 0.45 still refuses a transcript of some other sentence (other sentences score 0.9 or more against it).
WER_BOUND = 0.45

pytestmark = [pytest.mark.slow, pytest.mark.simcord(settle_timeout=240)]


def voice_message(text: str, folder, voice: str = "en") -> bytes:
    """A Discord-style voice message (Ogg/Opus) of ``text`` spoken by espeak-ng."""
    return write_media(folder / f"voice-{voice}.ogg", spoken_samples(text, folder, voice=voice)).read_bytes()


@pytest.fixture
async def world(simcord_env, simcord_bot):
    built = await make_world(simcord_env, simcord_bot)
    await built.open_call()
    return built


async def on_question_2(world, handle: str = "margaret") -> WitnessSteps:
    steps = WitnessSteps(world, world.witness(handle))
    await steps.start()
    await steps.details("Margaret Ellis", None, f"{handle}@example.org")
    await steps.choose("individual", "named")
    await steps.click("Answer the questions")
    await steps.click("Skip →")
    return steps


async def reload_q2(steps: WitnessSteps) -> str:
    """Back to Q1 and on to Q2 again: the page as it stands now."""
    await steps.click("← Previous")
    await steps.click("Skip →")
    return steps.last.response.content


async def test_a_question_answered_only_by_a_confirmed_voice_message_counts_everywhere(world, tmp_path):
    steps = await on_question_2(world)
    assert "answer by voice message or video: send it to me by direct message" in steps.last.response.content
    await steps.send_file("voice-message.ogg", voice_message(SAID, tmp_path))
    transcript = steps.dm.last_message
    assert transcript.content.startswith("**Transcript of your recording for Q2")

    waiting = await reload_q2(steps)
    assert "🎙️ voice message" in waiting and "transcript waiting for your confirmation" in waiting
    assert "Not answered yet" in waiting

    await steps.witness.user.click(transcript, label="Confirm")
    [item] = await world.bot.services.recordings.items_of_submission(
        (await world.bot.services.submissions.of_user(steps.witness.id))[0].id
    )
    words = count_words(item.confirmed_text)
    assert words > 5

    page = await reload_q2(steps)
    assert f"transcript confirmed ({words:,} words)" in page
    assert "Not answered yet" not in page
    assert f"All answers: {words:,} of 3,000 words" in page

    await steps.click("Overview")
    assert f"1 of 5 questions answered · {words:,} of 3,000 words" in steps.last.response.content
    await steps.click("Review and submit")
    review = steps.last.response.content
    assert re.search(r"\*\*Q2\*\* voice message, \d+ s · transcript confirmed", review), review
    assert "**Q1** skipped" in review and "**Q2** skipped" not in review
    await steps.click("Submit evidence")

    receipt = steps.dm.last_message.content
    assert f"· {words:,} words ·" in receipt and "Questions answered: 1 of 5" in receipt
    assert "🎙️ Q2 · voice message" in receipt

    [thread] = world.forum.threads
    posted = "\n".join(m.content for m in thread.history())
    assert "🎙️ Q2 · voice message" in posted and "transcript confirmed by the witness" in posted
    assert f"Words: {words:,} of 3,000" in posted

    details = reply_text(await world.secretariat_runs("review show", reference="SCI0001"))
    assert "Voice message #1: transcript confirmed by the witness" in details
    assert "Not answered: Q1, Q3, Q4, Q5" in details
    assert f"Words: {words:,} of 3,000" in details

    await world.secretariat_runs("review accept", reference="SCI0001")
    exported = await world.secretariat_runs("export evidence")
    paragraphs = [p.text for p in docx.Document(io.BytesIO(await exported.response.attachments[0].read())).paragraphs]
    q2 = next(i for i, p in enumerate(paragraphs) if p.startswith("Q2. "))
    assert paragraphs[q2 + 1].startswith("Transcript of a voice message, as transcribed, confirmed by the witness.")
    printed = paragraphs[q2 + 2].split("\t", 1)[1]
    assert word_error_rate(SAID, printed) <= WER_BOUND, printed
    assert not any(p.startswith("Q1. ") for p in paragraphs)


async def test_a_recording_sent_while_changing_sent_evidence_joins_the_question_on_screen(world, tmp_path):
    steps = WitnessSteps(world, world.witness("amira"))
    await steps.give("Amira Khan", {1: Q1})
    listing = await steps.witness.slash(world.general, "my-evidence")
    steps.last = await steps.witness.click(listing.response.message, label="Open SCI0001")
    steps.panel = steps.last.response.message
    await steps.click("Continue (Q2)")
    assert "Question 2 of 5" in steps.last.response.content

    await steps.send_file("voice-message.ogg", voice_message(SAID, tmp_path))
    acknowledgement = next(m.content for m in steps.dm.history() if m.content.startswith("Got your"))
    assert "Q2 of your evidence to SCI" in acknowledgement
    await steps.witness.user.click(steps.dm.last_message, label="Confirm")

    services = world.bot.services
    submission = await services.review.find(world.inquiry, "SCI0001")
    [item] = await services.recordings.items_of_submission(submission.id)
    assert item.question_id == world.inquiry.questions[1].id
    assert submission.word_count == count_words(Q1) + count_words(item.confirmed_text)
    [thread] = world.forum.threads
    assert f"Words: {submission.word_count:,} of 3,000" in thread.history()[0].content


async def test_a_transcript_the_engine_flags_needs_checking_until_the_witness_confirms_it(world, tmp_path):
    steps = await on_question_2(world)
    await steps.send_file("voice-message.ogg", voice_message(WELSH, tmp_path, voice="cy"))
    transcript = steps.dm.last_message
    services = world.bot.services
    [draft] = await services.submissions.of_user(steps.witness.id)
    [item] = await services.recordings.items_of_submission(draft.id)
    [job] = await services.recordings.finished_jobs(item.id)
    assert job.result["needs_review"], job.result  # Welsh read by an English-only model: unsure of language and words
    reason = job.result["review_reasons"][0]

    assert "This transcript needs checking:" in transcript.content and reason in transcript.content
    assert "confirms that this text is what you said" in transcript.content
    labels = [c.label for row in transcript.components for c in row.children]
    assert labels == ["Confirm: it is what I said", "Correct"]

    page = await reload_q2(steps)
    assert f"needs checking: {reason}" in page and "Not answered yet" in page
    await steps.click("Overview")
    assert "0 of 5 questions answered · 0 of 3,000 words" in steps.last.response.content

    await steps.witness.user.click(transcript, label="Confirm: it is what I said")
    await steps.click("Review and submit")
    await steps.click("Submit evidence")
    details = reply_text(await world.secretariat_runs("review show", reference="SCI0001"))
    assert "transcript confirmed by the witness (it was flagged: needs checking:" in details
    assert reason[:60] in details
