"""Read-models of an oral evidence session for the exports: its formal minutes and its transcript.

Each function reads the store and returns the plain dataclasses of ``exports.readmodels`` with the inquiry's
code (for the file name). Struck questions are passed on marked as struck, with their reason; the writers
leave their words out of the transcript. A spoken answer still waiting for its transcript says so.

The transcript merges two sources, in time order under each question: what was posted in the session's thread
(typed answers, and voice messages with their transcripts) and what the session's recording heard (its latest
assembled recording: passages attributed to the speaker of their track and to the question put at that moment).
Nothing is dropped as a duplicate, because the two never hold the same words: the thread holds what was typed or
sent there, the recording what was said aloud on the Stage or call (the chair's spoken question included, after
its official text). Consecutive passages of one speaker are joined into one paragraph. Speech recorded before the
first question is the opening of the session. Recorded speech is marked as uncorrected transcript.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from exports.readmodels import Answer, Member, MinuteItem, MinutesDoc, QuestionRecord, TranscriptDoc, Witness

from ..errors import InvalidState, NotFound
from ..models import Inquiry
from ..models_recordings import TranscriptSegment
from ..models_sessions import (
    CorrectionStatus,
    OralQuestion,
    PlaceKind,
    QuestionStatus,
    Session,
    SessionAnswer,
    SessionStatus,
)
from ..store import Store

log = logging.getLogger(__name__)

AWAITING_TRANSCRIPT = "[Spoken answer: the transcript is not ready yet.]"
UNIDENTIFIED = "Speaker not identified"
PLACES = {PlaceKind.STAGE: "Online (Discord Stage)", PlaceKind.VOICE: "Online (Discord voice channel)"}


async def minutes_doc(store: Store, session_id: int, tz: ZoneInfo) -> tuple[MinutesDoc, str]:
    """The formal minutes of a session: members present with the chair, apologies, witnesses heard, the
    numbered decisions, action points and notes, and the inquiry's next session; with the inquiry's code."""
    session, inquiry = await _load(store, session_id)
    chair = session.chair
    if chair is None:
        raise InvalidState("No chair is recorded for this session, so its minutes cannot say who was in the Chair.")
    items = [
        MinuteItem(kind=item.kind.value, text=item.text, owner=item.owner, due=_date(item.due))
        for item in await store.sessions.minutes(session.id)
    ]
    doc = MinutesDoc(
        inquiry_title=inquiry.title,
        committee_name=None,
        session_title=_title(session),
        starts_at=session.starts_at,
        timezone_name=tz.key,
        place=session.place.location if session.place.kind is PlaceKind.EXTERNAL else PLACES[session.place.kind],
        chair=Member(chair.name, chair=True),
        members=[Member(m.name) for m in session.present if not m.is_chair],
        apologies=[m.name for m in session.apologies],
        witnesses=_witnesses(session),
        items=items,
        next_meeting=await _next_meeting(store, session, tz),
    )
    return doc, inquiry.code


async def transcript_doc(store: Store, session_id: int, tz: ZoneInfo) -> tuple[TranscriptDoc, str]:
    """The oral evidence transcript of a session: members present (the chair first), witnesses by panel, and
    every numbered question with its answers in the order given; with the inquiry's code."""
    session, inquiry = await _load(store, session_id)
    said: dict[int | None, list[tuple[datetime, SessionAnswer | list[TranscriptSegment]]]] = {}
    for answer in await store.sessions.answers(session.id):
        said.setdefault(answer.question_id, []).append((answer.created_at, answer))
    recording = await store.sessions.latest_done_recording(session.id)
    if recording is not None and session.opened_at is not None:
        started = session.opened_at + timedelta(seconds=recording.started_offset_s)
        for run in _runs(await store.sessions.segments(recording.id)):
            said.setdefault(run[0].question_id, []).append((started + timedelta(seconds=run[0].start_s), run))
    questions = [_question(q, _in_order(said.get(q.id, []))) for q in await store.sessions.questions(session.id)]
    doc = TranscriptDoc(
        inquiry_title=inquiry.title,
        session_title=session.title,  # the writer heads it "Oral evidence: <title>"
        starts_at=session.starts_at,
        timezone_name=tz.key,
        members=[Member(m.name, chair=m.is_chair) for m in session.present],
        witnesses=_witnesses(session),
        questions=questions,
        opening=[_answer(entry, False, None) for entry in _in_order(said.get(None, []))],
    )
    return doc, inquiry.code


def _runs(segments: list[TranscriptSegment]) -> list[list[TranscriptSegment]]:
    """Segments in time order, grouped into runs of one speaker under one question."""
    runs: list[list[TranscriptSegment]] = []
    for segment in sorted(segments, key=lambda s: s.position):
        last = runs[-1][-1] if runs else None
        if last and (last.track_id, last.question_id) == (segment.track_id, segment.question_id):
            runs[-1].append(segment)
        else:
            runs.append([segment])
    return runs


def _in_order(entries: list[tuple[datetime, SessionAnswer | list[TranscriptSegment]]]):
    return [entry for _, entry in sorted(entries, key=lambda pair: pair[0])]


async def _load(store: Store, session_id: int) -> tuple[Session, Inquiry]:
    session = await store.sessions.get(session_id)
    if session is None:
        raise NotFound(f"There is no session {session_id}.")
    return session, await store.inquiries.get(session.inquiry_id)


def _title(session: Session) -> str:
    return f"Oral evidence session {session.number}: {session.title}"


def _witnesses(session: Session) -> list[Witness]:
    return [Witness(w.name, w.role or None, w.organisation or None, w.panel) for w in session.witnesses]


def _question(question: OralQuestion, answers: list[SessionAnswer | list[TranscriptSegment]]) -> QuestionRecord:
    struck = question.status is QuestionStatus.STRUCK
    return QuestionRecord(
        number=question.number,
        asked_by=question.asker_name,
        text=question.text,
        answers=[_answer(a, struck, question.struck_reason) for a in answers],
        struck=struck,
        strike_reason=question.struck_reason,
        panel=question.panel,
    )


def _answer(answer: SessionAnswer | list[TranscriptSegment], struck: bool, reason: str | None) -> Answer:
    if isinstance(answer, list):  # a run of recorded speech
        return Answer(
            witness_name=answer[0].speaker_name or UNIDENTIFIED,
            text=" ".join(segment.text.strip() for segment in answer),
            spoken=True,
            struck=struck,
            strike_reason=reason if struck else None,
        )
    waiting = answer.correction_status is CorrectionStatus.AWAITING_TRANSCRIPT
    return Answer(
        witness_name=answer.speaker_name,
        text=AWAITING_TRANSCRIPT if waiting else (answer.text or ""),
        spoken=answer.spoken,
        corrected=answer.correction_status is CorrectionStatus.ACCEPTED,
        struck=struck,
        strike_reason=reason if struck else None,
    )


async def _next_meeting(store: Store, session: Session, tz: ZoneInfo) -> str | None:
    later = [
        s
        for s in await store.sessions.of_inquiry(session.inquiry_id)
        if s.starts_at > session.starts_at and s.status is not SessionStatus.CLOSED
    ]
    if not later:
        return None
    upcoming = min(later, key=lambda s: s.starts_at)
    return f"{_title(upcoming)}, {_when(upcoming.starts_at, tz)}."


def _when(moment: datetime, tz: ZoneInfo) -> str:
    local = moment.astimezone(tz)
    return f"{local:%A} {local.day} {local:%B %Y} at {local:%H:%M} ({local.tzname()})"


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
