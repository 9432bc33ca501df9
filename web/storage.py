"""Uploads on disk: partial files that grow by appends, then move aside whole for the bot to take in.

Under the upload folder, ``partial/<upload>.part`` holds the bytes received so far (its length is the upload's
offset, so a restart loses nothing written) beside ``partial/<upload>.json`` (grant, declared length, file name,
expiry). A finished upload moves to ``received/<upload>/`` until the bot has taken it in. Bytes are written
in blocks from a worker thread, so memory stays flat whatever the file's size and the event loop never waits on
the disk.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import re
import secrets
import shutil
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, Protocol

log = logging.getLogger(__name__)

BLOCK_BYTES = 1024 * 1024  # bytes gathered before each write to disk
_UPLOAD_ID = re.compile(r"[0-9a-f]{16,64}-[0-9a-f]{16}")
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
MAX_NAME_CHARS = 120


class ByteStream(Protocol):
    """What a request body offers: ``readany()`` returns b"" at its end."""

    async def readany(self) -> bytes: ...


class TooLarge(Exception):
    """More bytes arrived than the upload declared."""


@dataclass(frozen=True, slots=True)
class UploadInfo:
    """An upload under way: who may continue it and what it will be."""

    id: str
    grant_id: str
    length: int
    filename: str
    content_type: str | None
    created_at: str
    expires_at: str

    @property
    def expires(self) -> datetime:
        """When the upload may no longer be continued."""
        return datetime.fromisoformat(self.expires_at)


@dataclass(frozen=True, slots=True)
class Received:
    """A whole file waiting to be taken in by the bot."""

    info: UploadInfo
    path: Path


def safe_filename(name: str | None) -> str:
    """The sender's file name without folders, control characters or reserved characters, and not too long."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" .")
    if len(name) > MAX_NAME_CHARS:
        stem, dot, ext = name.rpartition(".")
        ext = ext[:16] if dot else ""
        name = (stem if dot else name)[: MAX_NAME_CHARS - len(ext) - 1].rstrip(" .") + (f".{ext}" if ext else "")
    return name or "upload"


def valid_upload_id(upload_id: str) -> bool:
    """True for ids this store makes (so that an id from a URL never names another path)."""
    return bool(_UPLOAD_ID.fullmatch(upload_id))


