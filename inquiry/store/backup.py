"""``evidence-bot backup``: a consistent copy of the evidence store, safe to take while the bot runs.

SQLite's online backup API copies the database page by page inside one read transaction, so the copy is the
database as it stood at one instant, whatever the bot writes meanwhile (in WAL mode readers never block the writer
nor wait for it). The copy is written beside the target as ``*.part``, turned into a single self-contained file
(rollback journal rather than WAL), checked with ``PRAGMA integrity_check`` and ``PRAGMA foreign_key_check``,
flushed to disk, and only then renamed onto the target: a failed or interrupted backup never leaves a half-written
file under the target's name.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sqlite3
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

log = logging.getLogger(__name__)


class BackupFailed(Exception):
    """The copy could not be made, or failed its checks (nothing was left under the target's name)."""


@dataclass(frozen=True, slots=True)
class BackupReport:
    """A finished, checked copy."""

    source: Path
    target: Path
    size_bytes: int
    pages: int
    schema_version: int
    integrity: str  # "ok"
    foreign_key_problems: int
    seconds: float

    def summary(self) -> str:
        """One line for the operator."""
        keys = "" if not self.foreign_key_problems else f", {self.foreign_key_problems} foreign-key problem(s)"
        return (
            f"backed up {self.source} to {self.target}: {self.size_bytes:,} bytes, {self.pages:,} pages, schema"
            f" version {self.schema_version}, integrity {self.integrity}{keys}, in {self.seconds:.2f} s"
        )


def backup_database(source: Path, target: Path) -> BackupReport:
    """Copy the database at ``source`` to ``target`` (blocking: run it in a thread from async code)."""
    started = time.perf_counter()
    source, target = Path(source), Path(target)
    if not source.is_file():
        raise BackupFailed(f"no database at {source}")
    if target.resolve() == source.resolve():
        raise BackupFailed("the backup must not overwrite the database itself")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    try:
        pages = _copy(source, partial)
        integrity, problems, version = _check(partial)
        if integrity != "ok":
            raise BackupFailed(f"the copy failed its integrity check: {integrity}")
        _flush(partial)
        os.replace(partial, target)
        _flush_folder(target.parent)
    except sqlite3.Error as error:
        raise BackupFailed(f"SQLite could not copy {source}: {error}") from error
    finally:
        partial.unlink(missing_ok=True)
    report = BackupReport(
        source=source,
        target=target,
        size_bytes=target.stat().st_size,
        pages=pages,
        schema_version=version,
        integrity=integrity,
        foreign_key_problems=problems,
        seconds=time.perf_counter() - started,
    )
    log.info("%s", report.summary())
    return report


def _copy(source: Path, partial: Path) -> int:
    """One backup step over the whole database: one read transaction, so one consistent instant."""
    live = sqlite3.connect(f"file:{quote(str(source.resolve()))}?mode=rw", uri=True, timeout=30)
    try:
        live.execute("PRAGMA busy_timeout = 30000")
        copy = sqlite3.connect(partial)
        try:
            live.backup(copy, pages=-1)
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal beside it
            return int(copy.execute("PRAGMA page_count").fetchone()[0])
        finally:
            copy.close()
    finally:
        live.close()


def _check(path: Path) -> tuple[str, int, int]:
    """The copy's integrity check ("ok" or the first problems), foreign-key problems, and schema version."""
    copy = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
    try:
        rows = [r[0] for r in copy.execute("PRAGMA integrity_check(20)").fetchall()]
        problems = len(copy.execute("PRAGMA foreign_key_check").fetchall())
        version = int(copy.execute("PRAGMA user_version").fetchone()[0])
    finally:
        copy.close()
    return ("ok" if rows == ["ok"] else "; ".join(rows)), problems, version


def _flush(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _flush_folder(folder: Path) -> None:
    """Make the rename itself durable (where the platform allows opening a folder)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(
        prog="evidence-bot backup",
        description="Copy the bot's SQLite database safely while the bot runs, and check the copy.",
    )
    cli.add_argument("--db", required=True, help="the bot's SQLite database")
    cli.add_argument("--out", required=True, help="the file to write the copy to")
    return cli


def main(argv: list[str] | None = None) -> int:
    """Make the backup; print one line; a non-zero exit and the reason on stderr when it fails."""
    args = parser().parse_args(argv)
    try:
        report = backup_database(Path(args.db), Path(args.out))
    except BackupFailed as error:
        print(f"evidence-bot backup: {error}", file=sys.stderr)
        return 1
    print(report.summary())
    return 0
