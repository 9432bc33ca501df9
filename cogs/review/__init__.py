"""The secretariat's review of written evidence: /review and its decisions, and redactions of the record."""

from . import _cog, _redactions


async def setup(bot) -> None:
    """Add the feature's cogs to the bot (the redactions' commands join /review)."""
    await _cog.setup(bot)
    await _redactions.setup_redactions(bot)
