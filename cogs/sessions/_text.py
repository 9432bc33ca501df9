"""What the bot says about oral evidence sessions: the agenda, questions, answers, reminders, confirmations.
Every piece of user text passes through ``safe`` so nothing said in a session can ping anyone."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from cogs._shared.format import MESSAGE_LIMIT, clip, quote, safe, when
from inquiry.sessions.models import (
    DueReminder,
    MinuteItem,
    MinuteKind,
    OralQuestion,
    PlaceKind,
    ReminderRecipient,
    Rescheduled,
    Session,
    SessionAnswer,
    SessionOverview,
    SessionStatus,
    WitnessAttendance,
)
from inquiry.sessions.rules import declaration_line, long_date, offset_text

LATE_SECONDS = 300
MINUTE_LABELS = {MinuteKind.DECISION: "Decision", MinuteKind.ACTION: "Action", MinuteKind.NOTE: "Note"}


def session_name(session: Session, code: str) -> str:
    """``SCI oral evidence session 1: Older people and rural isolation``."""
    return f"{code} oral evidence session {session.number}: {session.title}"


def place_text(session: Session) -> str:
    """A channel mention, or the outside link (made inert: it came from a user)."""
    if session.place.kind is PlaceKind.EXTERNAL:
        return safe(session.place.location or "")
    kind = "Stage" if session.place.kind is PlaceKind.STAGE else "voice channel"
    return f"{kind} <#{session.place.channel_id}>"


def event_url(guild_id: int, event_id: int | None) -> str | None:
    """The link to the server's event for the session."""
    return f"https://discord.com/events/{guild_id}/{event_id}" if event_id else None


def scheduled(session: Session, code: str, tz: ZoneInfo, reminders: tuple[int, ...], skipped: tuple[int, ...]) -> str:
    """The confirmation for whoever scheduled the session."""
    lines = [
        f"Scheduled **{safe(session_name(session, code))}**.",
        f"Starts: {when(session.starts_at, tz)}",
        f"Ends: {session.ends_at.astimezone(tz):%H:%M} ({_duration(session)})",
        f"Where: {place_text(session)}",
    ]
    if reminders:
        lines.append("Reminders to witnesses and members: " + ", ".join(offset_text(m) for m in reminders) + " before.")
    else:
        lines.append("No reminders will be sent.")
    if skipped:
        lines.append("Not sent, already past: " + ", ".join(offset_text(m) + " before" for m in skipped) + ".")
    lines.append(
        "Next: /session chair names who chairs it; /session witness-add and /session member-add set up the panels."
    )
    return "\n".join(lines)


def agenda(session: Session, code: str, title: str, tz: ZoneInfo) -> str:
    """The opening of the session's record: what, when, where, who chairs, members, witnesses by panel."""
    chair = session.chair
    lines = [
        f"# {safe(clip(session_name(session, code), 200))}",
        f"Inquiry: {safe(title)}",
        f"{when(session.starts_at, tz)} · {place_text(session)}",
        "",
        "**Members present:** " + (members_line(session) or "none recorded"),
    ]
    if session.apologies:
        lines.append("**Apologies:** " + ", ".join(safe(m.name) for m in session.apologies))
    for panel, witnesses in session.panels.items():
        lines.append(f"**Panel {panel}**")
        lines.extend(f"- {safe(w.described)}" + ("" if w.user_id else " (outside witness)") for w in witnesses)
    lines += [
        "",
        f"{safe(chair.name) if chair else 'The chair'} puts the questions (Q-numbers run on across the inquiry).",
        "Witnesses of the panel giving evidence answer here by text or voice message; the members may add remarks.",
        "Only the panel's witnesses and the members take part in this record.",
    ]
    return clip("\n".join(lines), MESSAGE_LIMIT)


def members_line(session: Session) -> str:
    """``Holly Lynch MP (Chair), Member MP``: the chair first."""
    return ", ".join(safe(m.name) + (" (Chair)" if m.is_chair else "") for m in session.present)


def question_line(question: OralQuestion) -> str:
    """``Q14 Chair (Holly Lynch MP): text`` as posted in the thread."""
    return clip(f"**{question.label}** {safe(question.asker_label)}: {safe(question.text)}", MESSAGE_LIMIT)


def struck_line(question: OralQuestion) -> str:
    """How a struck question reads in the thread afterwards."""
    return clip(
        f"~~**{question.label}** {safe(question.asker_label)}: {safe(question.text)}~~\n"
        f"*{question.label} and its answers were struck from the record: {safe(question.struck_reason)}*",
        MESSAGE_LIMIT,
    )


def panel_called(session: Session) -> str:
    """The thread's note that a panel is called, with its witnesses."""
    witnesses = session.panels.get(session.current_panel, ())
    names = "; ".join(safe(w.described) for w in witnesses)
    return f"**Panel {session.current_panel}** is called: {names}."


