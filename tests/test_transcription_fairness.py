"""The queue takes turns: one witness's many recordings cannot keep another's waiting behind them all. On the real
store's claim, and end to end with the real worker and Whisper model."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from inquiry.store import Store
from transcription.intake import IntakeLimits
from transcription.queue import TranscriptionService, TranscriptionSettings
from transcription.synth import speak

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PATIENT, BUSY, OTHER = 7, 8, 9


@pytest.fixture
async def store(tmp_path):
    opened = await Store.open(tmp_path / "fair.db")
    yield opened
    await opened.close()


async def queued(store, user_id: int, n: int, *, session_id: int | None = None) -> int:
    """A recording of its own file, queued as the queue queues it; returns its job."""
    async with store.transaction():
        sha = f"{user_id:02d}{n:062d}"
        media_id = await store.media.add_media(
            sha256=sha, path=f"{sha[:2]}/{sha}.ogg", filename=f"{n}.ogg", content_type=None, size=1, now=NOW
        )
        item_id = await store.media.add_item(
            media_id=media_id, kind="voice", now=NOW, user_id=user_id, session_id=session_id,
            discord_message_id=user_id * 1000 + n,
        )  # fmt: skip
        return await store.media.add_job(
            media_id=media_id, item_id=item_id, engine="faster-whisper", model="tiny.en", language=None,
            translate=False, now=NOW,
        )  # fmt: skip


async def run_all(store) -> list[int]:
    """Claim and finish jobs one at a time, as the single worker does; the owners in the order served."""
    order = []
    while True:
        async with store.transaction():
            job = await store.media.claim_job(NOW)
            if job is None:
                return order
            await store.media.finish_job(job.id, {"text": ""}, NOW)
        item = await store.media.item(job.item_id)
        order.append(item.user_id or -item.session_id)


async def test_ten_recordings_of_one_witness_do_not_hold_back_anothers(store):
    for n in range(10):
        await queued(store, BUSY, n)
    await queued(store, PATIENT, 0)
    order = await run_all(store)
    assert order.index(PATIENT) <= 1
    assert len(order) == 11


async def test_people_take_turns_and_each_ones_recordings_keep_their_order(store):
    jobs = {BUSY: [await queued(store, BUSY, n) for n in range(6)]}
    jobs[PATIENT] = [await queued(store, PATIENT, n) for n in range(2)]
    jobs[OTHER] = [await queued(store, OTHER, 0, session_id=3)]
    served = []
    while True:
        async with store.transaction():
            job = await store.media.claim_job(NOW)
            if job is None:
                break
            await store.media.finish_job(job.id, {"text": ""}, NOW)
        served.append(job.id)
    owner = {job: user for user, ids in jobs.items() for job in ids}
    assert [owner[j] for j in served][:5] == [BUSY, PATIENT, OTHER, BUSY, PATIENT]
    for ids in jobs.values():
        assert [j for j in served if j in ids] == ids  # each one's own in the order sent


async def test_a_retry_waits_for_its_back_off_without_holding_anyone_up(store):
    first = await queued(store, BUSY, 0)
    async with store.transaction():
        assert (await store.media.claim_job(NOW)).id == first
        await store.media.retry_job(first, "crashed", NOW + timedelta(minutes=2), NOW)
    await queued(store, PATIENT, 0)
    async with store.transaction():
        assert (await store.media.item((await store.media.claim_job(NOW)).item_id)).user_id == PATIENT
        assert await store.media.claim_job(NOW) is None  # the retry is not due yet
        assert (await store.media.claim_job(NOW + timedelta(minutes=3))).id == first


@pytest.mark.slow
async def test_with_the_real_worker_the_other_witness_is_served_second_at_the_latest(store, tmp_path):
    done = []

    async def finished(job):
        done.append((await store.media.item(job.item_id)).user_id)

    service = TranscriptionService(
        store=store,
        media_dir=tmp_path / "media",
        clock=lambda: NOW,
        settings=TranscriptionSettings(limits=IntakeLimits(pending_per_person=0, files_per_hour=0, min_free_bytes=0)),
    )
    service.on_done.append(finished)
    for n in range(10):
        data = speak(f"Clip number {n + 1}.", tmp_path / f"busy-{n}.wav").read_bytes()
        await service.receive(data, f"busy-{n}.wav", "audio/wav", message_id=n, user_id=BUSY)
    data = speak("A short answer from someone else.", tmp_path / "patient.wav").read_bytes()
    await service.receive(data, "patient.wav", "audio/wav", message_id=99, user_id=PATIENT)
    try:
        assert await service.run_ready() == 11
    finally:
        service.pool.close()
    assert done.index(PATIENT) <= 1, done
