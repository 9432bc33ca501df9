"""Dataclasses of inquiries: the inquiry, its numbered questions and its status report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class InquiryStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


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
    committee_reads_confidential: bool = False  # the chair and members may read evidence given in confidence

    def is_late(self, when: datetime) -> bool:
        """True when ``when`` falls after the call's closing date."""
        return self.closes_at is not None and when > self.closes_at


@dataclass(frozen=True, slots=True)
class InquiryStatusReport:
    inquiry: Inquiry
    counts: dict[str, int]
    late: int
    answers_per_question: dict[int, int]
    drafts: int