def spoken_received(answer: SessionAnswer, question: OralQuestion) -> str:
    """The reply to a witness's voice message."""
    return (
        f"Recorded as {safe(answer.speaker_name)}'s spoken answer to {question.label}. It will be transcribed and the"
        " uncorrected transcript posted here."
    )


def spoken_not_queued(answer: SessionAnswer, question: OralQuestion) -> str:
    """The reply when a voice message was recorded but could not be queued for transcription."""
    return (
        f"Recorded as {safe(answer.speaker_name)}'s spoken answer to {question.label}, but it could not be queued"
        " for transcription; the secretariat can see why in the log."
    )


def transcript_posted(answer: SessionAnswer, label: str) -> str:
    """A spoken answer's uncorrected transcript, as posted in the thread."""
    text = answer.uncorrected_text or ""
    if not text:
        return f"No speech was found in {safe(answer.speaker_name)}'s voice message ({label}); the recording is kept."
    return clip(
        f"Uncorrected transcript of {safe(answer.speaker_name)}'s spoken answer to {label}:\n{quote(text, 1700)}",
        MESSAGE_LIMIT,
    )


def minute_added(item: MinuteItem) -> str:
    """The confirmation of a minutes item."""
    extra = []
    if item.owner:
        extra.append(f"owner: {safe(item.owner)}")
    if item.due:
        extra.append(f"due {item.due}")
    tail = f" ({'; '.join(extra)})" if extra else ""
    return clip(f"Minute {item.number}, {MINUTE_LABELS[item.kind].lower()}: {safe(item.text)}{tail}", MESSAGE_LIMIT)


def reminder(due: DueReminder, recipient: ReminderRecipient, tz: ZoneInfo, now: datetime) -> str:
    """The direct message a witness or member receives before a session."""
    session = due.session
    left = due.reminder.minutes_before
    if (now - due.reminder.due_at).total_seconds() > LATE_SECONDS:  # sent late (the bot was down): say how long
        left = max(1, round((session.starts_at - now).total_seconds() / 60))
    capacity = {"chair": "You are chairing it.", "member": "You are recorded as a member attending."}.get(
        recipient.capacity, f"You are a {recipient.capacity}."
    )
    lines = [
        f"Reminder: **{safe(session_name(session, due.inquiry_code))}** starts in {offset_text(left)}.",
        f"When: {when(session.starts_at, tz)}",
        f"Where: {place_text(session)}",
        capacity,
    ]
    if url := event_url(due.guild_id, session.event_id):
        lines.append(f"Event: {url}")
    return "\n".join(lines)


def _duration(session: Session) -> str:
    return offset_text(round((session.ends_at - session.starts_at).total_seconds() / 60))


# Listing, showing and changing sessions ------------------------------------------------------------


def state_label(session: Session) -> str:
    """``scheduled``, ``open``, ``closed (minutes: draft)``, ``closed (minutes agreed on 3 March 2026)``,
    ``cancelled``."""
    if session.status is SessionStatus.CLOSED:
        agreed = session.minutes_agreed_on
        return f"closed (minutes agreed on {long_date(agreed)})" if agreed else "closed (minutes: draft)"
    return session.status.value


def session_line(session: Session, tz: ZoneInfo, code: str | None = None) -> str:
    """One line of /session list: number, state, start, title (the inquiry's code first when there are several)."""
    prefix = f"{code} " if code else ""
    started = when(session.starts_at, tz)
    line = f"**{prefix}{session.number}** · {state_label(session)} · {started} · {safe(session.title)}"
    if session.status is SessionStatus.CANCELLED:
        line += f" — cancelled: {safe(clip(session.cancel_reason or '', 200))}"
    return line


def session_list(sessions: list[Session], codes: dict[int, str], tz: ZoneInfo) -> str:
    """The reply to /session list."""
    if not sessions:
        return "No sessions have been scheduled yet: the secretariat schedules one with /session schedule."
    several = len({s.inquiry_id for s in sessions}) > 1 or len(codes) > 1
    lines = [session_line(s, tz, codes.get(s.inquiry_id) if several else None) for s in sessions]
    lines.append("Name a session by its number in the session option (/session show session:N for its details).")
    return clip("\n".join(lines), MESSAGE_LIMIT)


def panels_text(session: Session, attendance: dict[int, WitnessAttendance] | None = None) -> list[str]:
    """``Panel 1: Sam Okafor, Chief Executive, ...; ...``, with each witness's attendance once the session has run."""
    lines = []
    for panel, witnesses in session.panels.items():
        shown = []
        for w in witnesses:
            mark = f" ({attendance[w.id].label})" if attendance and w.id in attendance else ""
            shown.append(safe(w.described) + mark)
        lines.append(f"Panel {panel}: " + "; ".join(shown))
    return lines


