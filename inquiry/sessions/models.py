"""Dataclasses of oral evidence sessions: the session and its place, panels, members, questions, answers,
minutes items and reminders. Services return these; cogs and the read-models for exports read them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from inquiry.core.models import Role


class PlaceKind(StrEnum):
    """Where a session is held: a Stage channel, a voice channel, or an outside link."""

    STAGE = "stage"
    VOICE = "voice"
    EXTERNAL = "external"


class SessionStatus(StrEnum):
    """Scheduled, then opened by its chair, then closed; or cancelled before it was opened (kept, with a reason)."""

    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class WitnessAttendance(StrEnum):
    """Whether a witness on a panel gave oral evidence; the minutes say so."""

    GAVE_EVIDENCE = "gave_evidence"
    NOT_CALLED = "not_called"
    ABSENT = "absent"

    @property
    def label(self) -> str:
        """``gave evidence``, ``not called``, ``absent``."""
        return self.value.replace("_", " ")


class QuestionStatus(StrEnum):
    """Before the panel, answered (moved on from), or struck from the record (kept, with a reason)."""

    OPEN = "open"
    ANSWERED = "answered"
    STRUCK = "struck"


class Attendance(StrEnum):
    """A member is present or has sent apologies."""

    PRESENT = "present"
    APOLOGY = "apology"


class MinuteKind(StrEnum):
    """Items of the formal minutes."""

    DECISION = "decision"
    ACTION = "action"
    NOTE = "note"


class CorrectionStatus(StrEnum):
    """Where an answer's text stands: spoken answers await their transcript; witnesses may propose corrections
    of transcription errors, which are kept beside the uncorrected text."""

    NONE = "none"
    AWAITING_TRANSCRIPT = "awaiting_transcript"
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting, with the inquiry roles they hold on the server (the cog reads them from Discord)."""

    user_id: int
    name: str
    roles: frozenset[Role] = frozenset()


@dataclass(frozen=True, slots=True)
class Place:
    """Where a session is held: a Stage or voice channel of the server, or an outside link."""

    kind: PlaceKind
    channel_id: int | None = None
    location: str | None = None


@dataclass(frozen=True, slots=True)
class PanelWitness:
    """A witness on a panel: a server member (``user_id``) or someone from outside, by name."""

    id: int
    session_id: int
    panel: int
    position: int
    user_id: int | None
    name: str
    role: str
    organisation: str
    attendance: WitnessAttendance | None = None  # as marked; None: the record decides

    @property
    def described(self) -> str:
        """``Sam Okafor, Chief Executive, Leeds Older People's Forum``."""
        return ", ".join(part for part in (self.name, self.role, self.organisation) if part)


@dataclass(frozen=True, slots=True)
class SessionMember:
    """A member present (the chair among them) or sending apologies."""

    session_id: int
    user_id: int
    name: str
    attendance: Attendance
    is_chair: bool
    may_ask: bool
    position: int


@dataclass(frozen=True, slots=True)
class Session:
    """An oral evidence session of an inquiry, with its panels and members."""

    id: int
    inquiry_id: int
    number: int
    title: str
    starts_at: datetime
    ends_at: datetime
    place: Place
    status: SessionStatus
    current_panel: int
    event_id: int | None
    thread_id: int | None
    opened_at: datetime | None
    closed_at: datetime | None
    created_by: int
    created_at: datetime
    witnesses: tuple[PanelWitness, ...] = ()
    members: tuple[SessionMember, ...] = ()
    cancelled_at: datetime | None = None
    cancelled_by: int | None = None
    cancel_reason: str | None = None
    minutes_agreed_on: date | None = None  # the day the committee agreed the minutes; None: a draft
    minutes_agreed_by: int | None = None
    minutes_agreed_at: datetime | None = None

    @property
    def is_live(self) -> bool:
        """Scheduled or open (not closed, not cancelled)."""
        return self.status in (SessionStatus.SCHEDULED, SessionStatus.OPEN)

    @property
    def minutes_agreed(self) -> bool:
        return self.minutes_agreed_on is not None

    @property
    def chair(self) -> SessionMember | None:
        """The member recorded as chairing this session."""
        return next((m for m in self.members if m.is_chair), None)

    @property
    def present(self) -> tuple[SessionMember, ...]:
        """Members present, the chair first."""
        return tuple(m for m in self.members if m.attendance is Attendance.PRESENT)

    @property
    def apologies(self) -> tuple[SessionMember, ...]:
        return tuple(m for m in self.members if m.attendance is Attendance.APOLOGY)

    @property
    def panels(self) -> dict[int, tuple[PanelWitness, ...]]:
        """Witnesses by panel number, in the order they were added."""
        found: dict[int, list[PanelWitness]] = {}
        for witness in self.witnesses:
            found.setdefault(witness.panel, []).append(witness)
        return {panel: tuple(found[panel]) for panel in sorted(found)}

    def member(self, user_id: int) -> SessionMember | None:
        return next((m for m in self.members if m.user_id == user_id), None)

    def witness(self, user_id: int) -> PanelWitness | None:
        return next((w for w in self.witnesses if w.user_id == user_id), None)

    def witness_by_id(self, witness_id: int) -> PanelWitness | None:
        return next((w for w in self.witnesses if w.id == witness_id), None)


