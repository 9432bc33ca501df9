"""The formal minutes after the fact, through SimCord and read back from the Word export with python-docx:
declarations of interest under item 1, only the witnesses who gave oral evidence listed as such (the others not
called or absent), items corrected and removed (kept, audited with who and why), and the minutes agreed at a later
meeting or reopened; with the refusals (wrong role, wrong state, a date in the future)."""

from __future__ import annotations

import io
from datetime import timedelta

import docx
import pytest

from demo.driver import make_world
from demo.sessions_scene import CHAIR_NAME, MEMBER_NAME, expect, reply_text, set_up_session
from tests.test_session_recording_export import transcribed_before, zipped
from tests.test_sessions_recordings import wav_bytes

Q1 = "What has the crisis meant for the people you work with?"
A1 = "Older people who relied on day centres lost their main contact overnight."
DECISION = "the written evidence be published"
ACTION = "Write to DCMS about digital inclusion"
NOTE = "The Chair thanked the witnesses."


@pytest.fixture
async def world(simcord_env, simcord_bot):
    return await make_world(simcord_env, simcord_bot)


async def held(world):
    """A closed session: Sam Okafor answered Q1; Margaret Ellis (panel 1) and Priya Shah (panel 2) said nothing.
    Minutes 1 (decision), 2 (action) and 3 (note)."""
    sw = await set_up_session(world, "Reaching isolated groups")
    await sw.open()
    await sw.chair_does("ask", text=Q1)
    await sw.witnesses["sam_okafor"].send(sw.thread, A1)
    await sw.chair_does("minute", kind="decision", text=DECISION)
    await sw.chair_does("minute", kind="action", text=ACTION, owner="British Future", due="2026-01-20")
    await sw.chair_does("minute", kind="note", text=NOTE)
    await sw.chair_does("close")
    return sw


async def minutes_document(world, session: int = 1):
    """The exported minutes, reopened with python-docx."""
    result = await expect(world.secretariat.slash(world.general, "export minutes", session=session), ".docx")
    [attachment] = result.followups[-1].attachments if result.followups else result.response.attachments
    return docx.Document(io.BytesIO(await attachment.read()))


async def minutes_text(world, session: int = 1) -> list[str]:
    """The non-empty paragraphs and the table cells of the exported minutes."""
    document = await minutes_document(world, session)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return [p.text for p in document.paragraphs if p.text.strip()] + cells


async def section(world, title: str, session: int = 1) -> list[str]:
    """The paragraphs under a numbered item of the minutes (a Heading 1 such as ``2. Oral evidence``)."""
    found: dict[str, list[str]] = {}
    current = None
    for paragraph in (await minutes_document(world, session)).paragraphs:
        if paragraph.style.name == "Heading 1":
            current = paragraph.text.split(". ", 1)[-1]
            found[current] = []
        elif current is not None and paragraph.text.strip():
            found[current].append(paragraph.text)
    return found.get(title, [])


async def audit(world) -> list[tuple[str, str, str | None, int | None]]:
    inquiry = await world.inquiry_now()
    entries = await world.bot.services.store.audit.for_inquiry(inquiry.id, limit=200)
    return [(e.action, e.detail, e.reason, e.actor_id) for e in reversed(entries)]


async def test_interests_declared_by_members_are_under_item_one_and_refused_to_others(world):
    sw = await set_up_session(world, "Reaching isolated groups")
    await sw.open()
    await sw.chair_does("close")
    assert await section(world, "Declarations of interest") == ["No interests were declared."]

    # At the start of a meeting, in its thread: the session needs no naming.
    sw = await set_up_session(world, "Volunteering after the crisis")
    await sw.open()
    await expect(
        sw.chair_does("minutes declare", interest="that she is a patron of a befriending charity"),
        f"Recorded for the minutes of session 2: {CHAIR_NAME} declared that she is a patron",
    )
    await expect(
        world.secretariat.slash(
            sw.thread, "session minutes declare", interest="trustee of Age UK Leeds", member=world.member
        ),
        f"{MEMBER_NAME} declared an interest: trustee of Age UK Leeds.",
    )
    sam = sw.witnesses["sam_okafor"]
    for who, options, refusal in (
        (sam, {}, "Members declare their own interests"),
        (world.member, {"member": world.chair}, "Only the secretariat or the chair of this session can record"),
        (world.secretariat, {}, "Members declare their own interests"),
        (world.secretariat, {"member": sam}, "Sam Okafor is a witness in session 2: only members declare"),
    ):
        refused = await who.slash(sw.thread, "session minutes declare", interest="a charity", **options)
        assert refusal in reply_text(refused), reply_text(refused)
    absent = world.guild.add_member(world.env.create_user("absent_mp"), roles=[world.guild.roles["Member"]])
    await world.secretariat.slash(sw.thread, "session apology", member=absent, name="Absent MP")
    refused = await absent.slash(sw.thread, "session minutes declare", interest="a charity")
    assert "Absent MP sent apologies for session 2: members present declare interests." in reply_text(refused)
    stranger = world.guild.add_member(world.env.create_user("other_mp"), roles=[world.guild.roles["Member"]])
    refused = await stranger.slash(sw.thread, "session minutes declare", interest="a charity")
    assert "other_mp is not recorded as present at session 2" in reply_text(refused)
    await sw.chair_does("close")

    assert await section(world, "Declarations of interest", 2) == [
        f"{CHAIR_NAME} declared that she is a patron of a befriending charity.",
        f"{MEMBER_NAME} declared an interest: trustee of Age UK Leeds.",
    ]
    await expect(
        world.member.slash(world.general, "session minutes declare", interest="x", withdraw=True, session=2),
        "Withdrawn: Member MP declared an interest: trustee of Age UK Leeds.",
    )
    assert await section(world, "Declarations of interest", 2) == [
        f"{CHAIR_NAME} declared that she is a patron of a befriending charity."
    ]
    actions = [(a, d, by) for a, d, _, by in await audit(world)]
    assert (
        "interest declared",
        "session 2: Member MP: trustee of Age UK Leeds (recorded by british_future)",
        world.secretariat.id,
    ) in actions
    assert ("declaration withdrawn", "session 2: Member MP: trustee of Age UK Leeds", world.member.id) in actions


