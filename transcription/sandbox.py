"""Probe a media file in a separate process with limited memory, CPU time and wall-clock time.

A file sent as evidence is hostile until proven otherwise: FFmpeg's demuxers and decoders are large C programs,
and a crafted file can crash them, loop, or ask for all the memory there is. So the bot never reads a file in its
own process: :func:`probe_isolated` (blocking, for the worker and the command line) and
:func:`probe_file_isolated` (awaitable, for the bot) run :func:`transcription.probe.inspect_media` in a fresh
Python process that first limits itself (address space, CPU seconds, no files written, no core dumps; killed if
its parent dies) and is killed when the wall-clock limit passes. The process gets the file's path and none of the
bot's environment (no token).

Whatever happens in there comes back as :class:`MediaError` with a reason for the sender: the probe's own
refusal; "this file took too long to read" (wall clock or CPU limit); "this file needs too much memory to read";
a crash reads as a damaged file.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import os
import resource
import signal
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import MediaError
from .probe import DAMAGED, MediaInfo, describe_bytes, inspect_media, too_long

log = logging.getLogger(__name__)

TOO_SLOW = "this file took too long to read"
TOO_BIG = "this file needs too much memory to read"
NOT_NOW = "the file could not be checked just now; please send it again later"
_ROOT = str(Path(__file__).resolve().parents[1])
_CHILD = f"import sys; sys.path.insert(0, {_ROOT!r}); from transcription.sandbox import main; sys.exit(main())"
# What the probing process may see of the environment: no tokens or other settings.
_KEPT_ENVIRONMENT = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "HOME")
_ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True, slots=True)
class ProbeLimits:
    """What the probing process may use: address space in bytes (the interpreter and FFmpeg take about 250 MB
    of it before the file is opened), CPU seconds once started, and seconds of wall-clock time in all."""

    memory_bytes: int = 1024 * 1024 * 1024
    cpu_seconds: int = 30
    wall_seconds: float = 60.0


DEFAULT_LIMITS = ProbeLimits()


def probe_media(
    path: str | os.PathLike[str], *, max_bytes: int, max_seconds: float, limits: ProbeLimits | None = None
) -> MediaInfo:
    """Check ``path`` in a separate process with limited memory, CPU and time (see :func:`inspect_media` for
    what is checked); say what it holds. Blocks until that process ends: from async code, await
    :func:`probe_file_isolated` instead.

    Raises :class:`MediaError` for a bad file, and also when reading it crashed or went over the limits.
    """
    return probe_isolated(path, max_bytes=max_bytes, max_seconds=max_seconds, limits=limits)


def probe_isolated(
    path: str | os.PathLike[str], *, max_bytes: int, max_seconds: float, limits: ProbeLimits | None = None
) -> MediaInfo:
    """Probe ``path`` in a limited process and wait for it (blocking); raise :class:`MediaError` to refuse."""
    limits = limits or DEFAULT_LIMITS
    request = _request(path, max_bytes, max_seconds, limits)
    try:
        done = subprocess.run(
            _command(),
            input=request,
            capture_output=True,
            timeout=limits.wall_seconds,
            env=_environment(),
            close_fds=True,
            check=False,
        )
    except subprocess.TimeoutExpired as error:  # subprocess.run has killed it
        log.warning("probe of %s stopped after %g s", Path(path).name, limits.wall_seconds)
        raise MediaError(TOO_SLOW) from error
    except OSError as error:
        log.error("could not start the probing process: %s", error)
        raise MediaError(NOT_NOW) from error
    return _within(_outcome(path, done.returncode, done.stdout, done.stderr), max_bytes, max_seconds)


async def probe_file_isolated(
    path: str | os.PathLike[str], *, max_bytes: int, max_seconds: float, limits: ProbeLimits | None = None
) -> MediaInfo:
    """Probe ``path`` in a limited process without blocking the event loop; raise :class:`MediaError` to
    refuse. Cancelling the call kills the process."""
    limits = limits or DEFAULT_LIMITS
    request = _request(path, max_bytes, max_seconds, limits)
    try:
        process = await asyncio.create_subprocess_exec(
            *_command(),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=_environment(),
            close_fds=True,
        )
    except OSError as error:
        log.error("could not start the probing process: %s", error)
        raise MediaError(NOT_NOW) from error
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(request), limits.wall_seconds)
    except TimeoutError as error:
        log.warning("probe of %s stopped after %g s", Path(path).name, limits.wall_seconds)
        raise MediaError(TOO_SLOW) from error
    finally:
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(process.wait())
    return _within(_outcome(path, process.returncode, stdout, stderr), max_bytes, max_seconds)


def _command() -> list[str]:
    return [sys.executable, "-I", "-c", _CHILD]


def _environment() -> dict[str, str]:
    kept = {name: os.environ[name] for name in _KEPT_ENVIRONMENT if name in os.environ}
    return {**kept, **_ONE_THREAD}


def _request(path: str | os.PathLike[str], max_bytes: int, max_seconds: float, limits: ProbeLimits) -> bytes:
    return json.dumps(
        {
            "path": str(Path(path).absolute()),
            "max_bytes": max_bytes,
            "max_seconds": max_seconds,
            "memory_bytes": limits.memory_bytes,
            "cpu_seconds": limits.cpu_seconds,
        }
    ).encode()


def _outcome(path: str | os.PathLike[str], returncode: int | None, stdout: bytes, stderr: bytes) -> MediaInfo:
    """The probing process's answer, or the refusal its end calls for."""
    name = Path(path).name
    if returncode == 0:
        try:
            answer = json.loads(stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            answer = None
        if isinstance(answer, dict) and "info" in answer:
            info = _info_from(answer["info"])
            if info is not None:
                return info
        if isinstance(answer, dict) and isinstance(answer.get("refused"), str):
            raise MediaError(answer["refused"])
    tail = stderr.decode("utf-8", "replace").strip()[-2000:]
    if returncode is not None and returncode < 0:
        stopped = signal.Signals(-returncode).name if -returncode in signal.valid_signals() else str(-returncode)
        log.warning("probe of %s ended by signal %s: %s", name, stopped, tail)
        if -returncode in (signal.SIGXCPU, signal.SIGKILL):
            raise MediaError(TOO_SLOW)
        raise MediaError(DAMAGED)
    log.warning("probe of %s failed (exit %s): %s", name, returncode, tail)
    raise MediaError(DAMAGED)


def _within(info: MediaInfo, max_bytes: int, max_seconds: float) -> MediaInfo:
    """The limits checked again on this side: the answer came from a process that read a hostile file."""
    if info.size_bytes > max_bytes:
        raise MediaError(f"the file is larger than the {describe_bytes(max_bytes)} limit")
    if info.duration > max_seconds:
        raise MediaError(too_long(max_seconds))
    return info


def _info_from(fields: object) -> MediaInfo | None:
    """The probe's findings, checked field by field (the process that sent them read a hostile file)."""
    types = {"duration": float, "has_audio": bool, "has_video": bool, "container": str, "size_bytes": int}
    optional = {"audio_codec": str, "declared_duration": float}
    if not isinstance(fields, dict) or set(fields) != set(types) | set(optional):
        return None
    for name, kind in {**types, **optional}.items():
        value = fields[name]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            fields[name] = value = float(value)
        if not (isinstance(value, kind) or (name in optional and value is None)):
            return None
    return MediaInfo(**fields)


def _limit_self(memory_bytes: int, cpu_seconds: int) -> None:
    """Apply the limits to this (probing) process; the file has not been opened yet."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu = math.ceil(used.ru_utime + used.ru_stime) + max(1, cpu_seconds)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))  # SIGXCPU at the soft limit, SIGKILL a second later
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    with contextlib.suppress(OSError, AttributeError):  # Linux: die with the parent
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def main() -> int:
    """The probing process: read the request on stdin, limit itself, probe, answer one JSON line on stdout."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    request = json.loads(sys.stdin.buffer.read())
    too_big = (json.dumps({"refused": TOO_BIG}) + "\n").encode()
    _limit_self(int(request["memory_bytes"]), int(request["cpu_seconds"]))
    try:
        info = inspect_media(request["path"], max_bytes=request["max_bytes"], max_seconds=request["max_seconds"])
        answer = {"info": asdict(info)}
    except MediaError as error:
        answer = {"refused": error.reason}
    except MemoryError:
        os.write(1, too_big)
        return 0
    os.write(1, (json.dumps(answer) + "\n").encode())
    return 0
