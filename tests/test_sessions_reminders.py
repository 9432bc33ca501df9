"""Reminders before an oral evidence session: sent by direct message at the right times, never twice, also when
the bot restarts between them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import build_bot
from demo.driver import make_world
from demo.sessions_scene import latest_session_id, reply_text, schedule, set_up_session

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR


@pytest.fixture
async def world(simcord_env, simcord_bot):
    return await make_world(simcord_env, simcord_bot)


def reminders_to(person) -> list[str]:
    """The session reminders a person has received by direct message."""
    return [m.content for m in person.user.dm_channel.history() if m.content.startswith("Reminder:")]


async def seconds_until(sw, moment) -> float:
    return (moment - sw.env.now()).total_seconds()


async def seconds_until_moment(world, moment) -> float:
    return (moment - world.env.now()).total_seconds()


async def test_reminders_fire_a_day_and_fifteen_minutes_before_and_never_twice_across_a_restart(world, settings, store):
    sw = await set_up_session(world)  # starts in 2 days 10 hours; default reminders 1 day and 15 minutes before
    session = await sw.refresh()
    people = [sw.chair, sw.member, *sw.witnesses.values()]
    assert all(reminders_to(p) == [] for p in people)

    await sw.env.advance_time(await seconds_until(sw, session.starts_at - timedelta(days=1, minutes=2)))
    assert all(reminders_to(p) == [] for p in people), "nothing before the first reminder is due"

    await sw.env.advance_time(3 * MINUTE)
    for person in people:
        [first] = reminders_to(person)
        assert "starts in 1 day" in first and "Older people and rural isolation" in first
    assert "You are chairing it." in reminders_to(sw.chair)[0]
    assert "witness, panel 2" in reminders_to(sw.witnesses["hackney_hubs"])[0]

    await sw.env.advance_time(2 * HOUR)
    assert all(len(reminders_to(p)) == 1 for p in people), "a reminder is sent once"

    fresh = build_bot(settings, store)
    await sw.env.restart_bot(fresh)
    world.bot = fresh
    await sw.env.advance_time(await seconds_until(sw, session.starts_at - timedelta(minutes=16)))
    assert all(len(reminders_to(p)) == 1 for p in people), "the restart re-sends nothing"

    await sw.env.advance_time(2 * MINUTE)
    for person in people:
        assert len(reminders_to(person)) == 2
        assert "starts in 15 minutes" in reminders_to(person)[1]

    await sw.env.advance_time(HOUR)
    assert all(len(reminders_to(p)) == 2 for p in people)


async def test_a_round_cut_short_by_a_crash_does_not_tell_anyone_twice(world):
    sw = await set_up_session(world)
    session = await sw.refresh()
    [day_before, _] = await world.bot.services.store.sessions.reminders(session.id)
    # The bot had told Sam, and crashed before it could finish the round.
    assert await world.bot.services.reminders.claim(day_before.id, sw.witnesses["sam_okafor"].id)

    await sw.env.advance_time(await seconds_until(sw, day_before.due_at) + MINUTE)
    assert reminders_to(sw.witnesses["sam_okafor"]) == []
    others = [sw.chair, sw.member, sw.witnesses["margaret"], sw.witnesses["hackney_hubs"]]
    assert all(len(reminders_to(p)) == 1 for p in others)
    [retired, _] = await world.bot.services.store.sessions.reminders(session.id)
    assert retired.sent_at is not None and retired.outcome == "sent to 4"


async def test_closed_direct_messages_do_not_stop_the_others_being_reminded(world):
    sw = await set_up_session(world)
    session = await sw.refresh()
    shy = sw.witnesses["margaret"]
    world.env.inject_error(
        "POST",
        f"/channels/{shy.user.dm_channel.id}/messages",
        status=403,
        code=50007,
        message="Cannot send",
        times=None,
    )
    await sw.env.advance_time(await seconds_until(sw, session.starts_at) - 10 * MINUTE)

    assert reminders_to(shy) == []
    assert all(len(reminders_to(p)) == 2 for p in (sw.chair, sw.member, sw.witnesses["sam_okafor"]))
    store = world.bot.services.store
    for reminder in await store.sessions.reminders(session.id):
        assert reminder.outcome == "sent to 4; 1 could not be reached"
        assert (await store.sessions.deliveries(reminder.id))[shy.id] is False


async def test_apologies_outside_witnesses_and_started_sessions_get_no_reminder(world):
    sw = await set_up_session(world)
    session = await sw.refresh()
    absent = world.guild.add_member(world.env.create_user("absent_mp"), roles=[world.guild.roles["Member"]])
    sec = world.secretariat
    await sec.slash(world.general, "session apology", member=absent, name="Absent MP", session=sw.session_id)
    await sec.slash(
        world.general,
        "session witness-add",
        panel=2,
        name="Dr Outside",
        organisation="A university",
        session=sw.session_id,
    )
    await sw.env.advance_time(await seconds_until(sw, session.starts_at - timedelta(days=1)) + MINUTE)
    assert reminders_to(absent) == []
    assert len(reminders_to(sw.member)) == 1

    await sw.open()  # the chair opens early: the 15-minute reminder would be stale
    await sw.env.advance_time(await seconds_until(sw, session.starts_at))
    assert len(reminders_to(sw.member)) == 1
    [_, fifteen] = await world.bot.services.store.sessions.reminders(session.id)
    assert fifteen.outcome == "not sent: the session had already started"


async def test_reminders_can_be_chosen_per_session(world):
    await world.open_call()
    result = await schedule(world, "Volunteering", reminders="2h, 30m", days=1)
    assert "Reminders to witnesses and members: 2 hours, 30 minutes before." in reply_text(result)
    session_id = await latest_session_id(world)
    offsets = [r.minutes_before for r in await world.bot.services.store.sessions.reminders(session_id)]
    assert offsets == [120, 30]
    result = await schedule(world, "Community relations", reminders="none", days=1)
    assert "No reminders will be sent." in reply_text(result)


async def test_a_session_scheduled_at_short_notice_wakes_the_sleeping_reminder_loop(world):
    await world.open_call()
    await world.env.advance_time(HOUR)  # nothing is due: the reminder loop sleeps for hours
    await schedule(world, "Urgent session", days=0, hours=0.5, reminders="10m")
    session = await world.bot.services.sessions.get(await latest_session_id(world))
    await world.secretariat.slash(
        world.general, "session member-add", member=world.member, name="Member MP", session=session.id
    )
    await world.env.advance_time(await seconds_until_moment(world, session.starts_at - timedelta(minutes=10)) + 5)
    [reminder] = reminders_to(world.member)
    assert "starts in 10 minutes" in reminder
