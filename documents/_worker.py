"""The child side of :mod:`documents.isolated`: limit this process, read one document, print the result as JSON.

The request comes on standard input: one line of JSON (file name, size limit, resource limits, and a path or
none), then the file's bytes when no path is given. The answer is one JSON object on standard output:
``{"document": {...}}`` or ``{"refused": {"reason": ..., "message": ...}}``.
"""

from __future__ import annotations

import json
import logging
import resource
import sys


def _limit(memory_bytes: int, cpu_seconds: int) -> None:
    _set(resource.RLIMIT_AS, memory_bytes, memory_bytes)
    _set(resource.RLIMIT_CPU, cpu_seconds, cpu_seconds + 5)
    _set(resource.RLIMIT_FSIZE, 0, 0)  # it reads; it never writes a file
    _set(resource.RLIMIT_CORE, 0, 0)


def _set(which: int, soft: int, hard: int) -> None:
    """Lower a limit, never above the hard limit this process was given."""
    _, ceiling = resource.getrlimit(which)
    if ceiling != resource.RLIM_INFINITY:
        soft, hard = min(soft, ceiling), min(hard, ceiling)
    resource.setrlimit(which, (soft, hard))


def main() -> None:
    """Serve one request (see the module's docstring)."""
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # whatever a library prints must not mix with the answer
    request = json.loads(sys.stdin.buffer.readline())
    _limit(int(request["memory_bytes"]), int(request["cpu_seconds"]))
    logging.disable(logging.ERROR)  # a hostile PDF can make a parser warn without end; only the answer matters
    from documents.errors import DocumentRefused, Reason
    from documents.extract import extract_document

    max_bytes = int(request["max_bytes"])
    source = request.get("path") or sys.stdin.buffer.read(max_bytes + 1)
    try:
        document = extract_document(source, request.get("filename"), max_bytes=max_bytes)
        answer = {"document": document.to_dict()}
    except DocumentRefused as refusal:
        answer = {"refused": {"reason": refusal.reason.value, "message": refusal.message}}
    except MemoryError:
        answer = {"refused": {"reason": Reason.TOO_COMPLEX.value, "message": "The document is too complex to read."}}
    out.write(json.dumps(answer).encode("utf-8"))
    out.flush()


if __name__ == "__main__":
    main()
