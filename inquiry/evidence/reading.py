"""Reading written evidence as a reader may see it (see :mod:`inquiry.evidence.access`): the chair and members read
accepted evidence as it would be published, in every form it came in (typed answers, documents, confirmed
transcripts of recordings), with the secretariat's redactions applied and personal data taken out automatically.

The text is redacted by the evidence volume's own redactor (:class:`exports._redaction.Redactor`: the secretariat's
passages, an anonymous witness's own name, then email addresses, telephone numbers and postal addresses), so the
committee reads what the volume would print. Nothing here carries a witness's contact details, the secretariat's
reasons or the audit trail: they are not part of what is read.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from documents import render_numbered
from exports._redaction import Redactor
from exports.readmodels import Redaction as VolumeRedaction
from inquiry.core.errors import NotFound
from inquiry.core.rules import format_reference
from inquiry.evidence import access
from inquiry.evidence.access import AccessSettings, Reader
from inquiry.evidence.content import KIND_NAMES, EvidenceContent, SpokenAnswer, TranscriptState, load_content
from inquiry.evidence.models import Capacity, Publication, Submission, SubmissionStatus
from inquiry.inquiries.models import Inquiry
from inquiry.review.redaction_models import RedactionRecord, TargetKind
from inquiry.review.service import REFERENCE
from inquiry.store import Store

log = logging.getLogger(__name__)

STATEMENT = "Statement"


@dataclass(frozen=True, slots=True)
class ReadableSummary:
    """A submission as listed for a reader: what it is, who it is from (as the reader may know), where it stands."""

    submission_id: int
    reference: str
    who: str
    capacity: Capacity | None
    status: SubmissionStatus
    word_count: int
    late: bool
    confidential: bool
    submitted_at: datetime | None


@dataclass(frozen=True, slots=True)
class ReadablePart:
    """One piece of the evidence: under a question (``Q2``) or a statement, what form it came in, and its text as the
    reader may see it."""

    label: str  # "Q2" or "Statement"
    heading: str  # the question's wording ("" for a statement)
    form: str  # "" for a typed answer; "from a Word document", "voice message, transcript confirmed by the witness"
    text: str


@dataclass(frozen=True, slots=True)
class ReadableEvidence:
    """A submission as a reader may read it, and how many passages were withheld from them."""

    summary: ReadableSummary
    parts: tuple[ReadablePart, ...]
    withheld: int


class ReadingService:
    """Written evidence for its readers, under the rules of :mod:`inquiry.evidence.access`."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def readable(self, inquiry: Inquiry, reader: Reader) -> list[ReadableSummary]:
        """The submissions of an inquiry that ``reader`` may read, by reference."""
        settings = AccessSettings.of(inquiry)
        received = await self.store.submissions.in_inquiry(inquiry.id, tuple(access.statuses_for(reader)))
        return [_summary(reader, s) for s in access.readable(reader, received, settings)]

    async def read(
        self, inquiry: Inquiry, reader: Reader, *, reference: str | None = None, submission_id: int | None = None
    ) -> ReadableEvidence:
        """One submission (by reference or id) as ``reader`` may read it; :class:`NotFound` when they may not, in the
        same words whether it does not exist, is not accepted, or was given in confidence."""
        submission = await self._find(inquiry, reference, submission_id)
        if submission is None or not access.may_read(reader, submission, AccessSettings.of(inquiry)):
            shown = _canonical(inquiry, reference) if reference else "That submission"
            raise NotFound(
                f"{shown} is not among the evidence the committee can read: only evidence the secretariat has accepted"
                " is shown here, and evidence given in confidence only when the secretariat allows it."
            )
        records = await self.store.redactions.of_submission(submission.id)
        content = await load_content(self.store, submission)
        return _readable(inquiry, reader, content, records)

    async def _find(self, inquiry: Inquiry, reference: str | None, submission_id: int | None) -> Submission | None:
        if reference:
            return await self.store.submissions.by_reference(inquiry.id, _canonical(inquiry, reference))
        found = await self.store.submissions.get(submission_id) if submission_id else None
        return found if found is not None and found.inquiry_id == inquiry.id else None


