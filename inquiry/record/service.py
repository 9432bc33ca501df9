"""The record's documents for the bot and the command line: the domain's read-models go through the exports'
Word writers in a process of their own (:func:`exports.isolated.run_isolated`), so that building never holds up
the event loop, with a time limit; automatic redactions are written to the audit log."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from exports import build_evidence_volume, export_filename
from exports.isolated import ExportCrashed, ExportTimeout, run_isolated
from exports.minutes import build_minutes_result
from exports.transcript import build_transcript_result
from inquiry.core.errors import DomainError
from inquiry.evidence.models import SubmissionStatus
from inquiry.inquiries.models import Inquiry
from inquiry.record.redaction_log import log_automatic
from inquiry.record.sessions import minutes_doc, transcript_doc
from inquiry.record.volume import evidence_volume_doc
from inquiry.store import Store

log = logging.getLogger(__name__)

_ALL = tuple(SubmissionStatus)
BUILD_TIME_LIMIT = 300.0  # seconds; a 1,000-submission volume takes a few


class ExportFailed(DomainError):
    """A document could not be built: it took longer than the time limit, or its process died."""


@dataclass(frozen=True, slots=True)
class ExportedFile:
    """A document ready to send or save."""

    filename: str
    data: bytes
    redactions: int = 0
    unapplied: list = field(default_factory=list)
    inquiry_id: int | None = None  # whose document it is, and what it holds (recorded when it is saved)
    session_id: int | None = None
    submission_ids: tuple[int, ...] = ()


class ExportService:
    """Formal minutes, oral evidence transcripts and the written evidence volume as Word documents."""

    def __init__(
        self,
        store: Store,
        tz: ZoneInfo,
        export_dir: Path,
        clock: Callable[[], datetime],
        build_time_limit: float = BUILD_TIME_LIMIT,
    ) -> None:
        self.store = store
        self.tz = tz
        self.export_dir = Path(export_dir)
        self.clock = clock
        self.build_time_limit = build_time_limit

    async def evidence_volume(self, inquiry: Inquiry, actor_id: int | None) -> ExportedFile:
        """The volume of accepted and published written evidence, personal data redacted and recorded."""
        doc = await evidence_volume_doc(self.store, inquiry, timezone_name=self.tz.key)
        result = await self._build("evidence volume", build_evidence_volume, doc)
        await self._record_redactions(inquiry, result, actor_id)
        return ExportedFile(
            filename=export_filename("evidence", inquiry.code, self.clock()),
            data=result.data,
            redactions=_automatic(result),
            unapplied=list(result.unapplied),
            inquiry_id=inquiry.id,
            submission_ids=await self._held(inquiry, doc),
        )

    async def minutes(self, session_id: int, actor_id: int | None = None) -> ExportedFile:
        """The formal minutes of one oral evidence session (``SCI-minutes-session-2.docx``, by its number), personal
        data redacted and recorded."""
        doc, code = await minutes_doc(self.store, session_id, self.tz)
        result = await self._build("formal minutes", build_minutes_result, doc)
        number = await self._record_session_redactions(session_id, result, actor_id, "the minutes")
        return ExportedFile(
            export_filename("minutes", code, number),
            result.data,
            redactions=_automatic(result),
            inquiry_id=(await self.store.sessions.get(session_id)).inquiry_id,
            session_id=session_id,
        )

    async def transcript(self, session_id: int, actor_id: int | None = None) -> ExportedFile:
        """The oral evidence transcript of one session, in the committee layout: the secretariat's redactions applied,
        personal data redacted and recorded."""
        doc, code = await transcript_doc(self.store, session_id, self.tz)
        result = await self._build("transcript", build_transcript_result, doc)
        number = await self._record_session_redactions(session_id, result, actor_id, "the transcript")
        return ExportedFile(
            export_filename("transcript", code, number),
            result.data,
            redactions=_automatic(result),
            unapplied=list(result.unapplied),
            inquiry_id=(await self.store.sessions.get(session_id)).inquiry_id,
            session_id=session_id,
        )

    async def _held(self, inquiry: Inquiry, doc) -> tuple[int, ...]:
        """The ids of the submissions a volume holds (by their references)."""
        ids = {s.reference: s.id for s in await self.store.submissions.in_inquiry(inquiry.id, _ALL)}
        return tuple(ids[s.reference] for s in doc.submissions if s.reference in ids)

    async def _record_session_redactions(self, session_id: int, result, actor_id: int | None, what: str) -> int:
        """Log the automatic redactions of a session's document not logged before; return the session's number."""
        session = await self.store.sessions.get(session_id)
        where = (session_id, f"{what} of session {session.number}")
        await log_automatic(self.store, self.clock, session.inquiry_id, result.redactions, actor_id, session=where)
        return session.number

    async def _number(self, session_id: int) -> int:
        """A session's number within its inquiry (what people call it)."""
        return (await self.store.sessions.get(session_id)).number

    async def save(self, exported: ExportedFile, folder: Path | None = None) -> Path:
        """Write a document into the export folder (or ``folder``); return its path."""
        target = Path(folder or self.export_dir) / exported.filename
        await asyncio.to_thread(_write, target, exported.data)
        if exported.inquiry_id is not None:  # what it holds, for erasure to find it
            async with self.store.transaction():
                await self.store.erasure.add_saved_export(
                    inquiry_id=exported.inquiry_id,
                    session_id=exported.session_id,
                    kind="session" if exported.session_id else "evidence",
                    filename=exported.filename,
                    path=str(target.resolve()),
                    submission_ids=list(exported.submission_ids),
                    now=self.clock(),
                )
        return target

    async def _build(self, what: str, builder: Callable, doc: object):
        try:
            return await run_isolated(builder, doc, time_limit=self.build_time_limit)
        except ExportTimeout as error:
            raise ExportFailed(
                f"The {what} took longer than {self.build_time_limit:g} seconds to build, so I stopped it and "
                "nothing was sent. Please try again later; if it happens again, tell whoever runs the bot."
            ) from error
        except ExportCrashed as error:
            log.error("%s", error)
            raise ExportFailed(
                f"Building the {what} failed and nothing was sent. Please try again; if it happens again, "
                "tell whoever runs the bot."
            ) from error

    async def _record_redactions(self, inquiry: Inquiry, result, actor_id: int | None) -> None:
        """Log the volume's automatic redactions not logged before, one entry per submission."""
        if not result.redactions:
            return
        references = {s.reference: s.id for s in await self.store.submissions.in_inquiry(inquiry.id, _ALL)}
        await log_automatic(self.store, self.clock, inquiry.id, result.redactions, actor_id, submission_ids=references)


def _automatic(result) -> int:
    """How many passages of a document were redacted automatically (not by the secretariat)."""
    return sum(1 for redaction in result.redactions if redaction.kind != "secretariat")


def _write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(target.suffix + ".part")
    partial.write_bytes(data)
    partial.replace(target)