class UploadStore:
    """Partial and received uploads in one folder."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.partial = self.root / "partial"
        self.received = self.root / "received"
        self.done = self.root / "done"

    async def prepare(self) -> None:
        """Make the folders."""
        await asyncio.to_thread(self._prepare)

    def _prepare(self) -> None:
        self.partial.mkdir(parents=True, exist_ok=True)
        self.received.mkdir(parents=True, exist_ok=True)
        self.done.mkdir(parents=True, exist_ok=True)

    def _data(self, upload_id: str) -> Path:
        return self.partial / f"{upload_id}.part"

    def _meta(self, upload_id: str) -> Path:
        return self.partial / f"{upload_id}.json"

    # Partial uploads ----------------------------------------------------------------------------

    async def create(
        self,
        *,
        grant_id: str,
        length: int,
        filename: str,
        content_type: str | None,
        now: datetime,
        expires_at: datetime,
    ) -> UploadInfo:
        """Start an upload for a grant, dropping any earlier unfinished one of the same grant."""
        info = UploadInfo(
            id=f"{grant_id}-{secrets.token_hex(8)}",
            grant_id=grant_id,
            length=length,
            filename=safe_filename(filename),
            content_type=content_type,
            created_at=now.isoformat(),
            expires_at=expires_at.isoformat(),
        )
        await asyncio.to_thread(self._create, info)
        return info

    def _create(self, info: UploadInfo) -> None:
        self._prepare()
        for earlier in self.partial.glob(f"{info.grant_id}-*.json"):
            self._delete(earlier.stem)
        tmp = self._meta(info.id).with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(info)), encoding="utf-8")
        tmp.replace(self._meta(info.id))
        self._data(info.id).touch()

    async def info(self, upload_id: str) -> UploadInfo | None:
        """The upload with this id, or None."""
        if not valid_upload_id(upload_id):
            return None
        return await asyncio.to_thread(self._info, self._meta(upload_id))

    @staticmethod
    def _info(path: Path) -> UploadInfo | None:
        try:
            return UploadInfo(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None

    async def offset(self, upload_id: str) -> int:
        """How many bytes of the upload are on disk."""
        return await asyncio.to_thread(lambda: self._data(upload_id).stat().st_size)

    async def append(
        self,
        info: UploadInfo,
        offset: int,
        body: ByteStream,
        on_block: Callable[[int], Awaitable[None]] | None = None,
    ) -> int:
        """Write the body at ``offset`` (the current length) and return the new offset.

        Whatever arrived before the body ended or broke off is kept, so that the sender can resume from there; the
        connection's error is then raised. A body that runs past the declared length raises :class:`TooLarge`
        before the bytes that overflow are written. ``on_block(offset)`` is awaited after each block is written.
        """
        handle: BinaryIO = await asyncio.to_thread(open, self._data(info.id), "r+b")
        written = offset
        pending: list[bytes] = []
        pending_bytes = 0
        closed = writing = False
        try:
            await asyncio.to_thread(handle.seek, offset)
            while True:
                data = await body.readany()
                if not data:
                    break
                if written + pending_bytes + len(data) > info.length:
                    raise TooLarge(f"more than the {info.length} bytes declared")
                pending.append(data)
                pending_bytes += len(data)
                if pending_bytes >= BLOCK_BYTES:
                    writing = True
                    written += await asyncio.to_thread(_write, handle, pending)
                    writing = False
                    pending, pending_bytes = [], 0
                    if on_block is not None:
                        await on_block(written)
        except asyncio.CancelledError:
            # The server is stopping: keep what arrived (one block at most) without awaiting again. A block already
            # handed to a thread is written by it; the file's length stays the count of bytes received in order.
            if not writing:
                written += _write(handle, pending)
                _truncate_close(handle, written)
            closed = True
            raise
        finally:
            if not closed:
                if pending:
                    written += await asyncio.to_thread(_write, handle, pending)
                await asyncio.to_thread(_truncate_close, handle, written)
        return written

    async def delete(self, upload_id: str) -> None:
        """Forget an unfinished upload and its bytes."""
        if valid_upload_id(upload_id):
            await asyncio.to_thread(self._delete, upload_id)

    def _delete(self, upload_id: str) -> None:
        self._meta(upload_id).unlink(missing_ok=True)
        self._data(upload_id).unlink(missing_ok=True)

    # Received uploads ---------------------------------------------------------------------------

    async def finish(self, info: UploadInfo) -> Received:
        """Make a whole upload durable and move it aside for the bot, named as the sender named it."""
        return await asyncio.to_thread(self._finish, info)

    def _finish(self, info: UploadInfo) -> Received:
        folder = self.received / info.id
        folder.mkdir(parents=True, exist_ok=True)
        with open(self._data(info.id), "rb") as handle:
            os.fsync(handle.fileno())
        target = folder / info.filename
        self._data(info.id).replace(target)
        shutil.copyfile(self._meta(info.id), self.done / f"{info.id}.json")
        self._meta(info.id).replace(folder / "upload.json")
        return Received(info, target)

    async def finished(self, upload_id: str) -> UploadInfo | None:
        """An upload that arrived whole (remembered until it would have expired), or None."""
        if not valid_upload_id(upload_id):
            return None
        return await asyncio.to_thread(self._info, self.done / f"{upload_id}.json")

    async def discard_received(self, received: Received) -> None:
        """Remove what is left of a received upload once the bot has answered."""
        await asyncio.to_thread(shutil.rmtree, received.path.parent, True)

    async def waiting(self) -> list[Received]:
        """Received uploads the bot has not answered (after a restart)."""
        return await asyncio.to_thread(self._waiting)

    def _waiting(self) -> list[Received]:
        found = []
        for folder in sorted(self.received.glob("*")):
            info = self._info(folder / "upload.json")
            if info is None or not valid_upload_id(folder.name):
                continue
            path = folder / info.filename
            if path.exists():
                found.append(Received(info, path))
        return found

    # Expiry -------------------------------------------------------------------------------------

    async def sweep(self, now: datetime, keep: Callable[[UploadInfo], Awaitable[bool]]) -> int:
        """Delete unfinished uploads that have expired or whose grant ``keep`` rejects; return how many."""
        infos = await asyncio.to_thread(self._partials)
        removed = 0
        for upload_id, info in infos:
            if info is None or now >= info.expires or not await keep(info):
                await asyncio.to_thread(self._delete, upload_id)
                removed += 1
        if removed:
            log.info("removed %d expired or abandoned partial uploads", removed)
        await asyncio.to_thread(self._forget_done, now)
        return removed

    def _forget_done(self, now: datetime) -> None:
        if not self.done.is_dir():
            return
        for path in self.done.glob("*.json"):
            info = self._info(path)
            if info is None or now >= info.expires:
                path.unlink(missing_ok=True)

    def _partials(self) -> list[tuple[str, UploadInfo | None]]:
        found: dict[str, UploadInfo | None] = {}
        if not self.partial.is_dir():
            return []
        for path in self.partial.iterdir():
            upload_id, _, suffix = path.name.rpartition(".")
            if suffix == "json":
                found[upload_id] = self._info(path)
            elif suffix in ("part", "tmp"):
                found.setdefault(upload_id, None)
        return list(found.items())


def _write(handle: BinaryIO, blocks: list[bytes]) -> int:
    total = 0
    for block in blocks:
        total += handle.write(block)
    return total


def _truncate_close(handle: BinaryIO, length: int) -> None:
    with contextlib.closing(handle):
        handle.flush()
        handle.truncate(length)
