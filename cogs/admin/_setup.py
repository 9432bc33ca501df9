"""/setup: map the inquiry's roles and channels on a server, creating whatever is missing."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from cogs._shared.checks import is_admin
from inquiry.core.models import GuildConfig

log = logging.getLogger(__name__)

# Tags on the evidence forum: a submission's status, capacity and publication preference.
FORUM_TAGS = (
    "Submitted",
    "Accepted",
    "Rejected",
    "Published",
    "Withdrawn",
    "Late",
    "Individual",
    "Organisation",
    "Anonymous",
    "Confidential",
)


class SetupCog(commands.Cog):
    """Server set-up, for administrators."""

    def __init__(self, bot) -> None:
        self.bot = bot

    @app_commands.command(name="setup")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.describe(
        chair_role="Role of the chair (created as 'Chair' if not given)",
        secretariat_role="Role of the secretariat (created as 'Secretariat' if not given)",
        member_role="Role of the inquiry's members (created as 'Member' if not given)",
        call_channel="Public channel for the call for evidence (created as #call-for-evidence)",
        evidence_forum="Forum for submissions, seen by the secretariat only (created as #evidence)",
        sessions_channel="Channel for oral evidence sessions (created as #evidence-sessions)",
    )
    @is_admin()
    async def setup(
        self,
        interaction: discord.Interaction,
        chair_role: discord.Role | None = None,
        secretariat_role: discord.Role | None = None,
        member_role: discord.Role | None = None,
        call_channel: discord.TextChannel | None = None,
        evidence_forum: discord.ForumChannel | None = None,
        sessions_channel: discord.TextChannel | None = None,
    ) -> None:
        """Map the Chair, Secretariat and Member roles and the inquiry's channels, creating what is missing."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        guild = interaction.guild
        existing = await self.bot.services.inquiries.config(guild.id)
        created: list[str] = []

        async def role(given, current_id, name):
            found = given or (guild.get_role(current_id) if current_id else None)
            found = found or discord.utils.get(guild.roles, name=name)
            if found is None:
                found = await guild.create_role(name=name, reason="Evidence Bot set-up")
                created.append(f"role @{name}")
            return found

        chair = await role(chair_role, existing and existing.chair_role_id, "Chair")
        secretariat = await role(secretariat_role, existing and existing.secretariat_role_id, "Secretariat")
        member = await role(member_role, existing and existing.member_role_id, "Member")

        call = call_channel or _channel(guild, existing and existing.call_channel_id, "call-for-evidence")
        if call is None:
            call = await guild.create_text_channel("call-for-evidence", reason="Evidence Bot set-up")
            created.append(f"channel {call.mention}")
        forum = evidence_forum or _channel(guild, existing and existing.evidence_forum_id, "evidence")
        if forum is None:
            forum = await guild.create_forum(
                "evidence", overwrites=_private_to(guild, secretariat), reason="Evidence Bot set-up"
            )
            created.append(f"forum {forum.mention}")
        await _ensure_tags(forum)
        sessions = sessions_channel or _channel(guild, existing and existing.sessions_channel_id, "evidence-sessions")
        if sessions is None:
            sessions = await guild.create_text_channel("evidence-sessions", reason="Evidence Bot set-up")
            created.append(f"channel {sessions.mention}")

        config = GuildConfig(
            guild_id=guild.id,
            chair_role_id=chair.id,
            secretariat_role_id=secretariat.id,
            member_role_id=member.id,
            call_channel_id=call.id,
            evidence_forum_id=forum.id,
            sessions_channel_id=sessions.id,
        )
        await self.bot.services.inquiries.save_config(config)
        lines = [
            "**Evidence Bot is set up.**",
            f"Chair: {chair.mention} · Secretariat: {secretariat.mention} · Members: {member.mention}",
            f"Call for evidence: {call.mention} · Evidence forum: {forum.mention} · Sessions: {sessions.mention}",
        ]
        if created:
            lines.append("Created: " + ", ".join(created) + ".")
        lines.append("Next: the secretariat creates an inquiry with /inquiry create.")
        await interaction.followup.send("\n".join(lines), ephemeral=True)


def _channel(guild: discord.Guild, channel_id: int | None, name: str):
    if channel_id and (found := guild.get_channel(channel_id)):
        return found
    return discord.utils.get(guild.channels, name=name)


def _private_to(guild: discord.Guild, role: discord.Role) -> dict:
    return {
        guild.default_role: discord.PermissionOverwrite(view_channel=False),
        role: discord.PermissionOverwrite(view_channel=True, send_messages_in_threads=True),
        guild.me: discord.PermissionOverwrite(
            view_channel=True, send_messages=True, send_messages_in_threads=True, manage_threads=True
        ),
    }


async def _ensure_tags(forum: discord.ForumChannel) -> None:
    have = {tag.name for tag in forum.available_tags}
    missing = [name for name in FORUM_TAGS if name not in have]
    if missing:
        tags = [*forum.available_tags, *(discord.ForumTag(name=name) for name in missing)]
        await forum.edit(available_tags=tags, reason="Evidence Bot set-up")


async def setup(bot) -> None:
    await bot.add_cog(SetupCog(bot))
