"""The floor of an oral evidence session through SimCord: answers attributed to witness and question, people
not on the panel, strikes, minutes items, mentions, voice messages."""

from __future__ import annotations

import pytest

from demo.driver import make_world
from demo.sessions_scene import (
    CHAIR_NAME,
    MEMBER_NAME,
    expect,
    latest_session_id,
    reply_text,
    schedule,
    set_up_session,
    thread_texts,
)
from inquiry.sessions.models import CorrectionStatus, MinuteKind, QuestionStatus

Q_ISSUES = "What issues has the COVID-19 crisis raised for socially isolated groups?"
Q_BARRIERS = "What barriers have you met in reaching isolated people, and how did you overcome them?"
Q_GOVERNMENT = "What should the Government be doing to support you?"


@pytest.fixture
async def world(simcord_env, simcord_bot):
    return await make_world(simcord_env, simcord_bot)


def store_of(world):
    return world.bot.services.store


def backend_event(world, event_id):
    return world.env.backend.get_scheduled_event(world.guild.id, event_id)


async def test_answers_are_attributed_to_the_witness_and_the_question(world):
    sw = await set_up_session(world)
    sam, margaret, priya = (sw.witnesses[k] for k in ("sam_okafor", "margaret", "hackney_hubs"))
    await sw.open()
    await sw.chair_does("ask", text=Q_ISSUES)
    q1 = sw.thread.last_message
    a1 = await sam.send(sw.thread, "Day centres closed and carers are exhausted.")
    a2 = await margaret.send(sw.thread, "Our lunch club stopped overnight.")
    early = await priya.send(sw.thread, "In Hackney we matched 3,000 volunteers.")
    await sw.chair_does("ask", text=Q_BARRIERS)
    a3 = await sam.send(sw.thread, "Confidence more than equipment.")
    a4 = await margaret.send(sw.thread, "And on the first question: leaflets alone did not work.", reply_to=q1)
    remark = await world.member.send(sw.thread, "Could you say more about the tablets?")

    answers = {a.message_id: a for a in await store_of(world).sessions.answers(sw.session_id)}
    questions = {q.id: q.number for q in await store_of(world).sessions.questions(sw.session_id)}
    said = {mid: (a.speaker_name, questions[a.question_id], a.uncorrected_text) for mid, a in answers.items()}
    assert said == {
        a1.id: ("Sam Okafor", 1, "Day centres closed and carers are exhausted."),
        a2.id: ("Margaret Ellis", 1, "Our lunch club stopped overnight."),
        a3.id: ("Sam Okafor", 2, "Confidence more than equipment."),
        a4.id: ("Margaret Ellis", 1, "And on the first question: leaflets alone did not work."),
        remark.id: (MEMBER_NAME, 2, "Could you say more about the tablets?"),
    }
    assert answers[a1.id].witness_id != answers[a2.id].witness_id and answers[remark.id].witness_id is None
    assert early.id not in answers  # panel 2 waits for its turn, and is told so
    told = [m for m in sw.thread.history() if m.reference and m.reference.message_id == early.id]
    assert "You are on panel 2; panel 1 is giving evidence now." in told[0].content

    await expect(sw.chair_does("next-panel"), "Panel 2 is called")
    await sw.chair_does("ask", text=Q_GOVERNMENT)
    a5 = await priya.send(sw.thread, "Keep one shared list with the voluntary sector.")
    [recorded] = [a for a in await store_of(world).sessions.answers(sw.session_id) if a.message_id == a5.id]
    assert recorded.speaker_name == "Priya Shah" and questions.get(recorded.question_id) is None  # a new question
    stale = await sam.send(sw.thread, "One more thing from panel 1.")
    assert stale.id not in {a.message_id for a in await store_of(world).sessions.answers(sw.session_id)}


async def test_someone_not_on_the_panel_is_told_and_not_recorded(world):
    sw = await set_up_session(world)
    await sw.open()
    await sw.chair_does("ask", text=Q_ISSUES)
    bystander = world.witness("bystander")
    posted = await bystander.send(sw.thread, "I have views on this too!")

    assert await store_of(world).sessions.answers(sw.session_id) == []
    reply = sw.thread.last_message
    assert reply.reference.message_id == posted.id
    assert "only the panel's witnesses and the members take part in this record" in reply.content
    assert reply.mentions == []  # told, not pinged


