"""A witness's written evidence: the draft, its answers, submitting, editing and withdrawing.

Every change is a conditional update inside one transaction: it happens only if the submission is still in the
state the witness saw, else nothing changes and they are told what happened meanwhile. Changes to evidence
already sent are audited and owe an update of its forum post (through the outbox, in the same transaction).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from inquiry.core.errors import InvalidInput, InvalidState, NotAllowed, NotFound, WordLimitExceeded
from inquiry.core.rules import MAX_ANSWER_CHARS, MAX_NAME_CHARS, count_words, format_reference, require_text
from inquiry.evidence.changes import WITHDRAWN_BY_WITNESS, conflict, details_changes
from inquiry.evidence.content import EvidenceContent, extra_words, load_content
from inquiry.evidence.erasure import EvidenceEraser
from inquiry.evidence.models import Capacity, Publication, Submission, SubmissionStatus
from inquiry.inquiries.models import Inquiry, InquiryStatus
from inquiry.outbox.service import OutboxService
from inquiry.store import Store

log = logging.getLogger(__name__)

S = SubmissionStatus


@dataclass(frozen=True, slots=True)
class SubmitResult:
    submission: Submission
    inquiry: Inquiry
    late: bool
    receipt_row: int | None = None  # the outbox row of the receipt, for the interaction to send at once


class ChangeNotSent(InvalidInput):
    """A change to submitted evidence is kept but not sent: it would take the evidence over the word limit."""

    def __init__(self, words: int, limit: int) -> None:
        self.words, self.limit = words, limit
        super().__init__(
            f"Your change is kept but not sent: it would take your evidence to {words:,} words, over the limit of"
            f" {limit:,}. Shorten it and press Send changes."
        )


def proposed_answers(submission: Submission) -> dict[int, str]:
    """The answers as they would be with the witness's unsent changes (an empty change clears an answer)."""
    merged = {**submission.answers, **submission.pending_answers}
    return {question_id: text for question_id, text in merged.items() if text}


def proposed_words(submission: Submission, extra: int = 0) -> int:
    """The word count the evidence would have with the unsent changes (``extra``: its words beyond the typed
    answers, in documents and confirmed transcripts)."""
    return sum(count_words(t) for t in proposed_answers(submission).values()) + extra


