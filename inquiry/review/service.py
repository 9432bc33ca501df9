"""The secretariat's review of written evidence: accept, reject, redact, publish, and the audit log."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from inquiry.core.errors import InvalidInput, InvalidState, NotFound
from inquiry.core.models import AuditEntry
from inquiry.core.rules import MAX_REASON_CHARS, format_reference, require_text
from inquiry.evidence.changes import conflict
from inquiry.evidence.models import Publication, Redaction, Submission, SubmissionStatus
from inquiry.inquiries.models import Inquiry
from inquiry.outbox.service import OutboxService
from inquiry.review.redactions import MAX_PASSAGE_CHARS, appears
from inquiry.store import Store

log = logging.getLogger(__name__)

S = SubmissionStatus
# Which decisions the secretariat may take from each state.
TRANSITIONS: dict[SubmissionStatus, frozenset[SubmissionStatus]] = {
    S.SUBMITTED: frozenset({S.ACCEPTED, S.REJECTED}),
    S.ACCEPTED: frozenset({S.PUBLISHED, S.REJECTED}),
    S.REJECTED: frozenset({S.ACCEPTED}),
    S.PUBLISHED: frozenset({S.WITHDRAWN}),
}
REVIEWABLE = (S.SUBMITTED, S.ACCEPTED, S.REJECTED, S.PUBLISHED, S.WITHDRAWN)
REFERENCE = re.compile(r"^([A-Za-z]{2,6})\s*0*(\d{1,9})$")


def parse_reference(text: str) -> tuple[str, str]:
    """Split a reference into the inquiry's code and the canonical reference: ``sci1`` gives ``SCI``, ``SCI0001``."""
    match = REFERENCE.match(text.strip())
    if match is None:
        raise InvalidInput(f"{text.strip()[:40]!r} is not a reference: they look like SCI0001.")
    code = match[1].upper()
    return code, format_reference(code, int(match[2]))


@dataclass(frozen=True, slots=True)
class Transcription:
    """One transcription of a recording: which engine and model, and where it stands."""

    job_id: int
    engine: str
    model: str
    state: str  # queued, running, done, failed
    error: str | None


@dataclass(frozen=True, slots=True)
class RecordingSummary:
    """A recording given with a submission, as the secretariat reviews it."""

    item_id: int
    kind: str  # voice, audio, video
    filename: str
    duration: float | None
    question_label: str | None  # None: a general statement
    status: str  # received, transcribed, confirmed, failed
    corrected: bool
    transcriptions: tuple[Transcription, ...]


