"""Queries on oral evidence sessions: the sessions, their reminders, panels, members, numbered questions,
answers and minutes items."""

from __future__ import annotations

from datetime import date, datetime

from inquiry.sessions.models import (
    Attendance,
    OralQuestion,
    PanelWitness,
    Place,
    PlaceKind,
    QuestionStatus,
    Reminder,
    Session,
    SessionMember,
    SessionStatus,
    WitnessAttendance,
)

from ._base import from_db_time, to_db_time
from ._session_record import SessionRecordQueries


def _status(row) -> SessionStatus:
    return SessionStatus.CANCELLED if row["cancelled_at"] else SessionStatus(row["status"])


def _session(row, witnesses: tuple[PanelWitness, ...], members: tuple[SessionMember, ...]) -> Session:
    agreed_on = row["minutes_agreed_on"]
    return Session(
        id=row["id"],
        inquiry_id=row["inquiry_id"],
        number=row["number"],
        title=row["title"],
        starts_at=from_db_time(row["starts_at"]),
        ends_at=from_db_time(row["ends_at"]),
        place=Place(PlaceKind(row["place_kind"]), row["channel_id"], row["location"]),
        status=_status(row),
        current_panel=row["current_panel"],
        event_id=row["event_id"],
        thread_id=row["thread_id"],
        opened_at=from_db_time(row["opened_at"]),
        closed_at=from_db_time(row["closed_at"]),
        created_by=row["created_by"],
        created_at=from_db_time(row["created_at"]),
        witnesses=witnesses,
        members=members,
        cancelled_at=from_db_time(row["cancelled_at"]),
        cancelled_by=row["cancelled_by"],
        cancel_reason=row["cancel_reason"],
        minutes_agreed_on=date.fromisoformat(agreed_on) if agreed_on else None,
        minutes_agreed_by=row["minutes_agreed_by"],
        minutes_agreed_at=from_db_time(row["minutes_agreed_at"]),
    )


def _witness(row) -> PanelWitness:
    data = dict(row)
    data["attendance"] = WitnessAttendance(data["attendance"]) if data["attendance"] else None
    return PanelWitness(**data)


def _member(row) -> SessionMember:
    data = dict(row)
    data.update(
        attendance=Attendance(data["attendance"]), is_chair=bool(data["is_chair"]), may_ask=bool(data["may_ask"])
    )
    return SessionMember(**data)


def _question(row) -> OralQuestion:
    data = dict(row)
    data.update(
        asker_is_chair=bool(data["asker_is_chair"]),
        status=QuestionStatus(data["status"]),
        struck_at=from_db_time(data["struck_at"]),
        asked_at=from_db_time(data["asked_at"]),
        closed_at=from_db_time(data["closed_at"]),
    )
    return OralQuestion(**data)


def _reminder(row) -> Reminder:
    data = dict(row)
    data.update(due_at=from_db_time(data["due_at"]), sent_at=from_db_time(data["sent_at"]))
    return Reminder(**data)