async def test_before_any_question_and_after_closing_nothing_is_recorded(world):
    sw = await set_up_session(world)
    sam = sw.witnesses["sam_okafor"]
    await sw.open()
    await sam.send(sw.thread, "Good morning, Chair.")
    assert "No question is before the panel" in sw.thread.last_message.content
    await sw.chair_does("ask", text=Q_ISSUES)
    await expect(sw.chair_does("answered"), "Q1 marked answered")
    await sam.send(sw.thread, "Sorry, one more point.")
    assert "No question is before the panel" in sw.thread.last_message.content
    assert await store_of(world).sessions.answers(sw.session_id) == []


async def test_a_struck_question_is_kept_with_its_reason_and_its_answers(world):
    sw = await set_up_session(world)
    sam = sw.witnesses["sam_okafor"]
    await sw.open()
    await sw.chair_does("ask", text="Which of your clients are most at risk? Please name them.")
    question_message = sw.thread.last_message
    await sam.send(sw.thread, "Mrs Smith at number 4, who lives alone.")
    reason = "The answer named a private individual."
    await expect(sw.chair_does("strike", number=1, reason=reason), "Q1 struck from the record")

    [question] = await store_of(world).sessions.questions(sw.session_id)
    assert question.status is QuestionStatus.STRUCK and question.struck_reason == reason
    [answer] = await store_of(world).sessions.answers(sw.session_id)
    assert answer.uncorrected_text == "Mrs Smith at number 4, who lives alone."
    shown = next(m for m in sw.thread.history() if m.id == question_message.id)
    assert shown.content.startswith("~~**Q1**") and reason in shown.content
    audit = await store_of(world).audit.for_inquiry(world.inquiry.id)
    assert any(e.action == "question struck" and e.reason == reason for e in audit)

    again = await sw.chair_does("strike", number=1, reason="twice")
    assert "already been struck" in reply_text(again)
    await sam.send(sw.thread, "To add to that...", reply_to=question_message)
    assert "Q1 was struck from the record" in sw.thread.last_message.content
    await expect(sw.chair_does("ask", text=Q_ISSUES), "Q2 is before the panel")  # numbers are never reused


async def test_minutes_items_are_numbered_with_owners_and_due_dates(world):
    sw = await set_up_session(world)
    await sw.open()
    await expect(
        sw.chair_does("minute", kind="decision", text="Ordered, That the written evidence be published."),
        "Minute 1, decision",
    )
    await expect(
        world.secretariat.slash(
            sw.thread,
            "session minute",
            kind="action",
            text="Write to DCMS about digital inclusion funding",
            owner="British Future",
            due="2026-01-20",
        ),
        "Minute 2, action: Write to DCMS about digital inclusion funding (owner: British Future; due 2026-01-20)",
    )
    await expect(sw.chair_does("minute", kind="note", text="The Chair thanked the witnesses."), "Minute 3, note")
    refused = await sw.chair_does("minute", kind="decision", text="x", owner="Someone")
    assert "Only action points have an owner" in reply_text(refused)
    refused = await sw.chair_does("minute", kind="action", text="x", due="soon")
    assert "as a date" in reply_text(refused)
    refused = await sw.witnesses["sam_okafor"].slash(sw.thread, "session minute", kind="note", text="x")
    assert "Only the chair of this session or the secretariat" in reply_text(refused)

    items = await store_of(world).sessions.minutes(sw.session_id)
    assert [(i.number, i.kind, i.owner, i.due) for i in items] == [
        (1, MinuteKind.DECISION, None, None),
        (2, MinuteKind.ACTION, "British Future", "2026-01-20"),
        (3, MinuteKind.NOTE, None, None),
    ]


async def test_mentions_in_questions_answers_and_names_never_ping(world):
    await world.open_call()
    member_role = world.guild.roles["Member"]
    sneaky = f"@everyone @here <@{world.chair.id}> <@&{member_role.id}>"
    stage = world.guild.create_stage_channel("evidence-stage")
    await schedule(world, f"Community relations {sneaky}", place=stage)
    session_id = await latest_session_id(world)
    sec = world.secretariat
    await sec.slash(world.general, "session chair", member=world.chair, name=CHAIR_NAME, session=session_id)
    pinger = world.witness("pinger")
    await sec.slash(
        world.general, "session witness-add", panel=1, witness=pinger, name=f"Pat {sneaky}", session=session_id
    )
    await world.chair.slash(world.general, "session open", session=session_id)
    thread = world.guild.channels["evidence-sessions"].threads[-1]
    await world.chair.slash(thread, "session ask", text=f"Do you agree, {sneaky}?")
    await pinger.send(thread, f"Yes {sneaky}")

    for message in thread.history():
        if message.author.id == world.env.backend.bot_user.id:
            assert not message.mention_everyone, message.content
            assert message.mentions == [] and message.role_mentions == [], message.content
    assert "@\u200beveryone" in thread_texts(thread)[0]
    [answer] = await store_of(world).sessions.answers(session_id)
    assert answer.uncorrected_text == f"Yes {sneaky}"  # the record keeps exactly what was said


