"""Taking files in safely, with the real store, the real probe (in its own process) and the real media folder:
a refused file leaves nothing behind; each person's limits (files an hour, bytes a day, recordings waiting) with
a refusal that says the limit and when; a free-disk guard; a file taken from a path without reading it into
memory; and a sweep of what nothing refers to."""

from __future__ import annotations

import hashlib
import os
import time
import tracemalloc
import wave
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from inquiry.store import Store
from transcription.intake import INCOMING, IntakeLimits, limit_refusal
from transcription.queue import DiskFull, LimitReached, MediaRefused, TranscriptionService, TranscriptionSettings
from transcription.synth import tone, write_media

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NO_LIMITS = IntakeLimits(files_per_hour=0, bytes_per_day=0, pending_per_person=0, min_free_bytes=0)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def store(tmp_path):
    opened = await Store.open(tmp_path / "intake.db")
    yield opened
    await opened.close()


def queue(store, tmp_path, clock=None, **limits) -> TranscriptionService:
    settings = TranscriptionSettings(limits=replace(NO_LIMITS, **limits))
    return TranscriptionService(store=store, media_dir=tmp_path / "media", clock=clock or Clock(), settings=settings)


def sound(tmp_path, hz: float) -> bytes:
    """A second of tone as WAV: the same frequency gives the same bytes, another gives another file."""
    return write_media(tmp_path / f"tone-{hz:g}.wav", tone(1.0, hz)).read_bytes()


def files(folder) -> list:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


async def count(store, table: str) -> int:
    return (await store.fetch_one(f"SELECT count(*) FROM {table}"))[0]


async def send(service, data: bytes, n: int, user_id: int = 7, **where):
    return await service.receive(data, f"clip-{n}.wav", "audio/wav", message_id=n, user_id=user_id, **where)


async def test_a_refused_file_leaves_nothing_on_disk_or_in_the_store(store, tmp_path):
    service = queue(store, tmp_path)
    with pytest.raises(MediaRefused, match=r"I could not take broken\.ogg"):
        await service.receive(b"OggS" + bytes(range(256)) * 40, "broken.ogg", "audio/ogg", message_id=1, user_id=7)
    service.settings.max_seconds = 0.5
    with pytest.raises(MediaRefused, match="longer than"):
        await send(service, sound(tmp_path, 440), 2)
    assert files(tmp_path / "media") == []
    assert await count(store, "media") == 0 and await count(store, "media_items") == 0

    service.settings.max_seconds = 60
    kept = await send(service, sound(tmp_path, 440), 3)
    assert files(tmp_path / "media") == [service.path_of(kept.media)]  # only what was accepted, in the store
    assert service.path_of(kept.media).read_bytes() == sound(tmp_path, 440)


async def test_files_an_hour_are_limited_and_the_refusal_says_when(store, tmp_path):
    clock = Clock()
    service = queue(store, tmp_path, clock, files_per_hour=3)
    for n in range(3):
        clock.now += timedelta(minutes=10)
        await send(service, sound(tmp_path, 300 + n), n)
    clock.now += timedelta(minutes=5)  # 35 minutes after the start; the first file was sent 25 minutes ago
    with pytest.raises(LimitReached) as refused:
        await send(service, sound(tmp_path, 400), 10)
    assert "You have sent 3 files in the last hour, the most I take from one person in an hour" in str(refused.value)
    assert "You can send another in about 35 minutes" in str(refused.value)
    assert len(files(tmp_path / "media")) == 3

    await send(service, sound(tmp_path, 400), 11, user_id=8)  # someone else is not held back
    clock.now += timedelta(minutes=36)
    await send(service, sound(tmp_path, 400), 12)  # the first file has left the window


async def test_refused_files_count_too(store, tmp_path):
    service = queue(store, tmp_path, files_per_hour=2)
    for n in range(2):
        with pytest.raises(MediaRefused, match="not audio or video"):
            await service.receive(b"hello, not a recording", f"x{n}.wav", "audio/wav", message_id=n, user_id=7)
    with pytest.raises(LimitReached, match="2 files in the last hour"):
        await send(service, sound(tmp_path, 440), 5)


async def test_bytes_a_day_are_limited(store, tmp_path):
    clock = Clock()
    size = len(sound(tmp_path, 300))
    service = queue(store, tmp_path, clock, bytes_per_day=int(size * 2.5))
    await send(service, sound(tmp_path, 300), 1)
    clock.now += timedelta(hours=3)
    await send(service, sound(tmp_path, 301), 2)
    clock.now += timedelta(hours=1)
    with pytest.raises(LimitReached) as refused:
        await send(service, sound(tmp_path, 302), 3)
    assert "in the last 24 hours" in str(refused.value)
    assert "the most I take from one person in a day. You can send it in about 20 hours" in str(refused.value)
    clock.now += timedelta(hours=20, minutes=1)
    await send(service, sound(tmp_path, 302), 4)


async def test_recordings_waiting_are_limited_per_person(store, tmp_path):
    service = queue(store, tmp_path, pending_per_person=2)
    first = await send(service, sound(tmp_path, 300), 1)
    await send(service, sound(tmp_path, 301), 2)
    with pytest.raises(LimitReached, match="You have 2 recordings waiting to be transcribed"):
        await send(service, sound(tmp_path, 302), 3)
    async with store.transaction():  # the worker takes one and finishes it, as the queue records it
        claimed = await store.media.claim_job(NOW)
        assert claimed.id == first.job.id
        await store.media.finish_job(claimed.id, {"text": ""}, NOW)
        await store.media.advance_item(claimed.item_id, "transcribed")
    await send(service, sound(tmp_path, 302), 4)


