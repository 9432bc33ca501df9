"""Taking a file in safely: each person's limits, the disk's free space, and the files on disk.

A file is first staged in a folder of its own (``.incoming`` under the local media folder), hashed and probed there,
and put into the content-addressed store (the folder itself, or a bucket) only once it has been accepted: a refused
file leaves nothing behind. Each person may send so many files an hour and so many bytes a day, and have so many
recordings waiting; the refusal says which limit and when they can send again. New media are refused while the disk
is nearly full, before the database's own writes could fail. :func:`stale_keys` finds stored files no row refers
to; :func:`sweep_staged` clears what was left in the local folders.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from storage import StoredObject

from .probe import describe_bytes

log = logging.getLogger(__name__)

INCOMING = ".incoming"  # staged files, under the media folder
WORK = ".work"  # copies fetched from the media storage while they are read, under the media folder
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
SWEEP_AGE_SECONDS = 3600.0  # a file nothing refers to is left alone for an hour (it may be arriving)
FETCHED_AGE_SECONDS = 86400.0  # a fetched copy is left for a day: the longest transcription may still be reading it
_CHUNK = 1024 * 1024
_STORED = re.compile(r"^[0-9a-f]{2}/[^/]+$")  # the store's files: in folders named by two hex digits of the hash


class MediaRefused(Exception):
    """A file that cannot be taken as evidence; ``str(error)`` says why, for the person who sent it."""


class LimitReached(MediaRefused):
    """The sender has reached one of their limits (files an hour, bytes a day, recordings waiting)."""


class DiskFull(MediaRefused):
    """The server is nearly out of disk space: no new media for now."""


@dataclass(frozen=True, slots=True)
class IntakeLimits:
    """Each person's limits (0: none) and the free disk space kept in reserve."""

    files_per_hour: int = 20
    bytes_per_day: int = 2 * 1024**3
    pending_per_person: int = 5
    min_free_bytes: int = 1024**3


def limit_refusal(
    sent: list[tuple[datetime, int]], pending: int, size: int, now: datetime, limits: IntakeLimits
) -> str | None:
    """Why a person who sent ``sent`` ((when, bytes) in the last day, oldest first) and has ``pending`` recordings
    waiting may not send a file of ``size`` bytes now, or None if they may."""
    if limits.pending_per_person and pending >= limits.pending_per_person:
        return (
            f"You have {_count(pending, 'recording')} waiting to be transcribed, the most I queue for one person at"
            " a time. Please send this one again once I have posted the transcript of one of them."
        )
    last_hour = [when for when, _ in sent if when > now - HOUR]
    if limits.files_per_hour and len(last_hour) >= limits.files_per_hour:
        free_at = last_hour[len(last_hour) - limits.files_per_hour] + HOUR
        return (
            f"You have sent {_count(len(last_hour), 'file')} in the last hour, the most I take from one person in an"
            f" hour. You can send another {_from_now(free_at, now)}."
        )
    if limits.bytes_per_day:
        if size > limits.bytes_per_day:
            return (
                f"This file is {describe_bytes(size)}, more than the {describe_bytes(limits.bytes_per_day)} a day I"
                " take from one person. Could you send a shorter or smaller recording?"
            )
        day = [(when, bytes_) for when, bytes_ in sent if when > now - DAY]
        used = sum(bytes_ for _, bytes_ in day)
        if used + size > limits.bytes_per_day:
            left, free_at = used, now
            for when, bytes_ in day:  # the oldest drop out of the window first
                left, free_at = left - bytes_, when + DAY
                if left + size <= limits.bytes_per_day:
                    break
            return (
                f"You have sent {describe_bytes(used)} in the last 24 hours; this file ({describe_bytes(size)})"
                f" would take you past {describe_bytes(limits.bytes_per_day)}, the most I take from one person in a"
                f" day. You can send it {_from_now(free_at, now)}."
            )
    return None


def free_bytes(*paths: Path) -> int:
    """The free space on the emptiest of the file systems holding ``paths`` (the nearest existing folder of each)."""
    free = None
    for path in paths:
        folder = Path(path).absolute()
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        available = shutil.disk_usage(folder).free
        free = available if free is None else min(free, available)
    return free if free is not None else 0


