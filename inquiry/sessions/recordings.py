"""Recordings of oral evidence sessions: uploaded after the session by the secretariat, one file or a zip of one
track per speaker; each track is transcribed by the durable queue, and when all are done the segments are
attributed to speakers (by track) and to questions (by when the chair put them) and merged in time order into the
session's uncorrected transcript.

The recording starts when the chair opened the session unless the secretariat says otherwise (``offset_s``: how
many seconds after the opening it started; negative when it started before). A question put ``n`` seconds after
the opening owns the segments that start ``n`` seconds or more after the opening, until the next question;
segments before the first question are the opening remarks. A question is often read out just before it is posted:
the asker's words said up to ``READING_LEAD_S`` seconds before it was put that read it out (see
:func:`reads_question`) belong to it, not to the question before. Whisper's segment times are first tightened to the
sound inside them (see :mod:`inquiry.sessions.speech_activity`), since it reports boundaries anywhere in the
pause around the speech.
"""

from __future__ import annotations

import asyncio
import logging
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, Protocol

from inquiry.core.errors import InvalidInput, InvalidState
from inquiry.core.models import Role
from inquiry.sessions.models import Actor, OralQuestion, Session
from inquiry.sessions.recording_models import Recording, RecordingStatus, RecordingTrack, TranscriptSegment
from inquiry.sessions.recording_zip import RecordingRefused, Track, ZipLimits, is_media_name, is_zip, unpack_to_files
from inquiry.sessions.rules import require_any
from inquiry.sessions.speech_activity import Envelope, envelope
from inquiry.store import Store
from storage import MediaStorage

log = logging.getLogger(__name__)

READING_LEAD_S = 30.0  # how long before a question is posted its asker may be heard reading it out
READING_SIMILARITY = 0.85  # letters in common, for a reading heard differently
READING_MAX_CHARS = 400  # a question read out is shorter than this; longer text is compared by its start
READING_PIECES = 4  # a reading cut into at most this many segments is still recognised
_WORD = re.compile(r"[0-9a-z]+(?:'[0-9a-z]+)*")


class Receiver(Protocol):
    """What the transcription queue offers: keep a file and queue it (``TranscriptionService.receive``)."""

    async def receive(self, data: bytes, filename: str, content_type: str | None, **where: Any) -> Any: ...


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who a track belongs to, as found among the session's witnesses and members (or the raw name)."""

    name: str | None
    user_id: int | None = None
    witness_id: int | None = None


@dataclass(frozen=True, slots=True)
class Uploaded:
    """A recording taken: its tracks as queued, and the tracks the queue refused (with why)."""

    recording: Recording
    refused: tuple[str, ...] = ()


def normalise(name: str) -> str:
    """``Holly_Lynch-MP`` → ``hollylynchmp``: names compared without case, spaces or punctuation."""
    return re.sub(r"[^0-9a-z]", "", name.lower())


def match_speaker(raw: str | None, session: Session, usernames: dict[int, Iterable[str]]) -> Speaker:
    """The witness or member whose name or Discord username is ``raw`` (Craig may add ``_0`` or ``#1234``)."""
    if raw is None:
        return Speaker(None)
    wanted = {normalise(raw), normalise(re.sub(r"([_#]\d+)$", "", raw))} - {""}
    for witness in session.witnesses:
        names = {witness.name, *usernames.get(witness.user_id or -1, ())}
        if wanted & {normalise(n) for n in names}:
            return Speaker(witness.name, witness.user_id, witness.id)
    for member in session.members:
        names = {member.name, *usernames.get(member.user_id, ())}
        if wanted & {normalise(n) for n in names}:
            return Speaker(member.name, member.user_id)
    return Speaker(raw)


def question_at(seconds: float, asked: list[tuple[float, OralQuestion]]) -> OralQuestion | None:
    """The last question put at or before ``seconds`` into the recording (``asked`` in time order)."""
    found = None
    for offset, question in asked:
        if offset <= seconds:
            found = question
        else:
            break
    return found


