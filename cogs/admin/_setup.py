"""/setup: map the inquiry's roles and channels on a server, creating whatever is missing.

Nothing is taken over by its name alone: a role or channel is used only when the administrator names it (or an
earlier /setup recorded it). A missing one is created, unless one of the same name exists: then /setup stops and
says which, changing nothing, since a look-alike (a public channel called ``evidence``) would expose confidential
evidence. The evidence forum is made private (only the bot and the secretariat's role can view it) where the bot
may change its permissions; where it may not, /setup says exactly which permission is wrong and stops.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import discord
from discord import app_commands
from discord.ext import commands

from cogs._shared.checks import is_admin
from cogs.admin._forum_access import forum_access, make_private, permission_name, private_overwrites
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
REASON = "Evidence Bot set-up"

# (option, default name, what it is[, the channel type it must be])
ROLES = (
    ("chair_role", "Chair", "the chair's role"),
    ("secretariat_role", "Secretariat", "the secretariat's role"),
    ("member_role", "Member", "the members' role"),
)
CHANNELS = (
    ("call_channel", "call-for-evidence", "the public channel for the call for evidence", discord.TextChannel),
    ("evidence_forum", "evidence", "the secretariat's forum for submissions", discord.ForumChannel),
    ("sessions_channel", "evidence-sessions", "the channel for oral evidence sessions", discord.TextChannel),
)
CONFIG_FIELDS = {
    "chair_role": "chair_role_id",
    "secretariat_role": "secretariat_role_id",
    "member_role": "member_role_id",
    "call_channel": "call_channel_id",
    "evidence_forum": "evidence_forum_id",
    "sessions_channel": "sessions_channel_id",
}


class SetupRefused(Exception):
    """/setup cannot go on; ``lines`` say why and what to do."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(" ".join(lines))
        self.lines = lines


@dataclass
class Plan:
    """What /setup will use (``found``), create (``missing``), and what stops it (``problems``)."""

    found: dict[str, object] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)


