"""Voice and video evidence: recordings a witness sends are kept, transcribed, confirmed or corrected."""

from . import _cog


async def setup(bot) -> None:
    """Add the feature's cog and persistent components to the bot."""
    await _cog.setup(bot)