@dataclass(frozen=True, slots=True)
class OralQuestion:
    """A question put to a panel; its number runs on across all the sessions of the inquiry."""

    id: int
    session_id: int
    inquiry_id: int
    number: int
    panel: int
    asked_by: int
    asker_name: str
    asker_is_chair: bool
    text: str
    status: QuestionStatus
    struck_reason: str | None
    struck_by: int | None
    struck_at: datetime | None
    message_id: int | None
    asked_at: datetime
    closed_at: datetime | None

    @property
    def label(self) -> str:
        return f"Q{self.number}"

    @property
    def asker_label(self) -> str:
        """``Chair (Holly Lynch MP)`` for the chair, the member's name otherwise."""
        return f"Chair ({self.asker_name})" if self.asker_is_chair else self.asker_name


@dataclass(frozen=True, slots=True)
class SessionAnswer:
    """What a witness (or a member) said under a question, typed or spoken."""

    id: int
    session_id: int
    question_id: int
    witness_id: int | None
    user_id: int | None
    speaker_name: str
    message_id: int | None
    spoken: bool
    attachment_name: str | None
    attachment_url: str | None
    media_item_id: int | None
    uncorrected_text: str | None
    corrected_text: str | None
    correction_status: CorrectionStatus
    created_at: datetime

    @property
    def text(self) -> str | None:
        """The text for the record: an accepted correction, otherwise what was said or typed."""
        if self.correction_status is CorrectionStatus.ACCEPTED and self.corrected_text:
            return self.corrected_text
        return self.uncorrected_text


@dataclass(frozen=True, slots=True)
class MinuteItem:
    """A numbered item of a session's formal minutes."""

    id: int
    session_id: int
    number: int
    kind: MinuteKind
    text: str
    owner: str | None
    due: str | None
    actor_id: int
    created_at: datetime
    edited_at: datetime | None = None
    edited_by: int | None = None
    removed_at: datetime | None = None
    removed_by: int | None = None
    removed_reason: str | None = None

    @property
    def removed(self) -> bool:
        return self.removed_at is not None


@dataclass(frozen=True, slots=True)
class Declaration:
    """A member's declaration of interest at a session (printed under item 1 of the minutes)."""

    id: int
    session_id: int
    user_id: int
    name: str
    interest: str
    recorded_by: int
    created_at: datetime
    updated_at: datetime | None = None
    withdrawn_at: datetime | None = None
    withdrawn_by: int | None = None

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


@dataclass(frozen=True, slots=True)
class Reminder:
    """A reminder due at a fixed time before a session; ``sent_at`` is set once."""

    id: int
    session_id: int
    minutes_before: int
    due_at: datetime
    sent_at: datetime | None
    outcome: str | None


@dataclass(frozen=True, slots=True)
class ReminderRecipient:
    """Someone a reminder goes to, and in which capacity."""

    user_id: int
    capacity: str  # "witness, panel 2" / "member" / "chair"


@dataclass(frozen=True, slots=True)
class DueReminder:
    """A reminder claimed for sending: the session as it stands and who has not been told yet."""

    reminder: Reminder
    session: Session
    guild_id: int
    inquiry_code: str
    inquiry_title: str
    recipients: tuple[ReminderRecipient, ...] = ()


@dataclass(frozen=True, slots=True)
class Intake:
    """What became of a message posted in a session's thread."""

    recorded: bool
    reason: str = ""  # why not, for the person who posted it
    answer: SessionAnswer | None = None
    question: OralQuestion | None = None


@dataclass(frozen=True, slots=True)
class Changed:
    """A change to a session, and the direct messages it owes (outbox rows, sent after the change is stored)."""

    session: Session
    notices: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Rescheduled:
    """A session moved: as it was and as it is, the reminders replanned, and who is owed a message."""

    before: Session
    session: Session
    reminders: tuple[int, ...]  # minutes before the new start, that will be sent
    skipped: tuple[int, ...]  # already past for the new start
    notices: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class SessionOverview:
    """Everything /session show tells: the session, its declarations, witnesses' attendance and minutes items
    (removed ones included, marked)."""

    session: Session
    inquiry_code: str
    declarations: tuple[Declaration, ...]
    attendance: dict[int, WitnessAttendance]  # by witness id: as marked, or as the record has it
    minutes: tuple[MinuteItem, ...]
    reminders: tuple[Reminder, ...]


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """A session with everything said in it, for the thread, the minutes and the transcript."""

    session: Session
    inquiry_code: str
    inquiry_title: str
    questions: tuple[OralQuestion, ...]
    answers: dict[int, tuple[SessionAnswer, ...]] = field(default_factory=dict)  # by question id
    minutes: tuple[MinuteItem, ...] = ()
    next_session: Session | None = None
