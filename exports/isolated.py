"""Building a document in a process of its own, with a time limit, so that the bot never waits on it.

A builder is pure CPU work that holds the interpreter while it runs; in a thread it would still stop the event
loop (and the Discord gateway's heartbeat) whenever it holds the GIL. :func:`run_isolated` runs it in a fresh
Python process instead (``python -m exports._worker``), sends it the builder and its arguments pickled, and
awaits the pickled result without blocking the loop. When the time limit passes, the process is killed and
:class:`ExportTimeout` raised; when the task awaiting it is cancelled, the process is killed too.

The builder must be a top-level function (pickled by reference: the worker imports its module) and its
arguments and result must be picklable: the read-models of :mod:`exports.readmodels`, bytes,
:class:`exports.readmodels.ExportResult`. The worker's log records come back into this process's logging.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import pickle
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
_PROJECT = Path(__file__).resolve().parent.parent  # where the worker finds the exports package
_LOG_LINE = re.compile(r"(\d+):([\w.]+):(.*)")


class ExportTimeout(Exception):
    """A document took longer than its time limit to build; the process building it was killed."""

    def __init__(self, builder: str, seconds: float, pid: int) -> None:
        self.builder = builder
        self.seconds = seconds
        self.pid = pid
        super().__init__(f"{builder} took longer than {seconds:g} s and was stopped (process {pid})")


class ExportCrashed(Exception):
    """The process building a document ended without a result (killed from outside, out of memory, crashed)."""


class RemoteTraceback(Exception):
    """The traceback of an exception raised while building, as the worker printed it."""

    def __str__(self) -> str:
        return "\n" + self.args[0]


async def run_isolated(builder: Callable[..., T], *args: object, time_limit: float) -> T:
    """``builder(*args)`` in a separate process; its result, or its exception re-raised here.

    Raises :class:`ExportTimeout` after ``time_limit`` seconds (wall-clock, from the start of the process) and
    :class:`ExportCrashed` if the process dies without a result.
    """
    name = getattr(builder, "__qualname__", repr(builder))
    inner = await asyncio.to_thread(pickle.dumps, (builder, args), pickle.HIGHEST_PROTOCOL)
    level = logging.getLogger().getEffectiveLevel()
    payload = pickle.dumps((list(sys.path), level, inner), pickle.HIGHEST_PROTOCOL)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(_PROJECT), os.environ.get("PYTHONPATH")]))}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "exports._worker",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    log.debug("building %s in process %d (limit %g s)", name, process.pid, time_limit)
    try:
        async with asyncio.timeout(time_limit):
            out, err = await process.communicate(payload)
    except TimeoutError:
        await _kill(process)
        log.error("%s took longer than %g s: process %d killed", name, time_limit, process.pid)
        raise ExportTimeout(name, time_limit, process.pid) from None
    except BaseException:  # cancelled: the document is no longer wanted
        await _kill(process)
        raise
    _relay(err.decode("utf-8", "replace"))
    if process.returncode != 0 or not out:
        raise ExportCrashed(f"{name}: the process building it ended with code {process.returncode} and no result")
    status, value, trace = await asyncio.to_thread(_unpickle, out)
    if status == "error":
        raise value from RemoteTraceback(trace)
    return value


def _unpickle(blob: bytes) -> tuple:
    """The worker's reply, unpickled with the cyclic garbage collector paused: the many objects a result can
    hold (a redaction record per redaction) would otherwise set off full collections, each holding the GIL,
    and so the event loop, for tens of milliseconds. The reply's objects hold no cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(blob)
    finally:
        if enabled:
            gc.enable()


async def _kill(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()


def _relay(err: str) -> None:
    """The worker's log records (``level:logger:message``) into this process's logging; other output as is."""
    for line in err.splitlines():
        record = _LOG_LINE.fullmatch(line)
        if record:
            logging.getLogger(record[2]).log(int(record[1]), "%s", record[3])
        elif line.strip():
            log.warning("export process: %s", line)
