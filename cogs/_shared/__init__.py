"""Helpers every feature of the Discord face shares: role checks, the error handler, formatting, the forum."""


async def setup(bot) -> None:
    """Add what the features share at run time: the outbox sender."""
    from cogs._shared.outbox import OutboxCog

    await bot.add_cog(OutboxCog(bot))
