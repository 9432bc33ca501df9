"""``evidence-bot transcribe FILE``: print the transcript of an audio or video file.

Exit codes: 0 done, 1 the file cannot be transcribed (not media, no sound, too long, ...) or the engine failed,
2 bad usage (unknown option, engine or model; a language the model does not speak). Errors are one line on
stderr, never a traceback.

The defaults (engine, model, threads, precision, beam) are :data:`transcription.settings.DEFAULT`, chosen by
measurement: see that module and benchmarks/results/transcription.md. The size and length limits are the bot's:
``EVIDENCE_BOT_MAX_MEDIA_MB`` and ``EVIDENCE_BOT_MAX_MEDIA_MINUTES`` (200 and 120 when unset), or ``--max-mb``
and ``--max-minutes``. The length is counted on the sound itself, not taken from the file's header, and the file
is first read in a separate, limited process (see :mod:`transcription.sandbox`).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from .errors import MediaError, SettingsError, TranscriptionError
from .formats import FORMATS, render
from .settings import DEFAULT, ENGINES

log = logging.getLogger(__name__)

PROG = "evidence-bot transcribe"
DEFAULT_MAX_MB = 200
DEFAULT_MAX_MINUTES = 120
MAX_MB_VARIABLE = "EVIDENCE_BOT_MAX_MEDIA_MB"
MAX_MINUTES_VARIABLE = "EVIDENCE_BOT_MAX_MEDIA_MINUTES"


class UsageError(Exception):
    """Bad command-line usage; the message is the one line to print."""


class _Parser(argparse.ArgumentParser):
    """argparse, but an error is raised as one line instead of printing usage and exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def build_parser(environ: Mapping[str, str] | None = None) -> argparse.ArgumentParser:
    """The ``transcribe`` subcommand's options; the limits default to the bot's settings in ``environ``
    (default ``os.environ``). A malformed limit in the environment raises :class:`UsageError`."""
    environ = os.environ if environ is None else environ
    max_mb = _limit_from(environ, MAX_MB_VARIABLE, DEFAULT_MAX_MB)
    max_minutes = _limit_from(environ, MAX_MINUTES_VARIABLE, DEFAULT_MAX_MINUTES)
    cli = _Parser(prog=PROG, description="Print the transcript of an audio or video file.")
    cli.add_argument("file", metavar="FILE", help="audio or video file (voice message, mp3, m4a, wav, mp4, ...)")
    cli.add_argument("--engine", choices=ENGINES, default=DEFAULT.engine, help=f"default {DEFAULT.engine}")
    cli.add_argument(
        "--model",
        default=DEFAULT.model,
        help=f"tiny.en (English only) or base (any language, translates); or a model folder (default {DEFAULT.model})",
    )
    cli.add_argument("--language", help="language code such as en or fr (default: detect)")
    cli.add_argument("--translate", action="store_true", help="also give an English translation (base model)")
    cli.add_argument("--format", choices=FORMATS, default="text", help="output format (default text)")
    cli.add_argument("--output", "-o", type=Path, help="write to this file instead of standard output")
    cli.add_argument("--threads", type=_positive, help=f"CPU threads (default {DEFAULT.threads})")
    cli.add_argument("--beam-size", type=_positive, help=f"1 is greedy decoding (default {DEFAULT.beam_size})")
    cli.add_argument(
        "--batch-size",
        type=_non_negative,
        help=f"faster-whisper: pieces decoded at once; 0 for finer segment times (default {DEFAULT.batch_size})",
    )
    cli.add_argument("--compute-type", help=f"faster-whisper weight precision (default {DEFAULT.compute_type})")
    cli.add_argument("--cache-dir", help="where converted openai-whisper checkpoints are kept")
    cli.add_argument(
        "--max-mb",
        type=_positive,
        default=max_mb,
        help=f"largest file accepted (default ${MAX_MB_VARIABLE}, else {DEFAULT_MAX_MB}; now {max_mb})",
    )
    cli.add_argument(
        "--max-minutes",
        type=_positive,
        default=max_minutes,
        help=f"longest sound accepted (default ${MAX_MINUTES_VARIABLE}, else {DEFAULT_MAX_MINUTES}; now {max_minutes})",
    )
    return cli


def _limit_from(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = (environ.get(name) or "").strip()
    if not raw:
        return default
    try:
        return _positive(raw)
    except argparse.ArgumentTypeError as error:
        raise UsageError(f"{name}: {error}") from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be 0 or more")
    return value


def main(argv: list[str] | None = None) -> int:
    """Run ``evidence-bot transcribe`` with ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    try:
        args = build_parser().parse_args(argv)
    except UsageError as error:
        return _fail(2, f"error: {error} (see --help)")
    except SystemExit as stop:  # --help
        return int(stop.code or 0)
    try:
        output = _transcribe(args)
    except MediaError as error:
        return _fail(1, f"{args.file}: {error.reason}")
    except SettingsError as error:
        return _fail(2, f"error: {error}")
    except TranscriptionError as error:
        return _fail(1, f"transcription failed: {error}")
    except KeyboardInterrupt:
        return _fail(130, "interrupted")
    except Exception as error:  # a bug or an engine crash: one line for the user, the traceback in the log
        log.debug("transcription of %s failed", args.file, exc_info=True)
        return _fail(1, f"transcription failed: {type(error).__name__}: {str(error).splitlines()[0][:300]}")
    return _write(args.output, output)


def _transcribe(args: argparse.Namespace) -> str:
    from . import transcribe_file

    transcript = transcribe_file(
        args.file,
        engine=args.engine,
        model=args.model,
        language=args.language,
        translate=args.translate,
        max_bytes=args.max_mb * 1024 * 1024,
        max_seconds=args.max_minutes * 60.0,
        threads=args.threads,
        compute_type=args.compute_type,
        beam_size=args.beam_size,
        batch_size=args.batch_size,
        cache_dir=args.cache_dir,
    )
    return render(transcript, args.format)


def _write(target: Path | None, text: str) -> int:
    try:
        if target is None:
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            target.write_text(text, encoding="utf-8")
    except BrokenPipeError:
        return 0
    except OSError as error:
        return _fail(1, f"could not write {target}: {error.strerror or error}")
    return 0


def _fail(code: int, message: str) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return code