def reads_question(said: str, question: str, share: float = 0.75) -> bool:
    """Whether ``said`` is a question read aloud: three words or more, at least ``share`` of them the question's
    words in the question's order, and at least half of the question. Whisper's words differ a little from the typed
    text; an answer that takes up the question's words ("Councils should thank the volunteers") does not read it
    out, and "Thank you." is too short to tell."""
    spoken, asked = _WORD.findall(said.lower()), _WORD.findall(question.lower())
    if len(spoken) < 3 or not asked:
        return False
    common = _common_words(spoken, asked)
    if common >= share * len(spoken) and common >= len(asked) / 2:
        return True
    # Whisper also splits and hears words a little differently ("lock down", "all the" for "older"): compare the
    # letters, when the two are of a like length (an answer that takes up the question's words is not).
    letters, wanted = "".join(spoken)[:READING_MAX_CHARS], "".join(asked)[:READING_MAX_CHARS]
    if not 0.75 <= len(letters) / len(wanted) <= 1.33:
        return False
    return SequenceMatcher(None, letters, wanted, autojunk=False).ratio() >= READING_SIMILARITY


def _common_words(first: list[str], second: list[str]) -> int:
    """How many words the two share in the same order (the longest common subsequence)."""
    previous = [0] * (len(second) + 1)
    for word in first:
        current = [0]
        for index, other in enumerate(second):
            current.append(previous[index] + 1 if word == other else max(previous[index + 1], current[index]))
        previous = current
    return previous[-1]


def question_read_out(
    seconds: float, speaker_id: int | None, text: str, asked: list[tuple[float, OralQuestion]]
) -> OralQuestion | None:
    """The question put up to ``READING_LEAD_S`` after ``seconds`` that ``text`` reads out, said by its asker (or by
    a speaker not identified: ``speaker_id`` None)."""
    for offset, question in asked:
        if not seconds < offset <= seconds + READING_LEAD_S:
            continue
        if speaker_id in (None, question.asked_by) and reads_question(text, question.text):
            return question
    return None


def _readings(
    pieces: list, started_offset_s: float, asked: list[tuple[float, OralQuestion]]
) -> dict[int, OralQuestion]:
    """Which pieces read a question out, by their index: Whisper may cut one reading into several segments, so a
    piece is also tried joined with the next few pieces of the same track."""
    found: dict[int, OralQuestion] = {}
    for index, (start, _, track, text) in enumerate(pieces):
        if index in found:
            continue
        joined, members = text, [index]
        for later in range(index, min(len(pieces), index + READING_PIECES)):
            if later > index:
                if pieces[later][2].id != track.id:
                    continue
                joined, members = f"{joined} {pieces[later][3]}", [*members, later]
            question = question_read_out(started_offset_s + start, track.user_id, joined, asked)
            if question is not None:
                found.update(dict.fromkeys(members, question))
                break
    return found