class SubmissionService:
    """What a witness does with their own evidence. Every change is saved at once."""

    def __init__(
        self,
        store: Store,
        clock: Callable[[], datetime],
        outbox: OutboxService | None = None,
        *,
        eraser: EvidenceEraser | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.outbox = outbox or OutboxService(store, clock)
        self.eraser = eraser or EvidenceEraser(store)  # removes a withdrawn draft's recordings

    async def start_or_resume(self, inquiry: Inquiry, user_id: int) -> Submission:
        """The witness's draft for this inquiry, created if they have none."""
        if inquiry.status is InquiryStatus.DRAFT:
            raise InvalidState("This call for evidence has not opened yet.")
        if inquiry.status is InquiryStatus.CLOSED:
            raise InvalidState("This call for evidence has closed; the secretariat is no longer taking submissions.")
        draft = await self.store.submissions.draft_for(inquiry.id, user_id)
        if draft:
            return draft
        async with self.store.transaction():
            draft = await self.store.submissions.draft_for(inquiry.id, user_id)  # a second click got here first
            submission_id = (
                draft.id if draft else await self.store.submissions.create_draft(inquiry.id, user_id, self.clock())
            )
        return await self.get_own(submission_id, user_id)

    async def get_own(self, submission_id: int, user_id: int) -> Submission:
        """A submission, provided it belongs to ``user_id``."""
        submission = await self.store.submissions.get(submission_id)
        if submission is None or submission.user_id != user_id:
            raise NotFound("I cannot find that submission among yours.")
        return submission

    async def submission(self, submission_id: int) -> Submission | None:
        """A submission by its id, whoever it belongs to (for the bot's own deliveries)."""
        return await self.store.submissions.get(submission_id)

    async def content(self, submission: Submission) -> EvidenceContent:
        """What a submission holds in every form: typed answers, documents, recordings and their transcripts."""
        return await load_content(self.store, submission)

    async def extra_words(self, submission: Submission) -> int:
        """A submission's words beyond its typed answers (documents in use, confirmed transcripts)."""
        return await extra_words(self.store, submission.id)

    async def working_on(self, user_id: int) -> Submission | None:
        """The evidence a witness is working on: of those they may still change, the one changed last."""
        editable = [s for s in await self.of_user(user_id) if s.editable_by_witness]
        return max(editable, key=lambda s: s.updated_at, default=None)

    async def of_user(self, user_id: int) -> list[Submission]:
        """Every submission of a witness (drafts included), oldest first."""
        return [s for s in await self.store.submissions.of_user(user_id) if s.status is not SubmissionStatus.ERASED]

    async def set_details(
        self,
        submission_id: int,
        user_id: int,
        *,
        name: str,
        organisation: str | None,
        contact: str | None,
    ) -> Submission:
        """Who is giving evidence: their name, the organisation (if any) and private contact details."""
        submission = await self._editable(submission_id, user_id)
        name = require_text(name, "name", MAX_NAME_CHARS)
        organisation = require_text(organisation, "organisation's name", 200, required=False) or None
        contact = require_text(contact, "email or phone number", 300, required=False) or None
        capacity = submission.capacity or (Capacity.ORGANISATION if organisation else Capacity.INDIVIDUAL)
        if capacity is Capacity.ORGANISATION and not organisation:
            raise InvalidInput("You chose to submit on behalf of an organisation: please give its name.")
        await self._save_details(submission, capacity=capacity, name=name, organisation=organisation, contact=contact)
        return await self.get_own(submission_id, user_id)

    async def set_capacity(self, submission_id: int, user_id: int, capacity: Capacity) -> Submission:
        """Individual, or on behalf of an organisation."""
        submission = await self._editable(submission_id, user_id)
        organisation = submission.organisation if capacity is Capacity.ORGANISATION else None
        await self._save_details(submission, capacity=capacity, organisation=organisation)
        return await self.get_own(submission_id, user_id)

    async def set_publication(self, submission_id: int, user_id: int, publication: Publication) -> Submission:
        """Publish with name, publish anonymously, or keep confidential."""
        submission = await self._editable(submission_id, user_id)
        await self._save_details(submission, publication=publication)
        return await self.get_own(submission_id, user_id)

    async def save_answer(self, submission_id: int, user_id: int, question_id: int, text: str) -> Submission:
        """Save (or, with empty text, clear) the answer to one question.

        A change to submitted evidence that would take it over the word limit is kept as an unsent change
        (``Submission.pending_answers``); the sent version stays as it was until the changes fit.
        """
        submission = await self._editable(submission_id, user_id)
        inquiry = await self._inquiry(submission)
        if question_id not in {q.id for q in inquiry.questions}:
            raise NotFound("That question is no longer part of this inquiry.")
        text = require_text(text, "answer", MAX_ANSWER_CHARS, required=False, keep_invisible=True)
        if submission.status is S.DRAFT:
            answers = {**submission.answers, question_id: text}
            words = sum(count_words(t) for t in answers.values()) + await extra_words(self.store, submission.id)
            async with self.store.transaction():
                await self._touch(submission, words)
                await self._write_answer(submission.id, question_id, text)
            return await self.get_own(submission_id, user_id)
        changes = {**submission.pending_answers, question_id: text}
        return await self._send_or_keep(submission, inquiry, user_id, changes)

    async def send_changes(self, submission_id: int, user_id: int) -> Submission:
        """Send the witness's unsent changes, if they now fit the word limit (else :class:`ChangeNotSent`)."""
        submission = await self._editable(submission_id, user_id)
        if not submission.pending_answers:
            raise InvalidState("You have no unsent changes.")
        updated = await self._send_or_keep(submission, await self._inquiry(submission), user_id, {})
        if updated.pending_answers:
            extra = await extra_words(self.store, submission.id)
            raise ChangeNotSent(proposed_words(updated, extra), (await self._inquiry(submission)).word_limit)
        return updated

    async def discard_changes(self, submission_id: int, user_id: int) -> Submission:
        """Drop the witness's unsent changes; the sent version stays."""
        submission = await self._editable(submission_id, user_id)
        async with self.store.transaction():
            await self._touch(submission, submission.word_count)
            await self.store.submissions.clear_pending_answers(submission.id)
        return await self.get_own(submission_id, user_id)

    async def set_step(self, submission_id: int, user_id: int, step: int) -> None:
        """Remember where the witness is in the flow, so they resume there."""
        submission = await self.get_own(submission_id, user_id)
        if submission.step != step:
            async with self.store.transaction():
                await self.store.submissions.set_step(submission.id, step, self.clock())

    async def submit(self, submission_id: int, user_id: int) -> SubmitResult:
        """Check the draft, give it its reference and mark it received (late if past the deadline).

        The reference is taken and the draft marked submitted in one transaction, only if it is still a draft: a
        second click (or a second device) changes nothing and takes no reference. The receipt and the forum post
        are owed in that same transaction.
        """
        submission = await self.get_own(submission_id, user_id)
        if submission.status is not SubmissionStatus.DRAFT:
            raise InvalidState(f"This evidence has already been submitted as {submission.reference}; nothing changed.")
        inquiry = await self._inquiry(submission)
        if inquiry.status is InquiryStatus.CLOSED:
            raise InvalidState("This call for evidence has closed; the secretariat is no longer taking submissions.")
        content = await load_content(self.store, submission)
        _check_complete(submission, has_spoken=content.has_more_than_typing)
        words = content.words
        if words > inquiry.word_limit:
            raise WordLimitExceeded(words, inquiry.word_limit)
        now = self.clock()
        late = inquiry.is_late(now)
        async with self.store.transaction():
            number = await self.store.inquiries.take_reference_number(inquiry.id)
            reference = format_reference(inquiry.code, number)
            marked = await self.store.submissions.mark_submitted(
                submission.id, number=number, reference=reference, late=late, words=words, now=now
            )
            if not marked or await self.store.submissions.answers(submission.id) != submission.answers:
                raise conflict(submission, await self.store.submissions.get(submission.id))  # rolls back the number
            await self.store.audit.record(
                inquiry_id=inquiry.id,
                submission_id=submission.id,
                actor_id=user_id,
                action="submitted",
                detail=f"{reference}, {words} words" + (", late" if late else ""),
                at=now,
            )
            receipt = await self.outbox.receipt_owed(submission.id, reference)
            await self.outbox.forum_post_owed(submission.id)
        self.outbox.wake()
        log.info("submission %s received for %s (late=%s)", reference, inquiry.code, late)
        return SubmitResult(await self.get_own(submission.id, user_id), inquiry, late, receipt)

    async def withdraw(self, submission_id: int, user_id: int) -> Submission:
        """Withdraw evidence; published evidence can only be withdrawn by the secretariat."""
        submission = await self.get_own(submission_id, user_id)
        if submission.status is SubmissionStatus.PUBLISHED:
            raise InvalidState("This evidence has been published; please contact the secretariat to withdraw it.")
        if submission.status in (SubmissionStatus.WITHDRAWN, SubmissionStatus.ERASED):
            raise InvalidState("This submission has already been withdrawn.")
        now = self.clock()
        files = []
        async with self.store.transaction():
            if submission.status is SubmissionStatus.DRAFT:
                files = await self.eraser.draft(submission.id)  # first: the delete would orphan its recordings
                if not await self.store.submissions.delete_draft(submission.id):
                    raise conflict(submission, await self.store.submissions.get(submission.id))
            else:
                changed = await self.store.submissions.change_status(
                    submission.id, was=submission.status, to=S.WITHDRAWN, reason=WITHDRAWN_BY_WITNESS, now=now
                )
                if not changed:
                    raise conflict(submission, await self.store.submissions.get(submission.id))
                await self.store.submissions.clear_pending_answers(submission.id)
                change = await self.store.audit.record(
                    inquiry_id=submission.inquiry_id,
                    submission_id=submission.id,
                    actor_id=user_id,
                    action="withdrawn by witness",
                    detail=f"{submission.status.value} → withdrawn",
                    at=now,
                )
                note = f"{submission.reference} was withdrawn by the witness."
                await self.outbox.forum_update_owed(submission.id, change, note, actor_id=user_id)
        await self.eraser.delete_files(files)
        self.outbox.wake()
        return submission

    async def inquiry_of(self, submission: Submission) -> Inquiry:
        """The inquiry a submission belongs to."""
        return await self._inquiry(submission)

    # Helpers ---------------------------------------------------------------------------------

    async def _editable(self, submission_id: int, user_id: int) -> Submission:
        submission = await self.get_own(submission_id, user_id)
        if not submission.editable_by_witness:
            state = submission.status.value
            raise NotAllowed(f"{submission.reference} is {state}: it can no longer be changed.")
        return submission

    async def _inquiry(self, submission: Submission) -> Inquiry:
        inquiry = await self.store.inquiries.get(submission.inquiry_id)
        if inquiry is None:
            raise NotFound("That inquiry no longer exists.")
        return inquiry

    async def _touch(self, submission: Submission, words: int) -> None:
        """Inside a transaction: claim the submission for a change, provided it is still as the witness saw it."""
        if not await self.store.submissions.touch(submission.id, submission.status, words, self.clock()):
            raise conflict(submission, await self.store.submissions.get(submission.id))

    async def _write_answer(self, submission_id: int, question_id: int, text: str) -> None:
        if text:
            await self.store.submissions.save_answer(submission_id, question_id, text, self.clock())
        else:
            await self.store.submissions.delete_answer(submission_id, question_id)

    async def _send_or_keep(
        self, submission: Submission, inquiry: Inquiry, user_id: int, changes: dict[int, str]
    ) -> Submission:
        """Apply changes to submitted evidence if, with every unsent change, it fits the word limit; else keep
        them unsent. Applied changes are audited and noted on the forum post."""
        changes = {**submission.pending_answers, **changes}
        changes = {q: t for q, t in changes.items() if q in {question.id for question in inquiry.questions}}
        answers = {**submission.answers, **changes}
        words = sum(count_words(t) for t in answers.values() if t) + await extra_words(self.store, submission.id)
        real = {q: t for q, t in changes.items() if t != submission.answers.get(q, "")}
        async with self.store.transaction():
            if words > inquiry.word_limit:
                await self._touch(submission, submission.word_count)
                for question_id, text in changes.items():
                    await self.store.submissions.keep_pending_answer(submission.id, question_id, text, self.clock())
            else:
                await self._touch(submission, words)
                for question_id, text in real.items():
                    await self._write_answer(submission.id, question_id, text)
                await self.store.submissions.clear_pending_answers(submission.id)
                if real:
                    await self._audit_answers(submission, inquiry, user_id, real, words)
        if words <= inquiry.word_limit and real:
            self.outbox.wake()
        return await self.get_own(submission.id, user_id)

    async def _audit_answers(
        self, submission: Submission, inquiry: Inquiry, user_id: int, changed: dict[int, str], words: int
    ) -> None:
        labels = {q.id: q.label for q in inquiry.questions}
        ordered = sorted(changed, key=lambda q: list(labels).index(q))
        detail = ", ".join(labels[q] for q in ordered) + f"; {submission.word_count:,} → {words:,} words"
        change = await self.store.audit.record(
            inquiry_id=inquiry.id,
            submission_id=submission.id,
            actor_id=user_id,
            action="edited by witness",
            detail=detail,
            at=self.clock(),
            before="\n\n".join(f"{labels[q]}: {submission.answers.get(q) or '(no answer)'}" for q in ordered),
            after="\n\n".join(f"{labels[q]}: {changed[q] or '(no answer)'}" for q in ordered),
        )
        parts = [
            f"{labels[q]} was changed by the witness:\n{changed[q]}"
            if changed[q]
            else f"{labels[q]} was cleared by the witness."
            for q in ordered
        ]
        await self.outbox.forum_update_owed(submission.id, change, "\n\n".join(parts), actor_id=user_id)

    async def _save_details(self, submission: Submission, **changes) -> None:
        values = {
            "capacity": submission.capacity,
            "name": submission.submitter_name,
            "organisation": submission.organisation,
            "contact": submission.contact,
            "publication": submission.publication,
        }
        values.update(changes)
        what = details_changes(submission, values)
        now = self.clock()
        async with self.store.transaction():
            if not await self.store.submissions.set_details(submission.id, status=submission.status, now=now, **values):
                raise conflict(submission, await self.store.submissions.get(submission.id))
            if submission.status is S.SUBMITTED and what:
                change = await self.store.audit.record(
                    inquiry_id=submission.inquiry_id,
                    submission_id=submission.id,
                    actor_id=submission.user_id,
                    action="details changed by witness",
                    detail="; ".join(what),
                    at=now,
                )
                shown = [w for w in what if not w.startswith("contact")] or what
                note = "The witness changed their details: " + "; ".join(shown) + "."
                await self.outbox.forum_update_owed(submission.id, change, note, actor_id=submission.user_id)
        if submission.status is S.SUBMITTED and what:
            self.outbox.wake()


def _check_complete(submission: Submission, *, has_spoken: bool = False) -> None:
    missing = []
    if not submission.submitter_name:
        missing.append("your name")
    if submission.capacity is Capacity.ORGANISATION and not submission.organisation:
        missing.append("the organisation's name")
    if submission.publication is None:
        missing.append("how we may publish it")
    if not has_spoken and not any(text.strip() for text in submission.answers.values()):
        missing.append("an answer to at least one question (written, a document, or a confirmed recording)")
    if missing:
        raise InvalidInput("Before you submit, please give " + ", ".join(missing) + ".")
