"""The process :func:`exports.isolated.run_isolated` builds a document in.

Reads ``(sys.path, log level, pickled (builder, args))`` pickled on standard input; writes ``("ok", result,
None)`` or ``("error", exception, traceback text)`` pickled on standard output. Anything else the builder
prints goes to standard error, with the log records (one line each, ``level:logger:message``).
"""

from __future__ import annotations

import logging
import os
import pickle
import sys
import traceback

log = logging.getLogger(__name__)


class _OneLine(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelno}:{record.name}:{' '.join(super().format(record).splitlines())}"


def main() -> int:
    """Build, reply, exit."""
    result_out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # print() in a builder must not corrupt the reply
    path, level, inner = pickle.loads(sys.stdin.buffer.read())
    sys.path[:0] = [entry for entry in path if entry not in sys.path]
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OneLine("%(message)s"))
    logging.basicConfig(level=level, handlers=[handler])
    try:
        builder, args = pickle.loads(inner)
        reply = pickle.dumps(("ok", builder(*args), None), pickle.HIGHEST_PROTOCOL)
    except BaseException as error:  # every failure goes back to the caller
        reply = _error_reply(error, traceback.format_exc())
    result_out.write(reply)
    result_out.flush()
    return 0


def _error_reply(error: BaseException, trace: str) -> bytes:
    """The exception pickled, or a RuntimeError naming it when it cannot be pickled and unpickled."""
    try:
        pickle.loads(pickle.dumps(error))
        return pickle.dumps(("error", error, trace), pickle.HIGHEST_PROTOCOL)
    except Exception:
        stand_in = RuntimeError(f"{type(error).__name__}: {error}")
        return pickle.dumps(("error", stand_in, trace), pickle.HIGHEST_PROTOCOL)


if __name__ == "__main__":
    sys.exit(main())
