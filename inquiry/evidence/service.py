"""A witness's written evidence: the draft, its answers, submitting, editing and withdrawing."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from inquiry.core.errors import InvalidInput, InvalidState, NotAllowed, NotFound, WordLimitExceeded
from inquiry.core.rules import MAX_ANSWER_CHARS, MAX_NAME_CHARS, count_words, format_reference, require_text
from inquiry.evidence.models import Capacity, Publication, Submission, SubmissionStatus
from inquiry.inquiries.models import Inquiry, InquiryStatus
from inquiry.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SubmitResult:
    submission: Submission
    inquiry: Inquiry
    late: bool


class SubmissionService:
    """What a witness does with their own evidence. Every change is saved at once."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock

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
            submission_id = await self.store.submissions.create_draft(inquiry.id, user_id, self.clock())
        return await self.get_own(submission_id, user_id)

    async def get_own(self, submission_id: int, user_id: int) -> Submission:
        """A submission, provided it belongs to ``user_id``."""
        submission = await self.store.submissions.get(submission_id)
        if submission is None or submission.user_id != user_id:
            raise NotFound("I cannot find that submission among yours.")
        return submission

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
        name = require_text(name, "your name", MAX_NAME_CHARS)
        organisation = require_text(organisation, "organisation's name", 200, required=False) or None
        contact = require_text(contact, "contact details", 300, required=False) or None
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
        """Save (or, with empty text, clear) the answer to one question."""
        submission = await self._editable(submission_id, user_id)
        inquiry = await self._inquiry(submission)
        if question_id not in {q.id for q in inquiry.questions}:
            raise NotFound("That question is no longer part of this inquiry.")
        text = require_text(text, "answer", MAX_ANSWER_CHARS, required=False)
        answers = {**submission.answers, question_id: text}
        words = sum(count_words(t) for t in answers.values())
        if submission.status is SubmissionStatus.SUBMITTED and words > inquiry.word_limit:
            raise WordLimitExceeded(words, inquiry.word_limit)
        async with self.store.transaction():
            if text:
                await self.store.submissions.save_answer(submission.id, question_id, text, self.clock())
            else:
                await self.store.submissions.delete_answer(submission.id, question_id)
            await self.store.submissions.set_word_count(submission.id, words, self.clock())
            if submission.status is SubmissionStatus.SUBMITTED:
                await self.store.audit.record(
                    inquiry_id=inquiry.id,
                    submission_id=submission.id,
                    actor_id=user_id,
                    action="edited by witness",
                    detail=_question_label(inquiry, question_id),
                    at=self.clock(),
                )
        return await self.get_own(submission_id, user_id)

    async def set_step(self, submission_id: int, user_id: int, step: int) -> None:
        """Remember where the witness is in the flow, so they resume there."""
        submission = await self.get_own(submission_id, user_id)
        if submission.step != step:
            async with self.store.transaction():
                await self.store.submissions.set_step(submission.id, step, self.clock())

    async def submit(self, submission_id: int, user_id: int) -> SubmitResult:
        """Check the draft, give it its reference and mark it received (late if past the deadline)."""
        submission = await self.get_own(submission_id, user_id)
        if submission.status is not SubmissionStatus.DRAFT:
            raise InvalidState(f"{submission.reference} has already been submitted.")
        inquiry = await self._inquiry(submission)
        if inquiry.status is InquiryStatus.CLOSED:
            raise InvalidState("This call for evidence has closed; the secretariat is no longer taking submissions.")
        spoken = [i for i in await self.store.media.items_of_submission(submission.id) if i.status == "confirmed"]
        _check_complete(submission, has_spoken=bool(spoken))
        words = sum(count_words(t) for t in submission.answers.values())
        if words > inquiry.word_limit:
            raise WordLimitExceeded(words, inquiry.word_limit)
        now = self.clock()
        late = inquiry.is_late(now)
        async with self.store.transaction():
            number = await self.store.inquiries.take_reference_number(inquiry.id)
            reference = format_reference(inquiry.code, number)
            await self.store.submissions.mark_submitted(
                submission.id, number=number, reference=reference, late=late, words=words, now=now
            )
            await self.store.audit.record(
                inquiry_id=inquiry.id,
                submission_id=submission.id,
                actor_id=user_id,
                action="submitted",
                detail=f"{reference}, {words} words" + (", late" if late else ""),
                at=now,
            )
        log.info("submission %s received for %s (late=%s)", reference, inquiry.code, late)
        return SubmitResult(await self.get_own(submission.id, user_id), inquiry, late)

    async def withdraw(self, submission_id: int, user_id: int) -> Submission:
        """Withdraw evidence; published evidence can only be withdrawn by the secretariat."""
        submission = await self.get_own(submission_id, user_id)
        if submission.status is SubmissionStatus.PUBLISHED:
            raise InvalidState("This evidence has been published; please contact the secretariat to withdraw it.")
        if submission.status in (SubmissionStatus.WITHDRAWN, SubmissionStatus.ERASED):
            raise InvalidState("This submission has already been withdrawn.")
        async with self.store.transaction():
            if submission.status is SubmissionStatus.DRAFT:
                await self.store.submissions.delete_draft(submission.id)
            else:
                await self.store.submissions.set_status(
                    submission.id, SubmissionStatus.WITHDRAWN, "withdrawn by the witness", self.clock()
                )
                await self.store.audit.record(
                    inquiry_id=submission.inquiry_id,
                    submission_id=submission.id,
                    actor_id=user_id,
                    action="withdrawn by witness",
                    at=self.clock(),
                )
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

    async def _save_details(self, submission: Submission, **changes) -> None:
        values = {
            "capacity": submission.capacity,
            "name": submission.submitter_name,
            "organisation": submission.organisation,
            "contact": submission.contact,
            "publication": submission.publication,
        }
        values.update(changes)
        async with self.store.transaction():
            await self.store.submissions.set_details(submission.id, now=self.clock(), **values)


def _check_complete(submission: Submission, *, has_spoken: bool = False) -> None:
    missing = []
    if not submission.submitter_name:
        missing.append("your name")
    if submission.capacity is Capacity.ORGANISATION and not submission.organisation:
        missing.append("the organisation's name")
    if submission.publication is None:
        missing.append("how we may publish it")
    if not has_spoken and not any(text.strip() for text in submission.answers.values()):
        missing.append("an answer to at least one question (written, or a confirmed recording)")
    if missing:
        raise InvalidInput("Before you submit, please give " + ", ".join(missing) + ".")


def _question_label(inquiry: Inquiry, question_id: int) -> str:
    for question in inquiry.questions:
        if question.id == question_id:
            return question.label
    return "a question"
