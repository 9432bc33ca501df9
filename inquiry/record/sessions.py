"""Read-models of an oral evidence session for the exports: its formal minutes and its transcript.

Each function reads the store and returns the plain dataclasses of ``exports.readmodels`` with the inquiry's
code (for the file name). Struck questions are passed on marked as struck, with their reason; the writers
leave their words out of the transcript, whether typed, sent by voice message or heard on the recording. A spoken
answer still waiting for its transcript says so.

The transcript merges two sources, in time order under each question: what was posted in the session's thread
(typed answers, and voice messages with their transcripts) and what the session's recordings heard (passages
attributed to the speaker of their track and to the question put at that moment; see
:mod:`inquiry.sessions.recordings`). The rule, and why it is what a committee clerk expects:

- Both appear, neither replaces the other. The thread and the recording never hold the same answer: the thread
  holds what was typed or sent there, the recording what was said aloud on the Stage or call. A clerk must not
  lose a written aside because the witness also spoke, nor the spoken answer because something was typed.
- In time order, so the record reads as the session ran. Consecutive passages of one speaker under one question
  are one paragraph. Speech before the first question is the session's opening.
- Each is marked for what it is: recorded speech as ``[uncorrected transcript]`` (it is Whisper's, unchecked);
  when a recording is in the record, typed answers as typed, so that a reader does not take them for speech.
  Without a recording the transcript is the thread alone and nothing is marked typed.
- A question is printed once. When the asker is heard reading it out (the words said first under it are, for
  the most part, its words), the typed text stands for it and the reading is left out; anything else the asker
  says (a preamble, a follow-up) is kept.
- A recording uploaded again replaces the one before where they overlap. Recordings are taken newest upload
  first: a passage of an older one is left out when a newer one holds the same file, or heard the same moment
  and holds the same voice (its speaker's track, or the whole room). So the same recording uploaded again with
  its start corrected replaces the first whole, a second part of a session recorded in two goes beside the first,
  and one speaker's track uploaded again alone replaces that speaker's passages only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import dropwhile
from zoneinfo import ZoneInfo

from exports.readmodels import Answer, Member, MinuteItem, MinutesDoc, QuestionRecord, TranscriptDoc, Witness
from inquiry.core.errors import InvalidState, NotFound
from inquiry.inquiries.models import Inquiry
from inquiry.sessions.amendments import Amendments, for_export, load_amendments
from inquiry.sessions.models import (
    CorrectionStatus,
    OralQuestion,
    PlaceKind,
    QuestionStatus,
    Session,
    SessionAnswer,
    SessionStatus,
)
from inquiry.sessions.recording_models import Recording, RecordingTrack, TranscriptSegment
from inquiry.sessions.recordings import normalise, reads_question
from inquiry.sessions.rules import declaration_line, witness_attendance
from inquiry.store import Store

log = logging.getLogger(__name__)

AWAITING_TRANSCRIPT = "[Spoken answer: the transcript is not ready yet.]"
UNIDENTIFIED = "Speaker not identified"
PLACES = {PlaceKind.STAGE: "Online (Discord Stage)", PlaceKind.VOICE: "Online (Discord voice channel)"}

Entry = SessionAnswer | list[TranscriptSegment]  # an answer in the thread, or a run of one speaker's recorded speech


async def minutes_doc(store: Store, session_id: int, tz: ZoneInfo) -> tuple[MinutesDoc, str]:
    """The formal minutes of a session: members present with the chair, apologies, declarations of interest, the
    witnesses (who gave evidence, who was not called or absent), the decisions, action points and notes (not those
    removed), the inquiry's next session, and whether the minutes are a draft or agreed; with the inquiry's code."""
    session, inquiry = await _load(store, session_id)
    if session.status is SessionStatus.CANCELLED:
        raise InvalidState(f"Session {session.number} was cancelled, so it has no minutes.")
    chair = session.chair
    if chair is None:
        raise InvalidState("No chair is recorded for this session, so its minutes cannot say who was in the Chair.")
    items = [
        MinuteItem(
            kind=item.kind.value, text=item.text, owner=item.owner, due=_date(item.due), key=f"minute_item:{item.id}"
        )
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
        declarations=[declaration_line(d.name, d.interest) for d in await store.sessions.declarations(session.id)],
        witnesses=_witnesses(session, await store.sessions.witnesses_heard(session.id)),
        items=items,
        next_meeting=await _next_meeting(store, session, tz),
        status="agreed" if session.minutes_agreed_on else "draft",
        agreed_on=session.minutes_agreed_on,
    )
    return doc, inquiry.code


async def transcript_doc(store: Store, session_id: int, tz: ZoneInfo) -> tuple[TranscriptDoc, str]:
    """The oral evidence transcript of a session: members present (the chair first), witnesses by panel, and
    every numbered question with what was said under it, typed in the thread and heard on the session's recordings,
    in time order (the rule is in this module's docstring); with the inquiry's code."""
    session, inquiry = await _load(store, session_id)
    said: dict[int | None, list[tuple[datetime, SessionAnswer | TranscriptSegment]]] = {}
    for answer in await store.sessions.answers(session.id):
        said.setdefault(answer.question_id, []).append((answer.created_at, answer))
    heard = await recorded_passages(store, session)
    for moment, passage in heard:
        said.setdefault(passage.question_id, []).append((moment, passage))
    mark_typed = bool(heard)
    amended = await load_amendments(store, session.id)  # approved corrections of recorded passages, redactions
    questions = [
        _question(q, _without_reading(q, _entries(said.get(q.id, []))), mark_typed, amended)
        for q in await store.sessions.questions(session.id)
    ]
    doc = TranscriptDoc(
        inquiry_title=inquiry.title,
        session_title=session.title,  # the writer heads it "Oral evidence: <title>"
        starts_at=session.starts_at,
        timezone_name=tz.key,
        members=[Member(m.name, chair=m.is_chair) for m in session.present],
        witnesses=_witnesses(session),
        questions=questions,
        opening=[_answer(entry, False, None, mark_typed, amended) for entry in _entries(said.get(None, []))],
    )
    return doc, inquiry.code


@dataclass(frozen=True, slots=True)
class _Heard:
    """The stretch of the session one recording heard, the voices it holds (``room``: all of them), and its files."""

    first: datetime
    last: datetime
    voices: frozenset[tuple[str, int | str]]
    room: bool
    media: frozenset[int]

    def replaces(self, moment: datetime, voice: tuple[str, int | str] | None, media_id: int | None) -> bool:
        """Whether this (newer) recording replaces an older passage: the same file, or the same voice at once."""
        if media_id is not None and media_id in self.media:
            return True
        return self.first <= moment <= self.last and (self.room or voice is None or voice in self.voices)


async def recorded_passages(store: Store, session: Session) -> list[tuple[datetime, TranscriptSegment]]:
    """Every passage heard on the session's assembled recordings, with the moment it began; where recordings
    overlap, the newest upload's (see this module's docstring)."""
    if session.opened_at is None:
        return []
    passages: list[tuple[datetime, TranscriptSegment]] = []
    newer: list[_Heard] = []
    for recording in await store.sessions.done_recordings(session.id):  # the most recent upload first
        started = session.opened_at + timedelta(seconds=recording.started_offset_s)
        segments = await store.sessions.segments(recording.id)
        if not segments:
            continue
        media = {track.id: track.media_id for track in recording.tracks}
        for segment in segments:
            moment = _moment(started, segment)
            if not any(h.replaces(moment, _voice(segment), media[segment.track_id]) for h in newer):
                passages.append((moment, segment))
        newer.append(_heard(recording, started, segments))
    return passages


def _moment(started: datetime, segment: TranscriptSegment) -> datetime:
    return started + timedelta(seconds=segment.start_s)


def _voice(speaker: TranscriptSegment | RecordingTrack) -> tuple[str, int | str] | None:
    """Whose voice a track (or its passage) holds: the Discord user, else the track's name; None: the whole room."""
    if speaker.user_id is not None:
        return ("user", speaker.user_id)
    return ("name", normalise(speaker.speaker_name)) if speaker.speaker_name else None


