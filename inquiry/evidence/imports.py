"""Evidence received outside Discord (by post, by email) and entered by the secretariat.

It gets a reference, a forum post and its place in the record like any other submission, marked as entered by the
secretariat, and the entry is audited. The file is a document, read by the documents package in a child process with
limits and kept under its SHA-256 beside the witnesses' documents; it stands as one statement. The sender has no
account here, so the bot tells them nothing: the secretariat answers them the way the evidence came.

A received date is a day: the evidence is late when that day is after the closing date's, and it is recorded as
received at midday on that day (in the inquiry's time zone), or now when it arrived today.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path, PurePath
from zoneinfo import ZoneInfo

from documents import DEFAULT_MAX_BYTES, DocumentRefused, Limits, extract_document_isolated
from documents.errors import ACCEPTED as ACCEPTED_FILES
from documents.model import Document
from inquiry.core.errors import InvalidInput, NotFound
from inquiry.core.rules import MAX_NAME_CHARS, count_words, require_text
from inquiry.evidence.content import EvidenceDocument
from inquiry.evidence.documents import original_key
from inquiry.evidence.entry import Entry, EntryDetails
from inquiry.evidence.models import Capacity, Submission, SubmissionStatus
from inquiry.inquiries.models import Inquiry
from inquiry.outbox.service import OutboxService
from inquiry.review.service import parse_reference
from inquiry.sessions.recording_zip import is_media_name
from inquiry.store import Store
from storage import FolderStorage, MediaStorage, StorageError

log = logging.getLogger(__name__)

VIA = ("discord", "upload", "command_line")
NOTE_CHARS = 1200


@dataclass(frozen=True, slots=True)
class Entered:
    """Evidence just entered: its submission (with its reference), inquiry, document and how it came in."""

    submission: Submission
    inquiry: Inquiry
    document: EvidenceDocument
    entry: Entry

    @property
    def over_limit(self) -> bool:
        """Whether it is longer than the inquiry's word limit (entered all the same)."""
        return self.submission.word_count > self.inquiry.word_limit


def parse_received(text: str | None) -> date | None:
    """``2026-05-12`` as a date (None for nothing); :class:`InvalidInput` otherwise."""
    if text is None or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        shown = text.strip()[:40]
        raise InvalidInput(f"{shown!r} is not a date: write it as YYYY-MM-DD, such as 2026-05-12.") from None


