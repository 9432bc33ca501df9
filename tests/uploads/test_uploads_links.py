"""Upload links through SimCord and the real upload page on a loopback port: a witness's recording or document
sent through their private link joins their draft as if they had sent it on Discord (the recording is transcribed
and the transcript sent to them to confirm); the secretariat's links for a session's recording and for evidence
received by post; and the refusals (wrong role, someone else's draft, evidence no longer a draft)."""

from __future__ import annotations

import hashlib
import re

import pytest
from uploads_support import (
    enter_from_another_process,
    letter_docx,
    link_in,
    send_through,
    tone_wav,
    upload_page,
    web_settings,
)

from bot import Settings
from cogs._shared.outbox import sender as outbox_sender
from cogs.uploads._cog import WATCH_S
from demo.driver import WitnessSteps, make_world
from inquiry.core.errors import NotAllowed
from inquiry.evidence.models import Publication
from web.app import TUS_KEY
from web.grants import GrantStatus

SAID = (
    "What issues has the COVID-19 crisis raised for socially isolated groups? "
    "How are you and your organisation responding to these challenges to reach these groups?"
)
WER_BOUND = 0.2  # as for a voice message sent by direct message (tests/test_voice_evidence.py)
LETTER = [
    "The parish council kept a list of everyone living alone and rang each of them weekly.",
    "Many older residents told us the calls were the only conversation they had all week.",
]

pytestmark = pytest.mark.simcord(settle_timeout=180)


@pytest.fixture
def page_settings(tmp_path):
    return web_settings(tmp_path)


@pytest.fixture
def settings(tmp_path, page_settings, request) -> Settings:
    """The bot makes links for the upload page; the test serves the page itself (as ``evidence-bot web`` would),
    unless it asks the bot to (``page_in_bot``)."""
    return Settings(
        token=None,
        database=tmp_path / "evidence.db",
        media_dir=tmp_path / "media",
        export_dir=tmp_path / "exports",
        web=page_settings,
        web_in_bot=getattr(request, "param", False),
    )


@pytest.fixture
async def witness_on_q1(simcord_env, simcord_bot):
    world = await make_world(simcord_env, simcord_bot)
    await world.open_call()
    steps = WitnessSteps(world, world.witness("margaret"))
    await steps.start()
    await steps.details("Margaret Ellis")
    await steps.click("Answer the questions")
    return world, steps


async def ask_for_link(world, member, command: str, **options) -> str:
    result = await member.slash(world.general, command, **options)
    return (result.followups[-1] if result.followups else result.response).content


async def grant_of(world, user_id: int):
    [grant] = await world.bot.services.uploads.of_user(user_id)
    return grant


@pytest.mark.slow
async def test_a_recording_sent_through_the_link_is_transcribed_and_confirmed(
    witness_on_q1, simcord_env, page_settings, tmp_path, settings
):
    from transcription.synth import spoken_samples, word_error_rate, write_media

    world, steps = witness_on_q1
    reply = await ask_for_link(world, steps.witness, "evidence upload")
    assert "private upload link" in reply and "question 1" in reply
    video = write_media(tmp_path / "statement.mp4", spoken_samples(SAID, tmp_path), video=True)

    async with upload_page(world.bot, page_settings) as tus:
        await send_through(link_in(reply), video, tus, chunk=64 * 1024)
    grant = await grant_of(world, steps.witness.id)
    assert grant.status is GrantStatus.COMPLETE, grant.message
    assert "Q1 of your evidence to SCI" in grant.message
    [item] = await world.bot.services.recordings.items_of_submission(grant.target_id)
    assert item.question_id == world.inquiry.questions[0].id  # in the witness's draft, at the question they were on
    assert item.user_id == steps.witness.id

    await simcord_env.settle()
    messages = [m.content for m in steps.dm.history()]
    notice = next(m for m in messages if m.startswith("Got your"))
    assert "statement.mp4" in notice and "through the upload page" in notice and "Q1 of your evidence" in notice
    transcript_post = steps.dm.last_message
    assert transcript_post.content.startswith("**Transcript of your recording for Q1")
    heard = transcript_post.content.splitlines()[1]
    assert word_error_rate(SAID, heard) <= WER_BOUND, heard
    sha = hashlib.sha256(video.read_bytes()).hexdigest()
    assert (settings.media_dir / sha[:2] / f"{sha}.mp4").read_bytes() == video.read_bytes()  # the original, kept

    confirmed = await steps.witness.user.click(transcript_post, label="Confirm")
    assert "confirmed transcript is now part of Q1" in confirmed.response.content


