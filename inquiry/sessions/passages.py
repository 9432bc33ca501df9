"""What was said in a session, passage by passage, as its transcript prints it: under each question (and before the
first) in time order, each answer posted in the thread, and each run of one speaker's speech heard on the session's
recordings (the newest upload where recordings overlap: :func:`inquiry.record.sessions.recorded_passages`). Approved
corrections are applied. Witnesses are sent their own passages to correct; the secretariat redacts passages by the
question they were said under."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from inquiry.record.sessions import recorded_passages
from inquiry.review.redaction_models import TargetKind
from inquiry.sessions.amendments import load_amendments
from inquiry.sessions.models import CorrectionStatus, OralQuestion, Session, SessionAnswer
from inquiry.sessions.recording_models import TranscriptSegment
from inquiry.sessions.recordings import normalise
from inquiry.store import Store

log = logging.getLogger(__name__)

OPENING = "Opening"  # the label of what was said before the first question


@dataclass(frozen=True, slots=True)
class Passage:
    """An answer posted in the thread (``answer``), or a run of one speaker's recorded speech (``segment_ids``)."""

    session_id: int
    question: OralQuestion | None  # None: said before the first question
    moment: datetime
    speaker_name: str
    user_id: int | None
    text: str  # the text for the record: an approved correction's, else the uncorrected transcript (or what was typed)
    uncorrected: str
    corrected: bool
    spoken: bool
    answer: SessionAnswer | None = None
    segment_ids: tuple[int, ...] = ()

    @property
    def label(self) -> str:
        """``Q3``, or ``Opening``."""
        return self.question.label if self.question else OPENING

    @property
    def recorded(self) -> bool:
        """Heard on a recording (rather than posted in the thread)."""
        return self.answer is None

    @property
    def target(self) -> tuple[TargetKind, int]:
        """What a redaction of this passage names: the answer, or the run's last segment (the transcript leaves out
        a question read aloud at the start of a run, never the end)."""
        if self.answer is not None:
            return TargetKind.SESSION_ANSWER, self.answer.id
        return TargetKind.SEGMENT, self.segment_ids[-1]


async def said_in(store: Store, session: Session) -> list[Passage]:
    """Every passage of the session with words in it, question by question (the opening first), in time order."""
    questions = {q.id: q for q in await store.sessions.questions(session.id)}
    amendments = await load_amendments(store, session.id)
    said: list[tuple[datetime, SessionAnswer | TranscriptSegment]] = [
        (answer.created_at, answer) for answer in await store.sessions.answers(session.id)
    ]
    said += await recorded_passages(store, session)
    by_question: dict[int | None, list[tuple[datetime, SessionAnswer | TranscriptSegment]]] = {}
    for moment, item in said:
        by_question.setdefault(item.question_id, []).append((moment, item))
    order = [None, *sorted(questions, key=lambda q: questions[q].number)]
    passages: list[Passage] = []
    for question_id in order:
        runs: list[tuple[datetime, SessionAnswer | list[TranscriptSegment]]] = []
        for moment, item in sorted(by_question.get(question_id, []), key=lambda pair: pair[0]):
            if not isinstance(item, TranscriptSegment):
                runs.append((moment, item))
            elif runs and isinstance(runs[-1][1], list) and _voice(runs[-1][1][-1]) == _voice(item):
                runs[-1][1].append(item)
            else:
                runs.append((moment, [item]))
        question = questions.get(question_id) if question_id is not None else None
        for moment, entry in runs:
            passage = _passage(session, question, moment, entry, amendments)
            if passage.text.strip():
                passages.append(passage)
    return passages


def _passage(session: Session, question, moment: datetime, entry, amendments) -> Passage:
    if isinstance(entry, list):
        text, corrected = amendments.run(entry)
        first = entry[0]
        return Passage(
            session_id=session.id,
            question=question,
            moment=moment,
            speaker_name=first.speaker_name or "Speaker not identified",
            user_id=first.user_id,
            text=text,
            uncorrected=" ".join(segment.text.strip() for segment in entry),
            corrected=corrected,
            spoken=True,
            segment_ids=tuple(segment.id for segment in entry),
        )
    waiting = entry.correction_status is CorrectionStatus.AWAITING_TRANSCRIPT
    return Passage(
        session_id=session.id,
        question=question,
        moment=moment,
        speaker_name=entry.speaker_name,
        user_id=entry.user_id,
        text="" if waiting else (entry.text or ""),
        uncorrected=entry.uncorrected_text or "",
        corrected=entry.correction_status is CorrectionStatus.ACCEPTED,
        spoken=entry.spoken,
        answer=entry,
    )


def _voice(segment: TranscriptSegment) -> tuple[str, int | str]:
    """Whose voice a passage holds, as the transcript tells runs apart."""
    if segment.user_id is not None:
        return ("user", segment.user_id)
    if segment.speaker_name:
        return ("name", normalise(segment.speaker_name))
    return ("track", segment.track_id)
