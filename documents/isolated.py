"""Reading a document in a child process with limits, so that a hostile file cannot hurt the bot.

The child is a fresh interpreter (``python -I``: no inherited state, no environment but ``PATH``, so no bot
token) that caps its own address space, CPU seconds and file writes before it imports a parser; the parent
waits without blocking the event loop and kills it past the wall-clock limit. Only JSON comes back.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import ASK_FOR_TEXT, DocumentRefused, Reason
from .model import Document
from .sniff import DEFAULT_MAX_BYTES, MB, read_source

log = logging.getLogger(__name__)

PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent)
BOOT = "import sys; sys.path.insert(0, sys.argv[1]); from documents._worker import main; main()"
MAX_CONCURRENT = 2
_gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = weakref.WeakKeyDictionary()


@dataclass(frozen=True, slots=True)
class Limits:
    """What one document may take: address space, CPU time, and time on the clock."""

    memory_bytes: int = 1536 * MB
    cpu_seconds: int = 60
    wall_seconds: float = 90.0


async def extract_document_isolated(
    source: bytes | str | os.PathLike,
    filename: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    count_words: Callable[[str], int] | None = None,
    limits: Limits | None = None,
) -> Document:
    """Read ``source`` (bytes, or a path) as :func:`documents.extract.extract_document` does, in a child
    process held to ``limits``. ``count_words`` runs here, on the text that comes back.

    Raises :class:`DocumentRefused`; a child that runs out of time or memory gives ``too_complex``.
    """
    limits = limits or Limits()
    request: dict = {
        "max_bytes": max_bytes,
        "memory_bytes": limits.memory_bytes,
        "cpu_seconds": limits.cpu_seconds,
    }
    if isinstance(source, bytes | bytearray | memoryview):
        payload = read_source(source, max_bytes)
        request["filename"] = filename
    else:
        path = await asyncio.to_thread(_checked_path, Path(source), max_bytes)
        request["path"] = str(path)
        request["filename"] = filename if filename is not None else path.name
        payload = b""
    async with _gate():
        answer = await _run(json.dumps(request).encode() + b"\n" + payload, limits)
    if "refused" in answer:
        refusal = answer["refused"]
        raise DocumentRefused(Reason(refusal["reason"]), str(refusal["message"]))
    document = Document.from_dict(answer["document"])
    if count_words is not None:
        document = document.counted(count_words)
        if document.word_count == 0:
            raise DocumentRefused(
                Reason.EMPTY, "The document has no words in it. Please check you sent the right file."
            )
    return document


def _checked_path(path: Path, max_bytes: int) -> Path:
    """``path`` made absolute, once its size is known to be within ``max_bytes``."""
    path = path.resolve()
    if not path.is_file():
        raise FileNotFoundError(path)
    size = path.stat().st_size
    if size > max_bytes or size == 0:
        read_source(path, max_bytes)  # raises the refusal with its message
    return path


def _gate() -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    gate = _gates.get(loop)
    if gate is None:
        gate = _gates[loop] = asyncio.Semaphore(MAX_CONCURRENT)
    return gate


async def _run(request: bytes, limits: Limits) -> dict:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-I",
        "-c",
        BOOT,
        PACKAGE_ROOT,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"},
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(request), limits.wall_seconds)
    except TimeoutError:
        process.kill()
        await process.wait()
        log.warning("document reader killed after %.0f s on the clock", limits.wall_seconds)
        raise _too_complex() from None
    except asyncio.CancelledError:
        process.kill()
        await process.wait()
        raise
    try:
        answer = json.loads(out) if out else None
    except ValueError:
        answer = None
    if process.returncode != 0 or not isinstance(answer, dict):
        log.warning(
            "document reader ended with %s: %s", process.returncode, err.decode("utf-8", "replace")[-500:].strip()
        )
        raise _too_complex()
    return answer


def _too_complex() -> DocumentRefused:
    return DocumentRefused(Reason.TOO_COMPLEX, f"The document took too long or too much memory to read. {ASK_FOR_TEXT}")
