"""Receiving a file for transcription: size, disk and the sender's limits checked, the file staged, probed in a
separate process, and kept in the content-addressed store (a folder or a bucket) only once accepted; then its item
and job recorded.

:class:`MediaReceiving` is the receiving half of :class:`transcription.queue.TranscriptionService`.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from storage import StorageError

from .errors import MediaError
from .intake import (
    DAY,
    DiskFull,
    IntakeLimits,
    LimitReached,
    MediaRefused,
    discard,
    disk_refusal,
    free_bytes,
    limit_refusal,
    stage_bytes,
    stage_path,
)
from .ledger import Job, MediaItem, MediaRow
from .probe import MediaInfo, describe_bytes
from .sandbox import probe_file_isolated

if TYPE_CHECKING:
    from collections.abc import Callable

    from storage import MediaStorage

    from .ledger import JobLedger

log = logging.getLogger(__name__)


@dataclass
class TranscriptionSettings:
    """Which engine and model transcribe, and the limits on what is received."""

    engine: str = "faster-whisper"
    model: str = "base"
    max_bytes: int = 200 * 1024 * 1024
    max_seconds: float = 2 * 3600
    threads: int = 2
    limits: IntakeLimits = field(default_factory=IntakeLimits)


@dataclass(frozen=True, slots=True)
class Received:
    """A file received and queued (or found already queued)."""

    media: MediaRow
    item: MediaItem | None  # None when this very message and file were seen before
    job: Job
    duration: float
    estimate_seconds: float


class MediaReceiving:
    """Takes files in for the queue, using its ``store``, ``media_dir`` (where files are staged), ``storage``
    (where accepted files are kept), ``clock``, ``settings`` and ``estimate(duration)``."""

    store: JobLedger
    media_dir: Path
    storage: MediaStorage
    clock: Callable[[], datetime]
    settings: TranscriptionSettings

    async def receive(
        self, data: bytes, filename: str, content_type: str | None, *, message_id: int | None = None, **where
    ) -> Received:
        """Check the file against the limits, probe it, keep the original, record where it came from (``where``:
        the item's columns, and ``voice=True`` for a voice message) and queue its transcription. Raises
        :class:`MediaRefused` (saying why) and then keeps nothing.

        A file already transcribed with the same settings (sent before, for another question or by someone else)
        comes back with its job done, the result copied; the listeners hear of it on the next
        :meth:`~transcription.queue.TranscriptionService.wake`, once the caller has said what it must."""
        await self.check_intake(len(data), filename, **where)
        sha256, staged = await asyncio.to_thread(stage_bytes, data, self.media_dir, _suffix(filename))
        return await self._take(staged, sha256, len(data), filename, content_type, message_id, where)

    async def receive_path(
        self,
        path: str | Path,
        filename: str,
        content_type: str | None,
        *,
        message_id: int | None = None,
        **where,
    ) -> Received:
        """:meth:`receive` for a file already on disk (an upload streamed to a file): it is hashed a megabyte at a
        time and moved, never read whole into memory. Once taken in for checking the file is no longer at ``path``
        (kept in the store, or deleted if refused); refused before that (its size, the sender's limits, the disk),
        it is left where it is."""
        path = Path(path)
        size = (await asyncio.to_thread(path.stat)).st_size
        await self.check_intake(size, filename, **where)
        sha256, staged = await asyncio.to_thread(stage_path, path, self.media_dir, _suffix(filename))
        return await self._take(staged, sha256, size, filename, content_type, message_id, where)

    async def check_intake(self, size: int, filename: str, *, user_id: int | None = None, **where) -> None:
        """Raise :class:`MediaRefused` if a file of ``size`` bytes cannot be taken now: too large, the disk
        nearly full, or (for a person's own evidence, not a session's recording) over their limits. Callers may
        ask before downloading; :meth:`receive` asks again."""
        if size > self.settings.max_bytes:
            raise MediaRefused(
                f"{filename} is {describe_bytes(size)}; the largest file I can take is "
                f"{describe_bytes(self.settings.max_bytes)}."
            )
        folders = [self.media_dir] + ([Path(self.store.path).parent] if self.store.path else [])  # SQLite's disk too
        free = await asyncio.to_thread(free_bytes, *folders)
        if reason := disk_refusal(free, size, self.settings.limits.min_free_bytes):
            log.error(
                "refusing new media: %s free, %s must stay free (EVIDENCE_BOT_MIN_FREE_DISK_MB)",
                describe_bytes(free),
                describe_bytes(self.settings.limits.min_free_bytes),
            )
            raise DiskFull(reason)
        if _limited(user_id, where):
            now = self.clock()
            sent = await self.store.media_intake.sent_since(user_id, now - DAY)
            pending = await self.store.media.waiting_recordings_of_user(user_id)
            if reason := limit_refusal(sent, pending, size, now, self.settings.limits):
                raise LimitReached(reason)

    async def _take(
        self, staged: Path, sha256: str, size: int, filename: str, content_type: str | None, message_id, where
    ) -> Received:
        """Admit, probe and keep a staged file, or refuse it and delete it."""
        try:
            if message_id is not None and (seen := await self._seen(message_id, sha256)) is not None:
                return seen
            intake_id = await self._admit(where.get("user_id"), size, where)
            try:
                info = await self._probe(staged, filename)
            except MediaRefused as refusal:  # the reason is kept, not the file's name
                await self._settle(intake_id, "refused", None, getattr(refusal.__cause__, "reason", None))
                raise
            kind = "voice" if where.pop("voice", False) else ("video" if info.has_video else "audio")
            known = await self.store.media.media_by_sha(sha256)
            relative = known.path if known else f"{sha256[:2]}/{sha256}{_suffix(filename)}"
            await self._keep(staged, relative, sha256, filename, intake_id)
            async with self.store.transaction():
                now = self.clock()
                media_id = await self.store.media.add_media(
                    sha256=sha256, path=relative, filename=filename, content_type=content_type, size=size, now=now
                )
                await self.store.media.set_media_probe(media_id, info.duration, info.has_video)
                item_id = await self.store.media.add_item(
                    media_id=media_id, kind=kind, now=now, discord_message_id=message_id, **where
                )
                if item_id is None:  # the same message, delivered again meanwhile
                    item_id = (await self.store.media.item_for_message(message_id, media_id)).id
                    fresh = None
                else:
                    fresh = item_id
                job_id = await self._add_job(media_id, item_id)
                if fresh is not None and (source := await self.store.media.finished_twin(job_id)) is not None:
                    await self._reuse(job_id, source)  # the same file, transcribed before: told on the next wake
                if intake_id is not None:
                    await self.store.media_intake.settle(intake_id, "accepted", media_id=media_id, reason=None)
        finally:
            await asyncio.to_thread(discard, staged)
        return Received(
            media=await self.store.media.media(media_id),
            item=await self.store.media.item(fresh) if fresh else None,
            job=await self.store.media.job(job_id),
            duration=info.duration,
            estimate_seconds=self.estimate(info.duration),
        )

    async def _keep(self, staged: Path, key: str, sha256: str, filename: str, intake_id: int | None) -> None:
        """Put an accepted staged file into the store (hashed again on the way: what is kept is what was checked);
        a store that cannot take it now refuses the file, saying to send it again."""
        try:
            await self.storage.put(key, staged, sha256, move=True)
        except StorageError as error:
            log.error("could not keep %s in the media storage: %s", key, error)
            await self._settle(intake_id, "refused", None, "the media storage could not take it")
            raise MediaRefused(
                f"I could not keep {filename} just now: the storage for evidence files did not take it. Nothing was"
                " kept; please send it again in a few minutes."
            ) from error

    async def _seen(self, message_id: int, sha256: str) -> Received | None:
        """This message brought this file before: its item and job, nothing new."""
        media = await self.store.media.media_by_sha(sha256)
        item = await self.store.media.item_for_message(message_id, media.id) if media else None
        if item is None:
            return None
        async with self.store.transaction():
            job_id = await self._add_job(media.id, item.id)  # the job it has (or, had it none, a new one)
        duration = media.duration or 0.0
        job = await self.store.media.job(job_id)
        return Received(media=media, item=None, job=job, duration=duration, estimate_seconds=self.estimate(duration))

    async def _admit(self, user_id: int | None, size: int, where: dict) -> int | None:
        """Count the file against its sender's limits (checked again in the same transaction, so that files sent
        at once cannot all slip under a limit); the intake row's id, or None for a file without limits."""
        if not _limited(user_id, where):
            return None
        async with self.store.transaction():
            now = self.clock()
            sent = await self.store.media_intake.sent_since(user_id, now - DAY)
            pending = await self.store.media.waiting_recordings_of_user(user_id)
            if reason := limit_refusal(sent, pending, size, now, self.settings.limits):
                raise LimitReached(reason)
            return await self.store.media_intake.add(user_id=user_id, size=size, now=now)

    async def _settle(self, intake_id: int | None, status: str, media_id: int | None, reason: str | None) -> None:
        if intake_id is not None:
            async with self.store.transaction():
                await self.store.media_intake.settle(intake_id, status, media_id=media_id, reason=reason)

    async def _add_job(self, media_id: int, item_id: int) -> int:
        return await self.store.media.add_job(
            media_id=media_id,
            item_id=item_id,
            engine=self.settings.engine,
            model=self.settings.model,
            language=None,
            translate=False,
            now=self.clock(),
        )

    async def _probe(self, path: Path, filename: str) -> MediaInfo:
        """Probe a staged file in a separate, limited process."""
        try:
            return await probe_file_isolated(
                path, max_bytes=self.settings.max_bytes, max_seconds=self.settings.max_seconds
            )
        except MediaError as error:
            raise MediaRefused(f"I could not take {filename}: {error.reason}.") from error


def _limited(user_id: int | None, where: dict) -> bool:
    """A person's own evidence counts against their limits; a session's recording does not."""
    return user_id is not None and where.get("session_id") is None


def _suffix(filename: str) -> str:
    """The file's extension as the store names it (".ogg"), or none if it is anything but letters and digits."""
    suffix = Path(filename).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,9}", suffix) else ""
