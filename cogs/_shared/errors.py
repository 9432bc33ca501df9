"""One error handler: domain errors and failed checks become short private messages; the rest is
logged with its context and the user gets an apology, never a traceback."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from inquiry.core.errors import DomainError

log = logging.getLogger(__name__)

APOLOGY = "Sorry, something went wrong on our side and it has been logged. Nothing you entered was lost."


def user_message(error: BaseException) -> str | None:
    """The message a user should see for an expected error, or None for an unexpected one."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, DomainError):
        return str(error)
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Please wait {error.retry_after:.0f} seconds and try again."
    if isinstance(error, app_commands.CheckFailure):
        return str(error) or "You cannot use this command."
    return None


async def report_error(interaction: discord.Interaction, error: BaseException, where: str) -> None:
    """Tell the user what went wrong, privately; log anything unexpected with its context."""
    message = user_message(error)
    if message is None:
        original = getattr(error, "original", error)
        log.error(
            "error in %s (user %s, guild %s, channel %s)",
            where,
            interaction.user.id if interaction.user else None,
            interaction.guild_id,
            interaction.channel_id,
            exc_info=original,
        )
        message = APOLOGY
    await send_private(interaction, message)


async def send_private(interaction: discord.Interaction, content: str, **kwargs) -> None:
    """Reply ephemerally, whether or not the interaction has been answered already."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(content, ephemeral=True, **kwargs)
        else:
            await interaction.response.send_message(content, ephemeral=True, **kwargs)
    except discord.HTTPException:
        log.warning("could not tell user %s about an error", interaction.user.id, exc_info=True)


def install(tree: app_commands.CommandTree) -> None:
    """Make :func:`report_error` the tree's error handler."""

    async def on_error(interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        name = interaction.command.qualified_name if interaction.command else "an application command"
        await report_error(interaction, error, f"/{name}")

    tree.on_error = on_error


def guarded(where: str):
    """Decorate a component or modal callback ``(self, interaction, ...)`` so errors go through one handler."""

    def wrap(func):
        async def run(self, interaction: discord.Interaction, *args, **kwargs):
            try:
                return await func(self, interaction, *args, **kwargs)
            except Exception as error:
                await report_error(interaction, error, where)

        run.__name__ = func.__name__
        run.__doc__ = func.__doc__
        return run

    return wrap
