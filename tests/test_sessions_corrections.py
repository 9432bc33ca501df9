"""Corrections of the uncorrected transcript: a witness is sent their spoken answers, proposes corrections of
transcription errors within the window, and the secretariat approves or declines; both versions are kept."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from demo.driver import make_world
from demo.sessions_scene import reply_text, set_up_session
from inquiry.record.sessions import transcript_doc
from inquiry.sessions.models import CorrectionStatus
from inquiry.sessions.recording_models import CorrectionDecision

HEARD = "Older people in rural villages lost there lunch clubs and there only weekly contact."
FIXED = "Older people in rural villages lost their lunch clubs and their only weekly contact."
HEARD_2 = "Volunteers rang every neighbour on the list each Sunday evening."


@pytest.fixture
async def world(simcord_env, simcord_bot):
    return await make_world(simcord_env, simcord_bot)


async def spoken_session(world):
    """An open session where Sam Okafor gave two spoken answers whose (uncorrected) transcripts have arrived."""
    sw = await set_up_session(world)
    await sw.open()
    session = await sw.refresh()
    sam = sw.witnesses["sam_okafor"]
    record = world.bot.services.session_record
    answers = []
    for number, (question, heard) in enumerate((("Who is most at risk?", HEARD), ("What worked?", HEARD_2)), 1):
        await sw.chair_does("ask", text=question)
        intake = await record.take_voice(session, sam.id, 9000 + number, None, "voice-message.ogg", "https://x/v.ogg")
        answers.append(await record.on_spoken_answer(intake.answer.id, heard))
    return sw, sam, answers


def buttons_in(dm) -> list:
    return [m for m in dm.history() if m.components]


async def propose(sam, post, text: str):
    shown = await sam.user.click(post, label="Propose a correction")
    assert shown.modal["title"] == "Correct the transcript"
    return await sam.user.submit_modal(shown, {"text": text})


async def test_a_correction_within_the_window_is_approved_into_the_transcript(world):
    sw, sam, (first, _) = await spoken_session(world)
    sec = world.secretariat
    sent = await sec.slash(world.general, "session transcript-send", session=sw.session_id)
    assert "Transcripts sent to Sam Okafor" in reply_text(sent)
    dm = sam.user.dm_channel
    assert any("uncorrected transcript" in m.content and "until" in m.content for m in dm.history())
    posts = buttons_in(dm)
    assert [p.content.splitlines()[0] for p in posts] == ["**Q1**", "**Q2**"]
    assert "there lunch clubs" in posts[0].content

    done = await propose(sam, posts[0], FIXED)
    assert "correction 1 is proposed" in done.response.content
    again = await propose(sam, posts[0], FIXED + " Really.")
    assert "already proposed" in again.response.content

    listed = await sec.slash(world.general, "session corrections", session=sw.session_id)
    assert "**1** (answer" in reply_text(listed) and "their lunch clubs" in reply_text(listed)
    refused = await world.chair.slash(world.general, "session correction-approve", id=1)
    assert "Only the secretariat" in reply_text(refused)
    approved = await sec.slash(world.general, "session correction-approve", id=1)
    assert "Correction 1 approved" in reply_text(approved)
    twice = await sec.slash(world.general, "session correction-approve", id=1)
    assert "already approved" in reply_text(twice)

    store = world.bot.services.store
    answer = await store.sessions.answer(first.id)
    assert answer.uncorrected_text == HEARD and answer.corrected_text == FIXED  # both versions kept
    assert answer.correction_status is CorrectionStatus.ACCEPTED
    doc, _ = await transcript_doc(store, sw.session_id, ZoneInfo("Europe/London"))
    q1, q2 = doc.questions
    assert [(a.text, a.corrected, a.spoken) for a in q1.answers] == [(FIXED, True, True)]
    assert [(a.text, a.corrected) for a in q2.answers] == [(HEARD_2, False)]


async def test_a_declined_correction_keeps_the_original(world):
    sw, sam, (first, _) = await spoken_session(world)
    sec = world.secretariat
    await sec.slash(world.general, "session transcript-send", session=sw.session_id)
    await propose(sam, buttons_in(sam.user.dm_channel)[0], "Older people said something rather different.")
    declined = await sec.slash(
        world.general, "session correction-decline", id=1, reason="It changes what was said, not a transcription error"
    )
    assert "Correction 1 declined" in reply_text(declined)
    store = world.bot.services.store
    [correction] = await store.sessions.corrections(sw.session_id)
    assert correction.status is CorrectionDecision.DECLINED and correction.reason.startswith("It changes")
    assert correction.original_text == HEARD and correction.proposed_text.startswith("Older people said")
    answer = await store.sessions.answer(first.id)
    assert answer.correction_status is CorrectionStatus.REJECTED and answer.text == HEARD
    doc, _ = await transcript_doc(store, sw.session_id, ZoneInfo("Europe/London"))
    assert [(a.text, a.corrected) for a in doc.questions[0].answers] == [(HEARD, False)]
    [entry] = [e for e in await store.audit.for_inquiry(world.inquiry.id) if e.action == "correction_declined"]
    assert entry.actor_id == sec.id and entry.reason.startswith("It changes")


async def test_after_the_window_a_correction_is_refused(world):
    sw, sam, (first, _) = await spoken_session(world)
    sec = world.secretariat
    await sec.slash(world.general, "session transcript-send", days=3, session=sw.session_id)
    post = buttons_in(sam.user.dm_channel)[0]
    shown = await sam.user.click(post, label="Propose a correction")  # opened in time ...
    await world.env.advance_time(3 * 24 * 3600 + 60)
    late = await sam.user.submit_modal(shown, {"text": FIXED})  # ... sent too late
    assert "window for corrections closed" in late.response.content
    clicked = await sam.user.click(post, label="Propose a correction")
    assert "window for corrections closed" in clicked.response.content
    store = world.bot.services.store
    assert await store.sessions.corrections(sw.session_id) == []
    assert (await store.sessions.answer(first.id)).text == HEARD


async def test_only_the_witness_corrects_their_own_answers_and_only_once_sent(world):
    sw, sam, (first, _) = await spoken_session(world)
    corrections = world.bot.get_cog("SessionRecordingsCog").corrections
    with pytest.raises(Exception, match="Corrections open when"):
        await corrections.propose(first.id, sam.id, FIXED)
    await world.secretariat.slash(world.general, "session transcript-send", session=sw.session_id)
    with pytest.raises(Exception, match="not one of your spoken answers"):
        await corrections.propose(first.id, sw.witnesses["margaret"].id, FIXED)
    with pytest.raises(Exception, match="unchanged"):
        await corrections.propose(first.id, sam.id, HEARD)


async def test_a_long_spoken_answer_is_corrected_whole_over_several_inputs(world):
    sw = await set_up_session(world)
    await sw.open()
    session = await sw.refresh()
    sam = sw.witnesses["sam_okafor"]
    record = world.bot.services.session_record
    await sw.chair_does("ask", text="Who is most at risk?")
    long_heard = " ".join(f"({n}) {HEARD}" for n in range(1, 121))  # about 10,500 characters, one paragraph
    intake = await record.take_voice(session, sam.id, 9001, None, "voice-message.ogg", "https://x/v.ogg")
    answer = await record.on_spoken_answer(intake.answer.id, long_heard)
    await world.secretariat.slash(world.general, "session transcript-send", session=sw.session_id)

    shown = await sam.user.click(buttons_in(sam.user.dm_channel)[0], label="Propose a correction")
    inputs = [c for row in shown.modal["components"] for c in row["components"]]
    assert len(inputs) == 3
    values = {c["custom_id"]: c["value"].replace("there", "their") for c in inputs}
    done = await sam.user.submit_modal(shown, values)
    assert "is proposed" in done.response.content
    [correction] = await world.bot.services.store.sessions.corrections(sw.session_id)
    assert correction.answer_id == answer.id
    assert correction.proposed_text.split() == long_heard.replace("there", "their").split()  # every word kept
