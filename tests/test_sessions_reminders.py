"""Reminders before an oral evidence session: sent by direct message at the right times, never twice, also when
the bot restarts between them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import build_bot
from demo.driver import make_world
from demo.sessions_scene import set_up_session

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
    assert "witness, panel 2" in reminders_to(sw.witnesses["priya_shah"])[0]

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