async def test_only_witnesses_who_gave_evidence_are_listed_as_such_the_others_not_called_or_absent(world):
    await held(world)
    oral = await section(world, "Oral evidence")
    heard = oral.index("The following witnesses gave oral evidence:")
    assert oral[heard + 1] == "Sam Okafor, Chief Executive, Leeds Older People's Forum"
    assert oral[oral.index("The following witnesses were not called:") + 1 :] == [
        "Margaret Ellis, Volunteer organiser, Village phone tree (panel 1)",
        "Priya Shah, Head of Community Hubs, Hackney Council (panel 2)",
    ]

    marked = await world.secretariat.slash(
        world.general, "session panel attendance", name="Margaret Ellis", attended="absent", session=1
    )
    assert "Margaret Ellis: absent (session 1)." in reply_text(marked)
    assert "Panel 1: Sam Okafor, Chief Executive, Leeds Older People's Forum (gave evidence)" in reply_text(marked)
    await world.chair.slash(
        world.general, "session panel attendance", name="Priya Shah", attended="gave_evidence", session=1
    )
    oral = await section(world, "Oral evidence")
    assert oral[oral.index("The following witnesses gave oral evidence:") + 1 :] == [
        "Panel 1",
        "Sam Okafor, Chief Executive, Leeds Older People's Forum",
        "Panel 2",
        "Priya Shah, Head of Community Hubs, Hackney Council",
        "The following witnesses were absent:",
        "Margaret Ellis, Volunteer organiser, Village phone tree (panel 1)",
    ]
    assert ("witness attendance", "session 1: Margaret Ellis, Volunteer organiser, Village phone tree: absent") in [
        (a, d) for a, d, _, _ in await audit(world)
    ]
    refused = await world.member.slash(
        world.general, "session panel attendance", name="Priya Shah", attended="absent", session=1
    )
    assert "Only the chair of this session or the secretariat can change its minutes." in reply_text(refused)


@pytest.mark.simcord(settle_timeout=120)
async def test_a_witness_heard_only_on_the_recording_gave_oral_evidence(world):
    await held(world)
    track = wav_bytes(0.5)
    await transcribed_before(world, track, [(2.0, 6.0, "In our village the lunch club closed in the same week.")])
    uploaded = await world.secretariat.slash(
        world.general, "session recording", file=("craig.zip", zipped({"1-Margaret_Ellis.wav": track})), session=1
    )
    assert "1-Margaret_Ellis.wav: Margaret Ellis" in reply_text(uploaded), reply_text(uploaded)
    oral = await section(world, "Oral evidence")
    assert oral[
        oral.index("The following witnesses gave oral evidence:") + 1 : oral.index(
            "The following witnesses were not called:"
        )
    ] == [
        "Sam Okafor, Chief Executive, Leeds Older People's Forum",
        "Margaret Ellis, Volunteer organiser, Village phone tree",
    ]