async def test_a_document_sent_through_the_link_joins_the_draft(witness_on_q1, simcord_env, page_settings, tmp_path):
    world, steps = witness_on_q1
    reply = await ask_for_link(world, steps.witness, "evidence upload", question=2)
    assert "question 2" in reply
    letter = letter_docx(tmp_path / "parish council.docx", LETTER)

    async with upload_page(world.bot, page_settings) as tus:
        await send_through(link_in(reply), letter, tus)
    grant = await grant_of(world, steps.witness.id)
    assert grant.status is GrantStatus.COMPLETE, grant.message
    [document] = await world.bot.services.documents.of_submission(grant.target_id)
    assert (document.filename, document.source) == ("parish council.docx", "upload")
    assert " ".join(document.text.split()) == " ".join(" ".join(LETTER).split())

    await simcord_env.settle()
    told = steps.dm.last_message
    assert told.content.startswith("Your file arrived through the upload page.")
    assert "parish council.docx" in told.content
    assert any(c.label == "Remove this document" for row in told.components for c in row.children)


async def test_a_file_for_evidence_that_was_withdrawn_is_refused(witness_on_q1, page_settings, tmp_path):
    world, steps = witness_on_q1
    reply = await ask_for_link(world, steps.witness, "evidence upload")
    grant = await grant_of(world, steps.witness.id)
    await world.bot.services.submissions.withdraw(grant.target_id, steps.witness.id)  # the draft is deleted

    async with upload_page(world.bot, page_settings) as tus:
        await send_through(link_in(reply), letter_docx(tmp_path / "late.docx", LETTER), tus)
    refused = await world.bot.services.uploads.get(grant.id)
    assert refused.status is GrantStatus.REFUSED
    assert "no longer exists" in refused.message


async def test_links_are_refused_to_those_who_may_not_have_them(witness_on_q1):
    world, steps = witness_on_q1
    services = world.bot.services
    stranger = world.witness("stranger")
    assert "no draft evidence to SCI" in await ask_for_link(world, stranger, "evidence upload")
    for command, options in (("session recording-link", {}), ("review import-link", _post_options())):
        assert "for the Secretariat only" in await ask_for_link(world, steps.witness, command, **options)

    draft = await services.submissions.working_on(steps.witness.id)
    with pytest.raises(NotAllowed):  # a link for someone else's draft
        await services.uploads.grant_for_draft(stranger.id, draft.id)

    user = steps.witness.id
    await services.submissions.set_publication(draft.id, user, Publication.NAMED)
    await services.submissions.save_answer(draft.id, user, world.inquiry.questions[0].id, "We rang members weekly.")
    sent = await services.submissions.submit(draft.id, user)
    await outbox_sender(world.bot).deliver_now(sent.receipt_row)  # as the flow sends the receipt, at once
    said = await ask_for_link(world, steps.witness, "evidence upload")
    assert "only be added to a draft" in said  # sent evidence is no longer a draft
    assert await services.uploads.of_user(steps.witness.id) == []


def _post_options(**extra) -> dict:
    return {"name": "Jo Marsh", "capacity": "organisation", "organisation": "Rural Coffee Caravan"} | {
        "publication": "named",
        **extra,
    }


