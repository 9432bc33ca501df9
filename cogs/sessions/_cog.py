"""/session: oral evidence sessions. The secretariat schedules them and sets up the panels; the chair runs them.

The rules live in ``inquiry.sessions.service``; this cog reads who is acting from Discord, calls the service and
shows the result: the scheduled event, the thread that holds the record, the numbered questions.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from cogs._shared.checks import guild_config
from cogs._shared.format import safe, when
from cogs.sessions import _discord as live
from cogs.sessions import _options as options
from cogs.sessions import _text as say
from cogs.sessions._changes import SessionChangesCog
from cogs.sessions._floor import SessionFloorCog
from cogs.sessions._minutes import SessionMinutesCog
from cogs.sessions._options import SESSION_HELP, live_session_choices
from cogs.sessions._recordings import setup_recordings
from cogs.sessions._reminders import SessionRemindersCog
from inquiry.core.errors import InvalidInput
from inquiry.sessions.models import Actor, MinuteKind, Place, PlaceKind, Session
from inquiry.sessions.rules import parse_reminders

log = logging.getLogger(__name__)


class SessionsCog(commands.Cog):
    """Scheduling, panels and the running of oral evidence sessions."""

    session = app_commands.Group(name="session", description="Oral evidence sessions", guild_only=True)

    def __init__(self, bot) -> None:
        self.bot = bot
        self.services = bot.services

    # Helpers ----------------------------------------------------------------------------------

    async def _actor(self, interaction: discord.Interaction, user=None, name: str | None = None) -> Actor:
        return await options.actor(interaction, user, name)

    async def _session(self, interaction: discord.Interaction, number: int | None) -> Session:
        return await options.find(interaction, number)

    async def _code(self, session: Session) -> tuple[str, str]:
        inquiry = await self.services.inquiries.get(session.inquiry_id)
        return inquiry.code, inquiry.title

    async def _reply(self, interaction: discord.Interaction, content: str) -> None:
        if interaction.response.is_done():
            await interaction.followup.send(content, ephemeral=True)
        else:
            await interaction.response.send_message(content, ephemeral=True)

    # Scheduling -------------------------------------------------------------------------------

    @session.command(name="schedule")
    @app_commands.describe(
        title="What the session is about",
        start="Start as YYYY-MM-DD HH:MM, in the inquiry's time zone (shown in the reply)",
        minutes="How long it lasts, in minutes",
        channel="The Stage or voice channel where it is held",
        link="Or an outside link, such as a video call's address",
        reminders="When to remind witnesses and members, such as '1d, 15m' (the default) or 'none'",
        inquiry="The inquiry's code, such as SCI (optional when there is only one)",
    )
    async def schedule(
        self,
        interaction: discord.Interaction,
        title: str,
        start: str,
        minutes: app_commands.Range[int, 5, 720],
        channel: discord.StageChannel | discord.VoiceChannel | None = None,
        link: str | None = None,
        reminders: str | None = None,
        inquiry: str | None = None,
    ) -> None:
        """Schedule an oral evidence session and announce it as a server event."""
        actor = await self._actor(interaction)
        if (channel is None) == (link is None):
            raise InvalidInput("Give either a Stage or voice channel, or an outside link, for where it is held.")
        if channel is not None:
            kind = PlaceKind.STAGE if isinstance(channel, discord.StageChannel) else PlaceKind.VOICE
            place = Place(kind, channel_id=channel.id)
        else:
            place = Place(PlaceKind.EXTERNAL, location=link)
        found = await self.services.inquiries.resolve(interaction.guild_id, inquiry)
        service = self.services.sessions
        result = await service.schedule(
            found,
            actor,
            title=title,
            starts_at=service.parse_start(start),
            minutes=minutes,
            place=place,
            reminders=parse_reminders(reminders),
        )
        if reminders_cog := self.bot.get_cog("SessionRemindersCog"):
            reminders_cog.wake()
        await interaction.response.defer(ephemeral=True, thinking=True)
        session = result.session
        lines = [say.scheduled(session, found.code, self.services.tz, result.reminders, result.skipped)]
        try:
            event = await live.create_event(
                interaction.guild, session, say.session_name(session, found.code), found.title
            )
            await service.record_event(session, event.id)
            lines.append(f"Server event: {say.event_url(interaction.guild_id, event.id)}")
        except discord.HTTPException as error:
            log.warning("could not create the event of session %s: %s", session.id, error)
            lines.append("The server's event could not be created (the bot needs Manage Events); the session stands.")
        await interaction.followup.send("\n".join(lines), ephemeral=True)

    # Panels and members -----------------------------------------------------------------------

    @session.command(name="witness-add")
    @app_commands.describe(
        panel="The panel's number (1 for the first panel)",
        witness="The witness, if they are on this server",
        name="The witness's name as it appears in the record (needed for someone from outside the server)",
        role="Their role, such as Chief Executive",
        organisation="The organisation they speak for",
        session=SESSION_HELP,
    )
    @app_commands.autocomplete(session=live_session_choices)
    async def witness_add(
        self,
        interaction: discord.Interaction,
        panel: app_commands.Range[int, 1, 10],
        witness: discord.Member | None = None,
        name: str | None = None,
        role: str | None = None,
        organisation: str | None = None,
        session: int | None = None,
    ) -> None:
        """Put a witness on a panel of a session."""
        if witness is None and not name:
            raise InvalidInput("Choose the witness on this server, or give the name of a witness from outside it.")
        actor = await self._actor(interaction)
        found = await self._session(interaction, session)
        changed = await self.services.sessions.add_witness(
            found,
            actor,
            panel=panel,
            user_id=witness.id if witness else None,
            name=name or witness.display_name,
            role=role or "",
            organisation=organisation or "",
        )
        if changed.notices:
            await interaction.response.defer(ephemeral=True, thinking=True)
        told = await options.deliver(self.bot, changed.notices)
        lines = [f"Witnesses of session {changed.session.number}:", *say.panels_text(changed.session)]
        await self._reply(interaction, "\n".join(filter(None, [*lines, told])))

    @session.command(name="chair")
    @app_commands.describe(
        member="Who chairs the session (holds the Chair role)", name="Name in the record", session=SESSION_HELP
    )
    @app_commands.autocomplete(session=live_session_choices)
    async def chair(
        self,
        interaction: discord.Interaction,
        member: discord.Member,
        name: str | None = None,
        session: int | None = None,
    ) -> None:
        """Name who chairs a session."""
        found = await self._session(interaction, session)
        target = await self._actor(interaction, member, name)
        found = await self.services.sessions.set_chair(found, await self._actor(interaction), target)
        await self._reply(interaction, f"{safe(found.chair.name)} will chair session {found.number}.")

    @session.command(name="member-add")
    @app_commands.describe(member="A member present at the session", name="Name in the record", session=SESSION_HELP)
    @app_commands.autocomplete(session=live_session_choices)
    async def member_add(
        self,
        interaction: discord.Interaction,
        member: discord.Member,
        name: str | None = None,
        session: int | None = None,
    ) -> None:
        """Record a member as present at a session."""
        found = await self._session(interaction, session)
        target = await self._actor(interaction, member, name)
        found = await self.services.sessions.add_member(found, await self._actor(interaction), target)
        await self._reply(interaction, f"Members present at session {found.number}: {say.members_line(found)}.")

    @session.command(name="apology")
    @app_commands.describe(member="A member who cannot attend", name="Name in the record", session=SESSION_HELP)
    @app_commands.autocomplete(session=live_session_choices)
    async def apology(
        self,
        interaction: discord.Interaction,
        member: discord.Member,
        name: str | None = None,
        session: int | None = None,
    ) -> None:
        """Record a member's apologies for a session."""
        found = await self._session(interaction, session)
        target = await self._actor(interaction, member, name)
        found = await self.services.sessions.add_apology(found, await self._actor(interaction), target)
        names = ", ".join(safe(m.name) for m in found.apologies)
        await self._reply(interaction, f"Apologies for session {found.number}: {names}.")

    # Running ------------------------------------------------------------------------------------

    @session.command(name="open")
    @app_commands.autocomplete(session=live_session_choices)
    @app_commands.describe(session=SESSION_HELP)
    async def open_session(self, interaction: discord.Interaction, session: int | None = None) -> None:
        """Open the session: its record starts in a thread, the event and the Stage start."""
        actor = await self._actor(interaction)
        found = await self.services.sessions.open(await self._session(interaction, session), actor)
        await interaction.response.defer(ephemeral=True, thinking=True)
        code, title = await self._code(found)
        config = await guild_config(interaction)
        thread = await live.open_thread(
            self.bot,
            interaction.guild,
            config.sessions_channel_id,
            say.session_name(found, code),
            say.agenda(found, code, title, self.services.tz),
        )
        found = await self.services.sessions.set_thread(found, thread.id)
        people = [w.user_id for w in found.witnesses if w.user_id] + [m.user_id for m in found.present]
        await live.invite(thread, people)
        notes = [await live.start_event(interaction.guild, found)]
        notes.append(await live.start_stage(interaction.guild, found, say.session_name(found, code)))
        await thread.send(say.panel_called(found))
        message = f"Session {found.number} is open: its record is kept in {thread.mention}."
        await interaction.followup.send(" ".join([message, *filter(None, notes)]), ephemeral=True)

    @session.command(name="close")
    @app_commands.autocomplete(session=live_session_choices)
    @app_commands.describe(session=SESSION_HELP)
    async def close_session(self, interaction: discord.Interaction, session: int | None = None) -> None:
        """Close the session: no more questions or answers; the Stage and the event end."""
        actor = await self._actor(interaction)
        found = await self.services.sessions.close(await self._session(interaction, session), actor)
        await interaction.response.defer(ephemeral=True, thinking=True)
        record = await self.services.session_record.record(found)
        numbers = [q.number for q in record.questions]
        span = f"Q{numbers[0]}–Q{numbers[-1]}" if numbers else "no questions"
        notes = [await live.end_stage(interaction.guild, found), await live.finish_event(interaction.guild, found)]
        thread = await live.thread_of(self.bot, found)
        closed_at = when(found.closed_at, self.services.tz)
        await thread.send(f"The session was closed by the chair: {closed_at}. Questions {span}.")
        try:
            await thread.edit(locked=True, reason="Session closed")
        except discord.HTTPException:
            log.info("could not lock thread %s", thread.id)
        closed = f"Session {found.number} closed."
        await interaction.followup.send(" ".join([closed, *filter(None, notes)]), ephemeral=True)

    @session.command(name="ask")
    @app_commands.describe(
        text="The question", asked_by="The member asking, if not yourself (chair only)", session=SESSION_HELP
    )
    @app_commands.autocomplete(session=live_session_choices)
    async def ask(
        self,
        interaction: discord.Interaction,
        text: str,
        asked_by: discord.Member | None = None,
        session: int | None = None,
    ) -> None:
        """Put a question to the panel; it is numbered and posted in the session's thread."""
        actor = await self._actor(interaction)
        by = await self._actor(interaction, asked_by) if asked_by else None
        found = await self._session(interaction, session)
        thread = await live.thread_of(self.bot, found)
        question = await self.services.sessions.ask(found, actor, text, by)
        message = await thread.send(say.question_line(question))
        await self.services.sessions.set_question_message(question, message.id)
        await self._reply(interaction, f"{question.label} is before the panel.")

    @session.command(name="allow")
    @app_commands.describe(member="A member present", allowed="False to take the floor back", session=SESSION_HELP)
    @app_commands.autocomplete(session=live_session_choices)
    async def allow(
        self,
        interaction: discord.Interaction,
        member: discord.Member,
        allowed: bool = True,
        session: int | None = None,
    ) -> None:
        """Let a member put questions to the panel (the chair only)."""
        found = await self._session(interaction, session)
        await self.services.sessions.allow(found, await self._actor(interaction), member.id, allowed)
        verb = "may now put questions" if allowed else "no longer puts questions"
        await self._reply(interaction, f"{safe(member.display_name)} {verb} with /session ask.")

    @session.command(name="answered")
    @app_commands.autocomplete(session=live_session_choices)
    @app_commands.describe(session=SESSION_HELP)
    async def answered(self, interaction: discord.Interaction, session: int | None = None) -> None:
        """Mark the question before the panel as answered."""
        found = await self._session(interaction, session)
        question = await self.services.sessions.mark_answered(found, await self._actor(interaction))
        await self._react(found, question.message_id, "✅")
        await self._reply(interaction, f"{question.label} marked answered.")

    @session.command(name="next-panel")
    @app_commands.autocomplete(session=live_session_choices)
    @app_commands.describe(session=SESSION_HELP)
    async def next_panel(self, interaction: discord.Interaction, session: int | None = None) -> None:
        """Call the next panel of witnesses."""
        found = await self.services.sessions.next_panel(
            await self._session(interaction, session), await self._actor(interaction)
        )
        thread = await live.thread_of(self.bot, found)
        await thread.send(say.panel_called(found))
        await self._reply(interaction, f"Panel {found.current_panel} is called.")

    @session.command(name="strike")
    @app_commands.describe(
        number="The question's number (14 for Q14)", reason="Why it is struck from the record", session=SESSION_HELP
    )
    @app_commands.autocomplete(session=live_session_choices)
    async def strike(
        self, interaction: discord.Interaction, number: int, reason: str, session: int | None = None
    ) -> None:
        """Strike a question and its answers from the record; they are kept, with the reason."""
        found = await self._session(interaction, session)
        question = await self.services.sessions.strike(found, await self._actor(interaction), number, reason)
        thread = await live.thread_of(self.bot, found)
        if question.message_id:
            try:
                shown = thread.get_partial_message(question.message_id)
                await shown.edit(content=say.struck_line(question))
            except discord.HTTPException:
                log.info("could not mark %s struck in thread %s", question.label, thread.id)
        await thread.send(f"*{question.label} and its answers were struck from the record.*")
        await self._reply(interaction, f"{question.label} struck from the record; it is kept with your reason.")

    @session.command(name="minute")
    @app_commands.describe(
        kind="Decision, action point or note",
        text="The item (a decision reads 'Ordered, That ...')",
        owner="Who carries out an action",
        due="When an action is due, YYYY-MM-DD",
        session=SESSION_HELP,
    )
    @app_commands.choices(kind=[app_commands.Choice(name=k.value, value=k.value) for k in MinuteKind])
    @app_commands.autocomplete(session=live_session_choices)
    async def minute(
        self,
        interaction: discord.Interaction,
        kind: str,
        text: str,
        owner: str | None = None,
        due: str | None = None,
        session: int | None = None,
    ) -> None:
        """Add an item to the session's formal minutes."""
        found = await self._session(interaction, session)
        item = await self.services.sessions.add_minute(
            found, await self._actor(interaction), MinuteKind(kind), text, owner, due
        )
        await self._reply(interaction, say.minute_added(item))

    async def _react(self, session: Session, message_id: int | None, emoji: str) -> None:
        if not message_id:
            return
        try:
            thread = await live.thread_of(self.bot, session)
            await thread.get_partial_message(message_id).add_reaction(emoji)
        except (discord.HTTPException, InvalidInput):
            log.info("could not react to message %s", message_id)


async def setup(bot) -> None:
    await bot.add_cog(SessionsCog(bot))
    await bot.add_cog(SessionChangesCog(bot))
    await bot.add_cog(SessionMinutesCog(bot))
    await bot.add_cog(SessionFloorCog(bot))
    await bot.add_cog(SessionRemindersCog(bot))
    await setup_recordings(bot)
