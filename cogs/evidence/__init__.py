"""Written evidence: the call and its button, the witness's private flow, /my-evidence, /privacy, and the committee's
read-only view (/evidence read)."""

from . import _call, _deliveries, _my_evidence, _privacy, _read  # noqa: F401  (_deliveries: the outbox's handlers)


async def setup(bot) -> None:
    """Add the feature's cogs and persistent components to the bot."""
    await _call.setup(bot)
    await _read.setup(bot)  # joins /evidence, after _call
    await _my_evidence.setup(bot)
    await _privacy.setup(bot)
