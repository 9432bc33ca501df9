"""Pure rules of oral evidence sessions: reading starts, reminder offsets, places and due dates; who may act."""

from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from inquiry.core.errors import InvalidInput, InvalidState, NotAllowed
from inquiry.core.localtime import local_time, split_zone
from inquiry.core.models import Role
from inquiry.sessions.models import (
    Actor,
    PanelWitness,
    Place,
    PlaceKind,
    ReminderRecipient,
    Session,
    SessionStatus,
    WitnessAttendance,
)

START_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M")
DUE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
DEFAULT_REMINDERS = (24 * 60, 15)
MAX_REMINDER_MINUTES = 30 * 1440
MAX_PANELS = 10
MAX_LOCATION_CHARS = 100  # Discord's limit for an external event's location
_OFFSET = re.compile(r"^(\d+)\s*(d|h|m|min|mins|minutes?|hours?|days?)$")
_UNIT_MINUTES = {"d": 1440, "h": 60, "m": 1}


def parse_start(text: str, tz: ZoneInfo) -> datetime:
    """Read a start such as ``2020-04-15 10:00`` in the time zone ``tz``."""
    written, zone = split_zone(text)
    for fmt in START_FORMATS:
        try:
            naive = datetime.strptime(written, fmt)
        except ValueError:
            continue
        return local_time(naive, tz, zone)  # refuses a time the clocks skip, or repeat unless the zone says which
    raise InvalidInput(f"I could not read {text!r} as a start: write it as YYYY-MM-DD HH:MM ({tz.key} time).")


MAX_RECORDING_OFFSET_S = 6 * 3600
_CLOCK_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


def recording_offset(text: str | None, opened_at: datetime, tz: ZoneInfo) -> float:
    """Seconds from the session's opening to when its recording started, read from a clock time such as ``10:02``
    or ``09:58:30`` on the day it was opened (``tz`` time); 0 when not given."""
    if not text or not text.strip():
        return 0.0
    match = _CLOCK_TIME.match(text.strip())
    if match is None or int(match[1]) > 23 or int(match[2]) > 59 or int(match[3] or 0) > 59:
        raise InvalidInput(f"I could not read {text.strip()[:20]!r} as a time: write it as HH:MM or HH:MM:SS.")
    opened = opened_at.astimezone(tz)
    started = opened.replace(hour=int(match[1]), minute=int(match[2]), second=int(match[3] or 0), microsecond=0)
    offset = (started - opened).total_seconds()
    if abs(offset) > MAX_RECORDING_OFFSET_S:
        raise InvalidInput(
            f"The session was opened at {opened:%H:%M} ({tz.key}); a recording starting at {started:%H:%M} is more"
            " than six hours away from that. Check the time."
        )
    return offset


def parse_reminders(text: str | None) -> tuple[int, ...]:
    """``"1d, 2h, 15m"`` → minutes before the start, largest first; ``None`` → the default; ``none`` → none."""
    if text is None:
        return DEFAULT_REMINDERS
    text = text.strip().lower()
    if text in ("", "none", "no", "0"):
        return ()
    found: set[int] = set()
    for part in re.split(r"[,;]+|\s+and\s+", text):
        match = _OFFSET.match(part.strip())
        if not match:
            raise InvalidInput(f"I could not read {part.strip()!r} as a reminder time: write them like 1d, 2h, 15m.")
        minutes = int(match[1]) * _UNIT_MINUTES[match[2][0]]
        if not 1 <= minutes <= MAX_REMINDER_MINUTES:
            raise InvalidInput("Reminders can be sent from one minute to 30 days before a session.")
        found.add(minutes)
    return tuple(sorted(found, reverse=True))


def offset_text(minutes: int) -> str:
    """1440 → ``1 day``; 90 → ``1 h 30 min``; 15 → ``15 minutes``."""
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    if days and not rest:
        return f"{days} day{'s' * (days != 1)}"
    if not days and not hours:
        return f"{mins} minute{'s' * (mins != 1)}"
    if not days and not mins:
        return f"{hours} hour{'s' * (hours != 1)}"
    parts = [f"{days} d" if days else "", f"{hours} h" if hours else "", f"{mins} min" if mins else ""]
    return " ".join(p for p in parts if p)


def check_place(place: Place) -> Place:
    """A Stage or voice channel, or an outside web link of at most 100 characters."""
    if place.kind is PlaceKind.EXTERNAL:
        location = (place.location or "").strip()
        parsed = urlparse(location)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise InvalidInput("The link must be a web address starting with https://, such as a video call's link.")
        if len(location) > MAX_LOCATION_CHARS:
            raise InvalidInput(
                f"Discord takes links of up to {MAX_LOCATION_CHARS} characters for an event's place: shorten it."
            )
        return Place(PlaceKind.EXTERNAL, None, location)
    if place.channel_id is None:
        raise InvalidInput("Choose a Stage or voice channel, or give a link, for where the session is held.")
    return Place(place.kind, place.channel_id, None)