class ReviewService:
    """Decisions on submissions. Every decision is written to the audit log with who, when and why."""

    def __init__(self, store: Store, clock: Callable[[], datetime], outbox: OutboxService | None = None) -> None:
        self.store = store
        self.clock = clock
        self.outbox = outbox or OutboxService(store, clock)

    async def find(self, inquiry: Inquiry, reference: str) -> Submission:
        """A submission by its reference (``SCI0001``; ``sci1`` is read the same way)."""
        match = REFERENCE.match(reference.strip())
        if match and match[1].upper() == inquiry.code:
            reference = format_reference(inquiry.code, int(match[2]))
        submission = await self.store.submissions.by_reference(inquiry.id, reference.strip())
        if submission is None:
            raise NotFound(f"{inquiry.code} has no submission {reference.strip().upper()}.")
        return submission

    async def inquiry_of(self, guild_id: int, reference: str) -> Inquiry:
        """The inquiry on a server that a reference belongs to: its letters are the inquiry's code."""
        code, canonical = parse_reference(reference)
        inquiry = await self.store.inquiries.by_code(guild_id, code)
        if inquiry is None:
            raise NotFound(f"There is no inquiry {code} on this server, so no submission {canonical}.")
        return inquiry

    async def list(self, inquiry: Inquiry, status: SubmissionStatus | None = None) -> list[Submission]:
        """Submissions received, optionally of one status."""
        statuses = (status,) if status else REVIEWABLE
        return await self.store.submissions.in_inquiry(inquiry.id, statuses)

    async def accept(self, inquiry: Inquiry, reference: str, actor_id: int) -> Submission:
        """Accept evidence into the inquiry's record."""
        return await self._decide(inquiry, reference, S.ACCEPTED, actor_id, None)

    async def reject(self, inquiry: Inquiry, reference: str, actor_id: int, reason: str) -> Submission:
        """Reject evidence, with the reason recorded."""
        reason = require_text(reason, "reason for rejecting", MAX_REASON_CHARS)
        return await self._decide(inquiry, reference, S.REJECTED, actor_id, reason)

    async def publish(self, inquiry: Inquiry, reference: str, actor_id: int) -> Submission:
        """Mark accepted evidence as published (confidential evidence never is)."""
        submission = await self.find(inquiry, reference)
        if submission.publication is Publication.CONFIDENTIAL:
            raise InvalidState(f"{submission.reference} was given in confidence and cannot be published.")
        return await self._decide(inquiry, reference, S.PUBLISHED, actor_id, None)

    async def withdraw(self, inquiry: Inquiry, reference: str, actor_id: int, reason: str) -> Submission:
        """Withdraw published evidence from publication, with the reason recorded."""
        reason = require_text(reason, "reason for withdrawing", MAX_REASON_CHARS)
        return await self._decide(inquiry, reference, S.WITHDRAWN, actor_id, reason)

    async def redact(
        self, inquiry: Inquiry, reference: str, question_number: int, passage: str, reason: str, actor_id: int
    ) -> Redaction:
        """Redact a passage of one answer from publication (exactly as it appears, give or take white space),
        recording why. Recordings' transcripts, documents and oral evidence: :mod:`inquiry.review.redactions`."""
        submission = await self.find(inquiry, reference)
        passage = require_text(passage, "passage to redact", MAX_PASSAGE_CHARS)
        reason = require_text(reason, "reason for the redaction", MAX_REASON_CHARS)
        question = next((q for q in inquiry.questions if q.position == question_number), None)
        if question is None:
            raise NotFound(f"{inquiry.code} has no question {question_number}.")
        if not appears(passage, submission.answers.get(question.id, "")):
            raise InvalidInput(f"That passage does not appear word for word in the answer to Q{question_number}.")
        now = self.clock()
        async with self.store.transaction():
            redaction_id = await self.store.submissions.add_redaction(
                submission.id, question.id, passage, reason, actor_id, now
            )
            await self.store.audit.record(
                inquiry_id=inquiry.id,
                submission_id=submission.id,
                actor_id=actor_id,
                action="redacted",
                detail=f"Q{question_number}: {len(passage)} characters",
                reason=reason,
                at=now,
                target_kind="redaction",
                target_id=redaction_id,
            )
        return next(r for r in await self.store.submissions.redactions(submission.id) if r.id == redaction_id)

    async def attach_forum_thread(self, submission: Submission, thread_id: int) -> None:
        """Remember the forum post that shows a submission to the secretariat."""
        async with self.store.transaction():
            await self.store.submissions.link_forum_thread(submission.id, thread_id)

    async def redactions(self, submission: Submission) -> list[Redaction]:
        """The secretariat's redactions on a submission."""
        return await self.store.submissions.redactions(submission.id)

    async def recordings(self, inquiry: Inquiry, submission: Submission) -> list[RecordingSummary]:
        """The recordings given with a submission, each with every transcription made of it (oldest first)."""
        labels = {q.id: q.label for q in inquiry.questions}
        found = []
        for item in await self.store.media.items_of_submission(submission.id):
            media = await self.store.media.media(item.media_id)
            jobs = await self.store.media.jobs_for_item(item.id)
            found.append(
                RecordingSummary(
                    item_id=item.id,
                    kind=item.kind,
                    filename=media.filename if media else "recording",
                    duration=media.duration if media else None,
                    question_label=labels.get(item.question_id),
                    status=item.status,
                    corrected=item.corrected,
                    transcriptions=tuple(Transcription(j.id, j.engine, j.model, j.state, j.error) for j in jobs),
                )
            )
        return found

    async def recording_in_guild(self, guild_id: int, item_id: int) -> int:
        """Check that recording ``item_id`` was given as evidence (written or oral) to an inquiry of this server."""
        item = await self.store.media.item(item_id)
        owner = None
        if item is not None and item.submission_id:
            owner = await self.store.submissions.get(item.submission_id)
        elif item is not None and item.session_id:
            owner = await self.store.sessions.get(item.session_id)
        inquiry = await self.store.inquiries.get(owner.inquiry_id) if owner else None
        if inquiry is None or inquiry.guild_id != guild_id:
            raise NotFound(f"There is no recording {item_id} in this server's evidence.")
        return item_id

    async def audit(self, inquiry: Inquiry, reference: str | None = None) -> list[AuditEntry]:
        """The audit log of one submission, or the latest entries of the whole inquiry."""
        if reference:
            submission = await self.find(inquiry, reference)
            return await self.store.audit.for_submission(submission.id)
        return await self.store.audit.for_inquiry(inquiry.id)

    async def _decide(
        self, inquiry: Inquiry, reference: str, to: SubmissionStatus, actor_id: int, reason: str | None
    ) -> Submission:
        submission = await self.find(inquiry, reference)
        if to not in TRANSITIONS.get(submission.status, frozenset()):
            raise InvalidState(f"{submission.reference} is {submission.status.value}; it cannot be made {to.value}.")
        now = self.clock()
        async with self.store.transaction():  # only if it is still as it was read: else nothing changes
            if not await self.store.submissions.change_status(
                submission.id, was=submission.status, to=to, reason=reason, now=now
            ):
                raise conflict(submission, await self.store.submissions.get(submission.id))
            change = await self.store.audit.record(
                inquiry_id=inquiry.id,
                submission_id=submission.id,
                actor_id=actor_id,
                action=to.value,
                detail=f"{submission.status.value} → {to.value}",
                reason=reason,
                at=now,
            )
            note = f"{to.value.capitalize()} by {{actor}}." + (f" Reason: {reason}" if reason else "")
            await self.outbox.forum_update_owed(submission.id, change, note, actor_id=actor_id)
            await self.outbox.witness_notice_owed(submission.id, change, to.value, reason)
        self.outbox.wake()
        log.info("%s %s by %s", submission.reference, to.value, actor_id)
        return await self.find(inquiry, reference)
