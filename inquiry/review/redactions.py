"""The secretariat's redactions of every part of the record: written answers (see
:meth:`inquiry.review.service.ReviewService.redact`), a witness's confirmed transcript of a voice message, audio or
video file, documents, and oral evidence (an answer posted in a session's thread, a passage of its recording). Each
is named by the kind and id of what it redacts (:mod:`inquiry.review.redaction_models`), checked against the text
the record holds, audited with its reason, listed, and undone with a reason. The exports apply those in force: the
evidence volume for written and spoken evidence, the transcript for oral evidence.

Documents are redacted through a resolver (:meth:`RedactionService.register`; the default gives each block of the
document: a paragraph, a heading, a list item or a table's row, as the volume prints them one at a time, so that a
passage is found only where the volume can take it out): given a submission and the text's id, it returns the texts
a passage may be found in (or the whole text) and how to name it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from inquiry.core.errors import InvalidInput, InvalidState, NotFound
from inquiry.core.rules import MAX_REASON_CHARS, require_text
from inquiry.evidence.models import Submission, SubmissionStatus
from inquiry.inquiries.models import Inquiry
from inquiry.review.redaction_models import RedactionPlace, RedactionRecord, TargetKind
from inquiry.sessions.models import Session, SessionStatus
from inquiry.sessions.passages import Passage, said_in
from inquiry.store import Store

log = logging.getLogger(__name__)

MAX_PASSAGE_CHARS = 20_000  # the redaction form: four inputs of 4,000 characters, or one answer whole
# Finds a target's text, or its texts (a passage lies within one), and its name: ("...", "document #3"); None: no such
# target.
Resolver = Callable[[Submission, int], Awaitable[tuple[str | list[str], str] | None]]


def _words(text: str) -> str:
    return " ".join(text.split())


def appears(passage: str, text: str) -> bool:
    """Whether ``passage`` is in ``text``, allowing for differences of white space (line breaks, repeated spaces)."""
    return bool(_words(passage)) and _words(passage) in _words(text)


class RedactionService:
    """Redactions of recordings' transcripts, documents and oral evidence; listing and undoing every kind."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock
        self.resolvers: dict[TargetKind, Resolver] = {TargetKind.DOCUMENT: self._document}

    def register(self, kind: TargetKind, resolver: Resolver) -> None:
        """Let a feature's texts (documents) be redacted: ``resolver(submission, target_id)`` gives the text."""
        self.resolvers[kind] = resolver

    # Written evidence ---------------------------------------------------------------------------

    async def redact_recording(
        self, submission: Submission, item_id: int, passage: str, reason: str, actor_id: int
    ) -> RedactionPlace:
        """Withhold a passage of a witness's confirmed transcript of a recording given with ``submission``."""
        passage, reason = _checked(passage, reason)
        item = await self.store.media.item(item_id)
        if item is None or item.submission_id != submission.id:
            raise NotFound(f"{submission.reference} has no recording #{item_id}.")
        if item.status != "confirmed" or not item.confirmed_text:
            raise InvalidState(
                f"The witness has not confirmed the transcript of recording #{item_id} yet, so it is not in the"
                " evidence to redact."
            )
        where = f"recording #{item_id}"
        if not appears(passage, item.confirmed_text):
            raise InvalidInput(f"That passage does not appear in the transcript of {where}.")
        return await self._add(TargetKind.MEDIA_ITEM, item_id, passage, reason, actor_id, where, submission=submission)

    async def redact_target(
        self, submission: Submission, kind: TargetKind, target_id: int, passage: str, reason: str, actor_id: int
    ) -> RedactionPlace:
        """Withhold a passage of a document given with ``submission`` (or of another kind of text with a resolver)."""
        passage, reason = _checked(passage, reason)
        resolver = self.resolvers.get(kind)
        found = await resolver(submission, target_id) if resolver else None
        if found is None:
            raise NotFound(f"{submission.reference} has no {kind.value.replace('_', ' ')} #{target_id}.")
        texts, where = found
        texts = [texts] if isinstance(texts, str) else texts
        if not any(appears(passage, text) for text in texts):
            raise InvalidInput(f"That passage does not appear in {where}.")
        return await self._add(kind, target_id, passage, reason, actor_id, where, submission=submission)

    async def _document(self, submission: Submission, document_id: int) -> tuple[list[str], str] | None:
        """A document in use with ``submission``: its blocks' texts (a table's rows one by one) and its name."""
        document = await self.store.documents.get(document_id)
        if document is None or document.submission_id != submission.id or document.removed_at is not None:
            return None
        texts = []
        for block in document.content.blocks:
            texts += [" | ".join(row) for row in block.rows] if block.rows else [block.text]
        return texts, f"document #{document_id} ({document.filename})"

    # Oral evidence ------------------------------------------------------------------------------

    async def redact_oral(
        self, session: Session, question_number: int, passage: str, reason: str, actor_id: int
    ) -> list[RedactionPlace]:
        """Withhold a passage of what was said under oral question ``question_number`` (0: before the first question),
        wherever it appears there: in an answer posted in the thread, or in a passage of the recording."""
        passage, reason = _checked(passage, reason)
        if session.opened_at is None or session.status is SessionStatus.SCHEDULED:
            raise InvalidState(f"Session {session.number} has not been heard yet, so it has no record to redact.")
        if question_number:
            question = await self.store.sessions.question_by_number(session.id, question_number)
            if question is None:
                raise NotFound(f"Q{question_number} was not put in session {session.number}.")
            wanted = question.id
        else:
            wanted = None
        under = [p for p in await said_in(self.store, session) if (p.question.id if p.question else None) == wanted]
        matching = [p for p in under if appears(passage, p.text)]
        label = f"Q{question_number}" if question_number else "the opening"
        if not matching:
            raise InvalidInput(
                f"That passage does not appear in what was said under {label} in session {session.number}."
            )
        return [
            await self._add(*p.target, passage, reason, actor_id, _oral_where(session, p), session=session)
            for p in matching
        ]

    # Reading and undoing -------------------------------------------------------------------------

    async def of_submission(self, submission: Submission) -> list[RedactionPlace]:
        """A submission's redactions, those undone too, oldest first."""
        inquiry = await self.store.inquiries.get(submission.inquiry_id)
        records = await self.store.redactions.of_submission(submission.id, undone=True)
        return [await self._place(r, inquiry) for r in records]

    async def of_session(self, session: Session) -> list[RedactionPlace]:
        """A session's redactions, those undone too, oldest first."""
        return [await self._place(r) for r in await self.store.redactions.of_session(session.id, undone=True)]

    async def get(self, guild_id: int, redaction_id: int) -> RedactionPlace:
        """A redaction of this server's record."""
        record = await self.store.redactions.get(redaction_id)
        if record is None or await self._guild_of(record) != guild_id:
            raise NotFound(f"There is no redaction {redaction_id} on this server.")
        return await self._place(record)

    async def undo(self, guild_id: int, redaction_id: int, reason: str, actor_id: int) -> RedactionPlace:
        """Publish a redacted passage again (the redaction is kept, marked undone), recording why."""
        reason = require_text(reason, "reason for undoing the redaction", MAX_REASON_CHARS)
        place = await self.get(guild_id, redaction_id)
        record = place.redaction
        now = self.clock()
        async with self.store.transaction():
            if not await self.store.redactions.undo(record.id, actor_id, reason, now):
                raise InvalidState(f"Redaction {record.id} was already undone.")
            await self.store.audit.record(
                inquiry_id=await self._inquiry_id(record),
                submission_id=record.submission_id,
                actor_id=actor_id,
                action="unredacted",
                detail=f"redaction {record.id} of {place.where}: {len(record.passage)} characters",
                reason=reason,
                at=now,
                session_id=record.session_id,
                target_kind="redaction",
                target_id=record.id,
            )
        return await self.get(guild_id, redaction_id)

    # Helpers ------------------------------------------------------------------------------------

    async def _add(
        self,
        kind: TargetKind,
        target_id: int,
        passage: str,
        reason: str,
        actor_id: int,
        where: str,
        *,
        submission: Submission | None = None,
        session: Session | None = None,
    ) -> RedactionPlace:
        if submission is not None and submission.status in (SubmissionStatus.DRAFT, SubmissionStatus.ERASED):
            raise InvalidState(f"{submission.reference or 'A draft'} is {submission.status.value}: nothing to redact.")
        now = self.clock()
        async with self.store.transaction():
            redaction_id = await self.store.redactions.add(
                target_kind=kind,
                target_id=target_id,
                submission_id=submission.id if submission else None,
                session_id=session.id if session else None,
                question_id=None,
                passage=passage,
                reason=reason,
                actor_id=actor_id,
                now=now,
            )
            await self.store.audit.record(
                inquiry_id=submission.inquiry_id if submission else session.inquiry_id,
                submission_id=submission.id if submission else None,
                actor_id=actor_id,
                action="redacted",
                detail=f"{where}: {len(passage)} characters",
                reason=reason,
                at=now,
                session_id=session.id if session else None,
                target_kind="redaction",
                target_id=redaction_id,
            )
        log.info("redaction %s of %s by %s", redaction_id, where, actor_id)
        return RedactionPlace(await self.store.redactions.get(redaction_id), where)

    async def _place(self, record: RedactionRecord, inquiry: Inquiry | None = None) -> RedactionPlace:
        """A redaction with where it applies, in the secretariat's words."""
        if record.target_kind is TargetKind.ANSWER:
            inquiry = inquiry or await self.store.inquiries.get(await self._inquiry_id(record))
            label = next((q.label for q in inquiry.questions if q.id == record.question_id), "Q?")
            return RedactionPlace(record, label)
        if record.target_kind is TargetKind.MEDIA_ITEM:
            return RedactionPlace(record, f"recording #{record.target_id}")
        if record.target_kind is TargetKind.DOCUMENT:
            return RedactionPlace(record, f"document #{record.target_id}")
        session = await self.store.sessions.get(record.session_id)
        if record.target_kind is TargetKind.SESSION_ANSWER:
            answer = await self.store.sessions.answer(record.target_id)
            question = await self.store.sessions.question(answer.question_id) if answer else None
            who = answer.speaker_name if answer else "an answer"
            label = question.label if question else "Q?"
            return RedactionPlace(record, f"session {session.number}, {label}, {who} (in the thread)")
        segment = await self.store.sessions.segment(record.target_id)
        question = await self.store.sessions.question(segment.question_id) if segment and segment.question_id else None
        who = (segment.speaker_name if segment else None) or "speaker not identified"
        label = question.label if question else "opening"
        return RedactionPlace(record, f"session {session.number}, {label}, {who} (recording)")

    async def _inquiry_id(self, record: RedactionRecord) -> int:
        if record.submission_id is not None:
            return (await self.store.submissions.get(record.submission_id)).inquiry_id
        return (await self.store.sessions.get(record.session_id)).inquiry_id

    async def _guild_of(self, record: RedactionRecord) -> int | None:
        inquiry = await self.store.inquiries.get(await self._inquiry_id(record))
        return inquiry.guild_id if inquiry else None


def _checked(passage: str, reason: str) -> tuple[str, str]:
    passage = require_text(passage, "passage to redact", MAX_PASSAGE_CHARS)
    return passage, require_text(reason, "reason for the redaction", MAX_REASON_CHARS)


def _oral_where(session: Session, passage: Passage) -> str:
    source = "recording" if passage.recorded else "in the thread"
    return f"session {session.number}, {passage.label}, {passage.speaker_name} ({source})"