def _heard(recording: Recording, started: datetime, segments: list[TranscriptSegment]) -> _Heard:
    transcribed = [track for track in recording.tracks if track.status == "done"]
    return _Heard(
        first=started + timedelta(seconds=min(s.start_s for s in segments)),
        last=started + timedelta(seconds=max(s.end_s for s in segments)),
        voices=frozenset(voice for track in transcribed if (voice := _voice(track)) is not None),
        room=any(track.raw_speaker is None for track in transcribed),
        media=frozenset(track.media_id for track in transcribed if track.media_id is not None),
    )


def _entries(said: list[tuple[datetime, SessionAnswer | TranscriptSegment]]) -> list[Entry]:
    """What was said under one question, in time order; consecutive recorded passages of one speaker make one run."""
    entries: list[Entry] = []
    for _, item in sorted(said, key=lambda pair: pair[0]):
        if not isinstance(item, TranscriptSegment):
            entries.append(item)
        elif entries and isinstance(entries[-1], list) and _speaker(entries[-1][-1]) == _speaker(item):
            entries[-1].append(item)
        else:
            entries.append([item])
    return entries


def _speaker(segment: TranscriptSegment) -> tuple[str, int | str]:
    return _voice(segment) or ("track", segment.track_id)


def _without_reading(question: OralQuestion, entries: list[Entry]) -> list[Entry]:
    """A question's record without its asker (or a speaker not identified) reading it out first: its text stands
    for that. Only the passages at the very start that read the question go; the rest of the run is kept."""
    if not entries or not isinstance(entries[0], list):
        return entries

    def reading(segment: TranscriptSegment) -> bool:
        return segment.user_id in (None, question.asked_by) and reads_question(segment.text, question.text)

    rest = list(dropwhile(reading, entries[0]))
    return ([rest] if rest else []) + entries[1:]