class SetupCog(commands.Cog):
    """Server set-up, for administrators."""

    def __init__(self, bot) -> None:
        self.bot = bot

    @app_commands.command(name="setup")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.describe(
        chair_role="An existing role for the chair (else 'Chair' is created)",
        secretariat_role="An existing role for the secretariat (else 'Secretariat' is created)",
        member_role="An existing role for the inquiry's members (else 'Member' is created)",
        call_channel="An existing public channel for the call for evidence (else #call-for-evidence is created)",
        evidence_forum="An existing forum for submissions, made private to the secretariat (else #evidence is created)",
        sessions_channel="An existing channel for oral evidence sessions (else #evidence-sessions is created)",
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
        given = {
            "chair_role": chair_role,
            "secretariat_role": secretariat_role,
            "member_role": member_role,
            "call_channel": call_channel,
            "evidence_forum": evidence_forum,
            "sessions_channel": sessions_channel,
        }
        existing = await self.bot.services.inquiries.config(guild.id)
        try:
            plan = _plan(guild, given, existing)
            await self._create(guild, plan)
            forum = plan.found["evidence_forum"]
            made_private = await _secure_forum(forum, plan.found["secretariat_role"], guild.me)
            await _ensure_tags(forum, guild.me)
        except SetupRefused as refusal:
            log.info("/setup refused in guild %s: %s", guild.id, refusal)
            await interaction.followup.send("\n".join(refusal.lines), ephemeral=True)
            return
        found = plan.found
        config = GuildConfig(guild_id=guild.id, **{CONFIG_FIELDS[key]: found[key].id for key in CONFIG_FIELDS})
        await self.bot.services.inquiries.save_config(config)
        lines = [
            "**Evidence Bot is set up.**",
            f"Chair: {found['chair_role'].mention} · Secretariat: {found['secretariat_role'].mention}"
            f" · Members: {found['member_role'].mention}",
            f"Call for evidence: {found['call_channel'].mention} · Evidence forum: {forum.mention} (only the"
            f" secretariat and I can view it) · Sessions: {found['sessions_channel'].mention}",
        ]
        if plan.created:
            lines.append("Created: " + ", ".join(plan.created) + ".")
        if made_private:
            lines.append(f"Made {forum.mention} private: " + "; ".join(made_private) + ".")
        lines.append("Next: the secretariat creates an inquiry with /inquiry create.")
        await interaction.followup.send("\n".join(lines), ephemeral=True)

    async def _create(self, guild: discord.Guild, plan: Plan) -> None:
        """Create what is missing: roles first (the forum's permissions name the secretariat's role)."""
        for key, name, _ in ROLES:
            if key in plan.missing:
                plan.found[key] = await guild.create_role(name=name, reason=REASON)
                plan.created.append(f"role @{name}")
        for key, name, _, kind in CHANNELS:
            if key not in plan.missing:
                continue
            if kind is discord.ForumChannel:
                overwrites = private_overwrites(guild, plan.found["secretariat_role"], guild.me)
                channel = await guild.create_forum(name, overwrites=overwrites, reason=REASON)
            else:
                channel = await guild.create_text_channel(name, reason=REASON)
            plan.found[key] = channel
            plan.created.append(f"{'forum' if kind is discord.ForumChannel else 'channel'} {channel.mention}")


def _plan(guild: discord.Guild, given: dict, existing: GuildConfig | None) -> Plan:
    """Decide, before changing anything, what to use and what to create; raise :class:`SetupRefused` with every
    reason at once if it cannot go on."""
    plan = Plan()
    for key, name, what in ROLES:
        role = given[key] or _configured(guild.get_role, existing, key)
        if role is not None and (role.is_default() or role.managed):
            plan.problems.append(f"{role.mention if not role.is_default() else '@everyone'} cannot be {what}.")
        elif role is not None:
            plan.found[key] = role
        elif same := [r for r in guild.roles if r.name.lower() == name.lower()]:
            plan.problems.append(_same_name(f"A role called @{same[0].name}", key, f"@{same[0].name}"))
        else:
            plan.missing.append(key)
    for key, name, what, kind in CHANNELS:
        channel = given[key] or _configured(guild.get_channel, existing, key)
        if channel is not None and not isinstance(channel, kind):
            plan.problems.append(f"{channel.mention}, recorded as {what}, is not a {_kind(kind)}. {_rename(key)}")
        elif channel is not None:
            plan.found[key] = channel
        elif same := [c for c in guild.channels if c.name.lower() == name and not _is_category(c)]:
            plan.problems.append(_same_name(f"A {_kind(type(same[0]))} called {same[0].mention}", key, same[0].mention))
        else:
            plan.missing.append(key)
    me = guild.me
    if any(key.endswith("_role") for key in plan.missing) and not me.guild_permissions.manage_roles:
        plan.problems.append("To create the missing roles I need **Manage Roles** on this server.")
    if any(not key.endswith("_role") for key in plan.missing) and not me.guild_permissions.manage_channels:
        plan.problems.append("To create the missing channels I need **Manage Channels** on this server.")
    forum = plan.found.get("evidence_forum")
    if forum is not None and isinstance(forum, discord.ForumChannel):
        access = forum_access(forum, plan.found.get("secretariat_role"), me)
        if not access.private and access.cannot_fix:
            plan.problems += [*access.describe(forum), _cannot_fix(forum, access.cannot_fix)]
    if plan.problems:
        raise SetupRefused(["**I have not set anything up:**", *(f"• {p}" for p in plan.problems)])
    return plan


async def _secure_forum(forum: discord.ForumChannel, secretariat: discord.Role, me: discord.Member) -> list[str]:
    """Make the evidence forum private if it is not; return what was changed. Refuses if it stays open."""
    access = forum_access(forum, secretariat, me)
    if access.private:
        return []
    if access.cannot_fix:
        lines = [*access.describe(forum), _cannot_fix(forum, access.cannot_fix)]
        raise SetupRefused(["**I have not finished setting up:**", *lines])
    try:
        done = await make_private(forum, secretariat, me, access)
    except discord.Forbidden as error:
        log.warning("could not make forum %s private: %s", forum.id, error)
        raise SetupRefused(
            ["**I have not finished setting up:**", *access.describe(forum), _cannot_fix(forum, ["manage_roles"])]
        ) from error
    fresh = await forum.guild.fetch_channel(forum.id)
    left = forum_access(fresh, secretariat, me)
    if not left.private:
        raise SetupRefused(["**I have not finished setting up:**", *left.describe(fresh)])
    return done


async def _ensure_tags(forum: discord.ForumChannel, me: discord.Member) -> None:
    have = {tag.name for tag in forum.available_tags}
    missing = [name for name in FORUM_TAGS if name not in have]
    if not missing:
        return
    if not forum.permissions_for(me).manage_channels:
        raise SetupRefused(
            [
                "**I have not finished setting up:**",
                f"To add the status tags to {forum.mention} I need **{permission_name('manage_channels')}** there.",
            ]
        )
    tags = [*forum.available_tags, *(discord.ForumTag(name=name) for name in missing)]
    await forum.edit(available_tags=tags, reason=REASON)


def _configured(get, existing: GuildConfig | None, key: str):
    """What an earlier /setup recorded for ``key``, if it still exists."""
    found_id = getattr(existing, CONFIG_FIELDS[key]) if existing else None
    return get(found_id) if found_id else None


def _same_name(subject: str, key: str, mention: str) -> str:
    return (
        f"{subject} already exists, and I use only what you name. If it is the one to use, run `/setup {key}:`"
        f" with {mention}; otherwise rename it and run /setup again."
    )


def _rename(key: str) -> str:
    return f"Name the right one with `/setup {key}:`."


def _cannot_fix(forum: discord.ForumChannel, lacking: list[str]) -> str:
    names = " and ".join(f"**{permission_name(n)}**" for n in lacking)
    return (
        f"I cannot change who can view {forum.mention}: I lack {names} there. Give me {names} in that channel, or"
        " in its settings deny View Channel to @everyone and allow it only to the secretariat's role and to me;"
        " then run /setup again."
    )


def _is_category(channel) -> bool:
    return isinstance(channel, discord.CategoryChannel)


def _kind(kind: type) -> str:
    if issubclass(kind, discord.ForumChannel):
        return "forum"
    if issubclass(kind, discord.VoiceChannel):
        return "voice channel"
    return "text channel" if issubclass(kind, discord.TextChannel) else "channel"


async def setup(bot) -> None:
    await bot.add_cog(SetupCog(bot))
