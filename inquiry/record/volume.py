"""Read-models for the written evidence volume, assembled from the store (the writers never see a row)."""

from __future__ import annotations

import logging

from exports import readmodels as rm
from inquiry.evidence.models import SubmissionStatus
from inquiry.inquiries.models import Inquiry
from inquiry.store import Store

log = logging.getLogger(__name__)

IN_THE_VOLUME = (SubmissionStatus.ACCEPTED, SubmissionStatus.PUBLISHED)


async def evidence_volume_doc(
    store: Store, inquiry: Inquiry, *, timezone_name: str, committee_name: str | None = None
) -> rm.EvidenceVolumeDoc:
    """Accepted and published evidence of an inquiry, with its media transcripts and the secretariat's redactions."""
    numbers = {q.id: q for q in inquiry.questions}
    submissions = []
    for submission in await store.submissions.in_inquiry(inquiry.id, IN_THE_VOLUME):
        answers = [
            rm.EvidenceAnswer(question_number=q.position, question_text=q.text, text=submission.answers[q.id])
            for q in inquiry.questions
            if submission.answers.get(q.id)
        ]
        redactions = [
            rm.Redaction(
                question_number=numbers[r.question_id].position if r.question_id in numbers else None,
                passage=r.passage,
                reason=r.reason,
            )
            for r in await store.submissions.redactions(submission.id)
        ]
        submissions.append(
            rm.Submission(
                reference=submission.reference,
                submitter_name=submission.submitter_name or "",
                organisation=submission.organisation,
                capacity=submission.capacity.value,
                publication=submission.publication.value,
                late=submission.late,
                submitted_at=submission.submitted_at,
                answers=answers,
                media=await _media(store, submission.id),
                redactions=redactions,
            )
        )
    return rm.EvidenceVolumeDoc(
        inquiry_title=inquiry.title,
        inquiry_code=inquiry.code,
        terms_of_reference=inquiry.terms_of_reference,
        call_closes_at=inquiry.closes_at,
        submissions=submissions,
        committee_name=committee_name,
        timezone_name=timezone_name,
    )


async def _media(store: Store, submission_id: int) -> list[rm.MediaTranscript]:
    """Confirmed or corrected transcripts of the recordings given with a submission."""
    found = []
    for item in await store.media.items_of_submission(submission_id):
        if item.status != "confirmed" or not item.confirmed_text:
            continue
        media = await store.media.media(item.media_id)
        done = [j for j in await store.media.jobs_for_item(item.id) if j.state == "done" and j.result]
        result = done[-1].result if done else {}
        found.append(
            rm.MediaTranscript(
                kind=item.kind,
                filename=media.filename if media else "recording",
                language=result.get("language", "en"),
                text=item.confirmed_text,
                translation=result.get("translation"),
                corrected=True,  # confirmed or corrected by the witness: checked either way
            )
        )
    return found
