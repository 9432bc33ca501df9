"""The domain services, wired together over one store, clock and time zone: what the faces (cogs, command line)
call. Each feature's service lives in its own package (``inquiry.evidence``, ``inquiry.sessions`` ...)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from inquiry.audit.service import AuditService
from inquiry.evidence.documents import DocumentService
from inquiry.evidence.imports import EvidenceImports
from inquiry.evidence.privacy import PrivacyService
from inquiry.evidence.reading import ReadingService
from inquiry.evidence.service import SubmissionService
from inquiry.inquiries.service import InquiryService
from inquiry.outbox.service import OutboxService
from inquiry.record.service import ExportService
from inquiry.recordings.service import RecordingService
from inquiry.review.redaction_models import TargetKind
from inquiry.review.redactions import RedactionService
from inquiry.review.service import ReviewService
from inquiry.sessions.corrections import SessionCorrectionService
from inquiry.sessions.record import SessionRecordService
from inquiry.sessions.recordings import SessionRecordingService
from inquiry.sessions.reminders import ReminderService
from inquiry.sessions.service import SessionService
from inquiry.store import Store
from inquiry.uploads.service import UploadGrantService
from storage import FolderStorage, MediaStorage

Clock = Callable[[], datetime]

__all__ = ["Clock", "Services"]


@dataclass
class Services:
    """Every domain service, built over one store, clock and time zone."""

    store: Store
    clock: Clock
    tz: ZoneInfo
    inquiries: InquiryService
    outbox: OutboxService
    submissions: SubmissionService
    review: ReviewService
    privacy: PrivacyService
    recordings: RecordingService
    sessions: SessionService
    session_record: SessionRecordService
    session_recordings: SessionRecordingService
    session_corrections: SessionCorrectionService
    redactions: RedactionService
    reminders: ReminderService
    exports: ExportService
    uploads: UploadGrantService
    audit: AuditService
    documents: DocumentService
    reading: ReadingService
    imports: EvidenceImports

    @classmethod
    def build(
        cls,
        store: Store,
        clock: Clock,
        tz: ZoneInfo,
        *,
        export_dir: Path = Path("data/exports"),
        media_path: Callable[[Any], Path] | None = None,
        media_dir: Path = Path("data/media"),
        storage: MediaStorage | None = None,
    ) -> Services:
        """Wire the services together. Recordings and documents' originals are kept in ``storage``, by default the
        folder ``media_dir``; ``media_path``, when given, names a recording's file in a folder of the caller's
        instead (for erasure)."""
        storage = storage or FolderStorage(media_dir)
        outbox = OutboxService(store, clock)
        privacy = PrivacyService(store, clock, outbox, media_path=media_path, storage=storage)
        documents = DocumentService(store, clock, outbox, media_dir, storage=storage)
        redactions = RedactionService(store, clock)
        redactions.register(TargetKind.DOCUMENT, documents.text_for_redaction)
        return cls(
            store=store,
            clock=clock,
            tz=tz,
            inquiries=InquiryService(store, clock, tz),
            outbox=outbox,
            submissions=SubmissionService(store, clock, outbox, eraser=privacy.eraser),
            review=ReviewService(store, clock, outbox),
            privacy=privacy,
            recordings=RecordingService(store, clock),
            sessions=SessionService(store, clock, tz, outbox),
            session_record=SessionRecordService(store, clock),
            session_recordings=SessionRecordingService(store, clock, storage=storage),
            session_corrections=SessionCorrectionService(store, clock, outbox, tz),
            redactions=redactions,
            reminders=ReminderService(store, clock),
            exports=ExportService(store, tz, export_dir, clock),
            uploads=UploadGrantService(store, clock),
            audit=AuditService(store, clock),
            documents=documents,
            reading=ReadingService(store),
            imports=EvidenceImports(store, clock, tz, outbox, media_dir, storage=storage),
        )
