"""Word exports of the inquiry's record: formal minutes, oral evidence transcripts and the written evidence
volume. Pure functions from the read-models in :mod:`exports.readmodels` to .docx bytes; nothing here
touches Discord or the database."""

from .evidence import build_evidence_volume
from .files import export_filename
from .minutes import build_minutes
from .pii import PiiMatch, find_personal_data, redact
from .readmodels import (
    Answer,
    AppliedRedaction,
    EvidenceAnswer,
    EvidenceVolumeDoc,
    ExportResult,
    MediaTranscript,
    Member,
    MinuteItem,
    MinutesDoc,
    QuestionRecord,
    Redaction,
    Submission,
    TranscriptDoc,
    Witness,
)
from .transcript import build_transcript

__all__ = [
    "Answer",
    "AppliedRedaction",
    "EvidenceAnswer",
    "EvidenceVolumeDoc",
    "ExportResult",
    "MediaTranscript",
    "Member",
    "MinuteItem",
    "MinutesDoc",
    "PiiMatch",
    "QuestionRecord",
    "Redaction",
    "Submission",
    "TranscriptDoc",
    "Witness",
    "build_evidence_volume",
    "build_minutes",
    "build_transcript",
    "export_filename",
    "find_personal_data",
    "redact",
]