async def test_evidence_received_by_post_is_entered_through_a_link(simcord_env, simcord_bot, page_settings, tmp_path):
    world = await make_world(simcord_env, simcord_bot)
    await world.open_call()
    reply = await ask_for_link(world, world.secretariat, "review import-link", **_post_options(accept=True))
    assert "Evidence received by post for SCI" in reply and "Rural Coffee Caravan" in reply
    letter = letter_docx(tmp_path / "caravan letter.docx", LETTER)

    async with upload_page(world.bot, page_settings) as tus:
        await send_through(link_in(reply), letter, tus)
    grant = await grant_of(world, world.secretariat.id)
    assert grant.status is GrantStatus.COMPLETE, grant.message
    assert "entered as SCI0001" in grant.message

    await simcord_env.settle()
    submission = await world.bot.services.review.find(world.inquiry, "SCI0001")
    assert (submission.user_id, submission.status.value) == (None, "accepted")
    thread = world.bot.get_channel(submission.forum_thread_id)
    assert thread.name.startswith("SCI0001") and "Rural Coffee Caravan" in thread.name
    [post] = [t for t in world.forum.threads if t.id == submission.forum_thread_id]
    notes = [m.content for m in post.history()]
    assert any("Entered by british_future for someone outside Discord" in n for n in notes), notes
    dm = [m.content for m in world.secretariat.user.dm_channel.history()]
    assert any("**SCI0001** entered" in m for m in dm)
    actions = [e.action for e in await world.bot.services.review.audit(world.inquiry, "SCI0001")]
    assert "entered by secretariat" in actions and "accepted" in actions


@pytest.mark.slow
async def test_a_session_recording_sent_through_a_link_joins_the_session(
    simcord_env, simcord_bot, page_settings, tmp_path
):
    from demo.sessions_scene import set_up_session

    world = await make_world(simcord_env, simcord_bot)
    session_world = await set_up_session(world)
    said = await ask_for_link(world, world.secretariat, "session recording-link", session=session_world.session_id)
    assert "has not been opened" in said
    await session_world.open()
    reply = await ask_for_link(world, world.secretariat, "session recording-link", session=session_world.session_id)
    assert "Upload link" in reply and "recording of session 1" in reply

    async with upload_page(world.bot, page_settings) as tus:
        await send_through(link_in(reply), tone_wav(tmp_path / "session.wav"), tus)
    grant = await grant_of(world, world.secretariat.id)
    assert grant.status is GrantStatus.COMPLETE, grant.message
    recording_id = int(re.search(r"recording (\d+) of session 1", grant.message).group(1))
    recording = await world.bot.services.session_recordings.recording(recording_id)
    assert (recording.session_id, recording.filename) == (session_world.session_id, "session.wav")
    assert len(recording.tracks) == 1

    await simcord_env.settle()  # the bot tells the secretariat and transcribes the track
    dm = [m.content for m in world.secretariat.user.dm_channel.history()]
    assert any("session.wav arrived through the upload page" in m and f"Recording {recording_id}" in m for m in dm)
    thread = [m.content for m in session_world.thread.history()]
    assert any(f"transcript of recording {recording_id}" in m for m in thread), thread[-3:]


@pytest.mark.parametrize("settings", [True], indirect=True)
async def test_the_bot_serves_the_upload_page_itself_when_asked_to(simcord_env, simcord_bot, page_settings, tmp_path):
    import aiohttp

    world = await make_world(simcord_env, simcord_bot)
    await world.open_call()
    reply = await ask_for_link(world, world.secretariat, "review import-link", **_post_options())
    async with aiohttp.ClientSession() as client, client.get(f"{page_settings.public_url}/healthz") as response:
        assert (response.status, await response.text()) == (200, "ok")
    tus = world.bot.get_cog("UploadsCog").runner.app[TUS_KEY]
    await send_through(link_in(reply), letter_docx(tmp_path / "letter.docx", LETTER), tus)
    await simcord_env.settle()
    submission = await world.bot.services.review.find(world.inquiry, "SCI0001")
    assert submission.forum_thread_id is not None


async def test_notices_owed_by_the_page_running_alone_are_sent_within_the_watch(
    simcord_env, simcord_bot, settings, tmp_path
):
    world = await make_world(simcord_env, simcord_bot)
    await world.open_call()
    done = await enter_from_another_process(world, settings, letter_docx(tmp_path / "letter.docx", LETTER))
    await simcord_env.advance_time(WATCH_S + 1)
    assert (await world.bot.services.submissions.submission(done.submission.id)).forum_thread_id is not None
