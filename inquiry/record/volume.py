"""Read-models for the written evidence volume, assembled from the store (the writers never see a row)."""

from __future__ import annotations

import logging

from documents import BlockKind, NumberedParagraph, numbered_paragraphs
from exports import readmodels as rm
from inquiry.evidence.content import EvidenceContent, load_content
from inquiry.evidence.models import SubmissionStatus
from inquiry.inquiries.models import Inquiry
from inquiry.review.redaction_models import RedactionRecord, TargetKind
from inquiry.store import Store

log = logging.getLogger(__name__)

IN_THE_VOLUME = (SubmissionStatus.ACCEPTED, SubmissionStatus.PUBLISHED)


async def evidence_volume_doc(
    store: Store, inquiry: Inquiry, *, timezone_name: str, committee_name: str | None = None
) -> rm.EvidenceVolumeDoc:
    """Accepted and published evidence of an inquiry, with its media transcripts and the secretariat's redactions
    (of answers by question, of a recording's or a document's text by its key)."""
    numbers = {q.id: q.position for q in inquiry.questions}
    submissions = []
    for submission in await store.submissions.in_inquiry(inquiry.id, IN_THE_VOLUME):
        content = await load_content(store, submission)
        answers = [  # every question answered in any form, its typed text (if any) under it
            rm.EvidenceAnswer(question_number=q.position, question_text=q.text, text=submission.answers.get(q.id, ""))
            for q in inquiry.questions
            if content.answered(q.id)
        ]
        redactions = [_redaction(r, numbers) for r in await store.redactions.of_submission(submission.id)]
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
                media=await _media(store, submission.id, numbers),
                redactions=redactions,
                documents=_documents(content, numbers),
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


def _documents(content: EvidenceContent, numbers: dict[int, int]) -> list[rm.EvidenceDocument]:
    """The documents in use: each as one statement, or its parts under the questions they answer."""
    found = []
    for document in content.documents:
        for part in document.parts():
            blocks = [_block(item) for item in numbered_paragraphs(part.blocks)]
            if not any(b.text.strip() for b in blocks):
                continue
            number = numbers.get(part.question_id) if part.question_id is not None else None
            if part.question_id is not None and number is None:
                continue  # a question since removed from the inquiry
            found.append(rm.EvidenceDocument(document.filename, document.format, blocks, number, part.key))
    return found


def _block(item: NumberedParagraph) -> rm.DocumentBlock:
    kind = {BlockKind.PARAGRAPH: "paragraph", BlockKind.HEADING: "heading", BlockKind.LIST_ITEM: "list_item"}
    return rm.DocumentBlock(kind.get(item.kind, "table_row"), item.text, item.level, item.number is not None)


async def _media(store: Store, submission_id: int, numbers: dict[int, int] | None = None) -> list[rm.MediaTranscript]:
    """Confirmed or corrected transcripts of the recordings given with a submission, each under the question the
    witness was on when they sent it."""
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
                key=f"{TargetKind.MEDIA_ITEM.value}:{item.id}",
                question_number=(numbers or {}).get(item.question_id),
                edited=item.corrected,
            )
        )
    return found


def _redaction(record: RedactionRecord, numbers: dict[int, int]) -> rm.Redaction:
    """A stored redaction as the volume takes it: an answer's by its question's number, any other by its target."""
    if record.target_kind is TargetKind.ANSWER:
        number = numbers.get(record.question_id)
        return rm.Redaction(question_number=number, passage=record.passage, reason=record.reason)
    return rm.Redaction(question_number=None, passage=record.passage, reason=record.reason, target=record.target)
