"""Administration: /setup maps the roles and channels; /inquiry creates an inquiry and runs its call."""

from . import _cog, _setup


async def setup(bot) -> None:
    """Add the feature's cogs to the bot."""
    await _setup.setup(bot)
    await _cog.setup(bot)
