"""Changing a session after it was scheduled: listing and showing sessions, moving or cancelling one, and changing
its panels (remove a witness, move one to another panel, correct a name, role or organisation).

Part of :class:`inquiry.sessions.service.SessionService`. Rules: only the secretariat or a chair changes sessions and
panels; only a session still scheduled can be moved or cancelled, and never into the past; a witness whose words are
in the record stays on their panel. Each change is audited ("session N" in the detail) and owes the people concerned a
direct message (an outbox row in the same transaction), which the bot sends after it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from inquiry.core.errors import InvalidInput, InvalidState, NotAllowed, NotFound
from inquiry.core.models import Role
from inquiry.core.rules import MAX_NAME_CHARS, MAX_REASON_CHARS, MAX_TITLE_CHARS, require_text
from inquiry.inquiries.models import Inquiry, InquiryStatus
from inquiry.outbox.models import OutboxKind
from inquiry.outbox.service import OutboxService
from inquiry.sessions.models import (
    Actor,
    Changed,
    PanelWitness,
    Rescheduled,
    Session,
    SessionOverview,
    SessionStatus,
    WitnessAttendance,
)
from inquiry.sessions.rules import (
    MAX_PANELS,
    reminder_recipients,
    require_any,
    require_minutes_draft,
    require_not_cancelled,
    require_scheduled,
    witness_attendance,
)
from inquiry.store import Store

log = logging.getLogger(__name__)

MIN_MINUTES, MAX_MINUTES = 5, 12 * 60


class SessionPlanning:
    """Listing, showing, moving and cancelling sessions, and changing their panels."""

    store: Store
    clock: Callable[[], datetime]
    tz: ZoneInfo
    outbox: OutboxService | None
    # SessionService provides get(), live_in_guild(), _audit() and _require_setup().

    # Reading ------------------------------------------------------------------------------------

    async def sessions_of(self, guild_id: int, inquiry: Inquiry | None = None) -> list[Session]:
        """Every session of the server (or of one inquiry), whatever its state, by inquiry and number."""
        if inquiry is not None:
            return await self.store.sessions.of_inquiry(inquiry.id)
        found = await self.store.sessions.in_guild(guild_id)
        return sorted(found, key=lambda s: (s.inquiry_id, s.number))

    async def resolve(
        self, guild_id: int, number: int | None, channel_id: int | None, inquiry: str | None = None
    ) -> Session:
        """The session numbered ``number`` (in the inquiry with code ``inquiry``, else in the inquiry of the thread
        this is, else in the only inquiry of the server that has one); without a number, the session whose thread
        this is, else the server's only live session."""
        here = await self.store.sessions.by_thread(channel_id) if channel_id is not None else None
        if number is None:
            if here is not None:
                return here
            return await self._only_live(guild_id)
        found = await self.store.sessions.numbered_in_guild(guild_id, number)
        if inquiry:
            code = inquiry.strip().upper()
            named = await self.store.inquiries.by_code(guild_id, code)
            if named is None:
                raise NotFound(f"There is no inquiry with the code {code} on this server.")
            found = [s for s in found if s.inquiry_id == named.id]
            if not found:
                raise NotFound(f"Inquiry {code} has no session {number}: /session list shows its sessions.")
        elif here is not None and len(found) > 1:
            found = [s for s in found if s.inquiry_id == here.inquiry_id]
        if len(found) > 1:
            found = await self._of_open_inquiry(found)
        if not found:
            raise NotFound(f"There is no session {number} on this server: /session list shows the sessions.")
        if len(found) > 1:
            codes = ", ".join([(await self.store.inquiries.get(s.inquiry_id)).code for s in found])
            raise InvalidInput(
                f"Several inquiries have a session {number} ({codes}): name the inquiry, or use the command in the"
                " session's thread."
            )
        return found[0]

    async def _only_live(self, guild_id: int) -> Session:
        live = await self.live_in_guild(guild_id)
        if len(live) == 1:
            return live[0]
        if not live:
            raise NotFound("There is no scheduled or open session on this server: schedule one with /session schedule.")
        numbers = ", ".join(str(s.number) for s in live)
        raise InvalidInput(
            f"Several sessions are scheduled ({numbers}): please choose one in the session option;"
            " /session list shows them."
        )

    async def _of_open_inquiry(self, found: list[Session]) -> list[Session]:
        """Of sessions of several inquiries, those of the only open inquiry (all, when not exactly one is open)."""
        inquiries = {s.inquiry_id: await self.store.inquiries.get(s.inquiry_id) for s in found}
        open_ids = [i for i, inquiry in inquiries.items() if inquiry.status is InquiryStatus.OPEN]
        return [s for s in found if s.inquiry_id == open_ids[0]] if len(open_ids) == 1 else found

    async def attendance(self, session: Session) -> dict[int, WitnessAttendance]:
        """Each witness's attendance by witness id: as marked, or as the record has it."""
        heard = await self.store.sessions.witnesses_heard(session.id)
        return {w.id: witness_attendance(w, w.id in heard) for w in session.witnesses}

    async def overview(self, session: Session, actor: Actor) -> SessionOverview:
        """A session with its declarations, attendance, minutes items (removed ones too) and reminders."""
        if not actor.roles & {Role.SECRETARIAT, Role.CHAIR, Role.MEMBER}:
            raise NotAllowed("Only the secretariat, the chair and members can see a session's details.")
        inquiry = await self.store.inquiries.get(session.inquiry_id)
        return SessionOverview(
            session=session,
            inquiry_code=inquiry.code,
            declarations=tuple(await self.store.sessions.declarations(session.id)),
            attendance=await self.attendance(session),
            minutes=tuple(await self.store.sessions.minutes(session.id, removed=True)),
            reminders=tuple(await self.store.sessions.reminders(session.id)),
        )

    # Moving and cancelling ----------------------------------------------------------------------

    async def reschedule(
        self,
        session: Session,
        actor: Actor,
        starts_at: datetime,
        *,
        minutes: int | None = None,
        reminders: tuple[int, ...] | None = None,
    ) -> Rescheduled:
        """Move a scheduled session to ``starts_at`` (lasting ``minutes``, or as long as before). Its reminders are
        planned again for the new start (``reminders``, or the offsets it had); the panel and members are told."""
        require_any(actor, (Role.SECRETARIAT, Role.CHAIR), "reschedule sessions")
        require_scheduled(session, "rescheduled")
        now = self.clock()
        if starts_at <= now:
            raise InvalidInput("That time has passed: the session must start in the future.")
        length = timedelta(minutes=minutes) if minutes is not None else session.ends_at - session.starts_at
        if not timedelta(minutes=MIN_MINUTES) <= length <= timedelta(minutes=MAX_MINUTES):
            raise InvalidInput("A session lasts from 5 minutes to 12 hours.")
        if starts_at == session.starts_at and starts_at + length == session.ends_at:
            raise InvalidInput(f"Session {session.number} already starts at that time.")
        if reminders is None:
            reminders = tuple(sorted({r.minutes_before for r in await self.store.sessions.reminders(session.id)}))[::-1]
        keep = tuple(m for m in reminders if starts_at - timedelta(minutes=m) > now)
        async with self.store.transaction():
            if not await self.store.sessions.move(session.id, starts_at, starts_at + length):
                raise InvalidState(f"Session {session.number} is no longer scheduled, so it was not moved.")
            await self.store.sessions.replan_reminders(
                session.id, [(m, starts_at - timedelta(minutes=m)) for m in keep]
            )
            change = await self._audit(
                session,
                actor,
                "session rescheduled",
                f"session {session.number}: {session.starts_at.isoformat()} → {starts_at.isoformat()}",
            )
            payload = {"was": session.starts_at.isoformat(), "starts_at": starts_at.isoformat()}
            people = [r.user_id for r in reminder_recipients(session)]
            notices = await self._notify(session, change, people, "rescheduled", **payload)
        moved = await self.get(session.id)
        skipped = tuple(m for m in reminders if m not in keep)
        return Rescheduled(session, moved, keep, skipped, notices)

    async def cancel(self, session: Session, actor: Actor, reason: str) -> Changed:
        """Cancel a scheduled session, with a reason: it is kept, no longer live; its reminders are not sent and the
        panel and members are told."""
        require_any(actor, (Role.SECRETARIAT, Role.CHAIR), "cancel sessions")
        require_scheduled(session, "cancelled")
        reason = require_text(reason, "reason for cancelling", MAX_REASON_CHARS)
        now = self.clock()
        async with self.store.transaction():
            if not await self.store.sessions.cancel(session.id, actor.user_id, reason, now):
                raise InvalidState(f"Session {session.number} is no longer scheduled, so it was not cancelled.")
            await self.store.sessions.retire_reminders(session.id, now, "not sent: the session was cancelled")
            change = await self._audit(
                session, actor, "session cancelled", f"session {session.number}: {session.title}", reason
            )
            people = [r.user_id for r in reminder_recipients(session)]
            payload = {"starts_at": session.starts_at.isoformat(), "reason": reason}
            notices = await self._notify(session, change, people, "cancelled", **payload)
        return Changed(await self.get(session.id), notices)

    # Panels -------------------------------------------------------------------------------------

    def find_witness(self, session: Session, user_id: int | None, name: str | None) -> PanelWitness:
        """A witness of the session, by their Discord account or by their name on the panel."""
        if user_id is not None:
            witness = session.witness(user_id)
            if witness is None:
                raise NotFound(f"{name or 'That person'} is not a witness in session {session.number}.")
            return witness
        if not name or not name.strip():
            raise InvalidInput("Choose the witness on this server, or give their name as it is on the panel.")
        wanted = " ".join(name.split()).casefold()
        found = [w for w in session.witnesses if " ".join(w.name.split()).casefold() == wanted]
        if not found:
            raise NotFound(
                f"Session {session.number} has no witness called {name.strip()!r}: /session show lists them."
            )
        if len(found) > 1:
            raise InvalidInput(f"Several witnesses are called {name.strip()!r}: choose the one on this server.")
        return found[0]

    async def remove_witness(
        self, session: Session, actor: Actor, witness: PanelWitness, reason: str | None = None
    ) -> Changed:
        """Take a witness off the session's panels; a witness whose words are in the record stays."""
        self._require_setup(session, actor)
        reason = require_text(reason, "reason", MAX_REASON_CHARS, required=False) or None
        if await self.store.sessions.witness_in_record(witness.id):
            raise InvalidState(
                f"{witness.name}'s words are in the record of session {session.number}, so they stay on the panel."
            )
        async with self.store.transaction():
            if not await self.store.sessions.remove_witness(session.id, witness.id):
                raise NotFound(f"{witness.name} is no longer a witness in session {session.number}.")
            detail = f"session {session.number}: {witness.described}, panel {witness.panel}"
            change = await self._audit(session, actor, "witness removed", detail, reason)
            notices = await self._notify(session, change, [witness.user_id], "witness_removed", panel=witness.panel)
        return Changed(await self.get(session.id), notices)

    async def move_witness(self, session: Session, actor: Actor, witness: PanelWitness, panel: int) -> Changed:
        """Put a witness on another panel (last on it); not once their panel has given evidence."""
        self._require_setup(session, actor)
        if not 1 <= panel <= MAX_PANELS:
            raise InvalidInput(f"Panels are numbered 1 to {MAX_PANELS}.")
        if panel == witness.panel:
            raise InvalidInput(f"{witness.name} is already on panel {panel}.")
        if session.status is SessionStatus.OPEN:
            if witness.panel <= session.current_panel and await self.store.sessions.witness_in_record(witness.id):
                raise InvalidState(f"{witness.name} has already given evidence on panel {witness.panel}.")
            if panel < session.current_panel:
                raise InvalidState(f"Panel {panel} has already given evidence; move the witness to a later panel.")
        async with self.store.transaction():
            if not await self.store.sessions.move_witness(session.id, witness.id, witness.panel, panel):
                raise InvalidState(f"{witness.name}'s place changed meanwhile: look again with /session show.")
            detail = f"session {session.number}: {witness.described}, panel {witness.panel} → panel {panel}"
            change = await self._audit(session, actor, "witness moved", detail)
            notices = await self._notify(
                session, change, [witness.user_id], "witness_moved", from_panel=witness.panel, to_panel=panel
            )
        return Changed(await self.get(session.id), notices)

    async def describe_witness(
        self,
        session: Session,
        actor: Actor,
        witness: PanelWitness,
        *,
        name: str | None = None,
        role: str | None = None,
        organisation: str | None = None,
    ) -> Changed:
        """Correct a witness's name, role or organisation (also after the session, while its minutes are a draft);
        what the record attributes to them takes the new name."""
        require_any(actor, (Role.SECRETARIAT, Role.CHAIR), "correct the panels")
        require_not_cancelled(session)
        if session.status is SessionStatus.CLOSED:
            require_minutes_draft(session)
        new_name = require_text(name, "witness's name", MAX_NAME_CHARS) if name is not None else witness.name
        new_role = require_text(role, "witness's role", MAX_NAME_CHARS, required=False) if role is not None else None
        new_org = (
            require_text(organisation, "organisation", MAX_TITLE_CHARS, required=False)
            if organisation is not None
            else None
        )
        new_role = witness.role if new_role is None else new_role
        new_org = witness.organisation if new_org is None else new_org
        if (new_name, new_role, new_org) == (witness.name, witness.role, witness.organisation):
            raise InvalidInput("Nothing to change: give a new name, role or organisation.")
        async with self.store.transaction():
            if not await self.store.sessions.describe_witness(
                session.id, witness.id, new_name, new_role, new_org, witness.name
            ):
                raise NotFound(f"{witness.name} is no longer a witness in session {session.number}.")
            after = ", ".join(p for p in (new_name, new_role, new_org) if p)
            detail = f"session {session.number}: {witness.described} → {after}"
            await self._audit(session, actor, "witness details corrected", detail)
        return Changed(await self.get(session.id))

    # Telling people -----------------------------------------------------------------------------

    async def _notify(
        self, session: Session, change_id: int, user_ids: Iterable[int | None], notice: str, **details: Any
    ) -> tuple[int, ...]:
        """Owe each person a direct message about a change (inside the change's transaction)."""
        if self.outbox is None:
            return ()
        rows = []
        for user_id in dict.fromkeys(u for u in user_ids if u is not None):
            payload = {"session_id": session.id, "user_id": user_id, "notice": notice, **details}
            row = await self.outbox.owe(
                OutboxKind.SESSION_NOTICE,
                f"session-notice:{change_id}:{user_id}",
                f"session:{session.id}:user:{user_id}",
                payload,
                grace=True,
            )
            if row is not None:
                rows.append(row)
        return tuple(rows)
