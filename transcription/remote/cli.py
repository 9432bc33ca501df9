"""``evidence-bot worker``: transcribe the bot's recordings on this machine, from its PostgreSQL database.

    evidence-bot worker --database postgresql://... [--media FOLDER|s3://...] [--threads N] [--device cpu|cuda]

Any number of workers may run, on any machines that reach the database and the media; each runs one job at a
time. A worker holds no Discord token: it writes progress and results into the database, and the bot tells the
witnesses. The first SIGINT or SIGTERM lets the job in progress finish, then stops; a second stops at once, and that
job goes back to the queue for another worker. A worker killed outright is noticed by its silence (``--stalled-after``
seconds) and its job is given to another.

The database and the media default to the bot's settings (``EVIDENCE_BOT_DATABASE``, ``EVIDENCE_BOT_MEDIA`` or
``EVIDENCE_BOT_MEDIA_DIR``), the size and length limits too (``EVIDENCE_BOT_MAX_MEDIA_MB``,
``EVIDENCE_BOT_MAX_MEDIA_MINUTES``). Exit codes: 0 stopped, 1 the database could not be used, 2 bad usage.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import shutil
import signal
import socket
import sys
import tempfile
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ..cli import DEFAULT_MAX_MB, DEFAULT_MAX_MINUTES, MAX_MB_VARIABLE, MAX_MINUTES_VARIABLE, UsageError, _limit_from
from ..settings import DEFAULT
from .engine import STALLED_AFTER

log = logging.getLogger(__name__)

PROG = "evidence-bot worker"
DEVICES = ("cpu", "cuda")

# Opens the ledger for a worker: (store, queue queries) for a postgresql:// URL; raises LedgerUnavailable.
OpenLedger = Callable[[str], Awaitable[tuple[Any, Any]]]


class LedgerUnavailable(Exception):
    """The database cannot serve a worker (unreachable, not PostgreSQL, or its schema not made yet)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def build_parser(environ: Mapping[str, str] | None = None) -> argparse.ArgumentParser:
    """The ``worker`` subcommand's options, with defaults from the bot's settings in ``environ``."""
    environ = os.environ if environ is None else environ
    media = environ.get("EVIDENCE_BOT_MEDIA") or environ.get("EVIDENCE_BOT_MEDIA_DIR")
    media = media or str(Path(environ.get("EVIDENCE_BOT_DATA_DIR") or "data") / "media")
    cli = _Parser(prog=PROG, description="Transcribe the bot's recordings on this machine.")
    cli.add_argument(
        "--database",
        default=environ.get("EVIDENCE_BOT_DATABASE"),
        help="the bot's PostgreSQL database, postgresql://USER:PASSWORD@HOST/NAME (default $EVIDENCE_BOT_DATABASE)",
    )
    cli.add_argument("--media", default=media, help=f"where the recordings are: a folder or an s3:// URL ({media})")
    cli.add_argument(
        "--threads", type=_positive, default=DEFAULT.threads, help=f"CPU threads per job (default {DEFAULT.threads})"
    )
    cli.add_argument("--device", choices=DEVICES, default="cpu", help="where the model runs (default cpu)")
    cli.add_argument("--work-dir", type=Path, help="folder for copies of recordings being read (default: a new one)")
    cli.add_argument("--name", help="this worker's name in logs (default HOST-PID)")
    stalled = int(STALLED_AFTER.total_seconds())
    cli.add_argument(
        "--stalled-after",
        type=_positive,
        default=stalled,
        help=f"seconds of silence after which a worker is taken for dead (default {stalled})",
    )
    cli.add_argument(
        "--exit-with-parent",
        action="store_true",
        help="stop at once (the job in progress goes back to the queue) when the process that started this one ends",
    )
    cli.add_argument("--max-mb", type=_positive, default=_limit_from(environ, MAX_MB_VARIABLE, DEFAULT_MAX_MB))
    cli.add_argument(
        "--max-minutes", type=_positive, default=_limit_from(environ, MAX_MINUTES_VARIABLE, DEFAULT_MAX_MINUTES)
    )
    return cli


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value


