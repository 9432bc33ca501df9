"""Documents built in a process of their own: the same document as in-process, errors brought back, and a
builder that stalls (here a pattern with nested repeats backtracking over capitals, which holds the GIL) is
killed at its time limit while the event loop carries on."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import time
from pathlib import Path

import pytest
from export_samples import all_xml, answer_to, minutes_doc, submission, transcript_doc, volume_doc

from exports import Redaction, build_evidence_volume, build_minutes, build_transcript
from exports.isolated import ExportCrashed, ExportTimeout, RemoteTraceback, run_isolated

# Place names with nested repeats: on a long run of capitals it backtracks for hours, holding the GIL.
CATASTROPHIC = r"^,?\s*(?:[A-Z][A-Za-z'-]+(?:\s+[A-Z][A-Za-z'-]+)*,?\s*){0,3}$"
STALL = ("A" * 5_000) + "1"


class _Ticker:
    """A task sleeping 5 ms at a time that records how late each wake-up is."""

    def __init__(self) -> None:
        self.ticks = 0
        self.worst_lateness = 0.0
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0.005)
            self.worst_lateness = max(self.worst_lateness, time.perf_counter() - before - 0.005)
            self.ticks += 1

    async def stop(self) -> None:
        self._task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await self._task


def _children() -> set[int]:
    """The process ids of this process's children (Linux: /proc)."""
    found = set()
    for children in Path(f"/proc/{os.getpid()}/task").glob("*/children"):
        found.update(int(pid) for pid in children.read_text().split())
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def test_the_evidence_volume_built_in_its_own_process_is_the_same_document():
    doc = volume_doc()

    isolated = await run_isolated(build_evidence_volume, doc, time_limit=120)

    here = build_evidence_volume(doc)
    assert all_xml(isolated.data) == all_xml(here.data)
    assert isolated.redactions == here.redactions and isolated.redactions


async def test_minutes_and_transcripts_build_in_their_own_process():
    minutes = await run_isolated(build_minutes, minutes_doc(), time_limit=120)
    transcript = await run_isolated(build_transcript, transcript_doc(), time_limit=120)

    assert all_xml(minutes) == all_xml(build_minutes(minutes_doc()))
    assert all_xml(transcript) == all_xml(build_transcript(transcript_doc()))


async def test_a_stalled_builder_is_killed_at_its_time_limit_while_the_loop_keeps_running():
    ticker = _Ticker()
    started = time.perf_counter()

    with pytest.raises(ExportTimeout) as stopped:
        await run_isolated(re.fullmatch, CATASTROPHIC, STALL, time_limit=1.5)

    waited = time.perf_counter() - started
    await ticker.stop()
    assert 1.5 <= waited < 30  # stopped at the limit, not when the pattern gave up (hours later)
    assert not _alive(stopped.value.pid)
    assert "took longer than 1.5 s" in str(stopped.value)
    # In 1.5 s a 5 ms sleeper wakes up about 300 times; a loop blocked by the stall would wake it about once.
    # 30 wake-ups and no wake-up a second late allow for a slow, busy machine.
    assert ticker.ticks >= 30
    assert ticker.worst_lateness < 1.0


async def test_cancelling_the_export_kills_its_process():
    before = _children()
    task = asyncio.create_task(run_isolated(re.fullmatch, CATASTROPHIC, STALL, time_limit=600))
    for _ in range(200):
        await asyncio.sleep(0.05)
        started = _children() - before
        if started:
            break
    [pid] = started

    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    assert not _alive(pid)


async def test_the_builders_exception_is_raised_here_with_the_workers_traceback():
    with pytest.raises(ValueError, match="invalid literal") as raised:
        await run_isolated(int, "not a number", time_limit=60)

    assert isinstance(raised.value.__cause__, RemoteTraceback)
    assert "Traceback" in str(raised.value.__cause__)


async def test_a_process_that_dies_without_a_result_is_reported():
    with pytest.raises(ExportCrashed, match="code 3"):
        await run_isolated(os._exit, 3, time_limit=60)


async def test_the_builders_log_records_come_back(caplog):
    missing = Redaction(2, "words that are not there", "third party")
    doc = volume_doc([submission("SCI0004", "Ann Other", [answer_to(2, "Plain answer.")], redactions=[missing])])

    with caplog.at_level(logging.INFO):
        result = await run_isolated(build_evidence_volume, doc, time_limit=120)

    assert result.unapplied == [("SCI0004", missing)]
    [warning] = [r for r in caplog.records if r.name == "exports.evidence" and r.levelno == logging.WARNING]
    assert "SCI0004: the redacted passage was not found in Q2" in warning.getMessage()
