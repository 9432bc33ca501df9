"""The ``inquiry:`` option every feature's commands share: its description and its autocomplete."""

from __future__ import annotations

import discord
from discord import app_commands

from cogs._shared.checks import member_roles
from cogs._shared.format import clip
from inquiry.core.models import Role
from inquiry.inquiries.models import InquiryStatus

INQUIRY_OPTION = "The inquiry's code, such as SCI (optional when the server has only one, or only one open)"


async def inquiry_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """The server's inquiries whose code or title contains what has been typed (drafts: for the secretariat only)."""
    if interaction.guild_id is None:
        return []
    typed = current.strip().lower()
    services = interaction.client.services
    inquiries = await services.inquiries.in_guild(interaction.guild_id)
    if Role.SECRETARIAT not in member_roles(interaction.user, await services.inquiries.config(interaction.guild_id)):
        inquiries = [i for i in inquiries if i.status is not InquiryStatus.DRAFT]
    return [
        app_commands.Choice(name=clip(f"{i.code}: {i.title} ({i.status.value})", 100), value=i.code)
        for i in inquiries
        if typed in i.code.lower() or typed in i.title.lower()
    ][:25]