async def test_a_sessions_recordings_are_not_counted_against_anyone(store, tmp_path):
    service = queue(store, tmp_path, files_per_hour=1, pending_per_person=1)
    for n in range(3):
        await service.receive(sound(tmp_path, 300 + n), f"track-{n}.wav", None, session_id=5)
    assert await count(store, "media_intake") == 0


async def test_new_media_are_refused_while_the_disk_is_nearly_full(store, tmp_path):
    service = queue(store, tmp_path)
    free = os.statvfs(tmp_path).f_bavail * os.statvfs(tmp_path).f_frsize
    service.settings.limits = IntakeLimits(min_free_bytes=free + 1024**3)  # the margin is more than is free
    with pytest.raises(DiskFull, match="almost out of disk space"):
        await send(service, sound(tmp_path, 440), 1)
    assert files(tmp_path / "media") == [] and await count(store, "media") == 0
    service.settings.limits = IntakeLimits(min_free_bytes=max(0, free - 1024**3))
    await send(service, sound(tmp_path, 440), 2)


async def test_a_file_on_disk_is_moved_in_and_hashed_without_being_read_into_memory(store, tmp_path):
    upload = tmp_path / "upload.part"
    with wave.open(str(upload), "wb") as out:  # 40 MB of silence, written a second at a time
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        for _ in range(1250):
            out.writeframes(bytes(32_000))
    size = upload.stat().st_size
    digest = hashlib.sha256(upload.read_bytes()).hexdigest()
    service = queue(store, tmp_path)
    tracemalloc.start()
    try:
        received = await service.receive_path(upload, "statement.wav", "audio/wav", user_id=7, submission_id=None)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024, peak  # a megabyte at a time, never the 40 MB
    assert not upload.exists()
    assert received.media.sha256 == digest and received.media.size_bytes == size
    assert service.path_of(received.media).stat().st_size == size
    assert received.job.state == "queued" and received.item.kind == "audio"


async def test_a_file_on_disk_refused_for_its_sender_limits_is_left_where_it_is(store, tmp_path):
    service = queue(store, tmp_path, pending_per_person=1)
    await send(service, sound(tmp_path, 300), 1)
    upload = tmp_path / "upload.wav"
    upload.write_bytes(sound(tmp_path, 301))
    with pytest.raises(LimitReached):
        await service.receive_path(upload, "upload.wav", "audio/wav", user_id=7)
    assert upload.exists()
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF but not a sound")
    with pytest.raises(MediaRefused):
        await service.receive_path(broken, "broken.wav", "audio/wav", user_id=8)
    assert not broken.exists()  # taken in for checking, then deleted
    assert len(files(tmp_path / "media")) == 1


async def test_the_sweep_removes_files_and_rows_nothing_refers_to(store, tmp_path):
    clock = Clock()
    service = queue(store, tmp_path, clock)
    kept = await send(service, sound(tmp_path, 300), 1)
    media = tmp_path / "media"
    hour_ago = time.time() - 2 * 3600
    stray = media / "ab" / ("ab" * 32 + ".ogg")  # a file from before (refused, or an interrupted arrival)
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"x")
    os.utime(stray, (hour_ago, hour_ago))
    staged = media / INCOMING / "tmp123.wav"
    staged.write_bytes(b"x")
    os.utime(staged, (hour_ago, hour_ago))
    arriving = media / "cd" / ("cd" * 32 + ".wav")  # just written: it may be arriving now
    arriving.parent.mkdir(parents=True, exist_ok=True)
    arriving.write_bytes(b"x")
    document = media / "documents" / "ef" / ("ef" * 32 + ".pdf")  # another feature's originals: not touched
    document.parent.mkdir(parents=True, exist_ok=True)
    document.write_bytes(b"x")
    os.utime(document, (hour_ago, hour_ago))
    orphan = await send(service, sound(tmp_path, 301), 2)
    async with store.transaction():  # its item went with a draft deleted by an older version
        await store.execute("DELETE FROM transcription_jobs WHERE item_id = ?", (orphan.item.id,))
        await store.execute("DELETE FROM media_items WHERE id = ?", (orphan.item.id,))
        await store.media_intake.add(user_id=9, size=1, now=NOW - timedelta(days=3))

    first = await service.sweep()  # the orphan row is not an hour old yet
    assert first.media_rows == 0 and first.files == 2 and first.intake_rows == 1
    clock.now += timedelta(hours=2)
    second = await service.sweep()
    assert second.media_rows == 1
    assert not stray.exists() and not staged.exists() and not service.path_of(orphan.media).exists()
    assert arriving.exists() and document.exists() and service.path_of(kept.media).exists()
    assert await store.media.media(orphan.media.id) is None and await store.media.media(kept.media.id) is not None


def test_the_refusals_say_the_limit_and_when():
    limits = IntakeLimits(files_per_hour=2, bytes_per_day=3 * 1024 * 1024, pending_per_person=5)
    sent = [(NOW - timedelta(minutes=50), 1024 * 1024), (NOW - timedelta(minutes=5), 1024 * 1024)]
    assert "in about 10 minutes" in limit_refusal(sent, 0, 10, NOW, limits)
    day = [(NOW - timedelta(hours=23), 2 * 1024 * 1024), (NOW - timedelta(hours=2), 1024 * 1024)]
    refusal = limit_refusal(day, 0, 1024 * 1024, NOW, limits)
    assert "You have sent 3 MB in the last 24 hours; this file (1 MB) would take you past 3 MB" in refusal
    assert "You can send it in about 60 minutes" in refusal
    assert "more than the 3 MB a day" in limit_refusal([], 0, 4 * 1024 * 1024, NOW, limits)
    assert "1 recording waiting" in limit_refusal([], 1, 1, NOW, IntakeLimits(pending_per_person=1))
    assert limit_refusal(sent[1:], 4, 10, NOW, limits) is None
