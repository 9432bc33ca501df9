"""Oral evidence sessions through SimCord: scheduling, who may do what, numbering, answers, strikes and minutes."""

from __future__ import annotations

import discord
import pytest

from bot import build_bot
from demo.driver import make_world
from demo.sessions_scene import (
    CHAIR_NAME,
    MEMBER_NAME,
    expect,
    latest_session_id,
    reply_text,
    schedule,
    set_up_session,
    start_text,
    thread_texts,
)
from inquiry.sessions.models import SessionStatus

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


async def test_scheduling_creates_a_scheduled_event_in_the_stage_channel(world):
    await world.open_call()
    stage = world.guild.create_stage_channel("evidence-stage")
    result = await schedule(world, "Older people and rural isolation", place=stage)

    text = reply_text(result)
    assert result.ephemeral
    assert "GMT (Europe/London)" in text  # the zone the start was read in is shown
    assert "Reminders to witnesses and members: 1 day, 15 minutes before." in text
    session = await world.bot.services.sessions.get(await latest_session_id(world))
    assert session.status is SessionStatus.SCHEDULED and session.event_id
    assert f"https://discord.com/events/{world.guild.id}/{session.event_id}" in text
    event = world.bot.get_guild(world.guild.id).get_scheduled_event(session.event_id)
    assert event.name == "SCI oral evidence session 1: Older people and rural isolation"
    assert event.entity_type is discord.EntityType.stage_instance
    assert event.channel_id == stage.id
    assert event.start_time == session.starts_at
    assert event.status is discord.EventStatus.scheduled


async def test_a_session_at_an_outside_link_is_an_external_event_with_an_end(world):
    await world.open_call()
    result = await schedule(world, "Digital exclusion", link="https://meet.example.org/sci-2", days=0.5)
    text = reply_text(result)
    assert "Not sent, already past: 1 day before." in text  # the session is less than a day away
    session = await world.bot.services.sessions.get(await latest_session_id(world))
    event = backend_event(world, session.event_id)
    assert event.entity_type == 3
    assert event.entity_metadata == {"location": "https://meet.example.org/sci-2"}
    assert event.scheduled_end_time is not None
    assert [r.minutes_before for r in await store_of(world).sessions.reminders(session.id)] == [15]


@pytest.mark.parametrize(
    ("options", "refusal"),
    [
        ({"start": "next Tuesday"}, "write it as YYYY-MM-DD HH:MM (Europe/London time)"),
        ({"start": "2025-12-01 10:00"}, "must start in the future"),
        ({"link": "meet.example.org"}, "must be a web address"),
        ({"reminders": "soon"}, "as a reminder time"),
    ],
)
async def test_bad_scheduling_input_is_refused_clearly_and_nothing_is_created(world, options, refusal):
    await world.open_call()
    values = {"title": "Volunteering", "start": start_text(world), "minutes": 60, "link": "https://meet.example.org/x"}
    result = await world.secretariat.slash(world.general, "session schedule", **{**values, **options})
    assert result.ephemeral and refusal in reply_text(result)
    assert await world.bot.services.sessions.live_in_guild(world.guild.id) == []
    assert world.env.backend.get_guild(world.guild.id).scheduled_events == {}


async def test_only_the_secretariat_or_a_chair_schedules(world):
    await world.open_call()
    result = await world.member.slash(
        world.general, "session schedule", title="x", start=start_text(world), minutes=60, link="https://a.example"
    )
    assert "Only the secretariat or the chair can schedule sessions." in reply_text(result)


async def test_wrong_roles_are_refused(world):
    sw = await set_up_session(world)
    sam = sw.witnesses["sam_okafor"]

    for who in (world.member, world.secretariat):
        refused = await who.slash(world.general, "session open", session=sw.session_id)
        assert refused.ephemeral
        assert f"Only the chair of this session ({CHAIR_NAME}) can do that." in reply_text(refused)
    other_chair = world.guild.add_member(world.env.create_user("another_chair"), roles=[world.guild.roles["Chair"]])
    refused = await other_chair.slash(world.general, "session open", session=sw.session_id)
    assert "Only the chair of this session" in reply_text(refused)
    assert (await sw.refresh()).status is SessionStatus.SCHEDULED

    await sw.open()
    refused = await sam.slash(sw.thread, "session ask", text="May I ask the chair something?")
    assert refused.ephemeral
    assert "Only the chair, or a member the chair has given the floor, may put questions." in reply_text(refused)
    refused = await world.member.slash(sw.thread, "session ask", text=Q_BARRIERS)
    assert "given the floor" in reply_text(refused)
    refused = await sam.slash(sw.thread, "session strike", number=1, reason="x")
    assert "Only the chair of this session" in reply_text(refused)
    assert await store_of(world).sessions.questions(sw.session_id) == []

    await expect(sw.chair_does("allow", member=world.member), "may now put questions")
    await expect(world.member.slash(sw.thread, "session ask", text=Q_BARRIERS), "Q1 is before the panel")
    assert thread_texts(sw.thread)[-1] == f"**Q1** {MEMBER_NAME}: {Q_BARRIERS}"


