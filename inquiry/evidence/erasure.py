"""What erasure on request removes and keeps (the plan shown before, the report after), and the removal of
recordings with the written evidence they belong to (also when a draft is withdrawn)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from inquiry.core.errors import DomainError
from inquiry.evidence.models import Submission
from inquiry.inquiries.models import Inquiry
from inquiry.store import Store
from inquiry.store._erasure import OralEvidence, SavedExport
from storage import FolderStorage, MediaStorage, StorageError
from transcription.ledger import MediaRow

log = logging.getLogger(__name__)

MediaPath = Callable[[MediaRow], Path]
StoredFile = Path | str  # a local file (a saved export), or the key of a file in the media storage


class StorageUnavailable(DomainError):
    """Files that erasure must delete could not be deleted from the media storage, so the erasure was not finished
    (its transaction is rolled back: asking again finishes it)."""


@dataclass(frozen=True, slots=True)
class ErasurePlan:
    """Everything the bot holds from a person on one server: what erasure removes, and what it keeps."""

    user_id: int
    guild_id: int
    inquiries: dict[int, Inquiry]  # the server's inquiries, by id
    submissions: list[Submission]  # sent evidence: erased, its reference kept as a tombstone
    drafts: list[Submission]  # deleted
    recordings: int  # recordings given with that evidence (files and transcripts deleted)
    documents: int  # documents given with that evidence (originals and what was read from them deleted)
    messages: int  # the bot's direct messages that hold that evidence (deleted)
    grants: int  # upload links (deleted)
    exports: list[SavedExport]  # saved documents that hold that evidence (deleted; to be made again)
    oral: list[OralEvidence]  # oral evidence in sessions (kept: the secretariat decides)
    session_exports: list[SavedExport]  # saved documents of those sessions (kept with the oral record)

    @property
    def references(self) -> list[str]:
        return [s.reference for s in self.submissions if s.reference]

    @property
    def erases_anything(self) -> bool:
        return bool(
            self.submissions or self.drafts or self.recordings or self.documents or self.messages or self.grants
        )

    @property
    def holds_anything(self) -> bool:
        return self.erases_anything or bool(self.oral)

    def code(self, inquiry_id: int) -> str:
        """The code of one of the server's inquiries."""
        inquiry = self.inquiries.get(inquiry_id)
        return inquiry.code if inquiry else "?"


@dataclass(frozen=True, slots=True)
class ErasureReport:
    """What an erasure did (``plan``: what was there, read in its transaction)."""

    plan: ErasurePlan | None
    erased: list[Submission] = field(default_factory=list)  # as they were before erasure
    drafts_deleted: int = 0
    recordings_deleted: int = 0
    files_deleted: int = 0
    messages_owed: int = 0  # direct messages whose deletion the outbox owes
    grants_deleted: int = 0
    exports_deleted: list[SavedExport] = field(default_factory=list)
    secretariat_told: bool = False  # a notice to the secretariat is owed

    def merged(self, other: ErasureReport) -> ErasureReport:
        """Two servers' reports as one (for an erasure everywhere)."""
        return ErasureReport(
            plan=self.plan or other.plan,
            erased=self.erased + other.erased,
            drafts_deleted=self.drafts_deleted + other.drafts_deleted,
            recordings_deleted=self.recordings_deleted + other.recordings_deleted,
            files_deleted=self.files_deleted + other.files_deleted,
            messages_owed=self.messages_owed + other.messages_owed,
            grants_deleted=self.grants_deleted + other.grants_deleted,
            exports_deleted=self.exports_deleted + other.exports_deleted,
            secretariat_told=self.secretariat_told or other.secretariat_told,
        )


@dataclass(frozen=True, slots=True)
class ErasedMedia:
    """Recordings removed inside a transaction: how many, the bot's messages about them, the files to delete."""

    items: int
    notices: list[tuple[int, int]]  # (channel, message) of "Got your recording ..." messages
    files: list[StoredFile]


class EvidenceEraser:
    """Removes recordings with the evidence they belong to: first the items (by submission and by witness), then
    the transcripts in the job rows, then the media rows and files nothing else refers to. A draft's items go
    before the draft itself: deleting the draft first would cascade to the items and leave their transcripts and
    files behind.

    Recordings and documents' originals are deleted from ``storage`` (their rows' paths are their keys), by default
    the folder ``media_dir``; ``media_path``, when given, names a recording's file in a folder of the caller's
    instead."""

    def __init__(
        self,
        store: Store,
        media_path: MediaPath | None = None,
        media_dir: Path | None = None,
        *,
        storage: MediaStorage | None = None,
    ) -> None:
        self.store = store
        self.media_path = media_path
        self.storage = storage or (FolderStorage(media_dir) if media_dir is not None else None)

    async def recordings(self, submission_ids: list[int], user_id: int | None) -> ErasedMedia:
        """Inside the caller's transaction: remove the recordings of these submissions (and the witness's
        recordings attached to nothing), with orphans older versions left behind."""
        items = await self.store.media.items_to_erase(submission_ids, user_id)
        ids = [i.id for i in items]
        notices = await self.store.media.job_notices(ids)
        rows = await self.store.media.erase_items(ids) + await self.store.media.erase_orphaned_media()
        documents = await self.store.documents.erase_of_submissions(submission_ids)
        return ErasedMedia(len(ids), notices, self._paths(rows) + self._document_paths(documents))

    async def draft(self, submission_id: int) -> list[StoredFile]:
        """Inside the caller's transaction, before a draft is deleted: remove its recordings and keep its audit
        entries without the foreign key. Returns the files to delete once the draft is gone."""
        erased = await self.recordings([submission_id], None)
        await self.store.audit.detach_submission(submission_id)
        return erased.files

    async def delete_files(self, files: list[StoredFile], *, strict: bool = False) -> int:
        """Delete files in the media storage by key, then local files (in a thread); how many were there. A file
        the storage cannot delete now is logged, or with ``strict`` raises :class:`StorageUnavailable` once every
        other key has been tried and before any local file is touched (erasure must not be reported done while a
        file remains, and asking again finishes it)."""
        deleted, failed = 0, []
        for key in (f for f in files if isinstance(f, str)):
            try:
                deleted += await self.storage.delete(key)
            except StorageError as error:
                log.error("could not delete %s from the media storage: %s", key, error)
                failed.append(key)
            except OSError:
                log.exception("could not delete %s", self.storage.where(key))
        if failed and strict:
            raise StorageUnavailable(
                f"I could not delete {len(failed)} of your files from the storage for evidence files just now, so"
                " the erasure was not finished. Please ask again in a few minutes."
            )
        local = [f for f in files if isinstance(f, Path)]

        def unlink_all() -> int:
            count = 0
            for path in local:
                try:
                    path.unlink()
                    count += 1
                except FileNotFoundError:
                    continue
                except OSError:
                    log.exception("could not delete %s", path)
            return count

        return deleted + (await asyncio.to_thread(unlink_all) if local else 0)

    def _document_paths(self, paths: list[str]) -> list[StoredFile]:
        if paths and self.storage is None:
            log.warning("%d document(s) erased from the store, but their folder is not known here", len(paths))
            return []
        return list(paths)

    def _paths(self, rows: list[MediaRow]) -> list[StoredFile]:
        if self.media_path is not None:
            return [self.media_path(row) for row in rows]
        if rows and self.storage is None:
            log.warning("%d media file(s) erased from the store, but their folder is not known here", len(rows))
            return []
        return [row.path for row in rows]
