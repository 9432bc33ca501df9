"""Shared fixtures: the bot built exactly as production builds it, over a temporary database."""

from __future__ import annotations

import pytest
import pytest_asyncio

from bot import Settings, build_bot
from inquiry.store import Store
from transcription.synth import ToolMissing

pytest_plugins = ["tests.servers", "tests.store_backends"]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A program the test needs is not installed: one line saying what to install, not a traceback."""
    report = yield
    if call.excinfo is not None and call.excinfo.errisinstance(ToolMissing):
        report.longrepr = str(call.excinfo.value)
        report.sections = []  # what the test printed or sent before it stopped says nothing more
    return report


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(
        token=None,
        database=tmp_path / "evidence.db",
        media_dir=tmp_path / "media",
        export_dir=tmp_path / "exports",
    )


@pytest_asyncio.fixture
async def store(settings):
    opened = await Store.open(settings.database)
    yield opened
    await opened.close()


@pytest.fixture
def simcord_bot(settings, store):
    return build_bot(settings, store)
