"""Placeholder module until its cog lands."""


async def setup(bot) -> None:
    return None
