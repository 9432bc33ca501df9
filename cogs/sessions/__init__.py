"""Oral evidence sessions: scheduling, the floor, recordings, corrections and reminders."""

from . import _cog


async def setup(bot) -> None:
    """Add the feature's cogs to the bot."""
    await _cog.setup(bot)