class SessionRecordingService:
    """Takes a session's recording, queues its tracks, and assembles the uncorrected transcript."""

    def __init__(
        self,
        store: Store,
        clock: Callable[[], datetime],
        limits: ZipLimits | None = None,
        storage: MediaStorage | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.storage = storage  # where the queue keeps the tracks' files (read for their loudness)
        self.limits = limits or ZipLimits()

    def check_upload(self, session: Session, actor: Actor, filename: str, size: int, max_media_bytes: int) -> None:
        """Refuse an upload before anything of it is downloaded: who uploads, the session's state, the kind of file
        (by its name) and the size Discord reports. A zip may hold up to the zip limit; one file, ``max_media_bytes``
        (what the transcription queue takes)."""
        require_any(actor, (Role.SECRETARIAT,), "upload a session's recording")
        if session.opened_at is None:
            raise InvalidState("This session has not been opened, so it has no recording yet.")
        zipped = filename.lower().endswith(".zip")
        if not zipped and not is_media_name(filename):
            raise InvalidInput(f"{filename} is neither an audio or video file nor a zip of tracks.")
        limit = self.limits.max_total_bytes if zipped else max_media_bytes
        if size > limit:
            raise InvalidInput(
                f"{filename} is {_size(size)}; the largest {'zip of tracks' if zipped else 'recording'} I take"
                f" is {_size(limit)}."
            )

    async def upload(
        self,
        session: Session,
        actor: Actor,
        filename: str,
        data: bytes | Path,
        receiver: Receiver,
        usernames: dict[int, Iterable[str]] | None = None,
        offset_s: float = 0.0,
    ) -> Uploaded:
        """Check and keep a recording, given as bytes or as a file (a zip is checked before it is unpacked, then its
        tracks streamed to temporary files, queued one at a time) and queue each track. ``offset_s``: when the
        recording started, in seconds after the session was opened."""
        require_any(actor, (Role.SECRETARIAT,), "upload a session's recording")
        if session.opened_at is None:
            raise InvalidState("This session has not been opened, so it has no recording yet.")
        multitrack = await asyncio.to_thread(is_zip, filename, data)
        if not multitrack and not is_media_name(filename):
            raise InvalidInput(f"{filename} is neither an audio or video file nor a zip of tracks.")
        folder = Path(await asyncio.to_thread(tempfile.mkdtemp, prefix="recording-")) if multitrack else None
        try:
            if folder is not None:
                try:
                    tracks = await asyncio.to_thread(unpack_to_files, data, folder, self.limits)
                except RecordingRefused as refused:
                    raise InvalidInput(str(refused)) from refused
            elif isinstance(data, Path):
                tracks = [Track(filename, None, 1, path=data)]
            else:
                tracks = [Track(filename, None, 1, data)]
            return await self._take(session, actor, filename, multitrack, tracks, receiver, usernames, offset_s)
        finally:
            if folder is not None:
                await asyncio.to_thread(shutil.rmtree, folder, True)

    async def _take(
        self,
        session: Session,
        actor: Actor,
        filename: str,
        multitrack: bool,
        tracks: list[Track],
        receiver: Receiver,
        usernames: dict[int, Iterable[str]] | None,
        offset_s: float,
    ) -> Uploaded:
        async with self.store.transaction():
            recording_id = await self.store.sessions.add_recording(
                session.id, filename, multitrack, actor.user_id, self.clock(), offset_s
            )
            ids = []
            for track in tracks:
                speaker = match_speaker(track.speaker, session, usernames or {})
                ids.append(
                    await self.store.sessions.add_track(
                        recording_id,
                        track.position,
                        track.filename,
                        raw_speaker=track.speaker,
                        speaker_name=speaker.name,
                        user_id=speaker.user_id,
                        witness_id=speaker.witness_id,
                    )
                )
            await self.store.audit.record(
                inquiry_id=session.inquiry_id,
                submission_id=None,
                actor_id=actor.user_id,
                action="recording_uploaded",
                detail=f"recording {recording_id} of session {session.id}: {filename}, {len(tracks)} track(s)",
                at=self.clock(),
                session_id=session.id,
                target_kind="session_recording",
                target_id=recording_id,
            )
        refused = [
            await self._queue(session, track, track_id, receiver) for track, track_id in zip(tracks, ids, strict=True)
        ]
        await self._maybe_assemble(recording_id)
        return Uploaded(await self.store.sessions.recording(recording_id), tuple(r for r in refused if r))

    async def _queue(self, session: Session, track: Track, track_id: int, receiver: Receiver) -> str | None:
        """Queue one track; a job already done (the same file seen before) is taken at once."""
        try:
            data = await asyncio.to_thread(track.read)
            received = await receiver.receive(data, track.filename, None, session_id=session.id)
        except Exception as error:  # MediaRefused says why; anything else is logged and reported
            log.warning("track %s of session %s was not queued: %s", track.filename, session.id, error)
            async with self.store.transaction():
                await self.store.sessions.finish_track(track_id, None, str(error) or type(error).__name__)
            return f"{track.filename}: {error}"
        async with self.store.transaction():
            await self.store.sessions.queue_track(track_id, received.media.id, received.job.id)
        if received.job.state == "done":
            async with self.store.transaction():
                await self.store.sessions.finish_track(track_id, received.job.result or {}, None)
        return None

    async def on_job_finished(self, job) -> list[int]:
        """The queue finished a job (``job.state`` done or failed): finish its tracks; return the recordings whose
        transcript was assembled by this call."""
        tracks = await self.store.sessions.tracks_for_job(job.id)
        if not tracks:
            return []
        async with self.store.transaction():
            for track in tracks:
                if job.state == "done":
                    await self.store.sessions.finish_track(track.id, job.result or {}, None)
                else:
                    await self.store.sessions.finish_track(track.id, None, job.error or "transcription failed")
        assembled = []
        for recording_id in sorted({t.recording_id for t in tracks}):
            if await self._maybe_assemble(recording_id):
                assembled.append(recording_id)
        return assembled

    async def _maybe_assemble(self, recording_id: int) -> bool:
        results = await self.store.sessions.track_results(recording_id)
        if any(track.status == "queued" for track, _ in results):
            return False
        recording = await self.store.sessions.recording(recording_id)
        session = await self.store.sessions.get(recording.session_id)
        asked = _asked(session, await self.store.sessions.questions(session.id))
        pieces = []
        for track, result in results:
            if result is None:
                continue
            loudness = await self._envelope(track)
            for seg in result.get("segments", []):
                start, end = float(seg["start"]), float(seg["end"])
                start, end = loudness.tighten(start, end) if loudness else (start, end)
                pieces.append((start, end, track, str(seg.get("text", "")).strip()))
        pieces.sort(key=lambda p: (p[0], p[2].position, p[1]))
        status = RecordingStatus.DONE if any(t.status == "done" for t, _ in results) else RecordingStatus.FAILED
        async with self.store.transaction():
            if not await self.store.sessions.finish_recording(recording_id, status, self.clock()):
                return False
            spoken = [p for p in pieces if p[3]]
            readings = _readings(spoken, recording.started_offset_s, asked)
            for position, (start, end, track, text) in enumerate(spoken, start=1):
                moment = recording.started_offset_s + start
                question = readings.get(position - 1) or question_at(moment, asked)
                await self.store.sessions.add_segment(
                    recording_id=recording_id,
                    session_id=session.id,
                    track_id=track.id,
                    position=position,
                    start_s=start,
                    end_s=end,
                    speaker_name=track.speaker_name,
                    user_id=track.user_id,
                    witness_id=track.witness_id,
                    question_id=question.id if question else None,
                    text=text,
                )
        log.info("recording %s of session %s: transcript assembled (%s)", recording_id, session.id, status)
        return True

    async def _envelope(self, track: RecordingTrack) -> Envelope | None:
        """The track's loudness, read in a thread; None (logged) when its file cannot be read."""
        media = await self.store.media.media(track.media_id) if track.media_id and self.storage else None
        if media is None:
            return None
        try:
            async with self.storage.reading(media.path, media.sha256) as path:
                return await asyncio.to_thread(envelope, path)
        except Exception as error:  # av raises several kinds; the times from Whisper are kept
            log.warning("could not read the loudness of track %s: %s", track.filename, error)
            return None

    async def recording(self, recording_id: int) -> Recording:
        """A recording with its tracks."""
        found = await self.store.sessions.recording(recording_id)
        if found is None:
            raise InvalidInput(f"There is no recording {recording_id}.")
        return found

    async def transcript(self, recording_id: int) -> list[TranscriptSegment]:
        """The recording's uncorrected transcript: attributed segments in time order."""
        return await self.store.sessions.segments(recording_id)

    async def failed_tracks(self, recording_id: int) -> list[RecordingTrack]:
        """Tracks the queue could not transcribe, with their reasons."""
        return [t for t in (await self.recording(recording_id)).tracks if t.status == "failed"]


def _size(count: int) -> str:
    """``1.5 MB``, ``32 kB``, ``900 bytes``."""
    if count >= 1_000_000:
        return f"{count / 1e6:,.1f} MB"
    return f"{count / 1e3:,.0f} kB" if count >= 1000 else f"{count} bytes"


def _asked(session: Session, questions: list[OralQuestion]) -> list[tuple[float, OralQuestion]]:
    """Each question with its offset in seconds from the session's opening, in time order."""
    opened = session.opened_at
    found = [((q.asked_at - opened).total_seconds(), q) for q in questions if opened is not None]
    return sorted(found, key=lambda pair: (pair[0], pair[1].number))
