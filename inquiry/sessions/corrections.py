"""Corrections of the uncorrected transcript. Each witness who is a member of the server is sent their own spoken
passages, from the session's thread (voice messages) and from its recording alike, and may, within a window (7 days
unless the secretariat says otherwise), propose corrections of transcription errors. The secretariat (or the chair)
reads the proposals; the secretariat approves or declines each, and the witness is told the decision. Both versions
are kept: an approved correction becomes the text for the record (``SessionAnswer.text`` for an answer; for a
recorded passage, the text printed in place of its segments, see :mod:`inquiry.sessions.amendments`), and the
transcript export marks it corrected. Proposals, approvals and declines are audited; what the witness is sent and
told goes through the outbox.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from inquiry.core.errors import InvalidInput, InvalidState, NotAllowed, NotFound
from inquiry.core.models import Role
from inquiry.core.rules import MAX_REASON_CHARS, require_text
from inquiry.outbox.models import OutboxKind
from inquiry.outbox.service import OutboxService
from inquiry.sessions.models import Actor, CorrectionStatus, Session, SessionAnswer
from inquiry.sessions.passages import OPENING, Passage, said_in
from inquiry.sessions.recording_models import Correction, CorrectionDecision, CorrectionWindow
from inquiry.sessions.rules import require_any
from inquiry.store import Store

log = logging.getLogger(__name__)

DEFAULT_WINDOW_DAYS = 7
MAX_CORRECTION_CHARS = 20_000  # the correction form: five inputs of 4,000 characters


@dataclass(frozen=True, slots=True)
class Invitation:
    """What one witness is sent: their spoken passages with their questions, and until when they may correct.
    ``outbox_id``: the row that sends it."""

    user_id: int
    name: str
    passages: tuple[Passage, ...]
    closes_at: datetime
    outbox_id: int | None = None


@dataclass(frozen=True, slots=True)
class Decided:
    """A decision on a correction, with the answer as it now stands (None for a recorded passage) and the outbox
    row that tells the witness."""

    correction: Correction
    answer: SessionAnswer | None
    notice_id: int | None = None


def witness_subject(session_id: int, user_id: int) -> str:
    """Outbox rows to one witness about one session go out in order."""
    return f"session:{session_id}:witness:{user_id}"


class SessionCorrectionService:
    """Windows for corrections, proposals by witnesses, and the secretariat's decisions."""

    def __init__(
        self,
        store: Store,
        clock: Callable[[], datetime],
        outbox: OutboxService | None = None,
        tz: ZoneInfo | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.outbox = outbox or OutboxService(store, clock)
        self.tz = tz or ZoneInfo("UTC")

    # Sending the transcript -----------------------------------------------------------------------

    async def invite(self, session: Session, actor: Actor, days: int = DEFAULT_WINDOW_DAYS) -> list[Invitation]:
        """Open each witness's window for corrections and owe each a direct message with their passages (witnesses
        on the server with spoken passages transcribed, in the thread or on the recording). Sending again later
        never shortens a window."""
        require_any(actor, (Role.SECRETARIAT,), "send witnesses their transcripts")
        if not 1 <= days <= 60:
            raise InvalidInput("The window for corrections is from 1 to 60 days.")
        mine = await self._by_witness(session)
        if not mine:
            raise InvalidState(
                "No witness of this session has a transcribed spoken answer or recorded passage to send."
            )
        now = self.clock()
        rows: dict[int, int | None] = {}
        async with self.store.transaction():
            for user_id, passages in mine.items():
                await self.store.sessions.open_window(session.id, user_id, now, now + timedelta(days=days))
                rows[user_id] = await self.outbox.owe(
                    OutboxKind.CORRECTION_INVITE,
                    f"correction-invite:{session.id}:{user_id}:{now.isoformat()}",
                    witness_subject(session.id, user_id),
                    {"session_id": session.id, "user_id": user_id},
                    grace=True,
                )
                await self._audit(
                    session.inquiry_id,
                    actor.user_id,
                    "transcript_sent_for_correction",
                    f"session {session.id}: {len(passages)} passage(s) to witness {user_id}, {days} day(s)",
                    session_id=session.id,
                )
        self.outbox.wake()
        invitations = []
        for user_id, passages in mine.items():
            window = await self.store.sessions.window(session.id, user_id)
            name = session.witness(user_id).name
            invitations.append(Invitation(user_id, name, tuple(passages), window.closes_at, rows[user_id]))
        return invitations

    async def invitation(self, session_id: int, user_id: int) -> Invitation | None:
        """What to send a witness now (the outbox sends it): their passages as they stand and their window."""
        session = await self.store.sessions.get(session_id)
        window = await self.store.sessions.window(session_id, user_id)
        witness = session.witness(user_id) if session else None
        if witness is None or window is None:
            return None
        passages = (await self._by_witness(session)).get(user_id, [])
        return Invitation(user_id, witness.name, tuple(passages), window.closes_at)

    def local(self, moment: datetime) -> str:
        """A moment as witnesses read it: ``14 June 2026 at 17:00 (Europe/London)``."""
        local = moment.astimezone(self.tz)
        return f"{local.day} {local:%B %Y at %H:%M} ({self.tz.key})"

    async def _by_witness(self, session: Session) -> dict[int, list[Passage]]:
        mine: dict[int, list[Passage]] = {}
        for passage in await said_in(self.store, session):
            if _correctable(passage) and session.witness(passage.user_id) is not None:
                mine.setdefault(passage.user_id, []).append(passage)
        return mine

    # Proposals ------------------------------------------------------------------------------------

    async def answer_for(self, answer_id: int, user_id: int) -> SessionAnswer:
        """A spoken answer of ``user_id`` that they may still correct (the button checks this before the modal)."""
        answer = await self.store.sessions.answer(answer_id)
        if answer is None or answer.user_id != user_id or not answer.spoken:
            raise NotAllowed("That answer is not one of your spoken answers.")
        if answer.correction_status is CorrectionStatus.AWAITING_TRANSCRIPT or not (answer.text or "").strip():
            raise InvalidState("That answer has no transcript to correct yet.")
        await self._window_open(answer.session_id, user_id)
        return answer

    async def passage_for(self, segment_id: int, user_id: int) -> Passage:
        """A passage of the recording said by ``user_id`` (the run starting at ``segment_id``) that they may still
        correct."""
        segment = await self.store.sessions.segment(segment_id)
        if segment is None or segment.user_id != user_id:
            raise NotAllowed("That passage of the recording is not one of yours.")
        await self._window_open(segment.session_id, user_id)
        session = await self.store.sessions.get(segment.session_id)
        found = next((p for p in await said_in(self.store, session) if segment_id in p.segment_ids), None)
        if found is None or found.user_id != user_id:
            raise InvalidState(
                "That passage is no longer in the transcript: a newer recording of the session replaced it."
            )
        return found

    async def propose(self, answer_id: int, user_id: int, text: str) -> Correction:
        """A witness proposes a correction of a transcription error in one of their spoken answers."""
        answer = await self.answer_for(answer_id, user_id)
        text = _proposed(text, answer.text or "")
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
            await self._audit_proposal(answer.session_id, user_id, correction_id, f"answer {answer.id}")
        return await self.store.sessions.correction(correction_id)

    async def propose_passage(self, segment_id: int, user_id: int, text: str) -> Correction:
        """A witness proposes a correction of a transcription error in a passage of the session's recording."""
        passage = await self.passage_for(segment_id, user_id)
        text = _proposed(text, passage.text)
        async with self.store.transaction():
            correction_id = await self.store.sessions.add_correction(
                segment_ids=passage.segment_ids,
                session_id=passage.session_id,
                user_id=user_id,
                original=passage.uncorrected,
                proposed=text,
                now=self.clock(),
            )
            if correction_id is None:
                raise InvalidState("You have already proposed a correction of this passage; it awaits a decision.")
            where = f"recorded passage {passage.segment_ids[0]} ({len(passage.segment_ids)} segment(s))"
            await self._audit_proposal(passage.session_id, user_id, correction_id, where)
        return await self.store.sessions.correction(correction_id)

    async def pending(self, session: Session, actor: Actor) -> list[Correction]:
        """Corrections of the session waiting for a decision, oldest first: for the secretariat, and for the chair
        (of the server, or of this session)."""
        chairs = session.chair is not None and session.chair.user_id == actor.user_id
        if not chairs:
            require_any(actor, (Role.SECRETARIAT, Role.CHAIR), "read the corrections proposed")
        return await self.store.sessions.corrections(session.id, CorrectionDecision.PROPOSED)

    async def get(self, guild_id: int, correction_id: int) -> Correction:
        """A correction on this server."""
        return (await self._on_server(guild_id, correction_id))[0]

    async def correction(self, correction_id: int) -> Correction | None:
        """A correction by its number (the outbox tells its witness of the decision)."""
        return await self.store.sessions.correction(correction_id)

    async def label(self, correction: Correction) -> str:
        """The question a correction is under (``Q3``), or ``Opening``."""
        if correction.answer_id is not None:
            answer = await self.store.sessions.answer(correction.answer_id)
            question_id = answer.question_id if answer else None
        else:
            segment = await self.store.sessions.segment(correction.segment_id)
            question_id = segment.question_id if segment else None
        question = await self.store.sessions.question(question_id) if question_id else None
        return question.label if question else OPENING

    # Decisions ------------------------------------------------------------------------------------

    async def approve(self, guild_id: int, actor: Actor, correction_id: int) -> Decided:
        """The corrected text becomes the text for the record; the uncorrected text stays beside it."""
        require_any(actor, (Role.SECRETARIAT,), "approve corrections")
        correction, inquiry_id = await self._on_server(guild_id, correction_id)
        async with self.store.transaction():
            if not await self.store.sessions.decide_correction(
                correction.id, CorrectionDecision.APPROVED, actor.user_id, None, self.clock()
            ):
                raise InvalidState(f"Correction {correction.id} was already {correction.status.value}.")
            if correction.answer_id is not None:
                await self.store.sessions.set_answer_correction(
                    correction.answer_id, CorrectionStatus.ACCEPTED.value, correction.proposed_text
                )
            await self._audit(
                inquiry_id,
                actor.user_id,
                "correction_approved",
                _detail(correction),
                session_id=correction.session_id,
                correction_id=correction.id,
            )
            notice = await self._owe_notice(correction)
        self.outbox.wake()
        return await self._decided(correction.id, notice)

    async def decline(self, guild_id: int, actor: Actor, correction_id: int, reason: str) -> Decided:
        """The proposal is kept, declined with a reason; the answer keeps the text it had."""
        require_any(actor, (Role.SECRETARIAT,), "decline corrections")
        reason = require_text(reason, "reason", MAX_REASON_CHARS)
        correction, inquiry_id = await self._on_server(guild_id, correction_id)
        answer = await self.store.sessions.answer(correction.answer_id) if correction.answer_id else None
        async with self.store.transaction():
            if not await self.store.sessions.decide_correction(
                correction.id, CorrectionDecision.DECLINED, actor.user_id, reason, self.clock()
            ):
                raise InvalidState(f"Correction {correction.id} was already {correction.status.value}.")
            if answer is not None and answer.correction_status is CorrectionStatus.PROPOSED:
                await self.store.sessions.set_answer_correction(answer.id, CorrectionStatus.REJECTED.value, None)
            await self._audit(
                inquiry_id,
                actor.user_id,
                "correction_declined",
                _detail(correction),
                reason,
                session_id=correction.session_id,
                correction_id=correction.id,
            )
            notice = await self._owe_notice(correction)
        self.outbox.wake()
        return await self._decided(correction.id, notice)

    async def _owe_notice(self, correction: Correction) -> int | None:
        return await self.outbox.owe(
            OutboxKind.CORRECTION_DECISION,
            f"correction-decision:{correction.id}",
            witness_subject(correction.session_id, correction.user_id),
            {"correction_id": correction.id, "user_id": correction.user_id},
            grace=True,
        )

    async def _decided(self, correction_id: int, notice_id: int | None) -> Decided:
        correction = await self.store.sessions.correction(correction_id)
        answer = await self.store.sessions.answer(correction.answer_id) if correction.answer_id else None
        return Decided(correction, answer, notice_id)

    # Helpers --------------------------------------------------------------------------------------

    async def _window_open(self, session_id: int, user_id: int) -> CorrectionWindow:
        window = await self.store.sessions.window(session_id, user_id)
        if window is None:
            raise InvalidState("Corrections open when the secretariat sends you the transcript.")
        if self.clock() > window.closes_at:
            raise InvalidState(f"The window for corrections closed on {self.local(window.closes_at)}.")
        return window

    async def _on_server(self, guild_id: int, correction_id: int) -> tuple[Correction, int]:
        """The correction and its inquiry's id, if it belongs to this server."""
        correction = await self.store.sessions.correction(correction_id)
        session = correction and await self.store.sessions.get(correction.session_id)
        inquiry = session and await self.store.inquiries.get(session.inquiry_id)
        if inquiry is None or inquiry.guild_id != guild_id:
            raise NotFound(f"There is no correction {correction_id} on this server.")
        return correction, inquiry.id

    async def _audit_proposal(self, session_id: int, user_id: int, correction_id: int, where: str) -> None:
        session = await self.store.sessions.get(session_id)
        detail = f"correction {correction_id} of {where} in session {session_id}"
        where_ids = {"session_id": session_id, "correction_id": correction_id}
        await self._audit(session.inquiry_id, user_id, "correction_proposed", detail, **where_ids)

    async def _audit(
        self,
        inquiry_id: int,
        actor_id: int,
        action: str,
        detail: str,
        reason: str | None = None,
        *,
        session_id: int | None = None,
        correction_id: int | None = None,
    ) -> None:
        await self.store.audit.record(
            inquiry_id=inquiry_id,
            submission_id=None,
            actor_id=actor_id,
            action=action,
            detail=detail,
            reason=reason,
            at=self.clock(),
            session_id=session_id,
            target_kind="correction" if correction_id else None,
            target_id=correction_id,
        )


def _correctable(passage: Passage) -> bool:
    return passage.spoken and passage.user_id is not None and bool(passage.text.strip())


def _proposed(text: str, current: str) -> str:
    text = require_text(text, "corrected text", MAX_CORRECTION_CHARS)
    if text == current.strip():
        raise InvalidInput("The text is unchanged, so there is nothing to correct.")
    return text


def _detail(correction: Correction) -> str:
    return f"correction {correction.id} of {correction.target}"
