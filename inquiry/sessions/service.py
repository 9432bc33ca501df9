"""Oral evidence sessions: scheduling, panels and members, running the session and its formal minutes.

Rules: the secretariat (or a chair) schedules sessions and sets up panels; only the session's own chair (holding the
Chair role and recorded as this session's chair) runs it; questions are numbered Q1..Qn across all the sessions of an
inquiry and never repeat; only the current panel's witnesses and the members present speak into the record.
Sessions are numbered 1, 2, 3 within their inquiry, and people name them by that number. Changes after scheduling
(moving, cancelling, panels) are in :mod:`inquiry.sessions.planning`; the minutes after the fact in
:mod:`inquiry.sessions.minutes`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from inquiry.core.errors import InvalidInput, InvalidState, NotAllowed, NotFound
from inquiry.core.models import Role
from inquiry.core.rules import MAX_NAME_CHARS, MAX_QUESTION_CHARS, MAX_REASON_CHARS, MAX_TITLE_CHARS, require_text
from inquiry.inquiries.models import Inquiry
from inquiry.outbox.service import OutboxService
from inquiry.sessions.minutes import SessionMinutesKeeping
from inquiry.sessions.models import (
    Actor,
    Attendance,
    Changed,
    OralQuestion,
    Place,
    QuestionStatus,
    Session,
    SessionMember,
    SessionStatus,
)
from inquiry.sessions.planning import SessionPlanning
from inquiry.sessions.rules import (
    DEFAULT_REMINDERS,
    MAX_PANELS,
    check_place,
    is_chair,
    parse_start,
    require_any,
    require_chair,
    require_not_cancelled,
    require_open,
)
from inquiry.store import Store

log = logging.getLogger(__name__)
MAX_SESSION_YEARS_AHEAD = 5  # a session further ahead than this is a mistyped year

LIVE = (SessionStatus.SCHEDULED, SessionStatus.OPEN)


@dataclass(frozen=True, slots=True)
class Scheduled:
    """A scheduled session and which of its reminders will be sent."""

    session: Session
    reminders: tuple[int, ...]  # minutes before the start, that will be sent
    skipped: tuple[int, ...]  # already past when the session was scheduled


class SessionService(SessionPlanning, SessionMinutesKeeping):
    """Everything about oral evidence sessions; the cogs only translate Discord to these calls and back.

    With an ``outbox``, changes that concern people (a session moved or cancelled, a witness added, moved or removed)
    owe them a direct message, written in the change's transaction."""

    def __init__(
        self, store: Store, clock: Callable[[], datetime], tz: ZoneInfo, outbox: OutboxService | None = None
    ) -> None:
        self.store = store
        self.clock = clock
        self.tz = tz
        self.outbox = outbox

    # Finding sessions -----------------------------------------------------------------------

    async def get(self, session_id: int) -> Session:
        """The session with its panels and members."""
        session = await self.store.sessions.get(session_id)
        if session is None:
            raise NotFound("That session does not exist.")
        return session

    async def live_in_guild(self, guild_id: int) -> list[Session]:
        """Sessions of the server that are scheduled or open (not cancelled), soonest first."""
        return await self.store.sessions.in_guild(guild_id, LIVE)

    async def by_thread(self, thread_id: int) -> Session | None:
        """The session whose record is kept in this thread, if any."""
        return await self.store.sessions.by_thread(thread_id)

    # Scheduling -----------------------------------------------------------------------------

    def parse_start(self, text: str) -> datetime:
        """Read a start such as ``2020-04-15 10:00`` in the inquiry's time zone."""
        starts_at = parse_start(text, self.tz)
        if starts_at > self.clock() + timedelta(days=366 * MAX_SESSION_YEARS_AHEAD):
            raise InvalidInput(f"A session must start within {MAX_SESSION_YEARS_AHEAD} years; check the year.")
        return starts_at

    async def schedule(
        self,
        inquiry: Inquiry,
        actor: Actor,
        *,
        title: str,
        starts_at: datetime,
        minutes: int,
        place: Place,
        reminders: tuple[int, ...] = DEFAULT_REMINDERS,
    ) -> Scheduled:
        """Schedule a session of ``inquiry``; reminders already past are skipped."""
        require_any(actor, (Role.SECRETARIAT, Role.CHAIR), "schedule sessions")
        title = require_text(title, "session title", MAX_TITLE_CHARS)
        place = check_place(place)
        if not 5 <= minutes <= 12 * 60:
            raise InvalidInput("A session lasts from 5 minutes to 12 hours.")
        now = self.clock()
        if starts_at <= now:
            raise InvalidInput("The session must start in the future.")
        keep = tuple(m for m in reminders if starts_at - timedelta(minutes=m) > now)
        async with self.store.transaction():
            session_id = await self.store.sessions.create(
                inquiry_id=inquiry.id,
                title=title,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=minutes),
                place=place,
                actor_id=actor.user_id,
                now=now,
            )
            for offset in keep:
                await self.store.sessions.add_reminder(session_id, offset, starts_at - timedelta(minutes=offset))
            await self._audit(
                inquiry.id,
                actor,
                "session scheduled",
                f"{title} at {starts_at.isoformat()}",
                target_kind="session",
                target_id=session_id,
            )
        skipped = tuple(m for m in reminders if m not in keep)
        return Scheduled(await self.get(session_id), keep, skipped)

    async def record_event(self, session: Session, event_id: int | None) -> None:
        """Remember the Discord scheduled event that announces the session."""
        async with self.store.transaction():
            await self.store.sessions.set_event(session.id, event_id)

    # Panels and members ---------------------------------------------------------------------

    async def add_witness(
        self,
        session: Session,
        actor: Actor,
        *,
        panel: int,
        user_id: int | None,
        name: str,
        role: str = "",
        organisation: str = "",
    ) -> Changed:
        """Put a witness (a server member, or someone from outside by name) on a panel; a member is told by direct
        message."""
        self._require_setup(session, actor)
        if not 1 <= panel <= MAX_PANELS:
            raise InvalidInput(f"Panels are numbered 1 to {MAX_PANELS}.")
        if session.status is SessionStatus.OPEN and panel < session.current_panel:
            raise InvalidState(f"Panel {panel} has already given evidence; add the witness to a later panel.")
        name = require_text(name, "witness's name", MAX_NAME_CHARS)
        role = require_text(role, "witness's role", MAX_NAME_CHARS, required=False)
        organisation = require_text(organisation, "organisation", MAX_TITLE_CHARS, required=False)
        if user_id is not None and (existing := session.witness(user_id)):
            raise InvalidInput(f"{existing.name} is already a witness in this session, on panel {existing.panel}.")
        if user_id is not None and (member := session.member(user_id)):
            raise InvalidInput(f"{member.name} is recorded as a member of this session and cannot also be a witness.")
        async with self.store.transaction():
            await self.store.sessions.add_witness(session.id, panel, user_id, name, role, organisation)
            described = ", ".join(p for p in (name, role, organisation) if p)
            detail = f"session {session.number}: {described}, panel {panel}"
            change = await self._audit(session, actor, "witness added", detail)
            notices = await self._notify(session, change, [user_id], "witness_added", panel=panel)
        return Changed(await self.get(session.id), notices)

    async def set_chair(self, session: Session, actor: Actor, target: Actor) -> Session:
        """Name who chairs the session; they must hold the Chair role."""
        self._require_setup(session, actor)
        if Role.CHAIR not in target.roles:
            raise InvalidInput(f"{target.name} does not hold the Chair role, so cannot chair the session.")
        self._refuse_witness(session, target)
        async with self.store.transaction():
            await self.store.sessions.set_chair(session.id, target.user_id, _name(target))
            await self._audit(session, actor, "session chair", f"session {session.number}: {target.name}")
        return await self.get(session.id)

    async def add_member(self, session: Session, actor: Actor, target: Actor) -> Session:
        """Record a member as present at the session."""
        return await self._attendance(session, actor, target, Attendance.PRESENT)

    async def add_apology(self, session: Session, actor: Actor, target: Actor) -> Session:
        """Record a member's apologies for the session."""
        chair = session.chair
        if chair and chair.user_id == target.user_id:
            raise InvalidInput(f"{chair.name} is chairing this session: name another chair first.")
        return await self._attendance(session, actor, target, Attendance.APOLOGY)

    async def _attendance(self, session: Session, actor: Actor, target: Actor, attendance: Attendance) -> Session:
        self._require_setup(session, actor)
        if not target.roles & {Role.MEMBER, Role.CHAIR}:
            raise InvalidInput(f"{target.name} holds neither the Member nor the Chair role.")
        self._refuse_witness(session, target)
        async with self.store.transaction():
            await self.store.sessions.save_member(session.id, target.user_id, _name(target), attendance)
            action = "member present" if attendance is Attendance.PRESENT else "member's apologies"
            await self._audit(session, actor, action, f"session {session.number}: {target.name}")
        return await self.get(session.id)

    async def allow(self, session: Session, actor: Actor, user_id: int, allowed: bool = True) -> Session:
        """The chair lets a member put questions (or stops them)."""
        require_chair(session, actor)
        member = session.member(user_id)
        if member is None or member.attendance is not Attendance.PRESENT:
            raise InvalidInput("Only members recorded as present can be given the floor: add them first.")
        if member.is_chair:
            raise InvalidInput("The chair may always put questions.")
        async with self.store.transaction():
            await self.store.sessions.set_may_ask(session.id, user_id, allowed)
            action = "floor given" if allowed else "floor withdrawn"
            await self._audit(session, actor, action, f"session {session.number}: {member.name}")
        return await self.get(session.id)

    # Running the session --------------------------------------------------------------------

    async def open(self, session: Session, actor: Actor) -> Session:
        """Open the session (again, to retry its thread if making it failed)."""
        require_chair(session, actor)
        require_not_cancelled(session)
        if session.status is SessionStatus.CLOSED:
            raise InvalidState("This session has been closed.")
        if session.status is SessionStatus.OPEN and session.thread_id:
            raise InvalidState("This session is already open.")
        if not session.witnesses:
            raise InvalidState("Add at least one witness (/session witness-add) before opening the session.")
        first = min(session.panels)
        async with self.store.transaction():
            if session.status is SessionStatus.SCHEDULED:
                if not await self.store.sessions.mark_open(session.id, self.clock()):
                    raise InvalidState("This session is no longer scheduled: look again with /session list.")
                await self.store.sessions.set_panel(session.id, first)
                await self._audit(session, actor, "session opened", f"session {session.number}")
        return await self.get(session.id)

    async def set_thread(self, session: Session, thread_id: int) -> Session:
        """Remember the thread that holds the session's record."""
        async with self.store.transaction():
            await self.store.sessions.set_thread(session.id, thread_id)
        return await self.get(session.id)

    async def close(self, session: Session, actor: Actor) -> Session:
        """Close the session: no more questions or answers are taken."""
        require_chair(session, actor)
        require_open(session)
        now = self.clock()
        async with self.store.transaction():
            await self.store.sessions.close_open_questions(session.id, now)
            await self.store.sessions.mark_closed(session.id, now)
            await self._audit(session, actor, "session closed", f"session {session.number}")
        return await self.get(session.id)

    async def next_panel(self, session: Session, actor: Actor) -> Session:
        """Move on to the next panel of witnesses."""
        require_chair(session, actor)
        require_open(session)
        later = [p for p in session.panels if p > session.current_panel]
        if not later:
            raise InvalidState(f"Panel {session.current_panel} is the last panel of this session.")
        async with self.store.transaction():
            await self.store.sessions.close_open_questions(session.id, self.clock())
            await self.store.sessions.set_panel(session.id, later[0])
            await self._audit(session, actor, "panel called", f"session {session.number}: panel {later[0]}")
        return await self.get(session.id)

    async def ask(self, session: Session, actor: Actor, text: str, asked_by: Actor | None = None) -> OralQuestion:
        """Put a question to the panel, numbered after every question of the inquiry so far."""
        require_open(session)
        text = require_text(text, "question", MAX_QUESTION_CHARS)
        asker = self._asker(session, actor, asked_by)
        async with self.store.transaction():
            await self.store.sessions.close_open_questions(session.id, self.clock())
            number = await self.store.sessions.take_question_number(session.inquiry_id)
            question_id = await self.store.sessions.add_question(
                session=session,
                number=number,
                asked_by=asker.user_id,
                asker_name=asker.name,
                asker_is_chair=asker.is_chair,
                text=text,
                now=self.clock(),
            )
            detail = f"Q{number}, asked by {asker.name}: {text}"
            target = {"target_kind": "oral_question", "target_id": question_id}
            await self._audit(session, actor, "question put", detail, **target)
        return await self.store.sessions.question(question_id)

    async def set_question_message(self, question: OralQuestion, message_id: int) -> None:
        """Remember the thread message that shows the question (replies to it answer it)."""
        async with self.store.transaction():
            await self.store.sessions.set_question_message(question.id, message_id)

    async def mark_answered(self, session: Session, actor: Actor) -> OralQuestion:
        """Mark the question before the panel as answered."""
        require_chair(session, actor)
        require_open(session)
        current = await self.store.sessions.current_question(session.id)
        if current is None:
            raise InvalidState("No question is before the panel.")
        async with self.store.transaction():
            await self.store.sessions.close_open_questions(session.id, self.clock())
        return await self.store.sessions.question(current.id)

    async def strike(self, session: Session, actor: Actor, number: int, reason: str) -> OralQuestion:
        """Strike a question and its answers from the record; they are kept, with the reason."""
        require_chair(session, actor)
        reason = require_text(reason, "reason for striking the question", MAX_REASON_CHARS)
        question = await self.store.sessions.question_by_number(session.id, number)
        if question is None:
            raise NotFound(f"Q{number} was not asked in this session.")
        if question.status is QuestionStatus.STRUCK:
            raise InvalidState(f"Q{number} has already been struck from the record.")
        async with self.store.transaction():
            await self.store.sessions.strike(question.id, reason, actor.user_id, self.clock())
            await self.store.audit.record(
                inquiry_id=session.inquiry_id,
                submission_id=None,
                actor_id=actor.user_id,
                action="question struck",
                detail=f"Q{number}: {question.text}",
                reason=reason,
                at=self.clock(),
                session_id=session.id,
                target_kind="oral_question",
                target_id=question.id,
            )
        return await self.store.sessions.question(question.id)

    # Rules ------------------------------------------------------------------------------------

    def _require_setup(self, session: Session, actor: Actor) -> None:
        require_any(actor, (Role.SECRETARIAT, Role.CHAIR), "set up sessions")
        require_not_cancelled(session)
        if session.status is SessionStatus.CLOSED:
            raise InvalidState("This session has been closed.")

    def _asker(self, session: Session, actor: Actor, asked_by: Actor | None) -> SessionMember:
        if is_chair(session, actor):
            if asked_by is None or asked_by.user_id == actor.user_id:
                return session.chair
            member = session.member(asked_by.user_id)
            if member is None or member.attendance is not Attendance.PRESENT:
                raise InvalidInput(f"{asked_by.name} is not recorded as a member present at this session.")
            return member
        member = session.member(actor.user_id)
        if member is None or not member.may_ask or not actor.roles & {Role.MEMBER, Role.CHAIR}:
            raise NotAllowed("Only the chair, or a member the chair has given the floor, may put questions.")
        if asked_by is not None and asked_by.user_id != actor.user_id:
            raise NotAllowed("Only the chair may put a question on another member's behalf.")
        return member

    @staticmethod
    def _refuse_witness(session: Session, target: Actor) -> None:
        if session.witness(target.user_id):
            raise InvalidInput(f"{target.name} is a witness in this session and cannot also sit as a member.")

    async def _audit(
        self,
        where: int | Session,
        actor: Actor,
        action: str,
        detail: str,
        reason: str | None = None,
        *,
        target_kind: str | None = None,
        target_id: int | None = None,
    ) -> int:
        """Record a change in the audit log, about ``where`` (a session, or an inquiry's id) or the target named;
        returns the entry's id."""
        inquiry_id, session_id = (where.inquiry_id, where.id) if isinstance(where, Session) else (where, None)
        return await self.store.audit.record(
            inquiry_id=inquiry_id,
            submission_id=None,
            actor_id=actor.user_id,
            actor_name=actor.name or None,
            action=action,
            detail=detail,
            reason=reason,
            at=self.clock(),
            session_id=session_id,
            target_kind=target_kind,
            target_id=target_id,
        )


def _name(actor: Actor) -> str:
    return require_text(actor.name, "name", MAX_NAME_CHARS)