async def test_a_spoken_answer_waits_for_its_transcript_through_the_hook(world):
    sw = await set_up_session(world)
    await sw.open()
    await sw.chair_does("ask", text=Q_ISSUES)
    session = await sw.refresh()
    [question] = await store_of(world).sessions.questions(sw.session_id)
    record = world.bot.services.session_record
    intake = await record.take_voice(
        session, sw.witnesses["sam_okafor"].id, 424242, None, "voice-message.ogg", "https://cdn.example/v.ogg"
    )
    assert intake.recorded and intake.answer.spoken
    assert intake.answer.correction_status is CorrectionStatus.AWAITING_TRANSCRIPT
    assert intake.answer.uncorrected_text is None and intake.question.id == question.id

    floor = world.bot.get_cog("SessionFloorCog")
    answer = await floor.on_spoken_answer(intake.answer, " Isolation grew fastest among carers. ")
    assert answer.uncorrected_text == "Isolation grew fastest among carers."
    assert answer.correction_status is CorrectionStatus.NONE and answer.corrected_text is None
    posted = sw.thread.last_message.content
    assert "Uncorrected transcript of Sam Okafor's spoken answer to Q1" in posted
    assert "Isolation grew fastest among carers." in posted


async def test_a_voice_message_from_outside_the_panel_is_neither_kept_nor_recorded(world):
    sw = await set_up_session(world)
    await sw.open()
    await sw.chair_does("ask", text=Q_ISSUES)
    await world.witness("bystander").send(sw.thread, "", attachments=[("voice-message.ogg", b"OggS" + bytes(200))])
    assert "only the panel's witnesses and the members" in sw.thread.last_message.content
    assert await store_of(world).sessions.answers(sw.session_id) == []
    assert (await store_of(world).fetch_one("SELECT count(*) FROM media"))[0] == 0


async def test_a_recording_too_large_to_take_is_refused_with_the_reason(world):
    sw = await set_up_session(world)
    await sw.open()
    await sw.chair_does("ask", text=Q_ISSUES)
    world.bot.transcription.settings.max_bytes = 100
    await sw.witnesses["sam_okafor"].send(sw.thread, "", attachments=[("answer.ogg", b"OggS" + bytes(500))])
    told = sw.thread.last_message.content
    assert "the largest file I can take" in told and "It was not added to the record." in told
    assert await store_of(world).sessions.answers(sw.session_id) == []


async def test_a_voice_answer_is_recorded_even_when_the_transcription_queue_fails(world, caplog, monkeypatch):
    sw = await set_up_session(world)
    await sw.open()
    await sw.chair_does("ask", text=Q_ISSUES)

    async def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(world.bot.transcription, "receive", broken)
    sent = await sw.witnesses["sam_okafor"].send(sw.thread, "", attachments=[("answer.ogg", b"OggS" + bytes(500))])
    [answer] = await store_of(world).sessions.answers(sw.session_id)
    assert answer.spoken and answer.message_id == sent.id and answer.attachment_name == "answer.ogg"
    assert answer.correction_status is CorrectionStatus.AWAITING_TRANSCRIPT and answer.media_item_id is None
    assert "could not be queued for transcription" in sw.thread.last_message.content
    assert "disk full" in caplog.text


async def test_a_witness_who_spoke_in_a_session_can_still_be_forgotten(world):
    sw = await set_up_session(world)
    await sw.open()
    await sw.chair_does("ask", text=Q_ISSUES)
    sam = sw.witnesses["sam_okafor"]
    store = store_of(world)
    session = await sw.refresh()
    intake = await world.bot.services.session_record.take_voice(
        session, sam.id, 515151, None, "voice-message.ogg", "https://cdn.example/v.ogg"
    )
    async with store.transaction():
        media_id = await store.media.add_media(
            sha256="ab" * 32,
            path="ab/x.ogg",
            filename="voice-message.ogg",
            content_type="audio/ogg",
            size=10,
            now=world.env.now(),
        )
        item_id = await store.media.add_item(
            media_id=media_id,
            kind="voice",
            now=world.env.now(),
            user_id=sam.id,
            session_id=session.id,
            discord_message_id=515151,
        )
    await world.bot.services.session_record.link_media(intake.answer, item_id)

    report = await world.bot.services.privacy.forget(sam.id, world.guild.id)
    assert report.secretariat_told  # oral evidence is the published record: the secretariat decides on it
    answer = await store.sessions.answer(intake.answer.id)
    assert answer.media_item_id == item_id and await store.media.item(item_id) is not None
