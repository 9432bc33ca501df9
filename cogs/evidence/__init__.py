"""Written evidence: the call and its button, the witness's private flow, /my-evidence and /privacy."""

from . import _call, _my_evidence, _privacy


async def setup(bot) -> None:
    """Add the feature's cogs and persistent components to the bot."""
    await _call.setup(bot)
    await _my_evidence.setup(bot)
    await _privacy.setup(bot)
