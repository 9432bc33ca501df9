"""/privacy forget-me: erase what a witness gave an inquiry on this server, saying exactly what goes and what
stays (before and after), and tell the secretariat. In direct messages the witness picks the server.

The Discord side of an erasure is owed through the outbox: deleting the forum posts and the bot's direct messages
that hold the evidence, and the notice to the secretariat in the evidence forum (handlers below). Messages that
hold a witness's evidence are recorded when they are sent (:func:`remember_dm`), so that they can be deleted.
"""

from __future__ import annotations

import logging
import re

import discord
from discord import app_commands
from discord.ext import commands

from cogs._shared.errors import report_error
from cogs._shared.outbox import OutboxCog, Undeliverable, handles
from cogs.evidence import _privacy_text as text
from inquiry.outbox.models import OutboxKind, OutboxRow

log = logging.getLogger(__name__)


def server_name(bot, guild_id: int) -> str:
    guild = bot.get_guild(guild_id)
    return guild.name if guild else f"server {guild_id}"


async def remember_dm(bot, user_id: int, submission_id: int | None, message: discord.Message, kind: str) -> None:
    """Record a direct message that holds a witness's evidence, to delete it if they ask to be forgotten. Never
    raises: the message is sent already, and sending it again would be worse than not recording it."""
    if message.guild is not None or user_id is None:
        return
    try:
        await bot.services.privacy.remember_message(user_id, submission_id, message.channel.id, message.id, kind)
    except Exception:
        log.exception("could not record direct message %s (%s) for erasure", message.id, kind)


async def _confirmation(interaction: discord.Interaction, user_id: int, guild_id: int) -> tuple[str, discord.ui.View]:
    bot = interaction.client
    plan = await bot.services.privacy.plan(user_id, guild_id)
    view = discord.ui.View(timeout=None)
    if not plan.holds_anything:
        return text.nothing_held(server_name(bot, guild_id)), view
    view.add_item(ForgetMeButton(user_id, guild_id))
    return text.confirmation(plan, server_name(bot, guild_id)), view


class ForgetMeButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"privacy:forget:(?P<user_id>\d+)(?::(?P<guild_id>\d+))?"
):
    """Confirms an erasure on one server; only the user it was offered to can press it."""

    def __init__(self, user_id: int, guild_id: int | None) -> None:
        super().__init__(
            discord.ui.Button(
                label="Yes, erase my data",
                style=discord.ButtonStyle.danger,
                custom_id=f"privacy:forget:{user_id}:{guild_id}",
            )
        )
        self.user_id, self.guild_id = user_id, guild_id

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]):
        return cls(int(match["user_id"]), int(match["guild_id"]) if match["guild_id"] else None)

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            if interaction.user.id != self.user_id:
                await interaction.response.send_message("This button is not for you.", ephemeral=True)
                return
            if self.guild_id is None:  # offered before erasure was per server
                await interaction.response.send_message("Please run /privacy forget-me again.", ephemeral=True)
                return
            await interaction.response.defer(ephemeral=True, thinking=True)
            report = await interaction.client.services.privacy.forget(self.user_id, self.guild_id)
            said = text.done(report, server_name(interaction.client, self.guild_id))
            await interaction.followup.send(said, ephemeral=True)
        except Exception as error:
            await report_error(interaction, error, "privacy forget-me")


class ServerSelect(discord.ui.DynamicItem[discord.ui.Select], template=r"privacy:server:(?P<user_id>\d+)"):
    """In direct messages: which server's inquiry should forget the witness."""

    def __init__(self, user_id: int, options: list[discord.SelectOption] | None = None) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id=f"privacy:server:{user_id}", placeholder="Choose the server", options=options or []
            )
        )
        self.user_id = user_id

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]):
        return cls(int(match["user_id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            if interaction.user.id != self.user_id:
                await interaction.response.send_message("This menu is not for you.", ephemeral=True)
                return
            guild_id = int(interaction.data.get("values", ["0"])[0])
            if guild_id not in await interaction.client.services.privacy.servers_of(self.user_id):
                await interaction.response.send_message(text.nothing_held(None), ephemeral=True)
                return
            content, view = await _confirmation(interaction, self.user_id, guild_id)
            await interaction.response.send_message(content, view=view, ephemeral=True)
        except Exception as error:
            await report_error(interaction, error, "privacy server choice")


class PrivacyCog(commands.Cog):
    """Witnesses' control over their personal data."""

    privacy = app_commands.Group(name="privacy", description="Your personal data held by the inquiry bot")

    def __init__(self, bot) -> None:
        self.bot = bot

    @privacy.command(name="forget-me")
    async def forget_me(self, interaction: discord.Interaction) -> None:
        """Erase what you gave this server's inquiry (in direct messages: choose the server)."""
        user_id = interaction.user.id
        if interaction.guild_id is not None:
            content, view = await _confirmation(interaction, user_id, interaction.guild_id)
            await interaction.response.send_message(content, view=view, ephemeral=True)
            return
        servers = await self.bot.services.privacy.servers_of(user_id)
        if not servers:
            await interaction.response.send_message(text.nothing_held(None), ephemeral=True)
            return
        if len(servers) == 1:
            content, view = await _confirmation(interaction, user_id, servers[0])
            await interaction.response.send_message(content, view=view, ephemeral=True)
            return
        options = [discord.SelectOption(label=server_name(self.bot, g)[:100], value=str(g)) for g in servers[:25]]
        view = discord.ui.View(timeout=None)
        view.add_item(ServerSelect(user_id, options))
        await interaction.response.send_message(text.server_choice(), view=view, ephemeral=True)


# What the outbox sends for an erasure ------------------------------------------------------------


@handles(OutboxKind.DM_DELETE, "the deletion of the bot's messages to a forgotten witness")
async def delete_dms(bot, row: OutboxRow, sender: OutboxCog) -> str | None:
    """Delete the bot's direct messages that held the witness's evidence; a message gone already is fine."""
    channel = bot.get_partial_messageable(row.payload["channel_id"], type=discord.ChannelType.private)
    done = set(row.progress.get("deleted", []))
    gone = 0
    for message_id in row.payload["message_ids"]:
        if message_id in done:
            continue
        try:
            await channel.get_partial_message(message_id).delete()
        except discord.NotFound:
            gone += 1
        done.add(message_id)
        row = await sender.outbox.progress(row, deleted=sorted(done))
    return f"{gone} were gone already" if gone else None


@handles(OutboxKind.ERASURE_NOTICE, "the notice of an erasure to the secretariat")
async def tell_secretariat(bot, row: OutboxRow, sender: OutboxCog) -> str | None:
    """Post the notice in the evidence forum (seen by the secretariat only), once."""
    if row.progress.get("thread_id"):
        return None
    config = await bot.services.inquiries.config(row.payload["guild_id"])
    forum = bot.get_channel(config.evidence_forum_id) if config and config.evidence_forum_id else None
    if not isinstance(forum, discord.ForumChannel):
        raise Undeliverable("this server has no evidence forum (an administrator runs /setup)")
    local = row.created_at.astimezone(bot.services.tz)
    created = await forum.create_thread(
        name=f"Erasure at a witness's request, {local:%-d %b %Y %H:%M}",
        content=text.secretariat_notice(row.payload, row.created_at, bot.services.tz),
        allowed_mentions=discord.AllowedMentions.none(),
    )
    await sender.outbox.progress(row, thread_id=created.thread.id)
    return None


async def setup(bot) -> None:
    bot.add_dynamic_items(ForgetMeButton, ServerSelect)
    await bot.add_cog(PrivacyCog(bot))
