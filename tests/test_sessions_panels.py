"""Panels changed after a session was scheduled, through SimCord: a witness removed, moved to another panel or their
name, role or organisation corrected; witnesses on the server told by direct message; every change audited; and the
refusals (wrong role, a witness already heard, a panel that has given evidence, a closed session)."""

from __future__ import annotations

import pytest

from demo.driver import make_world
from demo.sessions_scene import expect, reply_text, set_up_session
from inquiry.record.sessions import transcript_doc


@pytest.fixture
async def world(simcord_env, simcord_bot):
    return await make_world(simcord_env, simcord_bot)


def dms(person) -> list[str]:
    channel = person.user.dm_channel
    return [m.content for m in channel.history()] if channel is not None else []


async def audit_actions(world) -> list[tuple[str, str, str | None]]:
    inquiry = await world.inquiry_now()
    entries = await world.bot.services.store.audit.for_inquiry(inquiry.id, limit=200)
    return [(e.action, e.detail, e.reason) for e in reversed(entries)]


async def panel(sw) -> dict[int, list[str]]:
    session = await sw.refresh()
    return {number: [w.name for w in witnesses] for number, witnesses in session.panels.items()}


async def test_a_witness_on_the_server_is_told_when_added_moved_and_removed(world):
    sw = await set_up_session(world)
    sam, margaret, priya = (sw.witnesses[k] for k in ("sam_okafor", "margaret", "hackney_hubs"))
    [invited] = [m for m in dms(sam) if "invited to give oral evidence" in m]
    assert "**SCI oral evidence session 1: Older people and rural isolation**, on panel 1." in invited
    assert "When: " in invited and "Where: Stage" in invited
    added = await world.secretariat.slash(
        world.general, "session witness-add", panel=2, name="Jo Marsh", organisation="Rural Coffee Caravan", session=1
    )
    assert "Panel 2: Priya Shah, Head of Community Hubs, Hackney Council; Jo Marsh, Rural Coffee Caravan" in (
        reply_text(added)
    )
    assert "Told by direct message" not in reply_text(added)  # someone from outside the server has no DMs here

    moved = await world.chair.slash(world.general, "session panel move", witness=priya, panel=1, session=1)
    assert "Priya Shah moved from panel 2 to panel 1." in reply_text(moved)
    assert "Told by direct message: 1 of 1." in reply_text(moved)
    assert await panel(sw) == {1: ["Sam Okafor", "Margaret Ellis", "Priya Shah"], 2: ["Jo Marsh"]}
    [note] = [m for m in dms(priya) if "You are now on panel" in m]
    assert "You are now on panel 1 of **SCI oral evidence session 1" in note and "(you were on panel 2)" in note

    removed = await world.secretariat.slash(
        world.general, "session panel remove", witness=margaret, reason="She is unwell", session=1
    )
    assert "Margaret Ellis is no longer a witness in session 1." in reply_text(removed)
    assert [m for m in dms(margaret) if "You are no longer a witness at **SCI oral evidence session 1" in m]
    await expect(
        world.secretariat.slash(world.general, "session panel remove", name="jo  marsh", session=1),
        "Jo Marsh is no longer a witness in session 1.",
    )
    assert await panel(sw) == {1: ["Sam Okafor", "Priya Shah"]}

    actions = await audit_actions(world)
    assert (
        "witness moved",
        "session 1: Priya Shah, Head of Community Hubs, Hackney Council, panel 2 → panel 1",
        None,
    ) in actions
    assert (
        "witness removed",
        "session 1: Margaret Ellis, Volunteer organiser, Village phone tree, panel 1",
        "She is unwell",
    ) in actions
    assert ("witness added", "session 1: Jo Marsh, Rural Coffee Caravan, panel 2", None) in actions


async def test_panel_changes_are_refused_for_the_wrong_role_and_once_a_witness_or_panel_has_been_heard(world):
    sw = await set_up_session(world)
    sam, priya = sw.witnesses["sam_okafor"], sw.witnesses["hackney_hubs"]
    refused = await world.member.slash(world.general, "session panel remove", witness=sam, session=1)
    assert "Only the secretariat or the chair can set up sessions." in reply_text(refused)
    refused = await sam.slash(world.general, "session panel move", witness=sam, panel=2, session=1)
    assert "Only the secretariat or the chair can set up sessions." in reply_text(refused)
    refused = await world.secretariat.slash(world.general, "session panel remove", name="Dr Nobody", session=1)
    assert "Session 1 has no witness called 'Dr Nobody'" in reply_text(refused)
    refused = await world.secretariat.slash(world.general, "session panel move", witness=sam, panel=1, session=1)
    assert "Sam Okafor is already on panel 1." in reply_text(refused)

    await sw.open()
    await sw.chair_does("ask", text="What has the crisis meant for the people you work with?")
    await sam.send(sw.thread, "Older people lost their day centres overnight.")
    refused = await world.secretariat.slash(world.general, "session panel remove", witness=sam, session=1)
    assert "Sam Okafor's words are in the record of session 1, so they stay on the panel." in reply_text(refused)
    refused = await world.secretariat.slash(world.general, "session panel move", witness=sam, panel=2, session=1)
    assert "Sam Okafor has already given evidence on panel 1." in reply_text(refused)
    await sw.chair_does("next-panel")
    refused = await world.secretariat.slash(world.general, "session panel move", witness=priya, panel=1, session=1)
    assert "Panel 1 has already given evidence; move the witness to a later panel." in reply_text(refused)
    await sw.chair_does("close")
    refused = await world.secretariat.slash(world.general, "session panel remove", witness=priya, session=1)
    assert "This session has been closed." in reply_text(refused)
    assert await panel(sw) == {
        1: ["Sam Okafor", "Margaret Ellis"],
        2: ["Priya Shah"],
    }
    assert not [m for m in dms(sam) if "no longer a witness" in m or "now on panel" in m]


async def test_a_name_corrected_after_the_session_follows_the_witness_into_the_record(world):
    sw = await set_up_session(world)
    sam = sw.witnesses["sam_okafor"]
    await sw.open()
    await sw.chair_does("ask", text="Who is most at risk?")
    await sam.send(sw.thread, "People who live alone and do not go online.")
    await sw.chair_does("close")

    refused = await world.member.slash(world.general, "session panel edit", witness=sam, new_name="Sam O.", session=1)
    assert "Only the secretariat or the chair can correct the panels." in reply_text(refused)
    refused = await world.secretariat.slash(world.general, "session panel edit", witness=sam, session=1)
    assert "Nothing to change" in reply_text(refused)
    done = await world.secretariat.slash(
        world.general,
        "session panel edit",
        name="Sam Okafor",
        new_name="Samuel Okafor",
        role="Chief Executive Officer",
        session=1,
    )
    assert "Panel 1: Samuel Okafor, Chief Executive Officer, Leeds Older People's Forum" in reply_text(done)
    transcript, _ = await transcript_doc(world.bot.services.store, sw.session_id, world.bot.services.tz)
    assert [a.witness_name for a in transcript.questions[0].answers] == ["Samuel Okafor"]
    assert (
        "witness details corrected",
        "session 1: Sam Okafor, Chief Executive, Leeds Older People's Forum → Samuel Okafor, Chief Executive Officer,"
        " Leeds Older People's Forum",
        None,
    ) in await audit_actions(world)
