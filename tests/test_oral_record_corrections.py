"""Corrections of the oral record from the session's recording: each witness on the server is sent their own passages
heard on the recording (beside their voice messages in the thread), with the window in the configured time zone;
their proposals reach the secretariat and the chair, not other members or witnesses; the secretariat approves or
declines each, the witness is told by direct message, and an approved correction is what the transcript prints while
the uncorrected segments stay as they were. A transcription made again of a voice answer keeps its approved
correction.

The recording is uploaded through /session recording with its tracks' transcripts stored beforehand as finished jobs
(see tests/test_session_recording_export.py), so no model runs here; the .docx is reopened with python-docx."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot import Settings
from demo.driver import make_world
from demo.sessions_scene import reply_text
from inquiry.record.sessions import transcript_doc
from inquiry.sessions.models import CorrectionStatus
from inquiry.sessions.recording_models import CorrectionDecision
from tests.test_session_recording_export import RECORDED, U, examination, exported, hearing, upload
from tests.test_sessions_corrections import FIXED, HEARD, spoken_session

PARIS = ZoneInfo("Europe/Paris")  # an hour ahead of UTC in winter: the window must be shown in this zone
FIRST_RUN = "The day centres closed overnight. Many people were left completely alone."
FIRST_FIXED = "The day centres closed overnight. Many people were left completely alone at home."


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(
        token=None,
        database=tmp_path / "evidence.db",
        media_dir=tmp_path / "media",
        export_dir=tmp_path / "exports",
        timezone=PARIS,
    )


@pytest.fixture
async def world(simcord_env, simcord_bot):
    return await make_world(simcord_env, simcord_bot)


def posts_with_buttons(user) -> list:
    return [m for m in user.dm_channel.history() if m.components] if user.dm_channel else []


async def recorded_hearing(world):
    """The hearing of tests/test_session_recording_export.py, its four-track recording uploaded (started 10 s after
    the opening): Sam Okafor said three passages, under Q1 and Q2."""
    sw = await hearing(world)
    await upload(world, sw, started=10)
    return sw, sw.witnesses["sam_okafor"]


async def send_transcripts(world, sw, **options):
    result = await world.secretariat.slash(world.general, "session transcript-send", session=sw.session_id, **options)
    assert "Transcripts sent to Sam Okafor" in reply_text(result), reply_text(result)
    return result


async def test_a_passage_of_the_recording_is_corrected_approved_and_printed_with_the_original_kept(world):
    sw, sam = await recorded_hearing(world)
    store = world.bot.services.store
    await send_transcripts(world, sw)

    [header] = [m.content for m in sam.user.dm_channel.history() if "transcript of what you said" in m.content]
    window = await store.sessions.window(sw.session_id, sam.id)
    closes = window.closes_at.astimezone(PARIS)
    assert f"until {closes.day} {closes:%B %Y at %H:%M} (Europe/Paris)" in header
    posts = posts_with_buttons(sam.user)
    assert [p.content.splitlines()[0] for p in posts] == [
        "**Q1** · heard on the recording",
        "**Q1** · heard on the recording",
        "**Q2** · heard on the recording",
    ]
    assert FIRST_RUN in posts[0].content
    assert not posts_with_buttons(sw.witnesses["margaret"].user)  # she said nothing on the recording

    shown = await sam.user.click(posts[0], label="Propose a correction")
    assert shown.modal["title"] == "Correct the transcript"
    [first_input] = [c for row in shown.modal["components"] for c in row["components"]]
    assert first_input["value"] == FIRST_RUN
    done = await sam.user.submit_modal(shown, {"text": FIRST_FIXED})
    assert "correction 1 is proposed" in done.response.content
    again = await sam.user.submit_modal(await sam.user.click(posts[0], label="Propose a correction"), {"text": "x y"})
    assert "already proposed a correction of this passage" in again.response.content

    listed = reply_text(await world.chair.slash(world.general, "session corrections", session=sw.session_id))
    assert "**1** (recorded passage" in listed and "Q1" in listed and "alone at home" in listed
    approved = await world.secretariat.slash(world.general, "session correction-approve", id=1)
    assert "Correction 1 approved. The witness has been told by direct message." in reply_text(approved)
    told = sam.user.dm_channel.history()[-1].content
    assert "**approved** your correction of Q1" in told and "alone at home" in told

    body = examination(await exported(world, sw.session_id))
    fixed = [line.replace(f"{U} {FIRST_RUN}", FIRST_FIXED) for line in RECORDED]
    assert body == fixed  # printed as corrected, without the uncorrected mark; the rest as it was
    segments = await store.sessions.segments(1)
    assert [s.text for s in segments if s.speaker_name == "Sam Okafor"][:2] == [
        "The day centres closed overnight.",
        "Many people were left completely alone.",
    ]  # the uncorrected transcript is kept as it was heard
    [correction] = await store.sessions.corrections(sw.session_id)
    assert correction.status is CorrectionDecision.APPROVED and correction.original_text == FIRST_RUN
    assert correction.answer_id is None and len(correction.segment_ids) == 2
    actions = [e.action for e in await store.audit.for_inquiry(world.inquiry.id)]
    for action in ("transcript_sent_for_correction", "correction_proposed", "correction_approved"):
        assert action in actions


async def test_a_declined_correction_of_a_recorded_passage_is_told_with_its_reason_and_changes_nothing(world):
    sw, sam = await recorded_hearing(world)
    await send_transcripts(world, sw)
    last = posts_with_buttons(sam.user)[-1]
    shown = await sam.user.click(last, label="Propose a correction")
    await sam.user.submit_modal(shown, {"text": "Councils should pay the volunteers."})
    reason = "That changes what was said, not a transcription error"
    declined = await world.secretariat.slash(world.general, "session correction-decline", id=1, reason=reason)
    assert "Correction 1 declined. The witness has been told" in reply_text(declined)
    told = sam.user.dm_channel.history()[-1].content
    assert "**declined** your correction of Q2" in told and reason in told
    assert examination(await exported(world, sw.session_id)) == RECORDED
    twice = await world.secretariat.slash(world.general, "session correction-approve", id=1)
    assert "already declined" in reply_text(twice)


async def test_corrections_are_read_by_the_secretariat_and_the_chair_only(world):
    sw, sam = await recorded_hearing(world)
    await send_transcripts(world, sw)
    shown = await sam.user.click(posts_with_buttons(sam.user)[0], label="Propose a correction")
    await sam.user.submit_modal(shown, {"text": FIRST_FIXED})
    for person in (world.member, sam, sw.witnesses["margaret"]):
        refused = reply_text(await person.slash(world.general, "session corrections", session=sw.session_id))
        assert "Only the secretariat or the chair" in refused and FIRST_FIXED not in refused
    for person in (world.secretariat, world.chair):
        listed = reply_text(await person.slash(world.general, "session corrections", session=sw.session_id))
        assert "alone at home" in listed
    refused = await world.chair.slash(world.general, "session correction-approve", id=1)
    assert "Only the secretariat" in reply_text(refused)
    corrections = world.bot.services.session_corrections
    segments = await world.bot.services.store.sessions.segments(1)
    sams = next(s for s in segments if s.speaker_name == "Sam Okafor")
    with pytest.raises(Exception, match="not one of yours"):
        await corrections.propose_passage(sams.id, sw.witnesses["margaret"].id, "Not mine to correct.")


async def test_after_the_window_a_recorded_passage_cannot_be_corrected(world):
    sw, sam = await recorded_hearing(world)
    await send_transcripts(world, sw, days=1)
    post = posts_with_buttons(sam.user)[0]
    shown = await sam.user.click(post, label="Propose a correction")
    await world.env.advance_time(24 * 3600 + 60)
    late = await sam.user.submit_modal(shown, {"text": FIRST_FIXED})
    assert "window for corrections closed on" in late.response.content and "(Europe/Paris)" in late.response.content
    assert "closed" in (await sam.user.click(post, label="Propose a correction")).response.content
    assert await world.bot.services.store.sessions.corrections(sw.session_id) == []


async def test_transcripts_are_for_the_secretariat_to_send_and_need_something_spoken(world):
    sw = await hearing(world)  # no recording yet: Sam only typed
    refused = await world.chair.slash(world.general, "session transcript-send", session=sw.session_id)
    assert "Only the secretariat" in reply_text(refused)
    nothing = await world.secretariat.slash(world.general, "session transcript-send", session=sw.session_id)
    assert "No witness of this session has a transcribed spoken answer or recorded passage" in reply_text(nothing)


async def test_a_voice_answer_transcribed_again_keeps_its_approved_correction(world):
    sw, sam, (first, _) = await spoken_session(world)
    store, now = world.bot.services.store, world.bot.services.clock()
    async with store.transaction():
        media_id = await store.media.add_media(
            sha256="ef" * 32, path="ef/v.ogg", filename="voice-message.ogg", content_type="audio/ogg", size=9, now=now
        )
        item_id = await store.media.add_item(
            media_id=media_id, kind="voice", now=now, user_id=sam.id, session_id=sw.session_id, discord_message_id=9001
        )
    await world.bot.services.session_record.link_media(first, item_id)
    await world.secretariat.slash(world.general, "session transcript-send", session=sw.session_id)
    shown = await sam.user.click(posts_with_buttons(sam.user)[0], label="Propose a correction")
    await sam.user.submit_modal(shown, {"text": FIXED})
    await world.secretariat.slash(world.general, "session correction-approve", id=1)

    # The secretariat transcribes the voice message again with base; its job is already finished, as the worker
    # leaves it, and the queue reports it to its listeners.
    queue = world.bot.transcription
    again = "Older people in rural villages lost the lunch clubs and the only weekly contact."
    async with store.transaction():
        job_id = await store.media.add_job(
            media_id=media_id, item_id=item_id, engine="faster-whisper", model="base", language=None,
            translate=False, now=now,
        )  # fmt: skip
        await store.media.claim_job(now)
        await store.media.finish_job(job_id, {"text": again, "language": "en", "segments": []}, now)
    result = await world.secretariat.slash(world.general, "retranscribe", item=item_id, model="base")
    assert "any approved correction stay as they are" in result.response.content
    for listener in list(queue.on_done):
        await listener(await store.media.job(job_id))

    answer = await store.sessions.answer(first.id)
    assert answer.correction_status is CorrectionStatus.ACCEPTED and answer.corrected_text == FIXED
    assert answer.uncorrected_text == again  # the new transcript is kept beside the approved text
    doc, _ = await transcript_doc(store, sw.session_id, ZoneInfo("Europe/London"))
    assert [(a.text, a.corrected) for a in doc.questions[0].answers] == [(FIXED, True)]
    assert HEARD not in [a.text for q in doc.questions for a in q.answers]