def main(argv: list[str], *, open_ledger: OpenLedger) -> int:
    """Run ``evidence-bot worker`` with ``argv``; return the exit code."""
    if not logging.getLogger().handlers:
        level = (os.environ.get("EVIDENCE_BOT_LOG_LEVEL") or "INFO").upper()
        logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
        logging.getLogger("procrastinate").setLevel(logging.WARNING)
    try:
        args = build_parser().parse_args(argv)
        media = _check(args)
    except UsageError as error:
        return _fail(2, f"error: {error} (see --help)")
    except SystemExit as stop:  # --help
        return int(stop.code or 0)
    made = args.work_dir is None
    work_dir = Path(tempfile.mkdtemp(prefix="evidence-worker-")) if made else args.work_dir
    try:
        work_dir.mkdir(parents=True, exist_ok=True)
        return asyncio.run(_serve(args, media, work_dir, open_ledger))
    except LedgerUnavailable as error:
        return _fail(1, str(error))
    finally:
        if made:
            shutil.rmtree(work_dir, ignore_errors=True)


def _check(args: argparse.Namespace) -> str:
    """The media setting as the storage takes it; bad values raise :class:`UsageError`."""
    from storage import is_s3_url, open_storage

    if not args.database:
        raise UsageError("say which database: --database postgresql://... (or set EVIDENCE_BOT_DATABASE)")
    if not args.database.startswith(("postgresql://", "postgres://", "postgresql+")):
        raise UsageError(
            "workers share the bot's PostgreSQL database (--database postgresql://...); with a SQLite file the bot"
            " runs its own worker"
        )
    media = args.media if is_s3_url(args.media) else str(Path(args.media).resolve())
    try:
        open_storage(media)
    except ValueError as error:
        raise UsageError(f"--media: {error}") from None
    if args.device == "cuda":
        import ctranslate2

        if ctranslate2.get_cuda_device_count() == 0:
            raise UsageError("--device cuda: no CUDA device is visible on this machine")
    return media


async def _serve(args: argparse.Namespace, media: str, work_dir: Path, open_ledger: OpenLedger) -> int:
    from .consumer import RemoteWorker, WorkerSettings
    from .engine import install_schema, make_app

    store, queries = await open_ledger(args.database)
    try:
        await install_schema(args.database)
        app = make_app(args.database)
        settings = WorkerSettings(
            media=media,
            work_dir=work_dir,
            max_bytes=args.max_mb * 1024 * 1024,
            max_seconds=args.max_minutes * 60.0,
            threads=args.threads,
            device=args.device,
            stalled_after=timedelta(seconds=args.stalled_after),
        )
        name = args.name or f"{socket.gethostname()}-{os.getpid()}"
        worker = RemoteWorker(
            database=args.database,
            store=store,
            queries=queries,
            app=app,
            settings=settings,
            clock=lambda: datetime.now(UTC),
            name=name,
        )
        async with app.open_async():
            run = asyncio.create_task(worker.run(install_signal_handlers=False))
            _on_signals(run, worker)
            if args.exit_with_parent:
                watch = asyncio.create_task(_watch_parent(os.getppid(), run, worker))
                run.add_done_callback(lambda _: watch.cancel())
            log.info("worker %s ready: %d thread(s) on %s, media from %s", name, args.threads, args.device, media)
            with contextlib.suppress(asyncio.CancelledError):
                await run
        log.info("worker %s stopped after %d job(s)", name, worker.ran)
        return 0
    finally:
        await store.close()


def _on_signals(run: asyncio.Task, worker) -> None:
    """First SIGINT/SIGTERM: finish the job in progress, then stop. Second: stop now (the job is given back)."""
    loop = asyncio.get_running_loop()
    told = []

    def stop() -> None:
        told.append(True)
        if len(told) == 1:
            log.info("stopping after the job in progress (signal again to stop now)")
            run.cancel()
        else:
            worker.abandon()

    for name in ("SIGINT", "SIGTERM"):
        loop.add_signal_handler(getattr(signal, name), stop)


async def _watch_parent(parent: int, run: asyncio.Task, worker) -> None:
    """Stop now once the parent is gone (this process is then given another parent)."""
    while True:  # nothing to wait on but the parent's id: it changes when the parent ends
        await asyncio.sleep(1.0)
        if os.getppid() != parent:
            break
    log.warning("the process that started this worker has ended; stopping now")
    run.cancel()
    worker.abandon()


def _fail(code: int, message: str) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return code
