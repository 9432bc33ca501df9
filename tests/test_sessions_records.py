"""A session's record becomes its formal minutes and its transcript: read-models built from the store, written as
.docx by the exports and reopened with python-docx, through the secretariat's /export commands."""

from __future__ import annotations

import io

import docx
import pytest

from demo.driver import make_world
from demo.sessions_scene import CHAIR_NAME, MEMBER_NAME, expect, schedule, set_up_session
from inquiry.record.sessions import AWAITING_TRANSCRIPT, minutes_doc, transcript_doc

Q1 = "What has the crisis meant for the people you work with?"
Q2 = "Which of your clients are most at risk? Please name them."
Q3 = "Was the barrier to getting people online the equipment, or something else?"
A1 = "Older people who relied on day centres lost their main contact overnight."
A2 = "Mrs Smith at number 4, who lives alone."
A3 = "Confidence far more than equipment."
STRUCK = "The answer named a private individual."


@pytest.fixture
async def world(simcord_env, simcord_bot):
    return await make_world(simcord_env, simcord_bot)


async def run_session(world):
    """A session with an apology, three questions (one struck), answers, a remark, a spoken answer and minutes."""
    sw = await set_up_session(world, "Reaching isolated groups")
    absent = world.guild.add_member(world.env.create_user("absent_mp"), roles=[world.guild.roles["Member"]])
    await world.secretariat.slash(
        world.general, "session apology", member=absent, name="Absent MP", session=sw.session_id
    )
    await schedule(world, "Volunteering after the crisis", days=9)  # the next meeting
    sam, margaret = sw.witnesses["sam_okafor"], sw.witnesses["margaret"]
    await sw.open()
    await sw.chair_does("ask", text=Q1)
    await sam.send(sw.thread, A1)
    await sw.chair_does("ask", text=Q2)
    await sam.send(sw.thread, A2)
    await sw.chair_does("strike", number=2, reason=STRUCK)
    await sw.chair_does("allow", member=world.member)
    await world.member.slash(sw.thread, "session ask", text=Q3)
    await sam.send(sw.thread, A3)
    await world.member.send(sw.thread, "Thank you, that is helpful.")
    session = await sw.refresh()
    await world.bot.services.session_record.take_voice(
        session, margaret.id, 777, None, "voice-message.ogg", "https://cdn.example/v.ogg"
    )
    await sw.chair_does("minute", kind="decision", text="the written evidence be published")
    await sw.chair_does(
        "minute", kind="action", text="Write to DCMS about digital inclusion", owner="British Future", due="2026-01-20"
    )
    await sw.chair_does("close")
    return sw


def paragraphs(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


async def exported(world, kind: str, session_id: int) -> bytes:
    result = await expect(world.secretariat.slash(world.general, f"export {kind}", session=session_id), ".docx")
    [attachment] = result.response.attachments if not result.followups else result.followups[-1].attachments
    return await attachment.read()


async def test_the_formal_minutes_of_a_session(world):
    sw = await run_session(world)
    text = paragraphs(await exported(world, "minutes", sw.session_id))

    assert "Meeting: Oral evidence session 1: Reaching isolated groups" in text
    assert f"{CHAIR_NAME}, in the Chair" in text and MEMBER_NAME in text
    assert "Apologies were received from Absent MP." in text
    assert "Sam Okafor, Chief Executive, Leeds Older People's Forum" in text
    assert "Ordered, That the written evidence be published." in text
    assert "Write to DCMS about digital inclusion" in text and "British Future" in text and "20 January 2026" in text
    assert "Oral evidence session 2: Volunteering after the crisis" in text  # the next meeting


async def test_the_transcript_numbers_questions_attributes_answers_and_leaves_out_what_was_struck(world):
    sw = await run_session(world)
    text = paragraphs(await exported(world, "transcript", sw.session_id))

    assert "Oral evidence: Reaching isolated groups" in text
    assert f"{CHAIR_NAME} (Chair); {MEMBER_NAME}." in text
    assert "Questions 1–3" in text
    assert f"Q1 Chair: {Q1}" in text and f"Sam Okafor: {A1}" in text
    assert f"Q3 {MEMBER_NAME}: {Q3}" in text and f"Sam Okafor: {A3}" in text
    assert f"{MEMBER_NAME}: Thank you, that is helpful." in text
    assert f"Q2 was struck from the record: {STRUCK}" in text
    assert Q2 not in text and A2 not in text
    assert "Margaret Ellis: [uncorrected transcript] " + AWAITING_TRANSCRIPT in text


async def test_the_read_models_come_straight_from_the_store(world):
    sw = await run_session(world)
    store, tz = world.bot.services.store, world.bot.services.tz
    minutes, code = await minutes_doc(store, sw.session_id, tz)
    assert code == "SCI" and minutes.timezone_name == "Europe/London"
    assert minutes.chair.name == CHAIR_NAME and [m.name for m in minutes.members] == [MEMBER_NAME]
    assert [(i.kind, i.owner) for i in minutes.items] == [("decision", None), ("action", "British Future")]
    transcript, _ = await transcript_doc(store, sw.session_id, tz)
    assert [q.number for q in transcript.questions] == [1, 2, 3]
    struck = transcript.questions[1]
    assert struck.struck and struck.strike_reason == STRUCK and struck.answers[0].text == A2  # kept
    assert [w.panel for w in transcript.witnesses] == [1, 1, 2]
