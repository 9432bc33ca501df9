"""Rows of the outbox and the rules for retrying them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any


class OutboxKind(StrEnum):
    """What a row asks the bot to do on Discord."""

    RECEIPT = "receipt"  # the witness's receipt by direct message, with a copy of the answers
    FORUM_POST = "forum_post"  # a submission's post in the evidence forum (made once)
    FORUM_UPDATE = "forum_update"  # the post's title and tags brought up to date, with a note of what changed
    FORUM_DELETE = "forum_delete"  # a post removed (owed by an erasure)
    WITNESS_NOTICE = "witness_notice"  # a decision told to the witness by direct message
    TRANSCRIPT_READY = "transcript_ready"  # a finished transcript posted to the witness
    CORRECTION_INVITE = "correction_invite"  # a session's uncorrected transcript sent to a witness to correct
    CORRECTION_DECISION = "correction_decision"  # the secretariat's decision on a correction told to its witness
    SESSION_NOTICE = "session_notice"  # a session moved or cancelled, or a panel changed, told by direct message
    DM_DELETE = "dm_delete"  # the bot's direct messages holding a witness's evidence, deleted (owed by an erasure)
    ERASURE_NOTICE = "erasure_notice"  # the secretariat told of an erasure: what went, what awaits their decision
    UPLOAD_TAKEN = "upload_taken"  # a file sent through the upload page, told to whoever sent it


class OutboxState(StrEnum):
    PENDING = "pending"  # to be sent (again) from next_attempt_at
    SENT = "sent"
    FAILED = "failed"  # failed for good: reported, not retried


FIRST_RETRY_S = 15.0
LONGEST_RETRY_S = 3600.0
MAX_ATTEMPTS = 8  # about 32 minutes of retries in all before a row fails for good
LEASE_S = 120.0  # a row being sent is not taken again before this (a crash mid-send retries after it)
GRACE_S = 60.0  # effects the acting user is waiting for are sent by their interaction first; the loop after this


def retry_delay(attempts: int) -> timedelta:
    """Exponential back-off: 15 s after the first failed attempt, doubling, at most an hour."""
    seconds = FIRST_RETRY_S * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, LONGEST_RETRY_S))


def submission_subject(submission_id: int, channel: str) -> str:
    """Rows about one submission in one place (``forum``, ``receipt``, ``witness``) go out in the order they
    were written."""
    return f"submission:{submission_id}:{channel}"


@dataclass(frozen=True, slots=True)
class OutboxRow:
    id: int
    kind: OutboxKind
    key: str
    subject: str
    state: OutboxState
    attempts: int
    next_attempt_at: datetime
    created_at: datetime
    last_error: str | None = None
    done_at: datetime | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    progress: dict[str, Any] = field(default_factory=dict)
