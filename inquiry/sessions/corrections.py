"""Corrections of the uncorrected transcript: each witness is sent the transcript of their own spoken answers and
may, within a window (7 days unless the secretariat says otherwise), propose corrections of transcription errors.
The secretariat approves or declines each. Both versions are kept; an approved correction becomes the text for
the record (``SessionAnswer.text``), and the transcript export marks the answer corrected.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from inquiry.core.errors import InvalidInput, InvalidState, NotAllowed, NotFound
from inquiry.core.models import Role
from inquiry.core.rules import MAX_REASON_CHARS, require_text
from inquiry.sessions.models import Actor, CorrectionStatus, OralQuestion, Session, SessionAnswer
from inquiry.sessions.recording_models import Correction, CorrectionDecision
from inquiry.sessions.rules import require_any
from inquiry.store import Store

log = logging.getLogger(__name__)

DEFAULT_WINDOW_DAYS = 7
MAX_CORRECTION_CHARS = 20_000  # the correction form: five inputs of 4,000 characters


@dataclass(frozen=True, slots=True)
class Invitation:
    """What one witness is sent: their spoken answers with their questions, and until when they may correct."""

    user_id: int
    name: str
    answers: tuple[tuple[OralQuestion, SessionAnswer], ...]
    closes_at: datetime


@dataclass(frozen=True, slots=True)
class Decided:
    """A decision on a correction, with the answer as it now stands."""

    correction: Correction
    answer: SessionAnswer


class SessionCorrectionService:
    """Windows for corrections, proposals by witnesses, and the secretariat's decisions."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock

    async def invite(self, session: Session, actor: Actor, days: int = DEFAULT_WINDOW_DAYS) -> list[Invitation]:
        """Open each witness's window for corrections and return what to send them (witnesses with spoken answers
        whose transcript has arrived). Sending again later never shortens a window."""
        require_any(actor, (Role.SECRETARIAT,), "send witnesses their transcripts")
        if not 1 <= days <= 60:
            raise InvalidInput("The window for corrections is from 1 to 60 days.")
        questions = {q.id: q for q in await self.store.sessions.questions(session.id)}
        mine: dict[int, list[tuple[OralQuestion, SessionAnswer]]] = {}
        for answer in await self.store.sessions.answers(session.id):
            if _correctable(answer) and session.witness(answer.user_id) is not None:
                mine.setdefault(answer.user_id, []).append((questions[answer.question_id], answer))
        if not mine:
            raise InvalidState("No witness of this session has a transcribed spoken answer to send.")
        now = self.clock()
        invitations = []
        async with self.store.transaction():
            for user_id in mine:
                await self.store.sessions.open_window(session.id, user_id, now, now + timedelta(days=days))
        for user_id, answers in mine.items():
            window = await self.store.sessions.window(session.id, user_id)
            name = session.witness(user_id).name
            invitations.append(Invitation(user_id, name, tuple(answers), window.closes_at))
        return invitations

    async def answer_for(self, answer_id: int, user_id: int) -> SessionAnswer:
        """A spoken answer of ``user_id`` that they may still correct (the button checks this before the modal)."""
        answer = await self.store.sessions.answer(answer_id)
        if answer is None or answer.user_id != user_id or not answer.spoken:
            raise NotAllowed("That answer is not one of your spoken answers.")
        if not _correctable(answer):
            raise InvalidState("That answer has no transcript to correct yet.")
        window = await self.store.sessions.window(answer.session_id, user_id)
        if window is None:
            raise InvalidState("Corrections open when the secretariat sends you the transcript.")
        if self.clock() > window.closes_at:
            raise InvalidState(f"The window for corrections closed on {window.closes_at:%d %B %Y at %H:%M} UTC.")
        return answer

    async def propose(self, answer_id: int, user_id: int, text: str) -> Correction:
        """A witness proposes a correction of a transcription error in one of their spoken answers."""
        answer = await self.answer_for(answer_id, user_id)
        text = require_text(text, "corrected text", MAX_CORRECTION_CHARS)
        if text == (answer.text or "").strip():
            raise InvalidInput("The text is unchanged, so there is nothing to correct.")
        async with self.store.transaction():
            correction_id = await self.store.sessions.add_correction(
                answer_id=answer.id,
                session_id=answer.session_id,
                user_id=user_id,
                original=answer.uncorrected_text or "",
                proposed=text,
                now=self.clock(),
            )
            if correction_id is None:
                raise InvalidState("You have already proposed a correction of this answer; it awaits a decision.")
            if answer.correction_status is not CorrectionStatus.ACCEPTED:
                await self.store.sessions.set_answer_correction(answer.id, CorrectionStatus.PROPOSED.value, None)
        return await self.store.sessions.correction(correction_id)

    async def pending(self, session: Session) -> list[Correction]:
        """Corrections of the session waiting for a decision, oldest first."""
        return await self.store.sessions.corrections(session.id, CorrectionDecision.PROPOSED)

    async def get(self, guild_id: int, correction_id: int) -> Correction:
        """A correction on this server."""
        return (await self._on_server(guild_id, correction_id))[0]

    async def _on_server(self, guild_id: int, correction_id: int) -> tuple[Correction, int]:
        """The correction and its inquiry's id, if it belongs to this server."""
        correction = await self.store.sessions.correction(correction_id)
        session = correction and await self.store.sessions.get(correction.session_id)
        inquiry = session and await self.store.inquiries.get(session.inquiry_id)
        if inquiry is None or inquiry.guild_id != guild_id:
            raise NotFound(f"There is no correction {correction_id} on this server.")
        return correction, inquiry.id

    async def _audit(
        self, inquiry_id: int, actor: Actor, action: str, correction: Correction, reason: str = ""
    ) -> None:
        await self.store.audit.record(
            inquiry_id=inquiry_id,
            submission_id=None,
            actor_id=actor.user_id,
            action=action,
            detail=f"correction {correction.id} of answer {correction.answer_id}",
            reason=reason or None,
            at=self.clock(),
        )

    async def approve(self, guild_id: int, actor: Actor, correction_id: int) -> Decided:
        """The corrected text becomes the text for the record; the uncorrected text stays beside it."""
        require_any(actor, (Role.SECRETARIAT,), "approve corrections")
        correction, inquiry_id = await self._on_server(guild_id, correction_id)
        async with self.store.transaction():
            if not await self.store.sessions.decide_correction(
                correction.id, CorrectionDecision.APPROVED, actor.user_id, None, self.clock()
            ):
                raise InvalidState(f"Correction {correction.id} was already {correction.status.value}.")
            await self.store.sessions.set_answer_correction(
                correction.answer_id, CorrectionStatus.ACCEPTED.value, correction.proposed_text
            )
            await self._audit(inquiry_id, actor, "correction_approved", correction)
        return await self._decided(correction.id)

    async def decline(self, guild_id: int, actor: Actor, correction_id: int, reason: str) -> Decided:
        """The proposal is kept, declined with a reason; the answer keeps the text it had."""
        require_any(actor, (Role.SECRETARIAT,), "decline corrections")
        reason = require_text(reason, "reason", MAX_REASON_CHARS)
        correction, inquiry_id = await self._on_server(guild_id, correction_id)
        answer = await self.store.sessions.answer(correction.answer_id)
        async with self.store.transaction():
            if not await self.store.sessions.decide_correction(
                correction.id, CorrectionDecision.DECLINED, actor.user_id, reason, self.clock()
            ):
                raise InvalidState(f"Correction {correction.id} was already {correction.status.value}.")
            if answer.correction_status is CorrectionStatus.PROPOSED:
                await self.store.sessions.set_answer_correction(answer.id, CorrectionStatus.REJECTED.value, None)
            await self._audit(inquiry_id, actor, "correction_declined", correction, reason)
        return await self._decided(correction.id)

    async def _decided(self, correction_id: int) -> Decided:
        correction = await self.store.sessions.correction(correction_id)
        return Decided(correction, await self.store.sessions.answer(correction.answer_id))


def _correctable(answer: SessionAnswer) -> bool:
    return (
        answer.spoken
        and answer.user_id is not None
        and bool((answer.uncorrected_text or "").strip())
        and answer.correction_status is not CorrectionStatus.AWAITING_TRANSCRIPT
    )
