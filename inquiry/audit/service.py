"""The audit service: the one way to write to the audit trail, and to read it back in pages or whole.

Services call :meth:`AuditService.record` inside the transaction of the change they audit, naming what it is about
with a :class:`Target` (a submission, a session, a recording, a minute, a redaction ...), the session or submission
it belongs to, the reason, and the value before and after where that helps::

    async with store.transaction():
        ...  # the change itself
        await audit.record(
            inquiry_id=session.inquiry_id, actor_id=actor.user_id, action="minute edited",
            target=Target.minute(item.id), session_id=session.id, reason=reason, before=old, after=new,
        )
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from inquiry.core.errors import InvalidInput, NotFound
from inquiry.core.models import AuditEntry
from inquiry.evidence.models import SubmissionStatus
from inquiry.inquiries.models import Inquiry
from inquiry.store import Store

log = logging.getLogger(__name__)

PAGE_SIZE = 12
BOT = "the bot"
KIND_WORDS = {
    "media_item": "recording",
    "answer": "answer to question",
    "oral_question": "oral question",
    "session_answer": "oral answer",
    "session_recording": "session recording",
    "session_witness": "witness",
    "session_member": "member",
    "segment": "recorded passage",
    "upload_grant": "upload link",
    "minute": "minute item",
}


class TargetKind(StrEnum):
    """What an audit entry is about."""

    INQUIRY = "inquiry"
    QUESTION = "question"  # a question of the call for evidence
    SUBMISSION = "submission"
    ANSWER = "answer"  # a written answer (its question's id)
    MEDIA_ITEM = "media_item"  # a recording given with written evidence
    DOCUMENT = "document"
    REDACTION = "redaction"
    SESSION = "session"
    SESSION_WITNESS = "session_witness"
    SESSION_MEMBER = "session_member"
    ORAL_QUESTION = "oral_question"
    SESSION_ANSWER = "session_answer"
    SESSION_RECORDING = "session_recording"
    SEGMENT = "segment"
    CORRECTION = "correction"
    MINUTE = "minute"
    DECLARATION = "declaration"
    UPLOAD_GRANT = "upload_grant"
    EXPORT = "export"
    ERASURE = "erasure"


@dataclass(frozen=True, slots=True)
class Target:
    """What an entry is about: a kind and (for most kinds) an id."""

    kind: TargetKind
    id: int | None = None

    @classmethod
    def of(cls, kind: TargetKind | str, target_id: int | None = None) -> Target:
        return cls(TargetKind(kind), target_id)


class Scope(StrEnum):
    """Which entries a page is taken from: the whole inquiry, one submission, or one session."""

    ALL = "a"
    SUBMISSION = "s"
    SESSION = "n"


@dataclass(frozen=True, slots=True)
class AuditPage:
    """One page of the audit trail, and where it stands among the others."""

    inquiry: Inquiry
    scope: Scope
    scope_id: int  # the submission's or session's id (0 for the whole inquiry)
    scope_label: str  # "SCI", "SCI0001", "session 2 of SCI"
    entries: list[AuditEntry]
    number: int
    pages: int
    total: int
    has_previous: bool
    has_next: bool
    labels: dict[tuple[str, int], str]  # (target kind, id) -> "SCI0001", "session 2"

    @property
    def oldest_first(self) -> bool:
        return self.scope is not Scope.ALL

    @property
    def first_id(self) -> int:
        return self.entries[0].id if self.entries else 0

    @property
    def last_id(self) -> int:
        return self.entries[-1].id if self.entries else 0


@dataclass(frozen=True, slots=True)
class AuditRow:
    """An entry as the CSV file shows it."""

    when: str
    who: str
    action: str
    target: str
    reason: str
    details: str


class AuditService:
    """Writes the audit trail (inside the caller's transaction) and reads it back."""

    def __init__(self, store: Store, clock: Callable[[], datetime], page_size: int = PAGE_SIZE) -> None:
        self.store = store
        self.clock = clock
        self.page_size = page_size

    # Writing ------------------------------------------------------------------------------------

    async def record(
        self,
        *,
        inquiry_id: int | None,
        action: str,
        actor_id: int | None,
        target: Target | None = None,
        submission_id: int | None = None,
        session_id: int | None = None,
        detail: str = "",
        reason: str | None = None,
        before: str | None = None,
        after: str | None = None,
        actor_name: str | None = None,
        at: datetime | None = None,
    ) -> int:
        """Record a change to the record, inside the transaction that makes it; returns the entry's id."""
        if not self.store.in_transaction:
            raise RuntimeError("an audit entry must be written in the transaction of the change it records")
        return await self.store.audit.record(
            inquiry_id=inquiry_id,
            submission_id=submission_id,
            actor_id=actor_id,
            action=action,
            at=at or self.clock(),
            detail=detail,
            reason=reason,
            target_kind=target.kind.value if target else None,
            target_id=target.id if target else None,
            session_id=session_id,
            before=before,
            after=after,
            actor_name=actor_name,
        )

    async def remember_name(self, guild_id: int, user_id: int, name: str) -> bool:
        """Note the name a person goes by on a server (the audit trail's "who"); False when known already."""
        async with self.store.transaction():
            return await self.store.audit.remember_name(guild_id, user_id, name, self.clock())

    # Reading ------------------------------------------------------------------------------------

    async def scope_of(
        self, inquiry: Inquiry, *, reference: str | None = None, session_number: int | None = None
    ) -> tuple[Scope, int]:
        """The scope named by a submission's reference or a session's number (or the whole inquiry)."""
        if reference and session_number is not None:
            raise InvalidInput("Give a submission's reference or a session's number, not both.")
        if reference:
            submission = await self.store.submissions.by_reference(inquiry.id, reference.strip().upper())
            if submission is None:
                raise NotFound(f"{inquiry.code} has no submission {reference.strip().upper()}.")
            return Scope.SUBMISSION, submission.id
        if session_number is not None:
            found = [s for s in await self.store.sessions.of_inquiry(inquiry.id) if s.number == session_number]
            if not found:
                raise NotFound(f"{inquiry.code} has no session {session_number}.")
            return Scope.SESSION, found[0].id
        return Scope.ALL, 0

    async def page(
        self, inquiry: Inquiry, scope: Scope, scope_id: int, *, beyond: int | None = None, backwards: bool = False
    ) -> AuditPage:
        """A page of entries: the first (``beyond`` None), or the one after (before, ``backwards``) the entry
        ``beyond`` in reading order. The whole inquiry reads newest first; a submission or a session, oldest first."""
        where = self._filter(scope, scope_id)
        ascending = scope is not Scope.ALL
        size, audit = self.page_size, self.store.audit
        if backwards and beyond is not None:
            entries = await audit.page(inquiry.id, **where, beyond=beyond, ascending=not ascending, limit=size)
            entries.reverse()
            if len(entries) < size:  # at the start: show a whole first page
                entries = await audit.page(inquiry.id, **where, ascending=ascending, limit=size)
        else:
            entries = await audit.page(inquiry.id, **where, beyond=beyond, ascending=ascending, limit=size)
        total = await audit.count(inquiry.id, **where)
        before = after = 0
        if entries:
            first, last = entries[0].id, entries[-1].id
            earlier, later = ("below", "above") if ascending else ("above", "below")
            before = await audit.count(inquiry.id, **where, **{earlier: first})
            after = await audit.count(inquiry.id, **where, **{later: last})
        return AuditPage(
            inquiry=inquiry,
            scope=scope,
            scope_id=scope_id,
            scope_label=await self._scope_label(inquiry, scope, scope_id),
            entries=entries,
            number=before // size + 1,
            pages=max(1, math.ceil(total / size)),
            total=total,
            has_previous=before > 0,
            has_next=after > 0,
            labels=await self.target_labels(inquiry),
        )

    async def entries(self, inquiry: Inquiry) -> list[AuditEntry]:
        """The whole trail of an inquiry, oldest first."""
        return await self.store.audit.all_of_inquiry(inquiry.id)

    async def target_labels(self, inquiry: Inquiry) -> dict[tuple[str, int], str]:
        """How targets are named: submissions by reference, sessions by number."""
        labels: dict[tuple[str, int], str] = {(TargetKind.INQUIRY.value, inquiry.id): inquiry.code}
        for submission in await self.store.submissions.in_inquiry(inquiry.id, tuple(SubmissionStatus)):
            labels[(TargetKind.SUBMISSION.value, submission.id)] = submission.reference or f"draft {submission.id}"
        for session in await self.store.sessions.of_inquiry(inquiry.id):
            labels[(TargetKind.SESSION.value, session.id)] = f"session {session.number}"
        return {**labels, **await self.store.audit.session_targets(inquiry.id)}

    async def names(self, inquiry: Inquiry) -> dict[int, str]:
        """Names to show for user ids: as seen on the server, else as recorded in the inquiry's sessions."""
        return {**await self.store.audit.session_names(inquiry.id), **await self.store.audit.names(inquiry.guild_id)}

    async def rows(self, inquiry: Inquiry, tz) -> list[AuditRow]:
        """Every entry of an inquiry, oldest first, as the CSV file shows it."""
        labels, names = await self.target_labels(inquiry), await self.names(inquiry)
        return [audit_row(entry, tz, labels, names) for entry in await self.entries(inquiry)]

    @staticmethod
    def _filter(scope: Scope, scope_id: int) -> dict[str, int]:
        if scope is Scope.SUBMISSION:
            return {"submission_id": scope_id}
        if scope is Scope.SESSION:
            return {"session_id": scope_id}
        return {}

    async def _scope_label(self, inquiry: Inquiry, scope: Scope, scope_id: int) -> str:
        if scope is Scope.SUBMISSION:
            submission = await self.store.submissions.get(scope_id)
            return (submission.reference if submission else None) or f"draft {scope_id}"
        if scope is Scope.SESSION:
            session = await self.store.sessions.get(scope_id)
            return f"session {session.number} of {inquiry.code}" if session else f"a session of {inquiry.code}"
        return inquiry.code


def target_label(entry: AuditEntry, labels: dict[tuple[str, int], str]) -> str:
    """``SCI0001``, ``session 2``, ``minute 14``: what an entry is about, in words."""
    if entry.target_kind is None:
        return ""
    if entry.target_id is None:
        return KIND_WORDS.get(entry.target_kind, entry.target_kind.replace("_", " "))
    known = labels.get((entry.target_kind, entry.target_id))
    if known:
        return known
    words = f"{KIND_WORDS.get(entry.target_kind, entry.target_kind.replace('_', ' '))} {entry.target_id}"
    session = labels.get((TargetKind.SESSION.value, entry.session_id)) if entry.session_id else None
    return f"{session}, {words}" if session else words


def who(entry: AuditEntry, names: dict[int, str]) -> str:
    """The actor's name as recorded, else as known, else their user id; ``the bot`` for its own entries."""
    if entry.actor_name:
        return entry.actor_name
    if entry.actor_id is None:
        return BOT
    return names.get(entry.actor_id) or str(entry.actor_id)


def details(entry: AuditEntry) -> str:
    """The entry's detail, with the value before and after when recorded."""
    parts = [entry.detail] if entry.detail else []
    if entry.before_value is not None:
        parts.append(f"before: {entry.before_value}")
    if entry.after_value is not None:
        parts.append(f"after: {entry.after_value}")
    return " | ".join(parts)


def audit_row(entry: AuditEntry, tz, labels: dict[tuple[str, int], str], names: dict[int, str]) -> AuditRow:
    """One entry for the CSV file: times in ISO 8601 with their offset, in the inquiry's time zone."""
    return AuditRow(
        when=entry.at.astimezone(tz).isoformat(timespec="seconds"),
        who=who(entry, names),
        action=entry.action,
        target=target_label(entry, labels),
        reason=entry.reason or "",
        details=details(entry),
    )
