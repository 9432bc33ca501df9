"""/my-evidence: a witness sees, opens, changes (until accepted) and withdraws their own evidence."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from cogs.evidence import _ui as ui
from inquiry.evidence.models import SubmissionStatus

log = logging.getLogger(__name__)

STATUS_WORDS = {
    SubmissionStatus.DRAFT: "draft, not yet submitted",
    SubmissionStatus.SUBMITTED: "received, not yet accepted",
    SubmissionStatus.ACCEPTED: "accepted",
    SubmissionStatus.REJECTED: "not accepted",
    SubmissionStatus.PUBLISHED: "published",
    SubmissionStatus.WITHDRAWN: "withdrawn",
}


class MyEvidenceCog(commands.Cog):
    """A witness's own submissions."""

    def __init__(self, bot) -> None:
        self.bot = bot

    @app_commands.command(name="my-evidence")
    @app_commands.guild_only()
    async def mine(self, interaction: discord.Interaction) -> None:
        """See your written evidence, open it to change it, or withdraw it."""
        services = self.bot.services
        inquiries = {i.id: i for i in await services.inquiries.in_guild(interaction.guild_id)}
        submissions = [s for s in await services.submissions.of_user(interaction.user.id) if s.inquiry_id in inquiries]
        if not submissions:
            await interaction.response.send_message(
                "You have no written evidence here yet. Press **Submit evidence** under a call for evidence.",
                ephemeral=True,
            )
            return
        lines = ["**Your written evidence**"]
        for submission in submissions:
            inquiry = inquiries[submission.inquiry_id]
            label = submission.reference or f"Draft to {inquiry.code}"
            extra = " · late" if submission.late else ""
            if submission.status is SubmissionStatus.REJECTED and submission.decision_reason:
                extra += f" · reason: {submission.decision_reason}"
            lines.append(f"**{label}** ({inquiry.code}): {STATUS_WORDS[submission.status]}{extra}")
        lines.append("You can change your evidence until the secretariat accepts it.")
        await interaction.response.send_message("\n".join(lines), view=ui.mine_view(submissions), ephemeral=True)


async def setup(bot) -> None:
    await bot.add_cog(MyEvidenceCog(bot))
