"""Guards at the edges of the call for evidence: the Submit button only in its own server, draft inquiries only
for the secretariat, and closing dates and session starts that are far-fetched or fall in a daylight-saving change
refused with a clear message."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from cogs.evidence._ui import call_view
from demo.driver import make_world
from inquiry.core.errors import InvalidInput
from inquiry.sessions.rules import parse_start
from tests.helpers import create_inquiry, load_template

LONDON = ZoneInfo("Europe/London")
WRONG_PLACE = "This button works only in the server that runs this inquiry"


@pytest.fixture
async def world(simcord_env, simcord_bot):
    return await make_world(simcord_env, simcord_bot)


async def test_the_submit_button_is_refused_in_a_dm_and_in_another_server(world):
    inquiry = await world.open_call()
    witness = world.witness("amira")
    # The call's button turning up where it does not belong: in a direct message with the bot ...
    user = await world.bot.fetch_user(witness.id)
    in_dm = await user.send("The call for evidence", view=call_view(inquiry, closed=False))
    refused = await witness.user.click(in_dm, label="Submit evidence")
    assert refused.ephemeral and WRONG_PLACE in refused.response.content

    # ... and in a server that does not run this inquiry.
    other = world.env.create_guild("Another server")
    lobby = other.create_text_channel("lobby")
    stranger = other.add_member(world.env.create_user("stranger"))
    posted = await world.bot.get_channel(lobby.id).send("Copied call", view=call_view(inquiry, closed=False))
    refused = await stranger.click(posted, label="Submit evidence")
    assert refused.ephemeral and WRONG_PLACE in refused.response.content

    assert await world.bot.services.submissions.of_user(witness.id) == []
    assert await world.bot.services.submissions.of_user(stranger.id) == []


async def test_draft_inquiries_are_offered_in_autocomplete_to_the_secretariat_only(world):
    await world.open_call()
    await create_inquiry(world, code="NEW", title="A draft not yet announced")
    names = {c["value"] for c in await world.secretariat.autocomplete(world.general, "inquiry show", "inquiry", "")}
    assert names == {"SCI", "NEW"}
    for person in (world.witness("amira"), world.member):
        offered = {c["value"] for c in await person.autocomplete(world.general, "inquiry show", "inquiry", "")}
        assert offered == {"SCI"}


async def test_a_closing_date_years_away_is_refused_clearly(world):
    await create_inquiry(world)
    await load_template(world)
    far = await world.secretariat_runs("inquiry open", closes="9999-12-31 23:59", inquiry="SCI")
    assert far.response.content == "The closing date must be within 5 years; check the year."


class TestWestOfGreenwich:
    @pytest.fixture
    def settings(self, settings):
        return dataclasses.replace(settings, timezone=ZoneInfo("America/New_York"))

    async def test_the_last_minute_of_year_9999_is_refused_not_an_error(self, world):
        await create_inquiry(world)
        await load_template(world)
        far = await world.secretariat_runs("inquiry open", closes="9999-12-31 23:59", inquiry="SCI")
        assert far.response.content == "9999-12-31 23:59 is too far in the future or the past."


async def test_a_closing_time_the_clocks_skip_or_repeat_is_refused_or_taken_as_said(world):
    await create_inquiry(world)
    await load_template(world)
    skipped = await world.secretariat_runs("inquiry open", closes="2026-03-29 01:30", inquiry="SCI")
    assert skipped.response.content == (
        "2026-03-29 01:30 does not exist in Europe/London: the clocks go forward an hour that night, from GMT to"
        " BST. Please choose another time, such as 2026-03-29 02:30 BST."
    )
    twice = await world.secretariat_runs("inquiry open", closes="2026-10-25 01:30", inquiry="SCI")
    assert twice.response.content == (
        "2026-10-25 01:30 happens twice in Europe/London: the clocks go back that night. Say which you mean:"
        " 2026-10-25 01:30 BST (the first) or 2026-10-25 01:30 GMT (an hour later)."
    )
    assert (await world.inquiry_now()).closes_at is None

    taken = await world.secretariat_runs("inquiry open", closes="2026-10-25 01:30 GMT", inquiry="SCI")
    assert "is **open**" in taken.response.content and "01:30 GMT" in taken.response.content
    assert (await world.inquiry_now()).closes_at == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_session_starts_in_a_clock_change_are_refused_or_taken_as_said():
    with pytest.raises(InvalidInput, match="does not exist in Europe/London"):
        parse_start("2026-03-29 01:15", LONDON)
    with pytest.raises(InvalidInput, match="happens twice in Europe/London"):
        parse_start("2026-10-25 01:15", LONDON)
    assert parse_start("2026-10-25 01:15 BST", LONDON) == datetime(2026, 10, 25, 0, 15, tzinfo=UTC)
    assert parse_start("2026-10-25 01:15 +00:00", LONDON) == datetime(2026, 10, 25, 1, 15, tzinfo=UTC)
    with pytest.raises(InvalidInput, match="is BST, not GMT"):
        parse_start("2026-07-01 10:00 GMT", LONDON)
    assert parse_start("2026-07-01 10:00", LONDON) == datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
