"""Probing runs in a separate, limited process: its crash, its limits and its clock are refusals for the sender,
never an exception for the bot; it sees none of the bot's environment and does not outlive its caller."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import signal
from pathlib import Path

import pytest
from transcription_fixtures import NO_LIMIT

from transcription import MediaError, probe_media
from transcription.hostile import encode_short, repeat_packets
from transcription.probe import DAMAGED, inspect_media
from transcription.sandbox import TOO_BIG, TOO_SLOW, ProbeLimits, probe_file_isolated
from transcription.synth import silence


@pytest.fixture(scope="module")
def slow_to_count(tmp_path_factory) -> Path:
    """Ten hours of quiet Opus in small packets: counting them all takes the probing process about a second."""
    folder = tmp_path_factory.mktemp("slow")
    return repeat_packets(encode_short(folder / "quiet.webm", silence(2.0)), folder / "long.webm", 36_000.0)


def test_the_isolated_probe_finds_what_the_probe_finds(english):
    for path in (english[".ogg"], english["video.mp4"]):
        assert probe_media(path, **NO_LIMIT) == inspect_media(path, **NO_LIMIT)


async def test_the_async_probe_finds_the_same_without_blocking(english):
    ticks = 0

    async def ticking():
        nonlocal ticks
        while True:
            await asyncio.sleep(0.005)
            ticks += 1

    clock = asyncio.create_task(ticking())
    info = await probe_file_isolated(english[".webm"], **NO_LIMIT)
    clock.cancel()
    assert info == inspect_media(english[".webm"], **NO_LIMIT)
    assert ticks > 1  # the event loop ran while the other process probed


async def test_a_crash_while_probing_is_a_refusal_and_the_environment_stays_behind(slow_to_count, monkeypatch):
    monkeypatch.setenv("EVIDENCE_BOT_TOKEN", "not-for-the-probe")
    probing = asyncio.create_task(probe_file_isolated(slow_to_count, **NO_LIMIT))
    pid = await _probing_child()
    environment = _environment_of(pid)
    os.kill(pid, signal.SIGSEGV)  # what a bug in a demuxer does
    with pytest.raises(MediaError) as caught:
        await probing
    assert caught.value.reason == DAMAGED
    assert b"EVIDENCE_BOT_TOKEN" not in environment and b"not-for-the-probe" not in environment
    assert _probing_children() == []


async def test_the_cpu_limit_signal_is_a_refusal(slow_to_count):
    probing = asyncio.create_task(probe_file_isolated(slow_to_count, **NO_LIMIT))
    os.kill(await _probing_child(), signal.SIGXCPU)  # what RLIMIT_CPU sends at its soft limit
    with pytest.raises(MediaError) as caught:
        await probing
    assert caught.value.reason == TOO_SLOW


async def test_the_wall_clock_limit_kills_the_probe(slow_to_count):
    with pytest.raises(MediaError) as caught:
        await probe_file_isolated(slow_to_count, **NO_LIMIT, limits=ProbeLimits(wall_seconds=0.3))
    assert caught.value.reason == TOO_SLOW
    assert _probing_children() == []


def test_the_wall_clock_limit_kills_the_blocking_probe_too(slow_to_count):
    with pytest.raises(MediaError) as caught:
        probe_media(slow_to_count, **NO_LIMIT, limits=ProbeLimits(wall_seconds=0.3))
    assert caught.value.reason == TOO_SLOW
    assert _probing_children() == []


async def test_cancelling_the_probe_kills_it(slow_to_count):
    probing = asyncio.create_task(probe_file_isolated(slow_to_count, **NO_LIMIT))
    pid = await _probing_child()
    probing.cancel()
    with pytest.raises(asyncio.CancelledError):
        await probing
    assert not _alive(pid)


def test_the_memory_limit_is_a_refusal(voice_message):
    # The interpreter and FFmpeg alone take more than this: the first allocation for the file fails.
    with pytest.raises(MediaError) as caught:
        probe_media(voice_message, **NO_LIMIT, limits=ProbeLimits(memory_bytes=64 * 1024 * 1024))
    assert caught.value.reason == TOO_BIG
    assert probe_media(voice_message, **NO_LIMIT, limits=ProbeLimits(memory_bytes=512 * 1024 * 1024)).has_audio


def _probing_children() -> list[int]:
    """This process's children that run the probe (found in /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if parent == os.getpid() and b"transcription.sandbox" in command:
            found.append(int(entry.name))
    return found


def _environment_of(pid: int) -> bytes:
    return Path(f"/proc/{pid}/environ").read_bytes()


def _alive(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists()


async def _probing_child() -> int:
    for _ in range(2000):
        children = _probing_children()
        if children:
            return children[0]
        await asyncio.sleep(0.002)
    raise AssertionError("no probing process was started")


def test_an_answer_that_does_not_add_up_is_not_believed(voice_message):
    """The answer comes from a process that read a hostile file: malformed or over-the-limit findings refuse."""
    from transcription.sandbox import _outcome, _within

    good = inspect_media(voice_message, **NO_LIMIT)
    fields = json.dumps({"info": dataclasses.asdict(good)}).encode()
    assert _outcome(voice_message, 0, fields, b"") == good
    for forged in (b'{"info": {"duration": "long"}}', b'{"info": 3}', b"not json", b""):
        with pytest.raises(MediaError) as caught:
            _outcome(voice_message, 0, forged, b"")
        assert caught.value.reason == DAMAGED
    with pytest.raises(MediaError, match="longer than the 3-second limit"):
        _within(good, NO_LIMIT["max_bytes"], 3.0)
    with pytest.raises(MediaError, match="larger than the 1 KB limit"):
        _within(good, 1024, NO_LIMIT["max_seconds"])
