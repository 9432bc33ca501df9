"""/export: the secretariat's record as Word documents, returned privately (or saved when too large)."""

from __future__ import annotations

import io
import logging

import discord
from discord import app_commands
from discord.ext import commands

from cogs._shared.checks import has_role
from inquiry.core.models import Role
from inquiry.record.service import ExportedFile

log = logging.getLogger(__name__)

SESSION_NUMBER = "The session's number in its inquiry (/session list shows them)"
SESSION_INQUIRY = "The inquiry's code, such as SCI (needed only when several inquiries have this session number)"


class ExportCog(commands.Cog):
    """Formal minutes, oral evidence transcripts and the written evidence volume."""

    export = app_commands.Group(
        name="export", description="The inquiry's record as Word documents (secretariat)", guild_only=True
    )

    def __init__(self, bot) -> None:
        self.bot = bot
        self.service = bot.services.exports
        # None: the server's own upload limit (it grows with boosts).
        self.max_attachment_bytes: int | None = None

    @export.command(name="evidence")
    @app_commands.describe(inquiry="The inquiry's code, such as SCI (optional when there is only one)")
    @has_role(Role.SECRETARIAT)
    async def evidence(self, interaction: discord.Interaction, inquiry: str | None = None) -> None:
        """The written evidence volume: an index and every accepted submission, personal data redacted."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await self.bot.services.inquiries.resolve(interaction.guild_id, inquiry)
        exported = await self.service.evidence_volume(found, interaction.user.id)
        note = f"{exported.redactions} passage(s) of personal data were redacted automatically and logged."
        if exported.unapplied:
            missing = ", ".join(ref for ref, _ in exported.unapplied)
            note += f" Some secretariat redactions were not found in the text ({missing}): check them."
        await self._deliver(interaction, exported, note)

    @export.command(name="minutes")
    @app_commands.describe(session=SESSION_NUMBER, inquiry=SESSION_INQUIRY)
    @has_role(Role.SECRETARIAT)
    async def minutes(self, interaction: discord.Interaction, session: int, inquiry: str | None = None) -> None:
        """The formal minutes of an oral evidence session."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await self.bot.services.sessions.resolve(interaction.guild_id, session, None, inquiry)
        exported = await self.service.minutes(found.id, interaction.user.id)
        await self._deliver(interaction, exported, "Formal minutes." + _redacted_note(exported))

    @export.command(name="transcript")
    @app_commands.describe(session=SESSION_NUMBER, inquiry=SESSION_INQUIRY)
    @has_role(Role.SECRETARIAT)
    async def transcript(self, interaction: discord.Interaction, session: int, inquiry: str | None = None) -> None:
        """The oral evidence transcript of a session, in the committee layout."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await self.bot.services.sessions.resolve(interaction.guild_id, session, None, inquiry)
        exported = await self.service.transcript(found.id, interaction.user.id)
        await self._deliver(interaction, exported, "Oral evidence transcript." + _redacted_note(exported))

    async def _deliver(self, interaction: discord.Interaction, exported: ExportedFile, note: str) -> None:
        limit = self.max_attachment_bytes or (interaction.guild.filesize_limit if interaction.guild else 10 * 2**20)
        if len(exported.data) > limit:
            path = await self.service.save(exported)
            await interaction.followup.send(
                f"{exported.filename} is {len(exported.data) / 1e6:.1f} MB, more than Discord lets me attach here"
                f" ({limit / 1e6:.0f} MB), so I saved it on the bot's server: `{path}`. {note}",
                ephemeral=True,
            )
            return
        await interaction.followup.send(
            f"{exported.filename} ({len(exported.data) / 1e3:.0f} kB). {note}",
            file=discord.File(io.BytesIO(exported.data), filename=exported.filename),
            ephemeral=True,
        )


async def setup(bot) -> None:
    await bot.add_cog(ExportCog(bot))


def _redacted_note(exported: ExportedFile) -> str:
    """What was redacted from a session's document, for the secretariat."""
    note = ""
    if exported.redactions:
        note += f" {exported.redactions} passage(s) of personal data were redacted automatically and logged."
    if exported.unapplied:
        note += f" {len(exported.unapplied)} redaction(s) were not found in the text (check /review redactions)."
    return note