def disk_refusal(free: int, size: int, margin: int) -> str | None:
    """Why a file of ``size`` bytes cannot be taken with ``free`` bytes left, keeping ``margin`` in reserve."""
    if free - size >= margin:
        return None
    return (
        "I cannot take recordings just now: the server is almost out of disk space. Nothing was kept; please send"
        " it again later."
    )


# Files --------------------------------------------------------------------------------------------------


def stage_bytes(data: bytes, media_dir: Path, suffix: str) -> tuple[str, Path]:
    """Write ``data`` to a new staged file; return its SHA-256 and where it is."""
    folder = _incoming(media_dir)
    with tempfile.NamedTemporaryFile(dir=folder, suffix=suffix, delete=False) as handle:
        try:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        except BaseException:
            Path(handle.name).unlink(missing_ok=True)
            raise
    return hashlib.sha256(data).hexdigest(), Path(handle.name)


def stage_path(source: Path, media_dir: Path, suffix: str) -> tuple[str, Path]:
    """Move the file at ``source`` into a new staged file, hashing it a megabyte at a time (never whole in
    memory); return its SHA-256 and where it is. ``source`` is gone afterwards."""
    folder = _incoming(media_dir)
    handle, name = tempfile.mkstemp(dir=folder, suffix=suffix)
    os.close(handle)
    staged = Path(name)
    digest = hashlib.sha256()
    try:
        try:
            os.replace(source, staged)  # the same file system: a rename, nothing copied
            with open(staged, "rb") as data:
                while block := data.read(_CHUNK):
                    digest.update(block)
        except OSError as error:
            if error.errno != getattr(os, "EXDEV", 18):
                raise
            with open(source, "rb") as data, open(staged, "wb") as out:
                while block := data.read(_CHUNK):
                    digest.update(block)
                    out.write(block)
                out.flush()
                os.fsync(out.fileno())
            Path(source).unlink()
        os.utime(staged)  # a fresh file, whatever the upload's age: the sweep leaves it alone
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    return digest.hexdigest(), staged


def discard(path: Path) -> None:
    """Remove a staged file that was not taken."""
    path.unlink(missing_ok=True)


def stale_keys(stored: list[StoredObject], known: set[str], *, older_than: float = SWEEP_AGE_SECONDS) -> list[str]:
    """The keys of stored files in the store's folders (``ab/…``) that no media row names and that have not changed
    for ``older_than`` seconds. Other folders (documents keep their originals there) are not the queue's."""
    cutoff = time.time() - older_than
    return [o.key for o in stored if _STORED.match(o.key) and o.key not in known and o.modified < cutoff]


def sweep_staged(media_dir: Path, *, older_than: float = SWEEP_AGE_SECONDS) -> list[Path]:
    """Delete staged files unchanged for ``older_than`` seconds (refused or interrupted arrivals), and copies
    fetched for reading that a stopped process left behind (after a day: a long transcription may still be reading
    one); return what was deleted."""
    deleted = []
    for name, age in ((INCOMING, older_than), (WORK, max(older_than, FETCHED_AGE_SECONDS))):
        folder = media_dir / name
        if not folder.is_dir() or folder.is_symlink():
            continue
        cutoff = time.time() - age
        for path in sorted(folder.iterdir()):
            if path.is_symlink() or not path.is_file():
                continue
            try:
                if path.stat().st_mtime >= cutoff:
                    continue
                path.unlink()
                deleted.append(path)
            except FileNotFoundError:
                continue
            except OSError:
                log.exception("could not delete %s", path)
    return deleted


def _incoming(media_dir: Path) -> Path:
    folder = media_dir / INCOMING
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _from_now(when: datetime, now: datetime) -> str:
    """'in about 12 minutes', 'in about 5 hours', 'in a minute'."""
    minutes = max(1, round((when - now).total_seconds() / 60 + 0.49))
    if minutes <= 1:
        return "in a minute"
    if minutes < 90:
        return f"in about {minutes} minutes"
    return f"in about {round(minutes / 60)} hours"
