"""The record's documents for the bot and the command line: the domain's read-models go through the exports'
Word writers off the event loop; automatic redactions are written to the audit log."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from exports import build_evidence_volume, build_minutes, build_transcript, export_filename
from inquiry.evidence.models import SubmissionStatus
from inquiry.inquiries.models import Inquiry
from inquiry.record.sessions import minutes_doc, transcript_doc
from inquiry.record.volume import evidence_volume_doc
from inquiry.store import Store

log = logging.getLogger(__name__)

_ALL = tuple(SubmissionStatus)


@dataclass(frozen=True, slots=True)
class ExportedFile:
    """A document ready to send or save."""

    filename: str
    data: bytes
    redactions: int = 0
    unapplied: list = field(default_factory=list)


class ExportService:
    """Formal minutes, oral evidence transcripts and the written evidence volume as Word documents."""

    def __init__(self, store: Store, tz: ZoneInfo, export_dir: Path, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.tz = tz
        self.export_dir = Path(export_dir)
        self.clock = clock

    async def evidence_volume(self, inquiry: Inquiry, actor_id: int | None) -> ExportedFile:
        """The volume of accepted and published written evidence, personal data redacted and recorded."""
        doc = await evidence_volume_doc(self.store, inquiry, timezone_name=self.tz.key)
        result = await asyncio.to_thread(build_evidence_volume, doc)
        await self._record_redactions(inquiry, result, actor_id)
        return ExportedFile(
            filename=export_filename("evidence", inquiry.code, self.clock()),
            data=result.data,
            redactions=len(result.redactions),
            unapplied=list(result.unapplied),
        )

    async def minutes(self, session_id: int) -> ExportedFile:
        """The formal minutes of one oral evidence session."""
        doc, code = await minutes_doc(self.store, session_id, self.tz)
        data = await asyncio.to_thread(build_minutes, doc)
        return ExportedFile(export_filename("minutes", code, session_id), data)

    async def transcript(self, session_id: int) -> ExportedFile:
        """The oral evidence transcript of one session, in the committee layout."""
        doc, code = await transcript_doc(self.store, session_id, self.tz)
        data = await asyncio.to_thread(build_transcript, doc)
        return ExportedFile(export_filename("transcript", code, session_id), data)

    async def save(self, exported: ExportedFile, folder: Path | None = None) -> Path:
        """Write a document into the export folder (or ``folder``); return its path."""
        target = Path(folder or self.export_dir) / exported.filename
        await asyncio.to_thread(_write, target, exported.data)
        return target

    async def _record_redactions(self, inquiry: Inquiry, result, actor_id: int | None) -> None:
        by_reference: dict[str, list] = {}
        for redaction in result.redactions:
            by_reference.setdefault(redaction.reference, []).append(redaction)
        if not by_reference:
            return
        references = {s.reference: s for s in await self.store.submissions.in_inquiry(inquiry.id, _ALL)}
        async with self.store.transaction():
            for reference, found in by_reference.items():
                submission = references.get(reference)
                detail = "; ".join(f"{r.kind} in {r.location}" for r in found)
                await self.store.audit.record(
                    inquiry_id=inquiry.id,
                    submission_id=submission.id if submission else None,
                    actor_id=actor_id,
                    action="redacted in export",
                    detail=f"{len(found)} automatic redaction(s): {detail}",
                    reason="personal data is not published",
                    at=self.clock(),
                )


def _write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(target.suffix + ".part")
    partial.write_bytes(data)
    partial.replace(target)