async def test_items_are_corrected_and_removed_with_the_reason_and_the_removed_row_is_kept(world):
    await held(world)
    edited = await world.chair.slash(
        world.general,
        "session minutes edit",
        number=1,
        text="the written and oral evidence be published",
        reason="The oral evidence was included",
        session=1,
    )
    assert "Corrected. Minute 1, decision: the written and oral evidence be published" in reply_text(edited)
    await expect(
        world.secretariat.slash(
            world.general, "session minutes edit", number=2, due="2026-02-03", reason="Deadline moved", session=1
        ),
        "due 2026-02-03",
    )
    removed = await world.secretariat.slash(
        world.general, "session minutes remove", number=3, reason="Not a matter for the minutes", session=1
    )
    assert "Minute 3 removed from the minutes of session 1" in reply_text(removed)

    body = await minutes_text(world)
    assert "Ordered, That the written and oral evidence be published." in body
    assert "Ordered, That the written evidence be published." not in body
    assert "3 February 2026" in body and "20 January 2026" not in body
    assert NOTE not in body and not any(line.endswith(". Other business") for line in body)

    store = world.bot.services.store
    [item] = [i for i in await store.sessions.minutes(1, removed=True) if i.number == 3]
    assert item.text == NOTE and item.removed and item.removed_reason == "Not a matter for the minutes"
    assert item.removed_by == world.secretariat.id
    shown = reply_text(await world.member.slash(world.general, "session show", session=1))
    assert f"~~3. Note: {NOTE}~~ (removed: Not a matter for the minutes)" in shown
    assert "1. Decision: the written and oral evidence be published (corrected)" in shown
    entries = await audit(world)
    assert (
        "minute edited",
        "session 1, minute 1: decision: the written evidence be published → decision: the written and oral evidence"
        " be published",
        "The oral evidence was included",
        world.chair.id,
    ) in entries
    assert (
        "minute removed",
        f"session 1, minute 3: note: {NOTE}",
        "Not a matter for the minutes",
        world.secretariat.id,
    ) in entries

    for who, command, options, refusal in (
        (world.member, "edit", {"number": 1, "text": "x", "reason": "y"}, "Only the chair of this session or"),
        (world.witness("sam_okafor"), "remove", {"number": 1, "reason": "y"}, "Only the chair of this session or"),
        (world.secretariat, "edit", {"number": 3, "text": "x", "reason": "y"}, "Minute 3 was removed"),
        (world.secretariat, "remove", {"number": 9, "reason": "y"}, "Session 1 has no minute 9"),
        (world.secretariat, "edit", {"number": 1, "owner": "Clerk", "reason": "y"}, "Only action points have an owner"),
    ):
        refused = await who.slash(world.general, f"session minutes {command}", session=1, **options)
        assert refusal in reply_text(refused), reply_text(refused)


async def test_minutes_are_a_draft_until_agreed_and_agreed_minutes_change_only_once_reopened(world):
    sw = await set_up_session(world, "Reaching isolated groups")
    await sw.open()
    refused = await world.secretariat.slash(world.general, "session minutes agree", session=1)
    assert "Session 1 is still open: its minutes are agreed after it closes" in reply_text(refused)
    await sw.chair_does("minute", kind="decision", text=DECISION)
    await sw.chair_does("close")
    body = await minutes_text(world)
    assert body[1] == "Draft minutes — not yet agreed"

    today = world.env.now().astimezone(world.bot.services.tz).date()
    for who, options, refusal in (
        (world.member, {}, "Only the secretariat or the chair can record that minutes were agreed."),
        (world.secretariat, {"on": (today + timedelta(days=1)).isoformat()}, "that date is in the future"),
        (world.secretariat, {"on": "2025-12-31"}, "its minutes cannot be agreed before that"),
    ):
        refused = await who.slash(world.general, "session minutes agree", session=1, **options)
        assert refusal in reply_text(refused), reply_text(refused)
    agreed = await world.chair.slash(world.general, "session minutes agree", session=1)
    day = f"{today.day} {today:%B %Y}"
    assert f"The minutes of session 1 were agreed on {day}." in reply_text(agreed)
    body = await minutes_text(world)
    assert body[1] == f"Agreed on {today:%A} {day}" and "Draft minutes — not yet agreed" not in body

    locked = f"The minutes of session 1 were agreed on {day}: to change them, reopen them first"
    for who, command, options in (
        (world.chair, "session minutes edit", {"number": 1, "text": "x", "reason": "typo"}),
        (world.secretariat, "session minutes remove", {"number": 1, "reason": "typo"}),
        (world.chair, "session minute", {"kind": "note", "text": "Late addition"}),
        (world.chair, "session minutes declare", {"interest": "a charity"}),
        (world.secretariat, "session panel attendance", {"name": "Priya Shah", "attended": "absent"}),
        (world.secretariat, "session panel edit", {"name": "Priya Shah", "role": "Director"}),
    ):
        refused = await who.slash(world.general, command, session=1, **options)
        assert locked in reply_text(refused), (command, reply_text(refused))
    again = await world.secretariat.slash(world.general, "session minutes agree", session=1)
    assert f"were agreed on {day}." in reply_text(again)

    refused = await world.member.slash(world.general, "session minutes reopen", reason="typo", session=1)
    assert "Only the secretariat or the chair can reopen minutes." in reply_text(refused)
    await expect(
        world.secretariat.slash(world.general, "session minutes reopen", reason="A name was misspelt", session=1),
        "are a draft again",
    )
    await expect(
        world.chair.slash(
            world.general, "session minutes edit", number=1, text=DECISION + " today", reason="typo", session=1
        ),
        "Corrected.",
    )
    assert (await minutes_text(world))[1] == "Draft minutes — not yet agreed"
    actions = [(a, d, r) for a, d, r, _ in await audit(world)]
    assert ("minutes agreed", f"session 1: agreed on {today.isoformat()}", None) in actions
    assert ("minutes reopened", f"session 1: agreed on {today.isoformat()}, reopened", "A name was misspelt") in actions
