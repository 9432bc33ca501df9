"""Read-models of an oral evidence session for the exports: its formal minutes and its transcript.

Each function reads the store and returns the plain dataclasses of ``exports.readmodels`` with the inquiry's
code (for the file name). Struck questions are passed on marked as struck, with their reason; the writers
leave their words out of the transcript. A spoken answer still waiting for its transcript says so.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

from exports.readmodels import Answer, Member, MinuteItem, MinutesDoc, QuestionRecord, TranscriptDoc, Witness

from ..errors import InvalidState, NotFound
from ..models import Inquiry
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
    answers: dict[int, list[SessionAnswer]] = {}
    for answer in await store.sessions.answers(session.id):
        answers.setdefault(answer.question_id, []).append(answer)
    questions = [_question(q, answers.get(q.id, [])) for q in await store.sessions.questions(session.id)]
    doc = TranscriptDoc(
        inquiry_title=inquiry.title,
        session_title=session.title,  # the writer heads it "Oral evidence: <title>"
        starts_at=session.starts_at,
        timezone_name=tz.key,
        members=[Member(m.name, chair=m.is_chair) for m in session.present],
        witnesses=_witnesses(session),
        questions=questions,
    )
    return doc, inquiry.code


async def _load(store: Store, session_id: int) -> tuple[Session, Inquiry]:
    session = await store.sessions.get(session_id)
    if session is None:
        raise NotFound(f"There is no session {session_id}.")
    return session, await store.inquiries.get(session.inquiry_id)


def _title(session: Session) -> str:
    return f"Oral evidence session {session.number}: {session.title}"


def _witnesses(session: Session) -> list[Witness]:
    return [Witness(w.name, w.role or None, w.organisation or None, w.panel) for w in session.witnesses]


def _question(question: OralQuestion, answers: list[SessionAnswer]) -> QuestionRecord:
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


def _answer(answer: SessionAnswer, struck: bool, reason: str | None) -> Answer:
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