class EvidenceImports:
    """The secretariat enters evidence received outside Discord."""

    def __init__(
        self,
        store: Store,
        clock: Callable[[], datetime],
        tz: ZoneInfo,
        outbox: OutboxService,
        media_dir: Path,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        limits: Limits | None = None,
        storage: MediaStorage | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.tz = tz
        self.outbox = outbox
        self.media_dir = Path(media_dir)
        self.storage = storage or FolderStorage(self.media_dir)  # where originals are kept
        self.max_bytes = max_bytes
        self.limits = limits

    def check(self, details: EntryDetails) -> EntryDetails:
        """The details trimmed and checked: a name, the organisation's when for one, a received date not to come."""
        name = require_text(details.name, "name of the person the evidence is from", MAX_NAME_CHARS)
        organisation = require_text(details.organisation, "organisation's name", 200, required=False) or None
        contact = require_text(details.contact, "contact details", 300, required=False) or None
        if details.capacity is Capacity.ORGANISATION and not organisation:
            raise InvalidInput("Evidence on behalf of an organisation needs the organisation's name.")
        if details.capacity is Capacity.INDIVIDUAL:
            organisation = None
        today = self.clock().astimezone(self.tz).date()
        if details.received_on is not None and details.received_on > today:
            raise InvalidInput(f"Evidence cannot have been received on {details.received_on:%d %B %Y}, after today.")
        return EntryDetails(
            name=name,
            capacity=details.capacity,
            publication=details.publication,
            organisation=organisation,
            contact=contact,
            received_on=details.received_on or today,
            accept=details.accept,
        )

    def check_file(self, filename: str, size: int) -> None:
        """Refuse, before anything is downloaded, a file that cannot be entered: a recording, or one too large."""
        if is_media_name(filename):
            raise InvalidInput(
                f"{filename} is a recording. Evidence entered by the secretariat is a document: {ACCEPTED_FILES}."
            )
        if size > self.max_bytes:
            raise InvalidInput(
                f"{filename} is {size / 2**20:.1f} MB; a document can be at most {self.max_bytes / 2**20:.0f} MB."
            )

    async def enter(
        self,
        inquiry: Inquiry,
        details: EntryDetails,
        source: bytes | Path,
        filename: str,
        *,
        actor_id: int | None,
        via: str,
        content_type: str | None = None,
        actor_name: str | None = None,
    ) -> Entered:
        """Read the file and enter it as evidence received on ``details.received_on``, with the next reference.

        Everything (reference, submission, document, audit, forum post owed, acceptance) is written in one
        transaction; a file that cannot be read changes nothing.
        """
        if via not in VIA:
            raise ValueError(f"unknown way in {via!r}")
        details = self.check(details)
        filename = PurePath(filename or "document").name[:200] or "document"
        size = len(source) if isinstance(source, bytes) else (await asyncio.to_thread(os.stat, source)).st_size
        self.check_file(filename, size)
        document = await self._read(source, filename)
        words = count_words(document.text)
        path = await self._keep(source, document.sha256, document.format.value, filename)
        now = self.clock()
        received_at, late = self._received(inquiry, details.received_on, now)
        async with self.store.transaction():
            number = await self.store.inquiries.take_reference_number(inquiry.id)
            reference = f"{inquiry.code}{number:04d}"
            submission_id = await self.store.entered.create_submission(
                inquiry_id=inquiry.id,
                number=number,
                reference=reference,
                capacity=details.capacity,
                name=details.name,
                organisation=details.organisation,
                contact=details.contact,
                publication=details.publication,
                late=late,
                words=words,
                received_at=received_at,
                now=now,
            )
            document_id = await self.store.documents.add(
                submission_id=submission_id,
                user_id=None,
                document=document,
                path=path,
                filename=filename,
                content_type=content_type,
                split=None,
                words=words,
                source="upload",
                message_id=None,
                now=now,
            )
            await self.store.entered.add(
                submission_id, entered_by=actor_id, received_on=details.received_on, via=via, now=now
            )
            detail = f"{reference}: {filename}, {words:,} words, received {details.received_on.isoformat()}"
            if late:
                detail += ", late"
            if words > inquiry.word_limit:
                detail += f", over the word limit of {inquiry.word_limit:,}"
            change = await self.store.audit.record(
                inquiry_id=inquiry.id,
                submission_id=submission_id,
                actor_id=actor_id,
                actor_name=actor_name,
                action="entered by secretariat",
                detail=detail,
                at=now,
            )
            await self.outbox.forum_post_owed(submission_id)
            note = _entry_note(document, filename, details.received_on, words, inquiry.word_limit, via)
            await self.outbox.forum_update_owed(submission_id, change, note, actor_id=actor_id)
            if details.accept:
                await self._accept(inquiry, submission_id, reference, actor_id, actor_name, now)
        self.outbox.wake()
        log.info("%s entered by the secretariat for %s (%s, %d words)", reference, inquiry.code, via, words)
        return Entered(
            await self.store.submissions.get(submission_id),
            inquiry,
            await self.store.documents.get(document_id),
            await self.store.entered.get(submission_id),
        )

    async def entry_of(self, submission_id: int) -> Entry | None:
        """How a submission was entered by the secretariat (None: a witness gave it on Discord)."""
        return await self.store.entered.get(submission_id)

    async def inquiry(self, code: str) -> Inquiry:
        """The one inquiry of the database with this code (for the command line, which knows no server)."""
        found = await self.store.inquiries.by_code_anywhere(code.strip().upper())
        if not found:
            raise NotFound(f"There is no inquiry {code.strip().upper()}.")
        if len(found) > 1:
            raise InvalidInput(f"{len(found)} servers have an inquiry {code.strip().upper()}.")
        return found[0]

    async def find(self, reference: str, code: str | None = None) -> tuple[Inquiry, Submission]:
        """A submission by its reference in any inquiry of the database (its letters are the inquiry's code)."""
        parsed_code, canonical = parse_reference(reference)
        inquiries = await self.store.inquiries.by_code_anywhere(code or parsed_code)
        for inquiry in inquiries:
            submission = await self.store.submissions.by_reference(inquiry.id, canonical)
            if submission is not None:
                return inquiry, submission
        raise NotFound(f"There is no submission {canonical}.")

    # Helpers ------------------------------------------------------------------------------------

    def _received(self, inquiry: Inquiry, received_on: date, now: datetime) -> tuple[datetime, bool]:
        """When the evidence counts as received, and whether that is late."""
        if received_on == now.astimezone(self.tz).date():
            return now, inquiry.is_late(now)
        closing = inquiry.closes_at.astimezone(self.tz).date() if inquiry.closes_at else None
        return datetime.combine(received_on, time(12), self.tz), closing is not None and received_on > closing

    async def _accept(
        self,
        inquiry: Inquiry,
        submission_id: int,
        reference: str,
        actor_id: int | None,
        actor_name: str | None,
        now: datetime,
    ) -> None:
        if not await self.store.submissions.change_status(
            submission_id, was=SubmissionStatus.SUBMITTED, to=SubmissionStatus.ACCEPTED, reason=None, now=now
        ):
            raise RuntimeError(f"{reference} could not be accepted as it was entered")
        change = await self.store.audit.record(
            inquiry_id=inquiry.id,
            submission_id=submission_id,
            actor_id=actor_id,
            actor_name=actor_name,
            action="accepted",
            detail="submitted → accepted, as it was entered",
            at=now,
        )
        await self.outbox.forum_update_owed(submission_id, change, "Accepted by {actor}.", actor_id=actor_id)

    async def _read(self, source: bytes | Path, filename: str) -> Document:
        try:
            return await extract_document_isolated(
                source, filename, self.max_bytes, count_words=count_words, limits=self.limits
            )
        except DocumentRefused as refusal:
            log.info("entered document %s refused: %s", filename[:80], refusal.reason.value)
            raise InvalidInput(f"I could not read {filename}: {refusal.message} Nothing was entered.") from refusal

    async def _keep(self, source: bytes | Path, sha256: str, extension: str, filename: str) -> str:
        """Copy the original under its SHA-256 (once); return its key, its path relative to the media folder."""
        key = original_key(sha256, extension)
        try:
            await self.storage.put(key, source, sha256)
        except StorageError as error:
            log.error("could not keep entered document %s in the media storage: %s", key, error)
            raise InvalidInput(
                f"I could not keep {filename}: the storage for evidence files did not take it ({error}). Nothing was"
                " entered; please try again in a few minutes."
            ) from error
        return key


def _entry_note(document: Document, filename: str, received_on: date, words: int, limit: int, via: str) -> str:
    how = "from the command line" if via == "command_line" else "by {actor}"
    note = (
        f"Entered {how} for someone outside Discord: received on {received_on:%d %B %Y} as {filename}"
        f" ({words:,} words), standing as one statement."
    )
    if words > limit:
        note += f" It is over the word limit of {limit:,}."
    text = document.text.strip()
    if len(text) > NOTE_CHARS:
        text = text[:NOTE_CHARS].rsplit(" ", 1)[0] + " …\n*(the start: the whole document is in /review show)*"
    return f"{note}\n{text}"
