"""Files too large for Discord, and evidence received outside it: upload links, /review import, the upload page."""

from . import _cog, _deliveries  # noqa: F401  (_deliveries: the outbox's handler)


async def setup(bot) -> None:
    """Add the feature's cog (after the evidence, sessions and review features, whose groups it joins)."""
    await bot.add_cog(_cog.UploadsCog(bot))
