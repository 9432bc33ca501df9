"""Fixtures for the workers' tests: speech, the bot's side of the queue, and worker processes (see
worker_fixtures.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from worker_fixtures import SENTENCES, STALLED_AFTER, BotSide, close_bot_side, open_bot_side

from transcription.remote.processes import WorkerProcesses
from transcription.synth import ESPEAK_MISSING, espeak_available, speak


@pytest.fixture(scope="session")
def spoken(tmp_path_factory) -> list[tuple[str, bytes]]:
    """(text, WAV bytes) for each sentence."""
    if not espeak_available():
        pytest.fail(ESPEAK_MISSING, pytrace=False)
    folder = tmp_path_factory.mktemp("spoken")
    return [(text, speak(text, folder / f"s{i}.wav").read_bytes()) for i, text in enumerate(SENTENCES)]


@pytest.fixture
async def bot(fresh_postgres_database, tmp_path) -> AsyncIterator[BotSide]:
    side = await open_bot_side(fresh_postgres_database, tmp_path / "media")
    yield side
    await close_bot_side(side)


@pytest.fixture
def workers(fresh_postgres_database, tmp_path, request) -> Iterator[WorkerProcesses]:
    """Worker processes on the test's database and media folder (one thread each); stopped after the test, and
    their logs shown when it failed."""
    started = WorkerProcesses(
        fresh_postgres_database, str(tmp_path / "media"), tmp_path / "workers", threads=1, stalled_after=STALLED_AFTER
    )
    yield started
    started.stop_all()
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        for worker in started.started:
            print(f"--- {worker.log_path.name}\n{worker.log()[-4000:]}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report
