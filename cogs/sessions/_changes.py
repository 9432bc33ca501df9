"""/session list, show, reschedule and cancel, and /session panel: changing sessions after they were scheduled.

The commands join the ``/session`` group of :class:`SessionsCog`. The rules are in ``inquiry.sessions.planning``;
here the server's event is moved or cancelled, and the direct messages a change owes (the outbox's session notices,
whose sender is registered here) are sent at once, the reply saying how many people were told.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from cogs._shared.format import safe
from cogs._shared.outbox import OutboxCog, handles
from cogs.sessions import _discord as live
from cogs.sessions import _options as options
from cogs.sessions import _text as say
from cogs.sessions._options import (
    ANY_SESSION_HELP,
    INQUIRY_HELP,
    SESSION_HELP,
    WITNESS_HELP,
    WITNESS_NAME_HELP,
    any_session_choices,
    every_session_choices,
    live_session_choices,
    witness_name_choices,
)
from inquiry.outbox.models import OutboxKind, OutboxRow
from inquiry.sessions.models import PanelWitness, Session, WitnessAttendance
from inquiry.sessions.rules import parse_reminders

log = logging.getLogger(__name__)

ATTENDANCE_CHOICES = [
    app_commands.Choice(name="gave oral evidence", value=WitnessAttendance.GAVE_EVIDENCE.value),
    app_commands.Choice(name="not called", value=WitnessAttendance.NOT_CALLED.value),
    app_commands.Choice(name="absent", value=WitnessAttendance.ABSENT.value),
    app_commands.Choice(name="as the record shows (clear the mark)", value="record"),
]


@handles(OutboxKind.SESSION_NOTICE, "the session notice")
async def send_session_notice(bot, row: OutboxRow, sender: OutboxCog) -> str | None:
    """A change to a session (moved, cancelled, a panel changed), told to a witness or member by direct message."""
    session = await bot.services.sessions.get(row.payload["session_id"])
    inquiry = await bot.services.inquiries.get(session.inquiry_id)
    text = say.notice(row.payload, session, inquiry.code, bot.services.tz, inquiry.guild_id)
    user = bot.get_user(row.payload["user_id"]) or await bot.fetch_user(row.payload["user_id"])
    await user.send(text, allowed_mentions=discord.AllowedMentions.none())
    return None


class SessionChangesCog(commands.Cog):
    """Listing, showing, moving and cancelling sessions, and changing their panels."""

    panel = app_commands.Group(name="panel", description="Change a session's panels of witnesses")

    def __init__(self, bot) -> None:
        self.bot = bot
        self.services = bot.services
        self.sessions = bot.services.sessions

    async def cog_load(self) -> None:
        """Move this cog's commands under ``/session`` (the group lives in SessionsCog)."""
        group = self.bot.get_cog("SessionsCog").session
        for command in list(self.__cog_app_commands__):
            self.__cog_app_commands__.remove(command)
            group.add_command(command)

    async def _answer(self, interaction: discord.Interaction, *lines: str) -> None:
        content = "\n".join(line for line in lines if line)
        if interaction.response.is_done():
            await interaction.followup.send(content, ephemeral=True)
        else:
            await interaction.response.send_message(content, ephemeral=True)

    # Listing and showing ------------------------------------------------------------------------

    @app_commands.command(name="list")
    @app_commands.describe(inquiry="The inquiry's code, such as SCI (all the server's sessions when not given)")
    async def list_sessions(self, interaction: discord.Interaction, inquiry: str | None = None) -> None:
        """List the sessions with their numbers and states: scheduled, open, closed or cancelled."""
        found = await self.services.inquiries.resolve(interaction.guild_id, inquiry) if inquiry else None
        sessions = await self.sessions.sessions_of(interaction.guild_id, found)
        codes = {i.id: i.code for i in await self.services.inquiries.in_guild(interaction.guild_id)}
        await self._answer(interaction, say.session_list(sessions, codes, self.services.tz))

    @app_commands.command(name="show")
    @app_commands.describe(session=ANY_SESSION_HELP, inquiry=INQUIRY_HELP)
    @app_commands.autocomplete(session=every_session_choices)
    async def show(
        self, interaction: discord.Interaction, session: int | None = None, inquiry: str | None = None
    ) -> None:
        """Show a session: when and where, its panels and members, declarations and minutes."""
        found = await options.find(interaction, session, inquiry)
        overview = await self.sessions.overview(found, await options.actor(interaction))
        await self._answer(interaction, say.overview(overview, self.services.tz, interaction.guild_id))

    # Moving and cancelling ----------------------------------------------------------------------

    @app_commands.command(name="reschedule")
    @app_commands.describe(
        start="The new start, YYYY-MM-DD HH:MM, in the inquiry's time zone",
        minutes="How long it lasts, in minutes (as before when not given)",
        reminders="When to remind, such as '1d, 15m' or 'none' (as planned before when not given)",
        session=SESSION_HELP,
        inquiry=INQUIRY_HELP,
    )
    @app_commands.autocomplete(session=live_session_choices)
    async def reschedule(
        self,
        interaction: discord.Interaction,
        start: str,
        minutes: app_commands.Range[int, 5, 720] | None = None,
        reminders: str | None = None,
        session: int | None = None,
        inquiry: str | None = None,
    ) -> None:
        """Move a scheduled session: its server event and reminders follow, and the panel is told."""
        actor = await options.actor(interaction)
        found = await options.find(interaction, session, inquiry)
        plan = parse_reminders(reminders) if reminders is not None else None
        starts_at = self.sessions.parse_start(start)
        result = await self.sessions.reschedule(found, actor, starts_at, minutes=minutes, reminders=plan)
        if reminders_cog := self.bot.get_cog("SessionRemindersCog"):
            reminders_cog.wake()
        await interaction.response.defer(ephemeral=True, thinking=True)
        inquiry_found = await self.services.inquiries.get(result.session.inquiry_id)
        event_id, moved = await live.move_event(
            interaction.guild,
            result.session,
            say.session_name(result.session, inquiry_found.code),
            inquiry_found.title,
        )
        if event_id != result.session.event_id:
            await self.sessions.record_event(result.session, event_id)
        told = await options.deliver(self.bot, result.notices)
        await self._answer(interaction, say.rescheduled(result, inquiry_found.code, self.services.tz), moved, told)

    @app_commands.command(name="cancel")
    @app_commands.describe(reason="Why it is cancelled (told to the panel)", session=SESSION_HELP, inquiry=INQUIRY_HELP)
    @app_commands.autocomplete(session=live_session_choices)
    async def cancel(
        self, interaction: discord.Interaction, reason: str, session: int | None = None, inquiry: str | None = None
    ) -> None:
        """Cancel a scheduled session, with a reason: its server event is cancelled and the panel is told."""
        actor = await options.actor(interaction)
        changed = await self.sessions.cancel(await options.find(interaction, session, inquiry), actor, reason)
        await interaction.response.defer(ephemeral=True, thinking=True)
        event = await live.cancel_event(interaction.guild, changed.session)
        told = await options.deliver(self.bot, changed.notices)
        title = safe(changed.session.title)
        cancelled = f"Session {changed.session.number} ({title}) is cancelled; /session list still shows it."
        await self._answer(interaction, cancelled, event, told)

    # Panels -------------------------------------------------------------------------------------

    async def _witness(
        self, interaction: discord.Interaction, session: int | None, witness, name: str | None
    ) -> tuple[Session, PanelWitness]:
        found = await options.find(interaction, session)
        user_id = witness.id if witness is not None else None
        label = witness.display_name if witness is not None else name
        return found, self.sessions.find_witness(found, user_id, label)

    async def _panels_changed(self, interaction: discord.Interaction, changed, done: str) -> None:
        if changed.notices:
            await interaction.response.defer(ephemeral=True, thinking=True)
        told = await options.deliver(self.bot, changed.notices)
        panels = say.panels_text(changed.session) or ["No witnesses are left on the panels."]
        await self._answer(interaction, done, *panels, told)

    @panel.command(name="remove")
    @app_commands.describe(
        witness=WITNESS_HELP, name=WITNESS_NAME_HELP, reason="Why (kept in the audit log)", session=SESSION_HELP
    )
    @app_commands.autocomplete(name=witness_name_choices, session=live_session_choices)
    async def panel_remove(
        self,
        interaction: discord.Interaction,
        witness: discord.Member | None = None,
        name: str | None = None,
        reason: str | None = None,
        session: int | None = None,
    ) -> None:
        """Take a witness off a session's panels; a witness on this server is told."""
        found, target = await self._witness(interaction, session, witness, name)
        changed = await self.sessions.remove_witness(found, await options.actor(interaction), target, reason)
        done = f"{safe(target.name)} is no longer a witness in session {found.number}."
        await self._panels_changed(interaction, changed, done)

    @panel.command(name="move")
    @app_commands.describe(
        panel="The panel to move them to", witness=WITNESS_HELP, name=WITNESS_NAME_HELP, session=SESSION_HELP
    )
    @app_commands.autocomplete(name=witness_name_choices, session=live_session_choices)
    async def panel_move(
        self,
        interaction: discord.Interaction,
        panel: app_commands.Range[int, 1, 10],
        witness: discord.Member | None = None,
        name: str | None = None,
        session: int | None = None,
    ) -> None:
        """Move a witness to another panel; a witness on this server is told."""
        found, target = await self._witness(interaction, session, witness, name)
        changed = await self.sessions.move_witness(found, await options.actor(interaction), target, panel)
        done = f"{safe(target.name)} moved from panel {target.panel} to panel {panel}."
        await self._panels_changed(interaction, changed, done)

    @panel.command(name="edit")
    @app_commands.describe(
        witness=WITNESS_HELP,
        name=WITNESS_NAME_HELP,
        new_name="The name as it should appear in the record",
        role="Their role, such as Chief Executive",
        organisation="The organisation they speak for",
        session=ANY_SESSION_HELP,
    )
    @app_commands.autocomplete(name=witness_name_choices, session=any_session_choices)
    async def panel_edit(
        self,
        interaction: discord.Interaction,
        witness: discord.Member | None = None,
        name: str | None = None,
        new_name: str | None = None,
        role: str | None = None,
        organisation: str | None = None,
        session: int | None = None,
    ) -> None:
        """Correct a witness's name, role or organisation (also after the session, until minutes are agreed)."""
        found, target = await self._witness(interaction, session, witness, name)
        changed = await self.sessions.describe_witness(
            found, await options.actor(interaction), target, name=new_name, role=role, organisation=organisation
        )
        await self._panels_changed(interaction, changed, f"Corrected the record of {safe(target.name)}.")

    @panel.command(name="attendance")
    @app_commands.describe(
        attended="Whether they gave oral evidence",
        witness=WITNESS_HELP,
        name=WITNESS_NAME_HELP,
        session=ANY_SESSION_HELP,
    )
    @app_commands.choices(attended=ATTENDANCE_CHOICES)
    @app_commands.autocomplete(name=witness_name_choices, session=any_session_choices)
    async def panel_attendance(
        self,
        interaction: discord.Interaction,
        attended: str,
        witness: discord.Member | None = None,
        name: str | None = None,
        session: int | None = None,
    ) -> None:
        """Record whether a witness gave oral evidence, was not called or was absent (the minutes say so)."""
        found, target = await self._witness(interaction, session, witness, name)
        marked = None if attended == "record" else WitnessAttendance(attended)
        after = await self.sessions.mark_attendance(found, await options.actor(interaction), target, marked)
        attendance = await self.sessions.attendance(after)
        shown = attendance[target.id].label
        await self._answer(
            interaction, f"{safe(target.name)}: {shown} (session {found.number}).", *say.panels_text(after, attendance)
        )
