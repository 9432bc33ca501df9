"""The durable queue with a real store and a real worker process: duplicates, restarts, crashes, poison."""

from __future__ import annotations

import asyncio
import os
import signal
from datetime import UTC, datetime, timedelta

import pytest

from inquiry.store import Store
from transcription.queue import MAX_ATTEMPTS, MediaRefused, TranscriptionService, TranscriptionSettings
from transcription.synth import speak, word_error_rate

pytestmark = pytest.mark.slow
SAID = "We found that digital exclusion was the biggest barrier for the people we support."
# tiny.en on this sentence as espeak-ng speech: 0.07 ("area" for "barrier") with AVX-512, AVX2 and generic int8
# kernels; the bound allows 4 words in 14 and fails a transcript of other speech or none.
WER_BOUND = 0.3


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
async def store(tmp_path):
    opened = await Store.open(tmp_path / "queue.db")
    yield opened
    await opened.close()


@pytest.fixture
def speech(tmp_path):
    return speak(SAID, tmp_path / "said.wav").read_bytes()


def service(store, tmp_path, clock, **settings) -> TranscriptionService:
    return TranscriptionService(
        store=store, media_dir=tmp_path / "media", clock=clock, settings=TranscriptionSettings(**settings)
    )


async def test_the_same_message_twice_is_one_item_and_one_job(store, tmp_path, speech):
    queue = service(store, tmp_path, Clock())
    first = await queue.receive(speech, "said.wav", "audio/wav", message_id=42, user_id=7)
    again = await queue.receive(speech, "said.wav", "audio/wav", message_id=42, user_id=7)
    assert again.item is None
    assert again.job.id == first.job.id
    other = await queue.receive(speech, "said.wav", "audio/wav", message_id=43, user_id=7)
    assert other.item.id != first.item.id
    assert other.job.id != first.job.id  # each recording has its own job (the file is still transcribed once)
    assert first.media.id == other.media.id
    queue.pool.close()


async def test_a_job_interrupted_by_a_restart_runs_after_it(store, tmp_path, speech):
    clock = Clock()
    before = service(store, tmp_path, clock)
    received = await before.receive(speech, "said.wav", "audio/wav", message_id=1, user_id=7)
    async with store.transaction():
        await store.media.claim_job(clock())  # it was running when the bot stopped
    before.pool.close()

    after = service(store, tmp_path, clock)
    assert await after.recover() == 1
    assert await after.run_ready() == 1
    job = await store.media.job(received.job.id)
    assert job.state == "done"
    assert word_error_rate(SAID, job.result["text"]) <= WER_BOUND, job.result["text"]
    assert 0 < job.result["compute_seconds"] < 600  # the worker's own time is kept with the transcript
    after.pool.close()


async def test_a_crashed_worker_is_replaced_and_the_job_retried(store, tmp_path, speech):
    clock = Clock()
    queue = service(store, tmp_path, clock)
    received = await queue.receive(speech, "said.wav", "audio/wav", message_id=1, user_id=7)
    running = asyncio.create_task(queue.run_ready())
    for _ in range(600):
        if queue.pool.worker_pids():
            break
        await asyncio.sleep(0.01)
    os.kill(queue.pool.worker_pids()[0], signal.SIGKILL)
    await running
    job = await store.media.job(received.job.id)
    assert job.state == "queued"
    assert job.attempts == 1
    assert "stopped unexpectedly" in job.error
    assert job.not_before > clock()

    assert await queue.run_ready() == 0  # not before its back-off
    clock.advance(minutes=1)
    assert await queue.run_ready() == 1
    assert (await store.media.job(received.job.id)).state == "done"
    queue.pool.close()


async def test_a_job_that_always_fails_fails_for_good_with_its_reason(store, tmp_path, speech):
    clock = Clock()
    failures = []
    queue = service(store, tmp_path, clock, model="no-such-model")

    async def failed(job):
        failures.append(job)

    queue.on_failed.append(failed)
    received = await queue.receive(speech, "said.wav", "audio/wav", message_id=1, user_id=7)
    for _ in range(MAX_ATTEMPTS):
        await queue.run_ready()
        clock.advance(minutes=10)
    job = await store.media.job(received.job.id)
    assert job.state == "failed"
    assert job.attempts == MAX_ATTEMPTS
    assert f"failed {MAX_ATTEMPTS} times" in job.error
    assert "no-such-model" in job.error
    assert [f.id for f in failures] == [job.id]
    assert (await store.media.item(received.item.id)).status == "failed"
    queue.pool.close()


async def test_files_over_the_limits_are_refused_before_anything_is_queued(store, tmp_path, speech):
    queue = service(store, tmp_path, Clock(), max_bytes=1000)
    with pytest.raises(MediaRefused, match="largest file I can take"):
        await queue.receive(speech, "said.wav", "audio/wav", message_id=1)
    queue = service(store, tmp_path, Clock(), max_seconds=1)
    with pytest.raises(MediaRefused, match=r"I could not take said\.wav"):
        await queue.receive(speech, "said.wav", "audio/wav", message_id=1)
    assert await store.media.pending_jobs() == 0