def overview(found: SessionOverview, tz: ZoneInfo, guild_id: int) -> str:
    """The reply to /session show."""
    session = found.session
    lines = [
        f"**{safe(session_name(session, found.inquiry_code))}** — {state_label(session)}",
        f"Starts: {when(session.starts_at, tz)}",
        f"Ends: {session.ends_at.astimezone(tz):%H:%M} ({_duration(session)})",
        f"Where: {place_text(session)}",
    ]
    if session.status is SessionStatus.CANCELLED:
        lines.append(f"Cancelled on {when(session.cancelled_at, tz)}: {safe(session.cancel_reason or '')}")
    elif url := event_url(guild_id, session.event_id):
        lines.append(f"Event: {url}")
    lines.append("Members present: " + (members_line(session) or "none recorded"))
    if session.apologies:
        lines.append("Apologies: " + ", ".join(safe(m.name) for m in session.apologies))
    lines += panels_text(session, _attendance_so_far(found)) or ["No witnesses yet."]
    declared = [declaration_line(d.name, d.interest) for d in found.declarations]
    lines.append("Declarations of interest: " + (" ".join(safe(d) for d in declared) or "none"))
    if found.minutes:
        lines.append("Minutes:")
        lines += [minute_line(item) for item in found.minutes]
    pending = [r for r in found.reminders if r.sent_at is None]
    if pending and session.status is SessionStatus.SCHEDULED:
        lines.append("Reminders: " + ", ".join(offset_text(r.minutes_before) for r in pending) + " before.")
    return clip("\n".join(lines), MESSAGE_LIMIT)


def _attendance_so_far(found: SessionOverview) -> dict[int, WitnessAttendance] | None:
    """Attendance once the session has run; while it runs, only who has given evidence or been marked."""
    session = found.session
    if session.status is SessionStatus.CLOSED:
        return found.attendance
    if session.status is not SessionStatus.OPEN:
        return None
    marked = {w.id for w in session.witnesses if w.attendance is not None}
    return {i: a for i, a in found.attendance.items() if a is WitnessAttendance.GAVE_EVIDENCE or i in marked}


def minute_line(item: MinuteItem) -> str:
    """``2. Action: Write to DCMS (owner: British Future; due 2026-01-20)`` as /session show lists it; a removed item
    struck through, with the reason."""
    extra = "; ".join(
        p for p in (f"owner: {safe(item.owner)}" if item.owner else "", f"due {item.due}" if item.due else "") if p
    )
    text = f"{item.number}. {MINUTE_LABELS[item.kind]}: {safe(item.text)}" + (f" ({extra})" if extra else "")
    if item.removed:
        return clip(f"~~{text}~~ (removed: {safe(item.removed_reason or '')})", 600)
    return clip(text + (" (corrected)" if item.edited_at else ""), 600)


def rescheduled(result: Rescheduled, code: str, tz: ZoneInfo) -> str:
    """The confirmation of /session reschedule."""
    session = result.session
    lines = [
        f"Moved **{safe(session_name(session, code))}**.",
        f"Was: {when(result.before.starts_at, tz)}",
        f"Now: {when(session.starts_at, tz)}",
        f"Ends: {session.ends_at.astimezone(tz):%H:%M} ({_duration(session)})",
    ]
    if result.reminders:
        lines.append("Reminders: " + ", ".join(offset_text(m) for m in result.reminders) + " before the new start.")
    else:
        lines.append("No reminders will be sent.")
    if result.skipped:
        lines.append("Not sent, already past: " + ", ".join(offset_text(m) + " before" for m in result.skipped) + ".")
    return "\n".join(lines)


def notice(payload: dict[str, Any], session: Session, code: str, tz: ZoneInfo, guild_id: int) -> str:
    """The direct message a change to a session owes a witness or member."""
    name = f"**{safe(session_name(session, code))}**"
    kind = payload["notice"]
    if kind == "rescheduled":
        starts = datetime.fromisoformat(payload["starts_at"])
        lines = [
            f"{name} has been moved.",
            f"It was to start {when(datetime.fromisoformat(payload['was']), tz)}.",
            f"It now starts {when(starts, tz)}.",
            f"Where: {place_text(session)}",
        ]
    elif kind == "cancelled":
        return (
            f"{name}, which was to start {when(datetime.fromisoformat(payload['starts_at']), tz)}, has been"
            f" cancelled.\nReason: {safe(clip(payload.get('reason') or '', 500))}"
        )
    elif kind == "witness_added":
        lines = [
            f"You have been invited to give oral evidence at {name}, on panel {payload['panel']}.",
            f"When: {when(session.starts_at, tz)}",
            f"Where: {place_text(session)}",
            "The secretariat can answer any questions about it.",
        ]
    elif kind == "witness_moved":
        lines = [f"You are now on panel {payload['to_panel']} of {name} (you were on panel {payload['from_panel']})."]
    elif kind == "witness_removed":
        return f"You are no longer a witness at {name}. If you think this is a mistake, please contact the secretariat."
    else:
        raise ValueError(f"unknown session notice {kind!r}")
    if url := event_url(guild_id, session.event_id):
        lines.append(f"Event: {url}")
    return "\n".join(lines)
