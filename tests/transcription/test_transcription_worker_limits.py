"""A transcription job has a wall-clock limit: past it the worker process is killed, the job goes back to the
queue with the reason, and the next job gets a fresh worker. Tested with a real, genuinely slow job: the
openai-whisper engine on two minutes of speech, against a limit of a few seconds."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from inquiry.store import Store
from transcription.queue import TranscriptionService, TranscriptionSettings
from transcription.synth import silence, speak, write_media
from transcription.worker import JobSpec, JobTimeLimit, WorkerPool


def test_the_limit_grows_with_the_media_and_has_a_floor():
    limit = JobTimeLimit(floor=60.0, per_audio_second=3.0, extra=120.0)
    assert limit.seconds(5.0) == 180.0
    assert limit.seconds(600.0) == 1920.0
    pool = WorkerPool(time_limit=limit)
    spec = JobSpec(1, "db", "f.ogg", "faster-whisper", "tiny.en", None, False, 1, max_seconds=7200.0)
    assert pool.limit_for(spec) == limit.seconds(7200.0)  # length unknown: the longest a file may be
    assert pool.limit_for(replace(spec, duration=10.0)) == 180.0
    assert pool.limit_for(replace(spec, duration=30.0)) == 210.0


@pytest.fixture
async def store(tmp_path):
    opened = await Store.open(tmp_path / "jobs.db")
    yield opened
    await opened.close()


@pytest.fixture(scope="module")
def two_minutes(tmp_path_factory, english_samples) -> bytes:
    """The passage again and again with short pauses: two minutes of speech, as FLAC."""
    pause = silence(1.0)
    samples = np.concatenate([english_samples, pause] * 16)[: 120 * 16_000]
    return write_media(tmp_path_factory.mktemp("long") / "long.flac", samples).read_bytes()


@pytest.mark.slow
async def test_a_job_past_its_limit_is_stopped_and_retried_and_the_next_gets_a_new_worker(store, tmp_path, two_minutes):
    clock = lambda: datetime(2026, 1, 1, 9, 0, tzinfo=UTC)  # noqa: E731
    pool = WorkerPool()
    queue = TranscriptionService(
        store=store,
        media_dir=tmp_path / "media",
        clock=clock,
        settings=TranscriptionSettings(engine="openai-whisper", model="tiny.en"),
        pool=pool,
    )
    short = speak("Digital exclusion was the biggest barrier we faced.", tmp_path / "short.wav").read_bytes()
    warm = await queue.receive(short, "short.wav", "audio/wav", message_id=1, user_id=7)
    assert await queue.run_ready() == 1  # loads the model in the worker: the next job is all transcription
    assert (await store.media.job(warm.job.id)).state == "done"
    first_worker = pool.worker_pids()

    pool.time_limit = JobTimeLimit(floor=3.0, per_audio_second=0.0, extra=0.0)
    slow = await queue.receive(two_minutes, "long.flac", "audio/flac", message_id=2, user_id=7)
    assert await queue.run_ready() == 1
    job = await store.media.job(slow.job.id)
    assert job.state == "queued" and job.attempts == 1
    assert "took longer than its time limit (3 seconds) and was stopped" in job.error
    assert job.progress < 1.0
    assert pool.worker_pids() == []
    assert not any(_alive(pid) for pid in first_worker)

    pool.time_limit = JobTimeLimit()
    other = speak("Volunteers kept the lunch club going.", tmp_path / "other.wav").read_bytes()
    after = await queue.receive(other, "other.wav", "audio/wav", message_id=3, user_id=7)
    assert await queue.run_ready() == 1  # the stopped job waits for its back-off; this one runs now
    assert (await store.media.job(after.job.id)).state == "done"
    assert pool.worker_pids() and pool.worker_pids() != first_worker
    pool.close()


def _alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "zombie" not in status.read_text()
