"""Fixtures of the upload page tests: a real store and ledger, and the web application over them."""

from __future__ import annotations

import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer
from web_support import Bot, make_world

from web.app import make_app


@pytest_asyncio.fixture
async def world(tmp_path):
    built = await make_world(tmp_path)
    yield built
    await built.store.close()


@pytest_asyncio.fixture
async def bot(tmp_path):
    return Bot(tmp_path / "kept")


@pytest_asyncio.fixture
async def app(world, bot):
    return make_app(world.settings, world.ledger, bot.on_complete, clock=world.clock)


@pytest_asyncio.fixture
async def client(app):
    async with TestClient(TestServer(app)) as test_client:
        yield test_client
