"""Long transcripts in Discord: shown whole (in a file when a message cannot hold them), corrected without losing
a word (in the form, or as a text file sent back as a reply), and the text confirmed is the text that was shown.

The transcripts here are written into the job rows as the worker writes them, then the bot's own listener posts
them, so that everything from there on runs through the real discord.py machinery without running Whisper."""

from __future__ import annotations

import pytest

from demo.driver import WitnessSteps, make_world
from tests.helpers import submit_evidence

pytestmark = pytest.mark.simcord(settle_timeout=60)

SENTENCE = "The lunch club closed in March and our phone tree reached forty households every week. "


def long_text(characters: int) -> str:
    """One paragraph of speech, numbered so that every word can be checked."""
    words, n = [], 0
    while sum(len(w) + 1 for w in words) < characters:
        n += 1
        words += f"({n}) {SENTENCE}".split()
    return " ".join(words)


async def on_q1(world, name: str) -> WitnessSteps:
    steps = WitnessSteps(world, world.witness(name))
    await steps.start()
    await steps.details(name.title())
    await steps.click("Answer the questions")
    return steps


async def transcribed(world, steps, text: str, *, model: str = "tiny.en", notify: bool = True):
    """A recording from ``steps``' witness, transcribed as ``text`` by ``model``; the bot posts it when notified."""
    store, now = world.bot.services.store, world.bot.services.clock()
    [submission] = await world.bot.services.submissions.of_user(steps.witness.id)
    inquiry = await world.inquiry_now()
    async with store.transaction():
        media_id = await store.media.add_media(
            sha256=f"{steps.witness.id:064x}"[-64:], path="x/statement.ogg", filename="statement.ogg",
            content_type="audio/ogg", size=1, now=now,
        )  # fmt: skip
        item = await store.media.item_for_message(steps.witness.id, media_id)
        item_id = item.id if item else await store.media.add_item(
            media_id=media_id, kind="voice", now=now, user_id=steps.witness.id, submission_id=submission.id,
            question_id=inquiry.questions[0].id, discord_message_id=steps.witness.id,
            discord_channel_id=steps.dm.id,
        )  # fmt: skip
        job_id = await store.media.add_job(
            media_id=media_id, item_id=item_id, engine="faster-whisper", model=model, language=None,
            translate=False, now=now,
        )  # fmt: skip
        if notify:
            await store.media.set_notify(job_id, steps.dm.id, 0)
        await store.media.claim_job(now)
        await store.media.finish_job(job_id, {"text": text, "language": "en", "segments": []}, now)
        await store.media.set_item_status(item_id, "transcribed")
    job = await store.media.job(job_id)
    await world.bot.get_cog("VoiceEvidenceCog")._done(job)
    await world.env.settle()
    return item_id, job


async def item_row(world, item_id: int) -> dict:
    rows = await world.bot.services.store.fetch_all("SELECT * FROM media_items WHERE id = ?", (item_id,))
    return dict(rows[0])


async def reply_with_file(steps, to, filename: str, data: bytes):
    """The witness replies to the bot's message ``to`` with a file attached."""
    backend = steps.witness._env.backend
    reference = backend.normalize_message_reference(
        steps.dm.id, {"channel_id": str(steps.dm.id), "message_id": str(to.id)}
    )
    payloads = backend.store_attachments(steps.dm.id, [(filename, data)])
    return await steps.witness.user.send_dm("", attachments=payloads, reference=reference)


@pytest.fixture
async def world(simcord_env, simcord_bot):
    world = await make_world(simcord_env, simcord_bot)
    await world.open_call()
    return world


async def test_a_long_transcript_is_shown_from_its_start_and_given_whole_in_a_file(world):
    steps = await on_q1(world, "margaret")
    text = long_text(6_000)
    await transcribed(world, steps, text)
    post = steps.dm.last_message
    assert len(post.content) <= 2000
    assert post.content.startswith("**Transcript of your recording for Q1 of your evidence to SCI**")
    assert f"the whole transcript ({len(text.split()):,} words) is in the attached file" in post.content
    [attachment] = post.attachments
    assert text in (await attachment.read()).decode("utf-8")
    assert [c.label for row in post.components for c in row.children] == ["Confirm", "Correct"]


async def test_a_short_transcript_has_no_file(world):
    steps = await on_q1(world, "margaret")
    await transcribed(world, steps, "We lent tablets to forty households.")
    post = steps.dm.last_message
    assert "We lent tablets to forty households." in post.content
    assert post.attachments == []


async def test_correcting_in_the_form_keeps_every_word_of_a_15000_character_transcript(world):
    steps = await on_q1(world, "margaret")
    text = long_text(15_000)  # one paragraph: the form splits it over four inputs
    item_id, _ = await transcribed(world, steps, text)
    shown = await steps.witness.user.click(steps.dm.last_message, label="Correct")
    inputs = [c for row in shown.modal["components"] for c in row["components"]]
    assert len(inputs) == 4
    values = {c["custom_id"]: c["value"] for c in inputs}
    values["part1"] = values["part1"].replace("(1) The lunch club", "(1) Our lunch club", 1)
    done = await steps.witness.user.submit_modal(shown, values)
    assert "corrected transcript is now part of Q1" in done.response.content
    row = await item_row(world, item_id)
    assert row["corrected"] == 1
    assert row["confirmed_text"].split() == text.replace("(1) The lunch club", "(1) Our lunch club", 1).split()


