"""The call for written evidence: the public announcement with its persistent button, and the witness flow."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from cogs._shared.format import clip, safe, when
from cogs.evidence import _ui as ui
from cogs.evidence._documents import DocumentIntake
from cogs.evidence._flow import WitnessFlow
from inquiry.inquiries.models import Inquiry, InquiryStatus

log = logging.getLogger(__name__)


def announcement(inquiry: Inquiry, tz) -> discord.Embed:
    """The call for evidence as the public sees it: questions, deadline, word limit, how to respond."""
    closed = inquiry.status is InquiryStatus.CLOSED
    embed = discord.Embed(
        title=clip(("[Closed] " if closed else "Call for evidence: ") + inquiry.title, 256),
        description=clip(safe(inquiry.terms_of_reference), 1500) or None,
        colour=discord.Colour.dark_grey() if closed else discord.Colour.dark_green(),
    )
    questions = "\n".join(f"**{q.position}.** {safe(q.text)}" for q in inquiry.questions)
    embed.add_field(name="Questions", value=clip(questions, 1024) or "—", inline=False)
    if len(questions) > 1024:
        embed.description = clip((embed.description or "") + "\n\n**Questions**\n" + questions, 4096)
        embed.remove_field(0)
    embed.add_field(name="Closing date", value=when(inquiry.closes_at, tz), inline=False)
    embed.add_field(
        name="How to respond",
        value=(
            f"Press **Submit evidence**. Answer any or all of the questions, in up to {inquiry.word_limit:,} words"
            " in all. Your draft is saved as you go. You can respond as an individual or for an organisation, and"
            " choose to be named, anonymous or confidential. Type your answers, or answer a question by voice"
            " message or video: send it to the bot by direct message while the question is open (a confirmed"
            " transcript counts toward the word limit like a written answer). You can also send your evidence as a"
            " document (Word, OpenDocument, rich text, plain text or PDF)."
        ),
        inline=False,
    )
    embed.set_footer(text=f"Inquiry {inquiry.code} · references look like {inquiry.code}0001")
    return embed


async def announce_call(bot, inquiry: Inquiry) -> discord.Message | None:
    """Post (or update) the call for evidence in the server's call channel, with its persistent button."""
    config = await bot.services.inquiries.config(inquiry.guild_id)
    channel = bot.get_channel(config.call_channel_id) if config and config.call_channel_id else None
    if channel is None:
        log.warning("no call channel configured for guild %s", inquiry.guild_id)
        return None
    embed = announcement(inquiry, bot.services.tz)
    view = ui.call_view(inquiry, closed=inquiry.status is InquiryStatus.CLOSED)
    if inquiry.call_message_id and inquiry.call_channel_id == channel.id:
        try:
            message = await channel.fetch_message(inquiry.call_message_id)
            return await message.edit(embed=embed, view=view)
        except discord.NotFound:
            log.info("the call announcement of %s was deleted; posting it again", inquiry.code)
    message = await channel.send(embed=embed, view=view)
    await bot.services.inquiries.record_announcement(inquiry, channel.id, message.id)
    return message


class CallCog(commands.Cog):
    """The witness's side of the call for written evidence."""

    def __init__(self, bot) -> None:
        self.bot = bot
        self.flow = WitnessFlow(bot)
        self.documents = DocumentIntake(bot)  # documents sent by direct message

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Modals of the flow are handled by their custom_id alone, so they still work after a restart."""
        custom_id = str((interaction.data or {}).get("custom_id", ""))
        if interaction.type is discord.InteractionType.modal_submit and custom_id.startswith(ui.MODAL_PREFIX):
            await self.flow.modal(interaction)

    evidence = app_commands.Group(name="evidence", description="Give written evidence to an inquiry", guild_only=True)

    @evidence.command(name="submit")
    @app_commands.describe(inquiry="The inquiry's code, such as SCI (optional when there is only one)")
    async def submit(self, interaction: discord.Interaction, inquiry: str | None = None) -> None:
        """Start or continue your written evidence to an inquiry."""
        found = await self.bot.services.inquiries.resolve(interaction.guild_id, inquiry)
        await self.flow.start(interaction, found.id)


async def setup(bot) -> None:
    bot.add_dynamic_items(*ui.DYNAMIC_ITEMS)
    await bot.add_cog(CallCog(bot))
