"""Role checks, in one place: which inquiry role a member holds, and app-command checks built on it."""

from __future__ import annotations

import discord
from discord import app_commands

from inquiry.core.models import GuildConfig, Role

ROLE_NAMES = {Role.CHAIR: "Chair", Role.SECRETARIAT: "Secretariat", Role.MEMBER: "Member"}


class MissingInquiryRole(app_commands.CheckFailure):
    """The member lacks every inquiry role that would allow the command."""

    def __init__(self, roles: tuple[Role, ...]) -> None:
        self.roles = roles
        names = " or ".join(ROLE_NAMES[r] for r in roles)
        super().__init__(f"This is for the {names} only.")


class NotSetUp(app_commands.CheckFailure):
    def __init__(self) -> None:
        super().__init__("This server has not been set up yet: an administrator runs /setup first.")


def member_roles(member: discord.abc.User, config: GuildConfig | None) -> set[Role]:
    """The inquiry roles a member holds on this server."""
    if config is None or not isinstance(member, discord.Member):
        return set()
    held = {role.id for role in member.roles}
    return {role for role in Role if config.role_id(role) in held}


async def guild_config(interaction: discord.Interaction) -> GuildConfig:
    """The server's configuration, or :class:`NotSetUp`."""
    if interaction.guild_id is None:
        raise app_commands.NoPrivateMessage("This command works in the inquiry's server, not in direct messages.")
    config = await interaction.client.services.inquiries.config(interaction.guild_id)
    if config is None:
        raise NotSetUp()
    return config


async def require_roles(interaction: discord.Interaction, *roles: Role) -> GuildConfig:
    """Raise :class:`MissingInquiryRole` unless the user holds one of ``roles``."""
    config = await guild_config(interaction)
    if not member_roles(interaction.user, config) & set(roles):
        raise MissingInquiryRole(roles)
    return config


def has_role(*roles: Role):
    """An app-command check: the user must hold one of the inquiry ``roles``."""

    async def predicate(interaction: discord.Interaction) -> bool:
        await require_roles(interaction, *roles)
        return True

    return app_commands.check(predicate)


def is_admin():
    """An app-command check: the user administers the server (or can manage it)."""

    async def predicate(interaction: discord.Interaction) -> bool:
        if interaction.guild is None:
            raise app_commands.NoPrivateMessage("Run /setup in the server.")
        perms = interaction.user.guild_permissions
        if not (perms.administrator or perms.manage_guild):
            raise app_commands.CheckFailure("Only the server's administrators can run /setup.")
        return True

    return app_commands.check(predicate)
