"""/export: the record as Word documents for the secretariat."""

from . import _cog


async def setup(bot) -> None:
    """Add the feature's cog to the bot."""
    await _cog.setup(bot)