class SessionRepo(SessionRecordQueries):
    """Sessions and everything recorded in them; writes run inside the caller's transaction."""

    # Sessions ---------------------------------------------------------------------------------

    async def create(
        self,
        *,
        inquiry_id: int,
        title: str,
        starts_at: datetime,
        ends_at: datetime,
        place: Place,
        actor_id: int,
        now: datetime,
    ) -> int:
        """Insert a session numbered after the inquiry's others (run inside a transaction)."""
        row = await self._one(
            "INSERT INTO sessions (inquiry_id, number, title, starts_at, ends_at, place_kind, channel_id, location,"
            " created_by, created_at) SELECT CAST(? AS BIGINT), coalesce(max(number), 0) + 1,"
            " CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT),"
            " CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS TEXT)"
            " FROM sessions WHERE inquiry_id = ? RETURNING id",
            (
                inquiry_id,
                title,
                to_db_time(starts_at),
                to_db_time(ends_at),
                place.kind.value,
                place.channel_id,
                place.location,
                actor_id,
                to_db_time(now),
                inquiry_id,
            ),
        )
        return int(row[0])

    async def get(self, session_id: int) -> Session | None:
        row = await self._one("SELECT * FROM sessions WHERE id = ?", (session_id,))
        return await self._full(row) if row else None

    async def by_thread(self, thread_id: int) -> Session | None:
        row = await self._one("SELECT * FROM sessions WHERE thread_id = ?", (thread_id,))
        return await self._full(row) if row else None

    async def in_guild(self, guild_id: int, statuses: tuple[SessionStatus, ...] | None = None) -> list[Session]:
        """The server's sessions in ``statuses`` (all when None), soonest first."""
        rows = await self._all(
            "SELECT s.* FROM sessions s JOIN inquiries i ON i.id = s.inquiry_id"
            " WHERE i.guild_id = ? ORDER BY s.starts_at, s.id",
            (guild_id,),
        )
        wanted = set(statuses) if statuses is not None else set(SessionStatus)
        return [await self._full(r) for r in rows if _status(r) in wanted]

    async def numbered_in_guild(self, guild_id: int, number: int) -> list[Session]:
        """The sessions numbered ``number`` in the server's inquiries (one per inquiry)."""
        rows = await self._all(
            "SELECT s.* FROM sessions s JOIN inquiries i ON i.id = s.inquiry_id"
            " WHERE i.guild_id = ? AND s.number = ? ORDER BY s.inquiry_id",
            (guild_id, number),
        )
        return [await self._full(r) for r in rows]

    async def numbered(self, number: int) -> list[Session]:
        """The sessions numbered ``number`` in every inquiry of the database (for the command line)."""
        rows = await self._all("SELECT * FROM sessions WHERE number = ? ORDER BY inquiry_id", (number,))
        return [await self._full(r) for r in rows]

    async def of_inquiry(self, inquiry_id: int) -> list[Session]:
        rows = await self._all("SELECT * FROM sessions WHERE inquiry_id = ? ORDER BY number", (inquiry_id,))
        return [await self._full(r) for r in rows]

    async def set_event(self, session_id: int, event_id: int | None) -> None:
        await self._run("UPDATE sessions SET event_id = ? WHERE id = ?", (event_id, session_id))

    async def set_thread(self, session_id: int, thread_id: int) -> None:
        await self._run("UPDATE sessions SET thread_id = ? WHERE id = ?", (thread_id, session_id))

    async def set_panel(self, session_id: int, panel: int) -> None:
        await self._run("UPDATE sessions SET current_panel = ? WHERE id = ?", (panel, session_id))

    async def mark_open(self, session_id: int, now: datetime) -> bool:
        """Open a session still scheduled (a cancelled one never opens)."""
        return await self._changed(
            "UPDATE sessions SET status = 'open', opened_at = ? WHERE id = ? AND status = 'scheduled'"
            " AND cancelled_at IS NULL",
            (to_db_time(now), session_id),
        )

    async def mark_closed(self, session_id: int, now: datetime) -> None:
        await self._run(
            "UPDATE sessions SET status = 'closed', closed_at = ? WHERE id = ?", (to_db_time(now), session_id)
        )

    async def _full(self, row) -> Session:
        return _session(row, await self.witnesses(row["id"]), await self.members(row["id"]))

    # Reminders --------------------------------------------------------------------------------

    async def add_reminder(self, session_id: int, minutes_before: int, due_at: datetime) -> None:
        await self._run(
            "INSERT INTO session_reminders (session_id, minutes_before, due_at) VALUES (?, ?, ?)"
            " ON CONFLICT (session_id, minutes_before) DO NOTHING",
            (session_id, minutes_before, to_db_time(due_at)),
        )

    async def reminders(self, session_id: int) -> list[Reminder]:
        rows = await self._all("SELECT * FROM session_reminders WHERE session_id = ? ORDER BY due_at", (session_id,))
        return [_reminder(r) for r in rows]

    async def due_reminders(self, now: datetime) -> list[Reminder]:
        rows = await self._all(
            "SELECT * FROM session_reminders WHERE sent_at IS NULL AND due_at <= ? ORDER BY due_at, id",
            (to_db_time(now),),
        )
        return [_reminder(r) for r in rows]

    async def finish_reminder(self, reminder_id: int, now: datetime, outcome: str) -> None:
        await self._run(
            "UPDATE session_reminders SET sent_at = ?, outcome = ? WHERE id = ? AND sent_at IS NULL",
            (to_db_time(now), outcome, reminder_id),
        )

    async def next_reminder_due(self) -> datetime | None:
        row = await self._one("SELECT min(due_at) FROM session_reminders WHERE sent_at IS NULL")
        return from_db_time(row[0]) if row else None

    async def told(self, reminder_id: int) -> set[int]:
        rows = await self._all("SELECT user_id FROM session_reminder_deliveries WHERE reminder_id = ?", (reminder_id,))
        return {r[0] for r in rows}

    async def claim_delivery(self, reminder_id: int, user_id: int, now: datetime) -> bool:
        """Record that ``user_id`` is about to be told; False if they were already (never tell anyone twice)."""
        row = await self._one(
            "INSERT INTO session_reminder_deliveries (reminder_id, user_id, at) VALUES (?, ?, ?)"
            " ON CONFLICT DO NOTHING RETURNING user_id",
            (reminder_id, user_id, to_db_time(now)),
        )
        return row is not None

    async def set_delivered(self, reminder_id: int, user_id: int, delivered: bool) -> None:
        await self._run(
            "UPDATE session_reminder_deliveries SET delivered = ? WHERE reminder_id = ? AND user_id = ?",
            (int(delivered), reminder_id, user_id),
        )

    async def deliveries(self, reminder_id: int) -> dict[int, bool]:
        rows = await self._all(
            "SELECT user_id, delivered FROM session_reminder_deliveries WHERE reminder_id = ?", (reminder_id,)
        )
        return {r[0]: bool(r[1]) for r in rows}

    # Panels and members ---------------------------------------------------------------------

    async def add_witness(
        self, session_id: int, panel: int, user_id: int | None, name: str, role: str, organisation: str
    ) -> int:
        row = await self._one(
            "INSERT INTO session_witnesses (session_id, panel, position, user_id, name, role, organisation)"
            " SELECT CAST(? AS BIGINT), CAST(? AS BIGINT), coalesce(max(position), 0) + 1,"
            " CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT)"
            " FROM session_witnesses"
            " WHERE session_id = ? AND panel = ? RETURNING id",
            (session_id, panel, user_id, name, role, organisation, session_id, panel),
        )
        return int(row[0])

    async def witnesses(self, session_id: int) -> tuple[PanelWitness, ...]:
        rows = await self._all(
            "SELECT * FROM session_witnesses WHERE session_id = ? ORDER BY panel, position", (session_id,)
        )
        return tuple(_witness(r) for r in rows)

    async def save_member(self, session_id: int, user_id: int, name: str, attendance: Attendance) -> None:
        """Record a member as present or sending apologies (a second call changes their entry)."""
        await self._run(
            "INSERT INTO session_members (session_id, user_id, name, attendance, position)"
            " SELECT CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT),"
            " coalesce(max(position), 0) + 1 FROM session_members"
            " WHERE session_id = ?"
            " ON CONFLICT (session_id, user_id) DO UPDATE SET name = excluded.name, attendance = excluded.attendance",
            (session_id, user_id, name, attendance.value, session_id),
        )

    async def set_chair(self, session_id: int, user_id: int, name: str) -> None:
        """Make ``user_id`` the session's chair, present; whoever chaired before stays a member."""
        await self._run("UPDATE session_members SET is_chair = 0 WHERE session_id = ?", (session_id,))
        await self.save_member(session_id, user_id, name, Attendance.PRESENT)
        await self._run(
            "UPDATE session_members SET is_chair = 1, may_ask = 1 WHERE session_id = ? AND user_id = ?",
            (session_id, user_id),
        )

    async def set_may_ask(self, session_id: int, user_id: int, allowed: bool) -> None:
        await self._run(
            "UPDATE session_members SET may_ask = ? WHERE session_id = ? AND user_id = ?",
            (int(allowed), session_id, user_id),
        )

    async def members(self, session_id: int) -> tuple[SessionMember, ...]:
        rows = await self._all(
            "SELECT * FROM session_members WHERE session_id = ? ORDER BY is_chair DESC, position", (session_id,)
        )
        return tuple(_member(r) for r in rows)

    # Questions --------------------------------------------------------------------------------

    async def take_question_number(self, inquiry_id: int) -> int:
        """Reserve the inquiry's next oral question number; numbers are never handed out twice."""
        row = await self._one(
            "UPDATE inquiries SET next_oral_question = next_oral_question + 1 WHERE id = ?"
            " RETURNING next_oral_question - 1",
            (inquiry_id,),
        )
        return int(row[0])

    async def add_question(
        self,
        *,
        session: Session,
        number: int,
        asked_by: int,
        asker_name: str,
        asker_is_chair: bool,
        text: str,
        now: datetime,
    ) -> int:
        return await self._run(
            "INSERT INTO session_questions (session_id, inquiry_id, number, panel, asked_by, asker_name,"
            " asker_is_chair, text, asked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                session.id,
                session.inquiry_id,
                number,
                session.current_panel,
                asked_by,
                asker_name,
                int(asker_is_chair),
                text,
                to_db_time(now),
            ),
        )

    async def question(self, question_id: int) -> OralQuestion | None:
        row = await self._one("SELECT * FROM session_questions WHERE id = ?", (question_id,))
        return _question(row) if row else None

    async def question_by_number(self, session_id: int, number: int) -> OralQuestion | None:
        row = await self._one(
            "SELECT * FROM session_questions WHERE session_id = ? AND number = ?", (session_id, number)
        )
        return _question(row) if row else None

    async def question_by_message(self, session_id: int, message_id: int) -> OralQuestion | None:
        row = await self._one(
            "SELECT * FROM session_questions WHERE session_id = ? AND message_id = ?", (session_id, message_id)
        )
        return _question(row) if row else None

    async def current_question(self, session_id: int) -> OralQuestion | None:
        row = await self._one(
            "SELECT * FROM session_questions WHERE session_id = ? AND status = 'open' ORDER BY number DESC LIMIT 1",
            (session_id,),
        )
        return _question(row) if row else None

    async def questions(self, session_id: int) -> list[OralQuestion]:
        rows = await self._all("SELECT * FROM session_questions WHERE session_id = ? ORDER BY number", (session_id,))
        return [_question(r) for r in rows]

    async def close_open_questions(self, session_id: int, now: datetime) -> int:
        return await self._run(
            "UPDATE session_questions SET status = 'answered', closed_at = ? WHERE session_id = ? AND status = 'open'",
            (to_db_time(now), session_id),
        )

    async def strike(self, question_id: int, reason: str, actor_id: int, now: datetime) -> None:
        await self._run(
            "UPDATE session_questions SET status = 'struck', struck_reason = ?, struck_by = ?, struck_at = ?,"
            " closed_at = coalesce(closed_at, ?) WHERE id = ?",
            (reason, actor_id, to_db_time(now), to_db_time(now), question_id),
        )

    async def set_question_message(self, question_id: int, message_id: int) -> None:
        await self._run("UPDATE session_questions SET message_id = ? WHERE id = ?", (message_id, question_id))
