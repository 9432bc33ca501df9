"""Dataclasses of session recordings, their uncorrected transcript, and witnesses' corrections."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class RecordingStatus(StrEnum):
    """A recording is being transcribed, done (its transcript assembled), or failed (no track transcribed)."""

    TRANSCRIBING = "transcribing"
    DONE = "done"
    FAILED = "failed"


class CorrectionDecision(StrEnum):
    """A proposed correction waits for the secretariat, who approve or decline it."""

    PROPOSED = "proposed"
    APPROVED = "approved"
    DECLINED = "declined"


@dataclass(frozen=True, slots=True)
class RecordingTrack:
    """One file of a recording: one speaker's track, or the whole recording (speaker unknown)."""

    id: int
    recording_id: int
    position: int
    filename: str
    raw_speaker: str | None
    speaker_name: str | None
    user_id: int | None
    witness_id: int | None
    media_id: int | None
    job_id: int | None
    status: str
    error: str | None


@dataclass(frozen=True, slots=True)
class Recording:
    """A recording of a session uploaded by the secretariat, with its tracks."""

    id: int
    session_id: int
    filename: str
    multitrack: bool
    status: RecordingStatus
    uploaded_by: int
    created_at: datetime
    finished_at: datetime | None
    started_offset_s: float = 0.0  # seconds after the session was opened (negative: before)
    tracks: tuple[RecordingTrack, ...] = ()


@dataclass(frozen=True, slots=True)
class TranscriptSegment:
    """A timed piece of the uncorrected transcript, attributed to a speaker (when known) and a question."""

    id: int
    recording_id: int
    session_id: int
    track_id: int
    position: int
    start_s: float
    end_s: float
    speaker_name: str | None
    user_id: int | None
    witness_id: int | None
    question_id: int | None
    text: str


@dataclass(frozen=True, slots=True)
class Correction:
    """A witness's proposed correction of a spoken answer posted in the thread (``answer_id``) or of a passage of
    the session's recording (the run of their speech starting at ``segment_id``: ``segment_ids``); the original is
    kept beside it."""

    id: int
    answer_id: int | None
    session_id: int
    user_id: int
    original_text: str
    proposed_text: str
    status: CorrectionDecision
    reason: str | None
    proposed_at: datetime
    decided_by: int | None
    decided_at: datetime | None
    segment_id: int | None = None
    segment_ids: tuple[int, ...] = ()

    @property
    def target(self) -> str:
        """``answer 12`` or ``recorded passage 40``, as the secretariat reads it."""
        return f"answer {self.answer_id}" if self.answer_id is not None else f"recorded passage {self.segment_id}"


@dataclass(frozen=True, slots=True)
class CorrectionWindow:
    """When a witness was sent their transcript and until when they may propose corrections."""

    session_id: int
    user_id: int
    opened_at: datetime
    closes_at: datetime
