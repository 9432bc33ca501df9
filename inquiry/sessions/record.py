"""The record of an oral evidence session: what is said in its thread, attributed to the speaker and the
question, spoken answers waiting for their transcript, and the whole record for minutes and transcripts."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from inquiry.core.errors import NotFound
from inquiry.sessions.models import (
    Attendance,
    Intake,
    OralQuestion,
    QuestionStatus,
    Session,
    SessionAnswer,
    SessionRecord,
    SessionStatus,
)
from inquiry.store import Store

log = logging.getLogger(__name__)

MAX_ANSWER_CHARS = 4000


class SessionRecordService:
    """Takes what witnesses and members post in a session's thread into the record, or says why not."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock

    async def question(self, question_id: int) -> OralQuestion | None:
        """A numbered question put in a session."""
        return await self.store.sessions.question(question_id)

    async def take_message(
        self, session: Session, author_id: int, text: str, message_id: int, reply_to: int | None
    ) -> Intake:
        """A message posted in the session's thread: record it as said under the question, or say why not."""
        found = await self._speaker_and_question(session, author_id, reply_to)
        if isinstance(found, Intake):
            return found
        speaker, witness_id, question = found
        text = (text or "").strip()
        if not text:
            return Intake(False, "")
        if len(text) > MAX_ANSWER_CHARS:
            return Intake(False, f"That message is over {MAX_ANSWER_CHARS:,} characters; please split it.")
        return await self._record(session, question, speaker, witness_id, author_id, message_id, text=text)

    async def may_speak(self, session: Session, author_id: int, reply_to: int | None) -> Intake | None:
        """None when ``author_id`` may speak into the record now; otherwise the refusal, with its reason."""
        found = await self._speaker_and_question(session, author_id, reply_to)
        return found if isinstance(found, Intake) else None

    async def take_voice(
        self,
        session: Session,
        author_id: int,
        message_id: int,
        reply_to: int | None,
        attachment_name: str,
        attachment_url: str,
    ) -> Intake:
        """A voice message in the thread: recorded now, its words arrive later through :meth:`on_spoken_answer`."""
        found = await self._speaker_and_question(session, author_id, reply_to)
        if isinstance(found, Intake):
            return found
        speaker, witness_id, question = found
        return await self._record(
            session,
            question,
            speaker,
            witness_id,
            author_id,
            message_id,
            text=None,
            spoken=True,
            attachment_name=attachment_name,
            attachment_url=attachment_url,
        )

    async def link_media(self, answer: SessionAnswer, media_item_id: int) -> None:
        """Tie a spoken answer to the media item the transcription queue keeps for it."""
        async with self.store.transaction():
            await self.store.sessions.link_media(answer.id, media_item_id)

    async def on_spoken_answer(self, answer_id: int, transcript: str) -> SessionAnswer:
        """Called back with a spoken answer's transcript: it becomes the answer's uncorrected text."""
        answer = await self.store.sessions.answer(answer_id)
        if answer is None or not answer.spoken:
            raise NotFound("That spoken answer does not exist.")
        async with self.store.transaction():
            await self.store.sessions.set_transcript(answer.id, transcript.strip())
        return await self.store.sessions.answer(answer.id)

    async def spoken_answer_for_media_item(self, media_item_id: int) -> SessionAnswer | None:
        """The spoken answer a transcription job's media item belongs to, if any."""
        return await self.store.sessions.answer_for_media_item(media_item_id)

    async def record(self, session: Session) -> SessionRecord:
        """The session with its questions, answers, minutes items and the next session of the inquiry."""
        inquiry = await self.store.inquiries.get(session.inquiry_id)
        questions = tuple(await self.store.sessions.questions(session.id))
        answers: dict[int, list[SessionAnswer]] = {}
        for answer in await self.store.sessions.answers(session.id):
            answers.setdefault(answer.question_id, []).append(answer)
        later = [
            s
            for s in await self.store.sessions.of_inquiry(session.inquiry_id)
            if s.starts_at > session.starts_at and s.is_live
        ]
        return SessionRecord(
            session=session,
            inquiry_code=inquiry.code,
            inquiry_title=inquiry.title,
            questions=questions,
            answers={k: tuple(v) for k, v in answers.items()},
            minutes=tuple(await self.store.sessions.minutes(session.id)),
            next_session=min(later, key=lambda s: s.starts_at) if later else None,
        )

    async def _speaker_and_question(
        self, session: Session, author_id: int, reply_to: int | None
    ) -> Intake | tuple[str, int | None, OralQuestion]:
        if session.status is not SessionStatus.OPEN:
            return Intake(False, "This session is not open, so your message was not added to the record.")
        witness = session.witness(author_id)
        member = session.member(author_id)
        if witness is not None and witness.panel != session.current_panel:
            return Intake(
                False,
                f"You are on panel {witness.panel}; panel {session.current_panel} is giving evidence now."
                " Your message was not added to the record.",
            )
        if witness is None and (member is None or member.attendance is not Attendance.PRESENT):
            return Intake(
                False,
                "Thank you, but only the panel's witnesses and the members take part in this record,"
                " so your message was not added to it.",
            )
        question = None
        if reply_to is not None:
            question = await self.store.sessions.question_by_message(session.id, reply_to)
            if question is not None and question.status is QuestionStatus.STRUCK:
                return Intake(False, f"{question.label} was struck from the record.")
        question = question or await self.store.sessions.current_question(session.id)
        if question is None:
            return Intake(False, "No question is before the panel, so your message was not added to the record.")
        if witness is not None:
            return witness.name, witness.id, question
        return member.name, None, question

    async def _record(
        self,
        session: Session,
        question: OralQuestion,
        speaker: str,
        witness_id: int | None,
        author_id: int,
        message_id: int,
        **fields,
    ) -> Intake:
        async with self.store.transaction():
            answer_id = await self.store.sessions.add_answer(
                session_id=session.id,
                question_id=question.id,
                witness_id=witness_id,
                user_id=author_id,
                speaker_name=speaker,
                message_id=message_id,
                now=self.clock(),
                **fields,
            )
            if answer_id is not None:
                await self.store.audit.record(
                    inquiry_id=session.inquiry_id,
                    submission_id=None,
                    actor_id=author_id,
                    actor_name=speaker,
                    action="spoken answer recorded" if fields.get("spoken") else "answer recorded",
                    detail=f"session {session.number}, {question.label}: {speaker}",
                    at=self.clock(),
                    session_id=session.id,
                    target_kind="session_answer",
                    target_id=answer_id,
                )
        if answer_id is None:
            return Intake(False, "")  # the same message seen twice
        return Intake(True, answer=await self.store.sessions.answer(answer_id), question=question)