async def test_the_chair_must_hold_the_chair_role(world):
    sw = await set_up_session(world)
    refused = await world.secretariat.slash(
        world.general, "session chair", member=world.member, name="Member MP", session=sw.session_id
    )
    assert "does not hold the Chair role" in reply_text(refused)
    assert (await sw.refresh()).chair.name == CHAIR_NAME


async def test_question_numbers_run_on_across_sessions_and_a_restart(world, settings, store):
    first = await set_up_session(world, "Older people and rural isolation")
    await first.open()
    for text in (Q_ISSUES, Q_BARRIERS, Q_GOVERNMENT):
        await first.chair_does("ask", text=text)
    await expect(first.chair_does("close"), "closed")
    assert [line.split(" ", 1)[0] for line in thread_texts(first.thread) if line.startswith("**Q")] == [
        "**Q1**",
        "**Q2**",
        "**Q3**",
    ]

    fresh = build_bot(settings, store)
    await world.env.restart_bot(fresh)
    world.bot = fresh

    second = await set_up_session(world, "Asylum seekers and digital exclusion")
    await second.open()
    await expect(second.chair_does("ask", text=Q_ISSUES), "Q4 is before the panel")
    await expect(second.chair_does("allow", member=world.member), "may now put questions")
    await expect(world.member.slash(second.thread, "session ask", text=Q_BARRIERS), "Q5 is before the panel")
    assert f"**Q4** Chair ({CHAIR_NAME}): {Q_ISSUES}" in thread_texts(second.thread)
    numbers = [q.number for s in (first, second) for q in await store.sessions.questions(s.session_id)]
    assert numbers == [1, 2, 3, 4, 5]


async def test_opening_starts_the_stage_and_the_event_and_closing_ends_them(world):
    sw = await set_up_session(world)
    session = await sw.refresh()
    result = await sw.open()
    assert "is open: its record is kept in" in reply_text(result)
    assert world.env.backend.get_stage_instance(sw.stage.id).topic.startswith("SCI oral evidence session 1")
    assert backend_event(world, session.event_id).status == 2
    agenda = thread_texts(sw.thread)[0]
    assert f"**Members present:** {CHAIR_NAME} (Chair), {MEMBER_NAME}" in agenda
    assert "**Panel 1**" in agenda and "Sam Okafor, Chief Executive, Leeds Older People's Forum" in agenda
    assert agenda.index("**Panel 1**") < agenda.index("**Panel 2**") < agenda.index("Priya Shah")
    invited = world.env.backend.get_channel(sw.thread.id).thread_members
    assert {w.id for w in sw.witnesses.values()} | {world.chair.id, world.member.id} <= set(invited)

    await sw.chair_does("ask", text=Q_ISSUES)
    await expect(sw.chair_does("close"), "Session 1 closed.")
    assert sw.stage.id not in world.env.backend.stage_instances
    assert backend_event(world, session.event_id).status == 3
    assert world.env.backend.get_channel(sw.thread.id).thread_metadata.locked
    assert "Questions Q1–Q1" in thread_texts(sw.thread)[-1]
    assert (await sw.refresh()).status is SessionStatus.CLOSED
    again = await world.chair.slash(world.general, "session open", session=sw.session_id)
    assert "has been closed" in reply_text(again)


async def test_panels_are_set_up_with_clear_refusals(world):
    sw = await set_up_session(world)
    sec, sam = world.secretariat, sw.witnesses["sam_okafor"]
    refused = await sec.slash(world.general, "session witness-add", panel=1, session=sw.session_id)
    assert "Choose the witness on this server, or give the name" in reply_text(refused)
    refused = await sec.slash(world.general, "session witness-add", panel=2, witness=sam, session=sw.session_id)
    assert "Sam Okafor is already a witness in this session, on panel 1." in reply_text(refused)
    refused = await sec.slash(world.general, "session member-add", member=sam, session=sw.session_id)
    assert "holds neither the Member nor the Chair role" in reply_text(refused)
    refused = await sec.slash(world.general, "session apology", member=world.chair, session=sw.session_id)
    assert "is chairing this session: name another chair first" in reply_text(refused)
    refused = await sam.slash(world.general, "session witness-add", panel=1, name="Me", session=sw.session_id)
    assert "Only the secretariat or the chair can set up sessions." in reply_text(refused)

    await sw.open()
    await expect(sw.chair_does("next-panel"), "Panel 2 is called")
    refused = await sec.slash(world.general, "session witness-add", panel=1, name="Late Comer", session=sw.session_id)
    assert "Panel 1 has already given evidence" in reply_text(refused)
    await expect(
        sec.slash(world.general, "session witness-add", panel=3, name="Dr Late", session=sw.session_id),
        "Panel 3: Dr Late",
    )


async def test_the_session_option_offers_the_servers_live_sessions(world):
    sw = await set_up_session(world, "Older people and rural isolation")
    choices = await world.secretariat.autocomplete(world.general, "session open", "session", "rural")
    assert [c["value"] for c in choices] == [sw.session_id]
    assert choices[0]["name"].startswith(f"{sw.session_id}: Older people and rural isolation (")
    assert await world.secretariat.autocomplete(world.general, "session open", "session", "volunteering") == []
