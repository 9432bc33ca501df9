"""Voice and video evidence from witnesses: the recordings, their transcripts, and the witness's confirmation.

The transcription queue (``transcription.queue``) keeps the files and runs the jobs; this service answers what the
Discord face asks about them and records a witness's confirmed or corrected transcript under the same rules as
their typed answers: only while the submission may still be changed by them, within the word limit, and no longer
than a correction of what was transcribed can be.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from inquiry.core.errors import InvalidInput, InvalidState, NotAllowed, WordLimitExceeded
from inquiry.core.rules import count_words
from inquiry.evidence.content import extra_words
from inquiry.evidence.models import Submission, SubmissionStatus
from inquiry.inquiries.models import Inquiry, Question
from inquiry.store import Store
from transcription.ledger import Job, MediaItem

log = logging.getLogger(__name__)

# A correction mends what was transcribed: it may be somewhat longer (missed words), never a new essay.
CORRECTION_GROWTH = 2.0
CORRECTION_SLACK_CHARS = 2000


@dataclass(frozen=True, slots=True)
class ShownTranscript:
    """A witness's recording and the transcript they were shown (the latest finished one unless named)."""

    item: MediaItem
    job: Job | None

    @property
    def text(self) -> str:
        return ((self.job.result or {}).get("text") or "").strip() if self.job else ""


@dataclass(frozen=True, slots=True)
class Confirmed:
    """A confirmed or corrected transcript, now part of the evidence."""

    item: MediaItem
    submission: Submission | None
    corrected: bool


class RecordingService:
    """What the bot asks about witnesses' recordings, and the witness's Confirm and Correct."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock

    async def item(self, item_id: int) -> MediaItem | None:
        """A recording as it arrived (one message and file)."""
        return await self.store.media.item(item_id)

    async def item_for_message(self, message_id: int, media_id: int) -> MediaItem | None:
        """The recording that a message brought, if it was received before."""
        return await self.store.media.item_for_message(message_id, media_id)

    async def items_of_submission(self, submission_id: int) -> list[MediaItem]:
        """The recordings given with a submission, oldest first."""
        return await self.store.media.items_of_submission(submission_id)

    async def finished_jobs(self, item_id: int) -> list[Job]:
        """Every transcription of a recording that finished, oldest first."""
        return [j for j in await self.store.media.jobs_for_item(item_id) if j.state == "done"]

    async def first_job_id(self, item_id: int) -> int | None:
        """The recording's first transcription: the one its sender waits for (later ones were asked for again)."""
        jobs = await self.store.media.jobs_for_item(item_id)
        return jobs[0].id if jobs else None

    async def remember_notice(self, job_id: int, channel_id: int, message_id: int) -> None:
        """Where the witness was told that their recording is being transcribed (to show progress there)."""
        async with self.store.transaction():
            await self.store.media.set_notify(job_id, channel_id, message_id)

    async def has_pending_jobs(self) -> bool:
        """True while some transcription waits to run."""
        return bool(await self.store.media.pending_jobs())

    async def running_jobs(self) -> list[Job]:
        """The transcriptions running now, with their progress."""
        return await self.store.media.running_jobs()

    async def submission_of(self, item: MediaItem) -> Submission | None:
        """The submission a recording was given with, if any."""
        return await self.store.submissions.get(item.submission_id) if item.submission_id else None

    async def placement(self, item: MediaItem) -> tuple[Submission | None, Inquiry | None, Question | None]:
        """The submission, inquiry and question a recording belongs to (each None when it has none)."""
        submission = await self.submission_of(item)
        if submission is None:
            return None, None, None
        inquiry = await self.store.inquiries.get(submission.inquiry_id)
        question = next((q for q in inquiry.questions if q.id == item.question_id), None) if inquiry else None
        return submission, inquiry, question

    async def shown_to(self, user_id: int, item_id: int, job_id: int | None = None) -> ShownTranscript:
        """The witness's own recording and the transcript they were shown; refused for anyone else's."""
        item = await self.store.media.item(item_id)
        if item is None or item.user_id != user_id:
            raise NotAllowed("That recording is not one of yours.")
        jobs = await self.finished_jobs(item_id)
        shown = next((j for j in jobs if j.id == job_id), jobs[-1] if jobs else None)
        return ShownTranscript(item, shown)

    async def confirm(self, user_id: int, item_id: int, text: str, *, corrected: bool, original: str) -> Confirmed:
        """Make the witness's confirmed (or corrected) transcript part of their evidence.

        Refused when the recording is not theirs, when its submission can no longer be changed by them (accepted,
        published, withdrawn...), when a correction is far longer than what was transcribed, and when the
        submission has been sent and the text would take it over the word limit.
        """
        text = text.strip()
        if not text:
            raise InvalidInput("A transcript cannot be empty: press Confirm to keep what was transcribed.")
        limit = int(len(original) * CORRECTION_GROWTH) + CORRECTION_SLACK_CHARS
        if corrected and len(text) > limit:
            raise InvalidInput(
                f"That correction is {len(text):,} characters, much longer than the transcript"
                f" ({len(original):,}). A correction mends what was transcribed; please send further evidence as"
                " an answer instead."
            )
        async with self.store.transaction():
            item = await self.store.media.item(item_id)
            if item is None or item.user_id != user_id:
                raise NotAllowed("That recording is not one of yours.")
            submission = await self.submission_of(item)
            if submission is not None:
                _require_editable(submission)
                if submission.status is SubmissionStatus.SUBMITTED:
                    await self._check_word_limit(submission, item, text)
            changed = await self.store.media.confirm_item_if(
                item.id, text, corrected, self.clock(), submission_id=item.submission_id, editable=_EDITABLE
            )
            if not changed:
                raise InvalidState("Your evidence changed meanwhile and can no longer be altered; nothing was saved.")
            if submission is not None:  # a confirmed transcript counts toward the evidence's words
                words = sum(count_words(t) for t in submission.answers.values())
                words += await extra_words(self.store, submission.id)
                await self.store.submissions.touch(submission.id, submission.status, words, self.clock())
            if submission is not None and submission.reference:
                action = "transcript corrected" if corrected else "transcript confirmed"
                await self.store.audit.record(
                    inquiry_id=submission.inquiry_id,
                    submission_id=submission.id,
                    actor_id=user_id,
                    action=action,
                    at=self.clock(),
                    detail=f"recording #{item.id}: {count_words(text):,} words",
                    target_kind="media_item",
                    target_id=item.id,
                )
            item = await self.store.media.item(item_id)
        return Confirmed(item, submission, corrected)

    async def _check_word_limit(self, submission: Submission, item: MediaItem, text: str) -> None:
        inquiry = await self.store.inquiries.get(submission.inquiry_id)
        words = sum(count_words(t) for t in submission.answers.values())
        words += sum(d.words for d in await self.store.documents.current_of(submission.id))
        for other in await self.store.media.items_of_submission(submission.id):
            if other.id != item.id and other.status == "confirmed" and other.confirmed_text:
                words += count_words(other.confirmed_text)
        words += count_words(text)
        if words > inquiry.word_limit:
            raise WordLimitExceeded(words, inquiry.word_limit)


_EDITABLE = (SubmissionStatus.DRAFT, SubmissionStatus.SUBMITTED)


def _require_editable(submission: Submission) -> None:
    if not submission.editable_by_witness:
        raise InvalidState(
            f"Your evidence {submission.reference or ''} has been {submission.status.value} by the secretariat, so"
            " its transcripts can no longer be changed. Please contact the secretariat if something is wrong."
        )