def parse_due(text: str | None) -> date | None:
    """An action point's due date, ``YYYY-MM-DD``; nothing when not given."""
    if not text or not text.strip():
        return None
    for fmt in DUE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise InvalidInput(f"I could not read {text!r} as a date: write it as YYYY-MM-DD.")


def reminder_recipients(session: Session) -> list[ReminderRecipient]:
    """Witnesses who are server members, and the members recorded as present (the chair among them)."""
    found = [ReminderRecipient(w.user_id, f"witness, panel {w.panel}") for w in session.witnesses if w.user_id]
    for member in session.present:
        found.append(ReminderRecipient(member.user_id, "chair" if member.is_chair else "member"))
    return found


def is_chair(session: Session, actor: Actor) -> bool:
    """True when ``actor`` holds the Chair role and is recorded as this session's chair."""
    chair = session.chair
    return Role.CHAIR in actor.roles and chair is not None and chair.user_id == actor.user_id


def require_chair(session: Session, actor: Actor) -> None:
    """Only the session's own chair runs it."""
    if is_chair(session, actor):
        return
    chair = session.chair
    if chair is None:
        raise NotAllowed("No chair has been named for this session yet: the secretariat uses /session chair.")
    raise NotAllowed(f"Only the chair of this session ({chair.name}) can do that.")


def require_any(actor: Actor, roles: tuple[Role, ...], what: str) -> None:
    """``actor`` must hold one of ``roles``."""
    if not actor.roles & set(roles):
        raise NotAllowed(f"Only the {' or the '.join(role.value for role in roles)} can {what}.")


def require_open(session: Session) -> None:
    """The session must be running."""
    if session.status is not SessionStatus.OPEN:
        state = {
            SessionStatus.SCHEDULED: "has not been opened yet",
            SessionStatus.CANCELLED: "was cancelled",
        }.get(session.status, "has been closed")
        raise InvalidState(f"This session {state}.")


def require_not_cancelled(session: Session) -> None:
    """Nothing more happens in a cancelled session."""
    if session.status is SessionStatus.CANCELLED:
        raise InvalidState(
            f"Session {session.number} was cancelled ({session.cancel_reason}): schedule a new one with"
            " /session schedule."
        )


def require_scheduled(session: Session, what: str) -> None:
    """Only a session not yet opened can be moved or cancelled; ``what`` is ``rescheduled`` or ``cancelled``."""
    require_not_cancelled(session)
    if session.status is SessionStatus.OPEN:
        raise InvalidState(
            f"Session {session.number} is open, so it can no longer be {what}: the chair closes it with /session close."
        )
    if session.status is SessionStatus.CLOSED:
        raise InvalidState(f"Session {session.number} has been closed, so it can no longer be {what}.")


def require_minutes_draft(session: Session) -> None:
    """The minutes can be changed only while they are a draft: agreed minutes are reopened first."""
    require_not_cancelled(session)
    if session.minutes_agreed_on is not None:
        raise InvalidState(
            f"The minutes of session {session.number} were agreed on {long_date(session.minutes_agreed_on)}: to"
            " change them, reopen them first with /session minutes reopen (with the reason)."
        )


def require_minutes_keeper(session: Session, actor: Actor) -> None:
    """The session's own chair or the secretariat keep its minutes."""
    if not is_chair(session, actor) and Role.SECRETARIAT not in actor.roles:
        raise NotAllowed("Only the chair of this session or the secretariat can change its minutes.")


def witness_attendance(witness: PanelWitness, heard: bool) -> WitnessAttendance:
    """As marked; unmarked, a witness gave evidence when the record holds their words (an answer in the thread, or
    their voice on a recording), and otherwise was not called."""
    if witness.attendance is not None:
        return witness.attendance
    return WitnessAttendance.GAVE_EVIDENCE if heard else WitnessAttendance.NOT_CALLED


_DECLARED_AS_WRITTEN = re.compile(r"^(that|an interest|interests?)\b", re.IGNORECASE)


def declaration_line(name: str, interest: str) -> str:
    """``Holly Lynch MP declared an interest: trustee of Age UK Leeds.``; an interest written as ``that I ...`` or
    ``an interest as ...`` follows ``declared`` directly."""
    interest = " ".join(interest.split()).rstrip()
    if not interest.endswith((".", "!", "?")):
        interest += "."
    if _DECLARED_AS_WRITTEN.match(interest):
        return f"{name} declared {interest}"
    return f"{name} declared an interest: {interest}"


def parse_agreed_on(text: str | None, today: date, held_on: date) -> date:
    """The day the committee agreed a session's minutes: today when not given; never before the session was held,
    nor in the future."""
    agreed = parse_due(text) or today
    if agreed > today:
        raise InvalidInput("Minutes are agreed on the day the committee agrees them: that date is in the future.")
    if agreed < held_on:
        raise InvalidInput(f"The session was held on {long_date(held_on)}: its minutes cannot be agreed before that.")
    return agreed


def long_date(day: date) -> str:
    """``12 March 2026``."""
    return f"{day.day} {day:%B %Y}"
