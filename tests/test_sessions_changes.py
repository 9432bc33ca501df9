"""Sessions after they were scheduled, through SimCord: listed and shown by their number within the inquiry, moved
(the server's event, the reminders and the panel follow) and cancelled (no longer live), with clear refusals."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import docx
import pytest

from bot import main
from demo.driver import make_world
from demo.sessions_scene import CHAIR_NAME, MEMBER_NAME, expect, reply_text, schedule, set_up_session
from inquiry.sessions.models import SessionStatus

DAY = 24 * 3600


@pytest.fixture
async def world(simcord_env, simcord_bot):
    return await make_world(simcord_env, simcord_bot)


def dms(person) -> list[str]:
    """What the bot has said to someone by direct message, oldest first."""
    channel = person.user.dm_channel
    return [m.content for m in channel.history()] if channel is not None else []


def backend_event(world, event_id):
    return world.env.backend.get_scheduled_event(world.guild.id, event_id)


async def audit_actions(world) -> list[tuple[str, str, str | None]]:
    inquiry = await world.inquiry_now()
    entries = await world.bot.services.store.audit.for_inquiry(inquiry.id, limit=200)
    return [(e.action, e.detail, e.reason) for e in reversed(entries)]


async def advance_to(world, moment) -> None:
    """Let simulated time pass until ``moment``, a day at a time (the bot's loops wake up to hourly)."""
    while (left := (moment - world.env.now()).total_seconds()) > 0:
        await world.env.advance_time(min(left, DAY))


def typed(world, moment) -> str:
    """A moment as the secretariat types it, in the inquiry's time zone."""
    return f"{moment.astimezone(world.bot.services.tz):%Y-%m-%d %H:%M}"


async def test_sessions_are_listed_with_number_and_state_and_shown_in_full(world):
    await set_up_session(world, "Older people and rural isolation")
    await schedule(world, "Digital exclusion", days=6)

    listed = reply_text(await world.member.slash(world.general, "session list"))
    first, second = (line for line in listed.splitlines() if line.startswith("**"))
    assert first.startswith("**1** · scheduled · ") and "Older people and rural isolation" in first
    assert second.startswith("**2** · scheduled · ") and "Digital exclusion" in second

    shown = reply_text(await world.member.slash(world.general, "session show", session=1))
    assert "**SCI oral evidence session 1: Older people and rural isolation** — scheduled" in shown
    assert f"Members present: {CHAIR_NAME} (Chair), {MEMBER_NAME}" in shown
    assert "Panel 1: Sam Okafor, Chief Executive, Leeds Older People's Forum; Margaret Ellis" in shown
    assert "Panel 2: Priya Shah, Head of Community Hubs, Hackney Council" in shown
    assert "Reminders: 1 day, 15 minutes before." in shown

    refused = await world.witness("sam_okafor").slash(world.general, "session show", session=1)
    assert "Only the secretariat, the chair and members can see a session's details." in reply_text(refused)
    missing = await world.member.slash(world.general, "session show", session=7)
    assert "There is no session 7 on this server" in reply_text(missing)


@pytest.mark.simcord(settle_timeout=60)  # days pass; the machine may be busy
async def test_rescheduling_moves_the_event_plans_the_reminders_again_and_tells_the_panel(world):
    sw = await set_up_session(world)  # starts in 2 days and 10 hours, reminders a day and 15 minutes before
    before = await sw.refresh()
    people = [sw.chair, sw.member, *sw.witnesses.values()]
    new_start = before.starts_at + timedelta(days=5, hours=4)

    sec = world.secretariat
    result = await sec.slash(world.general, "session reschedule", start=typed(world, new_start), session=1)
    text = reply_text(result)
    assert result.ephemeral and "Moved **SCI oral evidence session 1: Older people and rural isolation**." in text
    assert "Reminders: 1 day, 15 minutes before the new start." in text
    assert "The server's event was moved." in text and "Told by direct message: 5 of 5." in text

    moved = await sw.refresh()
    assert moved.starts_at == new_start and moved.ends_at - moved.starts_at == timedelta(minutes=90)
    assert moved.event_id == before.event_id
    event = world.bot.get_guild(world.guild.id).get_scheduled_event(moved.event_id)
    assert event.start_time == new_start and event.end_time == moved.ends_at
    reminders = await world.bot.services.store.sessions.reminders(moved.id)
    assert [r.due_at for r in reminders] == [new_start - timedelta(days=1), new_start - timedelta(minutes=15)]
    for person in people:
        [notice] = [m for m in dms(person) if "has been moved" in m]
        assert "SCI oral evidence session 1" in notice and "It now starts" in notice
    assert ("session rescheduled", f"session 1: {before.starts_at.isoformat()} → {new_start.isoformat()}", None) in (
        await audit_actions(world)
    )

    # The reminders follow the new start: none at the old one, one each a day before the new one.
    await advance_to(world, before.starts_at + timedelta(minutes=1))
    assert all(not [m for m in dms(p) if m.startswith("Reminder:")] for p in people)
    await advance_to(world, new_start - timedelta(days=1, minutes=-1))
    for person in people:
        [reminder] = [m for m in dms(person) if m.startswith("Reminder:")]
        assert "starts in 1 day" in reminder


async def test_rescheduling_is_refused_for_the_wrong_role_a_past_or_missing_time_and_a_session_under_way(world):
    sw = await set_up_session(world)
    before = await sw.refresh()
    later = typed(world, before.starts_at + timedelta(days=1))
    cases = [
        (world.member, {"start": later}, "Only the secretariat or the chair can reschedule sessions."),
        (world.secretariat, {"start": "2025-12-01 10:00"}, "That time has passed: the session must start in the"),
        (world.secretariat, {"start": "2026-03-29 01:30"}, "2026-03-29 01:30 does not exist in Europe/London"),
        (world.secretariat, {"start": "next week"}, "write it as YYYY-MM-DD HH:MM"),
        (world.secretariat, {"start": typed(world, before.starts_at)}, "Session 1 already starts at that time."),
    ]
    for who, options, refusal in cases:
        refused = await who.slash(world.general, "session reschedule", session=1, **options)
        assert refused.ephemeral and refusal in reply_text(refused), reply_text(refused)
    assert (await sw.refresh()).starts_at == before.starts_at
    assert all("has been moved" not in m for m in dms(sw.witnesses["sam_okafor"]))

    await sw.open()
    refused = await world.secretariat.slash(world.general, "session reschedule", start=later, session=1)
    assert "Session 1 is open, so it can no longer be rescheduled" in reply_text(refused)
    await sw.chair_does("close")
    refused = await world.chair.slash(world.general, "session reschedule", start=later, session=1)
    assert "Session 1 has been closed, so it can no longer be rescheduled." in reply_text(refused)
    refused = await world.secretariat.slash(world.general, "session cancel", reason="Too late", session=1)
    assert "Session 1 has been closed, so it can no longer be cancelled." in reply_text(refused)


async def test_times_the_clocks_skip_are_refused_and_times_they_repeat_need_their_zone(world):
    await world.open_call()
    refused = await world.secretariat.slash(
        world.general,
        "session schedule",
        title="Spring",
        start="2026-03-29 01:30",
        minutes=60,
        link="https://a.example",
    )
    assert "2026-03-29 01:30 does not exist in Europe/London: the clocks go forward" in reply_text(refused)
    assert await world.bot.services.sessions.live_in_guild(world.guild.id) == []

    await schedule(world, "Autumn")
    refused = await world.secretariat.slash(world.general, "session reschedule", start="2026-10-25 01:30", session=1)
    assert "2026-10-25 01:30 happens twice in Europe/London" in reply_text(refused)
    await expect(
        world.secretariat.slash(world.general, "session reschedule", start="2026-10-25 01:30 GMT", session=1), "Moved"
    )
    [session] = await world.bot.services.sessions.live_in_guild(world.guild.id)
    assert session.starts_at.isoformat() == "2026-10-25T01:30:00+00:00"  # the second 01:30, an hour after the first


@pytest.mark.simcord(settle_timeout=60)  # days pass; the machine may be busy
async def test_a_cancelled_session_is_kept_but_no_longer_live_and_its_panel_is_told(world):
    sw = await set_up_session(world, "Older people and rural isolation")
    await schedule(world, "Digital exclusion", days=6)
    before = await sw.refresh()
    sam = sw.witnesses["sam_okafor"]
    several = await world.secretariat.slash(world.general, "session chair", member=world.chair)
    assert "Several sessions are scheduled (1, 2)" in reply_text(several)

    refused = await world.member.slash(world.general, "session cancel", reason="No quorum", session=1)
    assert "Only the secretariat or the chair can cancel sessions." in reply_text(refused)
    result = await world.secretariat.slash(
        world.general, "session cancel", reason="The witnesses cannot attend that day", session=1
    )
    text = reply_text(result)
    assert "Session 1 (Older people and rural isolation) is cancelled" in text
    assert "The server's event was cancelled." in text and "Told by direct message: 5 of 5." in text
    assert backend_event(world, before.event_id).status == 4  # cancelled
    [notice] = [m for m in dms(sam) if "has been cancelled" in m]
    assert "Reason: The witnesses cannot attend that day" in notice
    cancelled = await sw.refresh()
    assert cancelled.status is SessionStatus.CANCELLED and cancelled.cancel_reason.startswith("The witnesses")
    actions = await audit_actions(world)
    assert ("session cancelled", "session 1: Older people and rural isolation", cancelled.cancel_reason) in actions

    # The cancelled session no longer counts: a command without the session option finds the other one.
    await expect(world.secretariat.slash(world.general, "session chair", member=world.chair), "will chair session 2")
    listed = reply_text(await world.member.slash(world.general, "session list"))
    assert "**1** · cancelled · " in listed and "cancelled: The witnesses cannot attend that day" in listed
    for who, command, options in (
        (world.chair, "session open", {}),
        (world.secretariat, "session cancel", {"reason": "again"}),
        (world.secretariat, "session witness-add", {"panel": 1, "name": "Dr Late"}),
    ):
        refused = await who.slash(world.general, command, session=1, **options)
        assert "was cancelled" in reply_text(refused), reply_text(refused)

    # Its reminders are never sent.
    await advance_to(world, before.starts_at + timedelta(minutes=1))
    assert not [m for m in dms(sam) if m.startswith("Reminder:")]


async def test_a_session_is_named_by_its_number_in_its_inquiry_in_commands_exports_and_the_command_line(
    world, settings, capsys
):
    await world.open_call()
    await world.secretariat_runs("inquiry create", code="ABC", title="Another inquiry")
    await schedule(world, "A session of the other inquiry", inquiry="ABC")  # database id 1: ABC's session 1
    await schedule(world, "Older people and rural isolation")  # SCI's session 1
    await schedule(world, "Digital exclusion", days=6)  # SCI's session 2, database id 3
    sessions = {(s.inquiry_id, s.number): s for s in await world.bot.services.sessions.sessions_of(world.guild.id)}
    sci = await world.inquiry_now()
    assert sessions[(sci.id, 2)].id == 3

    shown = reply_text(await world.member.slash(world.general, "session show", session=2))
    assert "SCI oral evidence session 2: Digital exclusion" in shown
    shown = reply_text(await world.member.slash(world.general, "session show", session=1, inquiry="ABC"))
    assert "ABC oral evidence session 1: A session of the other inquiry" in shown
    shown = reply_text(await world.member.slash(world.general, "session show", session=1))  # SCI is the open one
    assert "SCI oral evidence session 1: Older people and rural isolation" in shown
    listed = reply_text(await world.member.slash(world.general, "session list"))
    assert "**ABC 1** · scheduled" in listed and "**SCI 2** · scheduled" in listed
    choices = await world.secretariat.autocomplete(world.general, "session show", "session", "digital")
    assert [c["value"] for c in choices] == [2] and choices[0]["name"].startswith("SCI 2: Digital exclusion (")

    await world.secretariat.slash(world.general, "session chair", member=world.chair, name=CHAIR_NAME, session=2)
    result = await expect(
        world.secretariat.slash(world.general, "export minutes", session=2, inquiry="SCI"), "SCI-minutes-session-2"
    )
    [attachment] = result.followups[-1].attachments if result.followups else result.response.attachments
    assert attachment.filename == "SCI-minutes-session-2.docx"
    missing = await world.secretariat.slash(world.general, "export minutes", session=3)
    assert "There is no session 3 on this server" in reply_text(missing)

    out = settings.export_dir / "cli.docx"
    args = ["export", "minutes", "--db", str(settings.database), "--session", "2", "--out", str(out)]
    assert await asyncio.to_thread(main, args) == 0
    assert "Meeting: Oral evidence session 2: Digital exclusion" in [p.text for p in docx.Document(out).paragraphs]
    capsys.readouterr()
    ambiguous = ["export", "transcript", "--db", str(settings.database), "--session", "1", "--out", str(out)]
    assert await asyncio.to_thread(main, ambiguous) == 1
    assert "2 inquiries have a session 1 (ABC, SCI): add --inquiry CODE" in capsys.readouterr().err
    assert await asyncio.to_thread(main, [*ambiguous, "--inquiry", "abc"]) == 0
    assert "Oral evidence: A session of the other inquiry" in [p.text for p in docx.Document(out).paragraphs]