def _canonical(inquiry: Inquiry, reference: str) -> str:
    """``sci1`` read as ``SCI0001``; anything else as typed (cut short)."""
    match = REFERENCE.match(reference.strip())
    if match and match[1].upper() == inquiry.code:
        return format_reference(inquiry.code, int(match[2]))
    return reference.strip()[:20]


def _summary(reader: Reader, submission: Submission) -> ReadableSummary:
    return ReadableSummary(
        submission_id=submission.id,
        reference=submission.reference or "",
        who=access.name_shown(reader, submission),
        capacity=submission.capacity,
        status=submission.status,
        word_count=submission.word_count,
        late=submission.late,
        confidential=submission.publication is Publication.CONFIDENTIAL,
        submitted_at=submission.submitted_at,
    )


def _readable(
    inquiry: Inquiry, reader: Reader, content: EvidenceContent, records: list[RedactionRecord]
) -> ReadableEvidence:
    """Every piece of the evidence in the volume's order (under each question: the typed answer, the documents'
    parts, the confirmed recordings; then the statements), redacted for the reader."""
    submission = content.submission
    numbers = {q.id: q.position for q in inquiry.questions}
    redactor = None
    if not access.fields_for(reader).unredacted:
        redactions = [_volume_redaction(r, numbers) for r in records if r.active]
        redactor = Redactor(submission.reference or "", redactions, access.names_withheld(reader, submission))

    def shown(text: str, where: str, number: int | None = None, target: str | None = None) -> str:
        return (redactor.apply(text, where, number, target) if redactor else text).strip()

    parts: list[ReadablePart] = []
    for question in inquiry.questions:
        label = question.label
        under = _pieces(content, question.id, label, shown, number=question.position)
        parts += [ReadablePart(label, question.text, form, text) for form, text in under if text]
    statements = _pieces(content, None, STATEMENT, shown)
    known = set(numbers)
    statements += [  # documents' answers to questions since removed: kept, as statements
        (f"from {part.document.format_name}", shown(render_numbered(part.blocks), STATEMENT, target=part.key))
        for document in content.documents
        for part in document.parts()
        if part.question_id is not None and part.question_id not in known
    ]
    for spoken in content.general_spoken(known):
        if spoken.question_id is not None:
            statements += _spoken(spoken, STATEMENT, shown)
    parts += [ReadablePart(STATEMENT, "", form, text) for form, text in statements if text]
    return ReadableEvidence(
        summary=_summary(reader, submission),
        parts=tuple(parts),
        withheld=len(redactor.applied) if redactor else 0,
    )


def _pieces(content: EvidenceContent, question_id: int | None, where: str, shown, *, number: int | None = None):
    """(form, text) of everything given under one question (None: the statements)."""
    found = []
    if question_id is not None:
        found.append(("", shown(content.typed(question_id), where, number)))
    for part in content.parts_for(question_id):
        found.append((f"from {part.document.format_name}", shown(render_numbered(part.blocks), where, target=part.key)))
    for spoken in content.spoken_for(question_id):
        found += _spoken(spoken, where, shown)
    return found


def _spoken(spoken: SpokenAnswer, where: str, shown) -> list[tuple[str, str]]:
    """A recording's confirmed transcript (and its English translation); nothing until the witness confirmed it."""
    if not spoken.confirmed:
        return []
    kind = KIND_NAMES.get(spoken.kind, "recording")
    checked = "corrected" if spoken.state is TranscriptState.CORRECTED else "confirmed"
    text = shown(spoken.confirmed_text or "", f"{where} {kind}", target=spoken.key)
    found = [(f"{kind}, transcript {checked} by the witness", text)]
    if spoken.translation:
        translation = shown(spoken.translation, f"{where} {kind} translation", target=spoken.key)
        found.append((f"{kind}, English translation", translation))
    return found


def _volume_redaction(record: RedactionRecord, numbers: dict[int, int]) -> VolumeRedaction:
    """A stored redaction as the volume's redactor takes it: an answer's by its question's number, any other (a
    recording's transcript, a document) by its target."""
    if record.target_kind is TargetKind.ANSWER:
        return VolumeRedaction(question_number=numbers.get(record.question_id), passage=record.passage, reason="")
    return VolumeRedaction(question_number=None, passage=record.passage, reason="", target=record.target)
