"""/session minutes: the formal minutes after the fact. Members declare interests; the chair or the secretariat
correct and remove items (with the reason), and record that the committee agreed the minutes, or reopen them.

The commands join the ``/session`` group of :class:`SessionsCog`; the rules are in ``inquiry.sessions.minutes``.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from cogs._shared.format import safe
from cogs.sessions import _options as options
from cogs.sessions import _text as say
from cogs.sessions._options import ANY_SESSION_HELP, INQUIRY_HELP, any_session_choices
from inquiry.sessions.models import MinuteKind
from inquiry.sessions.rules import declaration_line, long_date

log = logging.getLogger(__name__)

KIND_CHOICES = [app_commands.Choice(name=k.value, value=k.value) for k in MinuteKind]


class SessionMinutesCog(commands.Cog):
    """Declarations of interest, corrections of minutes items, and the minutes agreed or reopened."""

    minutes = app_commands.Group(name="minutes", description="A session's formal minutes, after the fact")

    def __init__(self, bot) -> None:
        self.bot = bot
        self.sessions = bot.services.sessions

    async def cog_load(self) -> None:
        """Move this cog's commands under ``/session`` (the group lives in SessionsCog)."""
        group = self.bot.get_cog("SessionsCog").session
        for command in list(self.__cog_app_commands__):
            self.__cog_app_commands__.remove(command)
            group.add_command(command)

    @staticmethod
    async def _answer(interaction: discord.Interaction, content: str) -> None:
        await interaction.response.send_message(content, ephemeral=True)

    @minutes.command(name="declare")
    @app_commands.describe(
        interest="Your interest, such as 'trustee of Age UK Leeds' or 'that I chair a befriending charity'",
        member="The member declaring, when you record it for them (secretariat or chair)",
        withdraw="True to withdraw a declaration made by mistake (the interest text is then ignored)",
        session=ANY_SESSION_HELP,
    )
    @app_commands.autocomplete(session=any_session_choices)
    async def declare(
        self,
        interaction: discord.Interaction,
        interest: str,
        member: discord.Member | None = None,
        withdraw: bool = False,
        session: int | None = None,
    ) -> None:
        """Declare an interest at a session (printed under item 1 of its minutes)."""
        found = await options.find(interaction, session)
        actor = await options.actor(interaction)
        target = await options.actor(interaction, member) if member is not None else None
        if withdraw:
            done = await self.sessions.withdraw_declaration(found, actor, target)
            await self._answer(interaction, f"Withdrawn: {safe(declaration_line(done.name, done.interest))}")
            return
        declared = await self.sessions.declare(found, actor, interest, target)
        line = safe(declaration_line(declared.name, declared.interest))
        await self._answer(interaction, f"Recorded for the minutes of session {found.number}: {line}")

    @minutes.command(name="edit")
    @app_commands.describe(
        number="The item's number (/session show lists them)",
        reason="Why it is corrected (kept in the audit log with the text before)",
        text="The corrected text",
        kind="Decision, action point or note",
        owner="Who carries out an action",
        due="When an action is due, YYYY-MM-DD",
        session=ANY_SESSION_HELP,
    )
    @app_commands.choices(kind=KIND_CHOICES)
    @app_commands.autocomplete(session=any_session_choices)
    async def edit(
        self,
        interaction: discord.Interaction,
        number: int,
        reason: str,
        text: str | None = None,
        kind: str | None = None,
        owner: str | None = None,
        due: str | None = None,
        session: int | None = None,
    ) -> None:
        """Correct an item of a session's minutes; what it said before is kept in the audit log."""
        found = await options.find(interaction, session)
        _, after = await self.sessions.edit_minute(
            found,
            await options.actor(interaction),
            number,
            reason,
            kind=MinuteKind(kind) if kind else None,
            text=text,
            owner=owner,
            due=due,
        )
        await self._answer(interaction, f"Corrected. {say.minute_added(after)}")

    @minutes.command(name="remove")
    @app_commands.describe(
        number="The item's number (/session show lists them)", reason="Why it is removed", session=ANY_SESSION_HELP
    )
    @app_commands.autocomplete(session=any_session_choices)
    async def remove(
        self, interaction: discord.Interaction, number: int, reason: str, session: int | None = None
    ) -> None:
        """Remove an item from a session's minutes; it is kept, marked removed, with the reason."""
        found = await options.find(interaction, session)
        item = await self.sessions.remove_minute(found, await options.actor(interaction), number, reason)
        await self._answer(
            interaction, f"Minute {item.number} removed from the minutes of session {found.number} (kept, marked)."
        )

    @minutes.command(name="agree")
    @app_commands.describe(
        on="The day the committee agreed them, YYYY-MM-DD (today when not given)",
        session=ANY_SESSION_HELP,
        inquiry=INQUIRY_HELP,
    )
    @app_commands.autocomplete(session=any_session_choices)
    async def agree(
        self,
        interaction: discord.Interaction,
        on: str | None = None,
        session: int | None = None,
        inquiry: str | None = None,
    ) -> None:
        """Record that the committee agreed a session's minutes (usually at its next meeting)."""
        found = await options.find(interaction, session, inquiry)
        agreed = await self.sessions.agree_minutes(found, await options.actor(interaction), on)
        await self._answer(
            interaction,
            f"The minutes of session {agreed.number} were agreed on {long_date(agreed.minutes_agreed_on)}. The Word"
            " export says so; to change them now, reopen them with /session minutes reopen.",
        )

    @minutes.command(name="reopen")
    @app_commands.describe(reason="Why they are reopened", session=ANY_SESSION_HELP, inquiry=INQUIRY_HELP)
    @app_commands.autocomplete(session=any_session_choices)
    async def reopen(
        self, interaction: discord.Interaction, reason: str, session: int | None = None, inquiry: str | None = None
    ) -> None:
        """Reopen agreed minutes to correct them: they are a draft again until agreed again."""
        found = await options.find(interaction, session, inquiry)
        reopened = await self.sessions.reopen_minutes(found, await options.actor(interaction), reason)
        await self._answer(
            interaction, f"The minutes of session {reopened.number} are a draft again; agree them again once corrected."
        )
