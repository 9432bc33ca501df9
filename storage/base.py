"""What every media storage does, the errors it raises, and the checks of content addresses.

A stored file's key is its path in the store, such as ``ab/ab12….ogg`` or ``documents/cd/cd34….pdf``: the name
before its first dot is the SHA-256 of its content (its content address). Every write checks that the content's hash
is that address before storing it, and every read checks it again before handing the file over, so that a file
changed or damaged anywhere between the bot and a worker is never taken for the evidence it replaced.

Each operation has a blocking form (``*_blocking``, for worker processes, which have no event loop) and an async
form that runs it in a thread (for the bot, whose event loop must never wait on disk or network).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol, runtime_checkable

CHUNK = 1024 * 1024  # files are hashed and copied a megabyte at a time, never read whole into memory
_ADDRESS = re.compile(r"^[0-9a-f]{64}$")


class StorageError(Exception):
    """A stored file could not be written, read or deleted; ``str(error)`` says why, in a sentence."""


class MediaMissing(StorageError):
    """The storage does not hold the file asked for."""


class MediaCorrupt(StorageError):
    """A file's content does not match its content address (changed or damaged), so it was not used."""


class StorageUnreachable(StorageError):
    """The storage could not be reached (refused, timed out, or the network failed)."""


@dataclass(frozen=True, slots=True)
class StoredObject:
    """One stored file as a listing shows it: its key, size in bytes and when it was last written (Unix time)."""

    key: str
    size: int
    modified: float


@runtime_checkable
class MediaStorage(Protocol):
    """Where evidence media are kept, by content address. ``spec`` opens the same storage in another process
    (:func:`storage.open_storage`); ``where(key)`` names a file for messages and logs."""

    spec: str

    def where(self, key: str) -> str: ...
    async def put(self, key: str, source: Path | bytes, sha256: str, *, move: bool = False) -> None: ...
    def reading(
        self, key: str, sha256: str, work_dir: Path | None = None
    ) -> contextlib.AbstractAsyncContextManager[Path]: ...
    def local_copy(
        self, key: str, sha256: str, work_dir: Path | None = None
    ) -> contextlib.AbstractContextManager[Path]: ...
    async def delete(self, key: str) -> bool: ...
    async def exists(self, key: str) -> bool: ...
    async def list(self) -> list[StoredObject]: ...


class BlockingStorage:
    """The async operations of :class:`MediaStorage`, each running its blocking form in a thread. Subclasses
    implement the ``*_blocking`` methods and ``fetch_blocking``."""

    spec: str

    def where(self, key: str) -> str:
        raise NotImplementedError

    def put_blocking(self, key: str, source: Path | bytes, sha256: str, *, move: bool = False) -> None:
        """Store ``source`` (a file, or bytes) under ``key``, once its SHA-256 is found to be ``sha256`` and the
        key's address; with ``move`` the source file is gone afterwards. Storing content already there changes
        nothing. Raises :class:`MediaCorrupt` (nothing stored) when the content is not what its address says."""
        raise NotImplementedError

    def fetch_blocking(self, key: str, sha256: str, work_dir: Path | None = None) -> tuple[Path, bool]:
        """A local file holding the content of ``key``, checked against ``sha256``, and whether it is a temporary
        copy (the caller deletes it). Raises :class:`MediaMissing`, :class:`MediaCorrupt` or
        :class:`StorageUnreachable`."""
        raise NotImplementedError

    def delete_blocking(self, key: str) -> bool:
        """Delete ``key``; whether it was there. Deleting what is not there is not an error."""
        raise NotImplementedError

    def exists_blocking(self, key: str) -> bool:
        raise NotImplementedError

    def list_blocking(self) -> list[StoredObject]:
        """Every stored file (for the sweep of files that nothing names)."""
        raise NotImplementedError

    async def put(self, key: str, source: Path | bytes, sha256: str, *, move: bool = False) -> None:
        """:meth:`put_blocking` in a thread."""
        await asyncio.to_thread(self.put_blocking, key, source, sha256, move=move)

    async def delete(self, key: str) -> bool:
        """:meth:`delete_blocking` in a thread."""
        return await asyncio.to_thread(self.delete_blocking, key)

    async def exists(self, key: str) -> bool:
        """Whether ``key`` is stored (in a thread)."""
        return await asyncio.to_thread(self.exists_blocking, key)

    async def list(self) -> list[StoredObject]:
        """:meth:`list_blocking` in a thread."""
        return await asyncio.to_thread(self.list_blocking)

    @contextlib.contextmanager
    def local_copy(self, key: str, sha256: str, work_dir: Path | None = None) -> Iterator[Path]:
        """A checked local file with the content of ``key`` for the duration of the block (blocking: for worker
        processes). A temporary copy is deleted afterwards."""
        path, temporary = self.fetch_blocking(key, sha256, work_dir)
        try:
            yield path
        finally:
            if temporary:
                path.unlink(missing_ok=True)

    @contextlib.asynccontextmanager
    async def reading(self, key: str, sha256: str, work_dir: Path | None = None) -> AsyncIterator[Path]:
        """:meth:`local_copy` for the event loop: fetched and checked in a thread."""
        path, temporary = await asyncio.to_thread(self.fetch_blocking, key, sha256, work_dir)
        try:
            yield path
        finally:
            if temporary:
                await asyncio.to_thread(path.unlink, missing_ok=True)


def check_key(key: str) -> str:
    """``key`` if it is a plain relative path in the store (no ``..``, no hidden or empty parts); ValueError if
    not. Hidden names are kept for the folders where files are staged and fetched."""
    parts = key.split("/")
    if not key or "\\" in key or any(not p or p.startswith(".") for p in parts):
        raise ValueError(f"{key!r} is not a key of the media store")
    return key


def address_of(key: str) -> str:
    """The content address a key names: its file name up to the first dot."""
    address = PurePosixPath(check_key(key)).name.split(".", 1)[0]
    if not _ADDRESS.match(address):
        raise ValueError(f"{key!r} does not name a content address (a SHA-256 in lowercase hex)")
    return address


def check_address(key: str, sha256: str) -> str:
    """``sha256`` if it is the address ``key`` names; ValueError if not (the caller mixed up two files)."""
    if address_of(key) != sha256:
        raise ValueError(f"{key!r} is not the content address of a file whose SHA-256 is {sha256}")
    return sha256


def sha256_of_file(path: Path) -> str:
    """The SHA-256 of a file, read a megabyte at a time."""
    digest = hashlib.sha256()
    with open(path, "rb") as data:
        while block := data.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def mismatch(where: str, sha256: str, actual: str) -> MediaCorrupt:
    """The error for content whose hash is not its address."""
    return MediaCorrupt(
        f"{where} does not match its content address: its SHA-256 is {actual[:16]}…, not {sha256[:16]}…"
        " (the file was changed or damaged), so it was not used"
    )
