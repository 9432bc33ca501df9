"""What has been decided about a session's oral record since it was heard, applied to what the transcript prints:
witnesses' approved corrections of passages of the recording, and the secretariat's redactions of answers and
passages.

A correction of a recorded passage names the segments it replaces. The segments themselves (the uncorrected
transcript) are never changed: where the transcript prints them, the corrected text is printed once in their
place. When a witness corrects a passage again, the newer approved correction replaces every older one it overlaps.
A correction whose segments a newer upload of the recording replaced no longer applies (the witness is sent the new
passage to correct instead).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from exports.readmodels import Redaction
from inquiry.review.redaction_models import RedactionRecord, TargetKind
from inquiry.sessions.recording_models import Correction, CorrectionDecision, TranscriptSegment
from inquiry.store import Store

log = logging.getLogger(__name__)


class Amendments:
    """A session's approved corrections of recorded passages and its redactions, ready to apply. Each correction is
    printed once: use a fresh instance for each rendering of the record."""

    def __init__(self, corrections: Iterable[Correction], redactions: Iterable[RedactionRecord]) -> None:
        self._by_segment: dict[int, Correction] = {}
        approved = [c for c in corrections if c.status is CorrectionDecision.APPROVED and c.segment_ids]
        for correction in sorted(approved, key=lambda c: c.id):
            overlapped = {self._by_segment[s].id for s in correction.segment_ids if s in self._by_segment}
            self._by_segment = {s: c for s, c in self._by_segment.items() if c.id not in overlapped}
            self._by_segment.update((s, correction) for s in correction.segment_ids)
        self._redactions: dict[tuple[TargetKind, int], list[RedactionRecord]] = {}
        for redaction in redactions:
            if redaction.active:
                self._redactions.setdefault((redaction.target_kind, redaction.target_id), []).append(redaction)
        self._printed: set[int] = set()

    def run(self, segments: Sequence[TranscriptSegment]) -> tuple[str, bool]:
        """A run of recorded speech as the record gives it, and whether all of it is corrected by its speaker."""
        pieces, corrected = [], True
        for segment in segments:
            correction = self._by_segment.get(segment.id)
            if correction is None:
                pieces.append(segment.text.strip())
                corrected = False
            elif correction.id not in self._printed:
                self._printed.add(correction.id)
                pieces.append(correction.proposed_text.strip())
        return " ".join(piece for piece in pieces if piece), corrected and bool(segments)

    def run_redactions(self, segments: Sequence[TranscriptSegment]) -> list[RedactionRecord]:
        """The redactions of a run: those of any of its segments."""
        return [r for segment in segments for r in self._redactions.get((TargetKind.SEGMENT, segment.id), [])]

    def answer_redactions(self, answer_id: int) -> list[RedactionRecord]:
        """The redactions of an answer posted in the thread."""
        return list(self._redactions.get((TargetKind.SESSION_ANSWER, answer_id), []))


def for_export(redactions: Iterable[RedactionRecord]) -> list[Redaction]:
    """Redactions as the exports' read-models take them (each already scoped to the text it is given with)."""
    return [Redaction(question_number=None, passage=r.passage, reason=r.reason) for r in redactions]


async def load_amendments(store: Store, session_id: int) -> Amendments:
    """The session's approved corrections and redactions in force."""
    corrections = await store.sessions.corrections(session_id, CorrectionDecision.APPROVED)
    return Amendments(corrections, await store.redactions.of_session(session_id))
