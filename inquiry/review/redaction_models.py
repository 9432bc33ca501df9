"""Redactions of any part of the record: a passage withheld from publication, with its reason, named by the kind
and id of what it is redacted from. Written evidence (answers, recordings' transcripts, documents) belongs to a
submission; oral evidence (answers posted in a session's thread, passages of its recording) to a session. A
redaction is undone with a reason, never deleted, so the record of who withheld what stays whole."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class TargetKind(StrEnum):
    """What a redaction is of."""

    ANSWER = "answer"  # a written answer: target_id is the question's id
    MEDIA_ITEM = "media_item"  # a witness's confirmed transcript of a voice message, audio or video file
    DOCUMENT = "document"  # written evidence given as a file
    SESSION_ANSWER = "session_answer"  # an answer posted in a session's thread (typed, or spoken and transcribed)
    SEGMENT = "segment"  # a passage of a session's recording: the run of speech that starts at this segment

    @property
    def oral(self) -> bool:
        """Whether the target belongs to a session rather than a submission."""
        return self in (TargetKind.SESSION_ANSWER, TargetKind.SEGMENT)


@dataclass(frozen=True, slots=True)
class RedactionRecord:
    """A redaction as stored: its target, its passage and reason, who made it, and whether it was undone."""

    id: int
    target_kind: TargetKind
    target_id: int
    submission_id: int | None
    session_id: int | None
    question_id: int | None
    passage: str
    reason: str
    actor_id: int
    created_at: datetime
    removed_at: datetime | None = None
    removed_by: int | None = None
    removed_reason: str | None = None

    @property
    def active(self) -> bool:
        """Whether the passage is still withheld."""
        return self.removed_at is None

    @property
    def target(self) -> str:
        """A stable name of what is redacted, as the exports' read-models name their texts (``media_item:12``)."""
        return f"{self.target_kind.value}:{self.target_id}"


@dataclass(frozen=True, slots=True)
class RedactionPlace:
    """Where a redaction applies, described for the secretariat (``Q3``, ``recording #12``, ``Q14, Sam Okafor``)."""

    redaction: RedactionRecord
    where: str
