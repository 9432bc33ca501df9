"""The formal minutes of a session after the fact: items added, corrected and removed, members' declarations of
interest, witnesses' attendance, and the minutes agreed (or reopened to correct them).

Part of :class:`inquiry.sessions.service.SessionService`. Rules: the session's chair or the secretariat keep its
minutes; a member declares their own interests (the secretariat or the chair may record one on a member's behalf);
the minutes are a draft until the committee agrees them, at a later meeting, and agreed minutes change only once
reopened, with a reason. A removed item keeps its row, marked removed; every change is audited with who and why.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from inquiry.core.errors import InvalidInput, InvalidState, NotAllowed, NotFound
from inquiry.core.models import Role
from inquiry.core.rules import MAX_NAME_CHARS, MAX_REASON_CHARS, require_text
from inquiry.sessions.models import (
    Actor,
    Attendance,
    Declaration,
    MinuteItem,
    MinuteKind,
    PanelWitness,
    Session,
    SessionStatus,
    WitnessAttendance,
)
from inquiry.sessions.rules import (
    is_chair,
    long_date,
    parse_agreed_on,
    parse_due,
    require_any,
    require_minutes_draft,
    require_minutes_keeper,
    require_not_cancelled,
)
from inquiry.store import Store

log = logging.getLogger(__name__)

MAX_MINUTE_CHARS = 2000
MAX_INTEREST_CHARS = 500


class SessionMinutesKeeping:
    """Minutes items, declarations of interest, attendance and agreement of a session's formal minutes."""

    store: Store
    clock: Callable[[], datetime]
    tz: ZoneInfo
    # SessionService provides get() and _audit().

    # Items --------------------------------------------------------------------------------------

    async def add_minute(
        self, session: Session, actor: Actor, kind: MinuteKind, text: str, owner: str | None, due: str | None
    ) -> MinuteItem:
        """Add a numbered item to the formal minutes: a decision, an action point or a note."""
        require_minutes_keeper(session, actor)
        text, owner, due = _item(kind, text, owner, due)
        async with self.store.transaction():
            require_minutes_draft(await self.get(session.id))
            item_id = await self.store.sessions.add_minute(
                session_id=session.id,
                kind=kind,
                text=text,
                owner=owner,
                due=due,
                actor_id=actor.user_id,
                now=self.clock(),
            )
            item = await self.store.sessions.minute(item_id)
            detail = f"session {session.number}, minute {item.number} ({kind.value}): {text}"
            await self._audit(session, actor, "minute added", detail, target_kind="minute", target_id=item.id)
        return item

    async def edit_minute(
        self,
        session: Session,
        actor: Actor,
        number: int,
        reason: str,
        *,
        kind: MinuteKind | None = None,
        text: str | None = None,
        owner: str | None = None,
        due: str | None = None,
    ) -> tuple[MinuteItem, MinuteItem]:
        """Correct an item (what is not given stays); the text before is kept in the audit log with the reason.
        Returns the item before and after."""
        require_minutes_keeper(session, actor)
        reason = require_text(reason, "reason for the correction", MAX_REASON_CHARS)
        before = await self._live_item(session, number)
        kind = kind or before.kind
        keep_action = kind is MinuteKind.ACTION
        new_text, new_owner, new_due = _item(
            kind,
            text if text is not None else before.text,
            owner if owner is not None else (before.owner if keep_action else None),
            due if due is not None else (before.due if keep_action else None),
        )
        if (kind, new_text, new_owner, new_due) == (before.kind, before.text, before.owner, before.due):
            raise InvalidInput(f"Minute {number} already reads like that: nothing was changed.")
        async with self.store.transaction():
            require_minutes_draft(await self.get(session.id))
            if not await self.store.sessions.edit_minute(
                before.id,
                kind=kind,
                text=new_text,
                owner=new_owner,
                due=new_due,
                actor_id=actor.user_id,
                now=self.clock(),
            ):
                raise InvalidState(f"Minute {number} was removed meanwhile.")
            after = await self.store.sessions.minute(before.id)
            detail = f"session {session.number}, minute {number}: {_summary(before)} → {_summary(after)}"
            target = {"target_kind": "minute", "target_id": before.id}
            await self._audit(session, actor, "minute edited", detail, reason, **target)
        return before, after

    async def remove_minute(self, session: Session, actor: Actor, number: int, reason: str) -> MinuteItem:
        """Remove an item from the minutes: it is kept, marked removed, with who removed it and why."""
        require_minutes_keeper(session, actor)
        reason = require_text(reason, "reason for removing the item", MAX_REASON_CHARS)
        item = await self._live_item(session, number)
        async with self.store.transaction():
            require_minutes_draft(await self.get(session.id))
            if not await self.store.sessions.remove_minute(item.id, actor.user_id, reason, self.clock()):
                raise InvalidState(f"Minute {number} was removed meanwhile.")
            detail = f"session {session.number}, minute {number}: {_summary(item)}"
            await self._audit(session, actor, "minute removed", detail, reason, target_kind="minute", target_id=item.id)
        return await self.store.sessions.minute(item.id)

    async def _live_item(self, session: Session, number: int) -> MinuteItem:
        item = await self.store.sessions.minute_by_number(session.id, number)
        if item is None:
            raise NotFound(f"Session {session.number} has no minute {number}: /session show lists its minutes.")
        if item.removed:
            raise InvalidState(f"Minute {number} was removed from the minutes ({item.removed_reason}).")
        return item

    # Declarations of interest ---------------------------------------------------------------------

    async def declare(self, session: Session, actor: Actor, interest: str, member: Actor | None = None) -> Declaration:
        """A member declares an interest (the secretariat or the chair may record one on a member's behalf);
        declaring again replaces the member's declaration."""
        target = self._declarant(session, actor, member)
        interest = require_text(interest, "interest", MAX_INTEREST_CHARS)
        name = self._recorded_name(session, target)
        async with self.store.transaction():
            require_minutes_draft(await self.get(session.id))
            previous = await self.store.sessions.declaration(session.id, target.user_id)
            await self.store.sessions.declare(session.id, target.user_id, name, interest, actor.user_id, self.clock())
            detail = f"session {session.number}: {name}: {interest}"
            if previous is not None and not previous.withdrawn:
                detail += f" (was: {previous.interest})"
            by = "" if target.user_id == actor.user_id else f" (recorded by {actor.name})"
            await self._audit(session, actor, "interest declared", detail + by)
        return await self.store.sessions.declaration(session.id, target.user_id)

    async def withdraw_declaration(self, session: Session, actor: Actor, member: Actor | None = None) -> Declaration:
        """Withdraw a declaration made by mistake: it is kept, marked withdrawn, and leaves the minutes."""
        target = self._declarant(session, actor, member)
        async with self.store.transaction():
            require_minutes_draft(await self.get(session.id))
            if not await self.store.sessions.withdraw_declaration(
                session.id, target.user_id, actor.user_id, self.clock()
            ):
                raise NotFound(f"{target.name} has no declaration of interest in session {session.number}.")
            declaration = await self.store.sessions.declaration(session.id, target.user_id)
            detail = f"session {session.number}: {declaration.name}: {declaration.interest}"
            await self._audit(session, actor, "declaration withdrawn", detail)
        return declaration

    def _declarant(self, session: Session, actor: Actor, member: Actor | None) -> Actor:
        require_not_cancelled(session)
        if member is None or member.user_id == actor.user_id:
            if not actor.roles & {Role.MEMBER, Role.CHAIR}:
                raise NotAllowed(
                    "Members declare their own interests; the secretariat records one for a member with the member"
                    " option."
                )
            return actor
        if Role.SECRETARIAT not in actor.roles and not is_chair(session, actor):
            raise NotAllowed("Only the secretariat or the chair of this session can record a member's declaration.")
        return member

    @staticmethod
    def _recorded_name(session: Session, target: Actor) -> str:
        if witness := session.witness(target.user_id):
            raise InvalidInput(
                f"{witness.name} is a witness in session {session.number}: only members declare interests there."
            )
        recorded = session.member(target.user_id)
        if recorded is not None and recorded.attendance is Attendance.APOLOGY:
            raise InvalidInput(
                f"{recorded.name} sent apologies for session {session.number}: members present declare interests."
            )
        if recorded is None or recorded.attendance is not Attendance.PRESENT:
            raise InvalidInput(
                f"{target.name} is not recorded as present at session {session.number}: the secretariat adds members"
                " with /session member-add."
            )
        return require_text(recorded.name, "name", MAX_NAME_CHARS)

    # Attendance of witnesses ----------------------------------------------------------------------

    async def mark_attendance(
        self, session: Session, actor: Actor, witness: PanelWitness, attendance: WitnessAttendance | None
    ) -> Session:
        """Record whether a witness gave oral evidence, was not called or was absent (None: let the record say)."""
        require_minutes_keeper(session, actor)
        require_not_cancelled(session)
        if session.status is SessionStatus.SCHEDULED:
            raise InvalidState(f"Session {session.number} has not been held yet: attendance is marked once it opens.")
        async with self.store.transaction():
            require_minutes_draft(await self.get(session.id))
            if not await self.store.sessions.set_witness_attendance(session.id, witness.id, attendance):
                raise NotFound(f"{witness.name} is no longer a witness in session {session.number}.")
            marked = attendance.label if attendance else "as the record shows"
            detail = f"session {session.number}: {witness.described}: {marked}"
            await self._audit(session, actor, "witness attendance", detail)
        return await self.get(session.id)

    # Agreeing the minutes -------------------------------------------------------------------------

    async def agree_minutes(self, session: Session, actor: Actor, on: str | None = None) -> Session:
        """Record that the committee agreed the minutes of a closed session on ``on`` (YYYY-MM-DD; today)."""
        require_any(actor, (Role.SECRETARIAT, Role.CHAIR), "record that minutes were agreed")
        require_not_cancelled(session)
        if session.status is not SessionStatus.CLOSED:
            state = "has not been held yet" if session.status is SessionStatus.SCHEDULED else "is still open"
            raise InvalidState(
                f"Session {session.number} {state}: its minutes are agreed after it closes, usually at the next"
                " meeting."
            )
        if session.minutes_agreed_on is not None:
            raise InvalidState(
                f"The minutes of session {session.number} were agreed on {long_date(session.minutes_agreed_on)}."
            )
        now = self.clock()
        held_on = (session.opened_at or session.starts_at).astimezone(self.tz).date()
        agreed_on = parse_agreed_on(on, now.astimezone(self.tz).date(), held_on)
        async with self.store.transaction():
            if not await self.store.sessions.agree_minutes(session.id, agreed_on, actor.user_id, now):
                raise InvalidState(f"The minutes of session {session.number} were agreed meanwhile.")
            detail = f"session {session.number}: agreed on {agreed_on.isoformat()}"
            await self._audit(session, actor, "minutes agreed", detail)
        return await self.get(session.id)

    async def reopen_minutes(self, session: Session, actor: Actor, reason: str) -> Session:
        """Make agreed minutes a draft again, to correct them; the reason is audited."""
        require_any(actor, (Role.SECRETARIAT, Role.CHAIR), "reopen minutes")
        reason = require_text(reason, "reason for reopening the minutes", MAX_REASON_CHARS)
        if session.minutes_agreed_on is None:
            raise InvalidState(f"The minutes of session {session.number} are a draft already: they can be changed.")
        async with self.store.transaction():
            if not await self.store.sessions.reopen_minutes(session.id):
                raise InvalidState(f"The minutes of session {session.number} were reopened meanwhile.")
            detail = f"session {session.number}: agreed on {session.minutes_agreed_on.isoformat()}, reopened"
            await self._audit(session, actor, "minutes reopened", detail, reason)
        return await self.get(session.id)


def _item(kind: MinuteKind, text: str, owner: str | None, due: str | None) -> tuple[str, str | None, str | None]:
    """An item's text, owner and due date, checked: only action points have an owner and a due date."""
    text = require_text(text, "minute", MAX_MINUTE_CHARS)
    owner = require_text(owner, "action's owner", MAX_NAME_CHARS, required=False) or None
    due_date = parse_due(due)
    if kind is not MinuteKind.ACTION and (owner or due_date):
        raise InvalidInput("Only action points have an owner and a due date.")
    return text, owner, due_date.isoformat() if due_date else None


def _summary(item: MinuteItem) -> str:
    parts = (f"owner {item.owner}" if item.owner else "", f"due {item.due}" if item.due else "")
    extra = "; ".join(p for p in parts if p)
    return f"{item.kind.value}: {item.text}" + (f" ({extra})" if extra else "")
