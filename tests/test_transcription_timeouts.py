"""A job stopped at its wall-clock limit is tried once more (the machine may have been busy), then fails for good
with the reason, and its sender is told; the worker process is killed each time. Real worker, real limit: one far
too short for the worker even to load the model."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from inquiry.store import Store
from transcription.intake import IntakeLimits
from transcription.queue import TranscriptionService, TranscriptionSettings
from transcription.synth import speak
from transcription.worker import JobTimeLimit, WorkerPool

pytestmark = pytest.mark.slow


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def store(tmp_path):
    opened = await Store.open(tmp_path / "timeouts.db")
    yield opened
    await opened.close()


async def test_a_job_that_times_out_twice_fails_for_good_with_its_reason(store, tmp_path):
    clock = Clock()
    failed = []

    async def told(job):
        failed.append(job)

    pool = WorkerPool(time_limit=JobTimeLimit(floor=0.2, per_audio_second=0.0, extra=0.0))
    service = TranscriptionService(
        store=store,
        media_dir=tmp_path / "media",
        clock=clock,
        settings=TranscriptionSettings(limits=IntakeLimits(min_free_bytes=0)),
        pool=pool,
    )
    service.on_failed.append(told)
    data = speak("The lunch club met every Tuesday.", tmp_path / "said.wav").read_bytes()
    received = await service.receive(data, "said.wav", "audio/wav", message_id=1, user_id=7)
    try:
        assert await service.run_ready() == 1
        job = await store.media.job(received.job.id)
        assert (job.state, job.attempts) == ("queued", 1)
        assert "took longer than its time limit" in job.error
        assert failed == [] and pool.worker_pids() == []

        clock.now += timedelta(minutes=1)
        assert await service.run_ready() == 1
        job = await store.media.job(received.job.id)
        assert (job.state, job.attempts) == ("failed", 2)
        assert "took longer than its time limit" in job.error and "tried 2 times" in job.error
        assert [j.id for j in failed] == [job.id]
        assert (await store.media.item(received.item.id)).status == "failed"
    finally:
        pool.close()
