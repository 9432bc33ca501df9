"""The secretariat's review of written evidence: /review and its decisions."""

from . import _cog


async def setup(bot) -> None:
    """Add the feature's cog to the bot."""
    await _cog.setup(bot)