async def _load(store: Store, session_id: int) -> tuple[Session, Inquiry]:
    session = await store.sessions.get(session_id)
    if session is None:
        raise NotFound(f"There is no session {session_id}.")
    return session, await store.inquiries.get(session.inquiry_id)


def _title(session: Session) -> str:
    return f"Oral evidence session {session.number}: {session.title}"


def _witnesses(session: Session, heard: set[int] | None = None) -> list[Witness]:
    """The panels' witnesses; with ``heard`` (the witnesses whose words are in the record), whether each gave
    evidence."""
    return [
        Witness(
            w.name,
            w.role or None,
            w.organisation or None,
            w.panel,
            witness_attendance(w, w.id in heard).value if heard is not None else "gave_evidence",
        )
        for w in session.witnesses
    ]


def _question(question: OralQuestion, answers: list[Entry], mark_typed: bool, amended: Amendments) -> QuestionRecord:
    struck = question.status is QuestionStatus.STRUCK
    return QuestionRecord(
        number=question.number,
        asked_by=question.asker_name,
        text=question.text,
        answers=[_answer(a, struck, question.struck_reason, mark_typed, amended) for a in answers],
        struck=struck,
        strike_reason=question.struck_reason,
        panel=question.panel,
        key=f"oral_question:{question.id}",
    )


def _answer(answer: Entry, struck: bool, reason: str | None, mark_typed: bool, amended: Amendments) -> Answer:
    if isinstance(answer, list):  # a run of recorded speech, with its speaker's approved corrections
        text, corrected = amended.run(answer)
        return Answer(
            witness_name=answer[0].speaker_name or UNIDENTIFIED,
            text=text,
            spoken=True,
            corrected=corrected,
            struck=struck,
            strike_reason=reason if struck else None,
            key=f"segment:{answer[-1].id}",
            redactions=for_export(amended.run_redactions(answer)),
        )
    waiting = answer.correction_status is CorrectionStatus.AWAITING_TRANSCRIPT
    return Answer(
        witness_name=answer.speaker_name,
        text=AWAITING_TRANSCRIPT if waiting else (answer.text or ""),
        spoken=answer.spoken,
        typed=mark_typed and not answer.spoken,
        corrected=answer.correction_status is CorrectionStatus.ACCEPTED,
        struck=struck,
        strike_reason=reason if struck else None,
        key=f"session_answer:{answer.id}",
        redactions=for_export(amended.answer_redactions(answer.id)),
    )


async def _next_meeting(store: Store, session: Session, tz: ZoneInfo) -> str | None:
    later = [
        s for s in await store.sessions.of_inquiry(session.inquiry_id) if s.starts_at > session.starts_at and s.is_live
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
