"""Dataclasses of written evidence: submissions, their answers, publication preferences and redactions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class SubmissionStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"
    ERASED = "erased"


class Capacity(StrEnum):
    INDIVIDUAL = "individual"
    ORGANISATION = "organisation"


class Publication(StrEnum):
    NAMED = "named"
    ANONYMOUS = "anonymous"
    CONFIDENTIAL = "confidential"


PUBLICATION_LABELS = {
    Publication.NAMED: "Publish with my name",
    Publication.ANONYMOUS: "Publish anonymously",
    Publication.CONFIDENTIAL: "Confidential (do not publish)",
}


CAPACITY_LABELS = {
    Capacity.INDIVIDUAL: "As an individual",
    Capacity.ORGANISATION: "On behalf of an organisation",
}


@dataclass(frozen=True, slots=True)
class Answer:
    question_id: int
    text: str


@dataclass(frozen=True, slots=True)
class Submission:
    id: int
    inquiry_id: int
    user_id: int | None
    status: SubmissionStatus
    capacity: Capacity | None
    submitter_name: str | None
    organisation: str | None
    contact: str | None
    publication: Publication | None
    step: int
    reference: str | None
    late: bool
    word_count: int
    decision_reason: str | None
    forum_thread_id: int | None
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    answers: dict[int, str] = field(default_factory=dict)
    pending_answers: dict[int, str] = field(default_factory=dict)  # changes kept but not sent ("" clears)

    @property
    def display_name(self) -> str:
        """Who the evidence is from, as the secretariat sees it."""
        if self.capacity is Capacity.ORGANISATION and self.organisation:
            return self.organisation
        return self.submitter_name or "an individual"

    @property
    def public_name(self) -> str:
        """Who the evidence is from, honouring the publication preference."""
        if self.publication in (Publication.ANONYMOUS, Publication.CONFIDENTIAL):
            return "an individual" if self.capacity is not Capacity.ORGANISATION else "an organisation"
        return self.display_name

    @property
    def editable_by_witness(self) -> bool:
        """Witnesses may change their evidence until the secretariat has accepted it."""
        return self.status in (SubmissionStatus.DRAFT, SubmissionStatus.SUBMITTED)


@dataclass(frozen=True, slots=True)
class Redaction:
    id: int
    submission_id: int
    question_id: int
    passage: str
    reason: str
    actor_id: int
    created_at: datetime
