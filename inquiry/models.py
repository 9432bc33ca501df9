"""Plain dataclasses for the inquiry domain. Services return these; cogs and exports read them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    """The inquiry roles a server maps onto its own Discord roles."""

    CHAIR = "chair"
    SECRETARIAT = "secretariat"
    MEMBER = "member"


class InquiryStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


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
class GuildConfig:
    guild_id: int
    chair_role_id: int | None = None
    secretariat_role_id: int | None = None
    member_role_id: int | None = None
    call_channel_id: int | None = None
    evidence_forum_id: int | None = None
    sessions_channel_id: int | None = None

    def role_id(self, role: Role) -> int | None:
        """The Discord role id mapped to an inquiry role, if any."""
        return {
            Role.CHAIR: self.chair_role_id,
            Role.SECRETARIAT: self.secretariat_role_id,
            Role.MEMBER: self.member_role_id,
        }[role]


@dataclass(frozen=True, slots=True)
class Question:
    id: int
    inquiry_id: int
    position: int
    text: str

    @property
    def label(self) -> str:
        """``Q3``: the question's number within the call for evidence."""
        return f"Q{self.position}"


@dataclass(frozen=True, slots=True)
class Inquiry:
    id: int
    guild_id: int
    code: str
    title: str
    terms_of_reference: str
    word_limit: int
    status: InquiryStatus
    closes_at: datetime | None
    call_channel_id: int | None
    call_message_id: int | None
    created_at: datetime
    questions: tuple[Question, ...] = ()

    def is_late(self, when: datetime) -> bool:
        """True when ``when`` falls after the call's closing date."""
        return self.closes_at is not None and when > self.closes_at


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


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    inquiry_id: int | None
    submission_id: int | None
    actor_id: int | None
    action: str
    detail: str
    reason: str | None
    at: datetime


@dataclass(frozen=True, slots=True)
class InquiryStatusReport:
    inquiry: Inquiry
    counts: dict[str, int]
    late: int
    answers_per_question: dict[int, int]
    drafts: int