async def test_a_transcript_too_long_for_the_form_is_corrected_with_a_file_sent_back(world):
    steps = await on_q1(world, "margaret")
    text = long_text(24_000)
    item_id, job = await transcribed(world, steps, text)
    transcript_post = steps.dm.last_message

    pressed = await steps.witness.user.click(transcript_post, label="Correct")
    assert pressed.modal is None
    assert "too long to correct in a form (24," in pressed.response.content
    assert "reply to the transcript message" in pressed.response.content
    downloaded = (await pressed.response.attachments[0].read()).decode("utf-8")
    corrected = downloaded.replace("(7) The lunch club", "(7) The luncheon club")

    await reply_with_file(steps, transcript_post, "corrected.txt", corrected.encode("utf-8"))
    assert "corrected transcript is now part of Q1" in steps.dm.last_message.content
    row = await item_row(world, item_id)
    assert row["corrected"] == 1
    assert row["confirmed_text"] == text.replace("(7) The lunch club", "(7) The luncheon club")  # no header kept
    assert (await world.bot.services.store.media.job(job.id)).result["text"] == text  # the original is kept


async def test_a_file_sent_back_that_is_not_text_changes_nothing(world):
    steps = await on_q1(world, "margaret")
    item_id, _ = await transcribed(world, steps, long_text(24_000))
    await reply_with_file(steps, steps.dm.last_message, "corrected.txt", b"\xff\xfe\x00broken" * 10)
    assert "I could not read corrected.txt as text" in steps.dm.last_message.content
    row = await item_row(world, item_id)
    assert row["confirmed_text"] is None and row["status"] == "transcribed"


async def test_a_text_file_that_is_not_a_reply_to_a_transcript_is_a_document_not_a_correction(world):
    steps = await on_q1(world, "margaret")
    item_id, _ = await transcribed(world, steps, "We lent tablets.")
    await steps.send_file("answer.txt", b"My written answer.")
    assert "Got your document" in steps.dm.last_message.content
    assert (await item_row(world, item_id))["confirmed_text"] is None


async def test_a_text_file_in_reply_to_another_bot_message_is_a_document_not_a_correction(world):
    steps = await on_q1(world, "margaret")
    item_id, _ = await transcribed(world, steps, "We lent tablets.")
    user = await world.bot.fetch_user(steps.witness.id)
    other = await user.send("Your evidence was received.")
    await world.env.settle()
    await reply_with_file(steps, other, "corrected.txt", b"We lent tablets to forty households.")
    assert "Got your document" in steps.dm.last_message.content
    assert (await item_row(world, item_id))["confirmed_text"] is None


async def test_confirm_records_the_transcript_that_was_shown_even_after_a_newer_one(world):
    steps = await on_q1(world, "margaret")
    item_id, _ = await transcribed(world, steps, "We lent tablets to forty households.")
    first_post = steps.dm.last_message
    await transcribed(world, steps, "We lent tablets to 40 households.", model="base", notify=False)  # a rerun
    assert steps.dm.last_message.id == first_post.id  # the secretariat's rerun is not sent to the witness
    await steps.witness.user.click(first_post, label="Confirm")
    assert (await item_row(world, item_id))["confirmed_text"] == "We lent tablets to forty households."


async def test_a_rerun_is_posted_for_the_secretariat_in_the_forum(server_with_submission):
    world, submission, _ = server_with_submission
    thread = next(t for t in world.forum.threads if t.id == submission.forum_thread_id)
    assert "transcribed again with faster-whisper base (not yet confirmed)" in thread.last_message.content
    assert "We lent tablets to 40 households." in thread.last_message.content


async def test_retranscribe_refuses_a_recording_that_is_not_this_servers(world):
    done = await world.secretariat_runs("retranscribe", item=9999, model="base")
    assert "There is no recording 9999 in this server's evidence." in done.response.content
    assert await world.bot.services.store.media.pending_jobs() == 0


@pytest.fixture
async def server_with_submission(world):
    """Margaret's submitted evidence with a recording, transcribed again with base at the secretariat's request."""
    submission = await submit_evidence(world, "margaret", "Margaret Ellis", {1: "Phone trees worked."})
    steps = WitnessSteps(world, world.witness("margaret"))
    store, now = world.bot.services.store, world.bot.services.clock()
    async with store.transaction():
        media_id = await store.media.add_media(
            sha256="ef" * 32, path="ef/s.ogg", filename="s.ogg", content_type="audio/ogg", size=1, now=now
        )
        item_id = await store.media.add_item(
            media_id=media_id, kind="voice", now=now, user_id=steps.witness.id, submission_id=submission.id,
            discord_message_id=5,
        )  # fmt: skip
        job_id = await store.media.add_job(
            media_id=media_id, item_id=item_id, engine="faster-whisper", model="base", language=None,
            translate=False, now=now,
        )  # fmt: skip
        await store.media.claim_job(now)
        await store.media.finish_job(job_id, {"text": "We lent tablets to 40 households.", "language": "en"}, now)
    await world.bot.get_cog("VoiceEvidenceCog")._done(await store.media.job(job_id))
    await world.env.settle()
    return world, await world.bot.services.store.submissions.get(submission.id), item_id
