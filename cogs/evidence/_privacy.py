"""/privacy forget-me: erase a witness's personal data and evidence, keeping anonymous tombstones."""

from __future__ import annotations

import logging
import re

import discord
from discord import app_commands
from discord.ext import commands

from cogs._shared.errors import report_error
from cogs._shared.forum import delete_forum_post

log = logging.getLogger(__name__)


class ForgetMeButton(discord.ui.DynamicItem[discord.ui.Button], template=r"privacy:forget:(?P<user_id>\d+)"):
    """Confirms an erasure; only the user it was offered to can press it."""

    def __init__(self, user_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Yes, erase my data", style=discord.ButtonStyle.danger, custom_id=f"privacy:forget:{user_id}"
            )
        )
        self.user_id = user_id

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]):
        return cls(int(match["user_id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            if interaction.user.id != self.user_id:
                await interaction.response.send_message("This button is not for you.", ephemeral=True)
                return
            await interaction.response.defer(ephemeral=True, thinking=True)
            report = await interaction.client.services.privacy.forget(interaction.user.id)
            for submission in report.erased:
                await delete_forum_post(interaction.client, submission.forum_thread_id)
            refs = ", ".join(s.reference for s in report.erased if s.reference) or "none"
            await interaction.followup.send(
                "Done. Your name, contact details, answers and drafts have been erased."
                f" Submissions erased: {refs}; drafts deleted: {report.drafts_deleted}."
                " Their reference numbers are kept, empty, so they are never given to anyone else.",
                ephemeral=True,
            )
        except Exception as error:
            await report_error(interaction, error, "privacy forget-me")


class PrivacyCog(commands.Cog):
    """Witnesses' control over their personal data."""

    privacy = app_commands.Group(name="privacy", description="Your personal data held by the inquiry bot")

    def __init__(self, bot) -> None:
        self.bot = bot

    @privacy.command(name="forget-me")
    async def forget_me(self, interaction: discord.Interaction) -> None:
        """Erase your personal data and evidence from this inquiry bot."""
        submissions = await self.bot.services.submissions.of_user(interaction.user.id)
        view = discord.ui.View(timeout=None)
        view.add_item(ForgetMeButton(interaction.user.id))
        await interaction.response.send_message(
            f"This erases your name, contact details and the content of your {len(submissions)} submission(s) and"
            " drafts, on every server where this bot runs an inquiry. Evidence already published elsewhere cannot be"
            " recalled by the bot. Are you sure?",
            view=view,
            ephemeral=True,
        )


async def setup(bot) -> None:
    bot.add_dynamic_items(ForgetMeButton)
    await bot.add_cog(PrivacyCog(bot))
