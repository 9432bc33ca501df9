"""Upload grants: the permission behind a private upload link, and the ledger that keeps them.

A grant lets one person send one file to one target (their own draft, a session's recording, or evidence received
by post for an inquiry) until it expires. The web face keeps grants only through :class:`GrantLedger`, which the
bot's store implements, so that it knows nothing of the store behind it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Protocol


class TargetKind(StrEnum):
    """What an uploaded file joins."""

    DRAFT = "draft"  # a witness's draft submission (target id: the submission; question id optional)
    SESSION = "session"  # an oral evidence session's recording (target id: the session)
    POST = "post"  # evidence received by post for an inquiry (target id: the inquiry)


class GrantStatus(StrEnum):
    """Where a grant stands. ``OPEN`` is the only state in which a file may be sent."""

    OPEN = "open"
    RECEIVED = "received"  # the file arrived whole; the grant is used up and the bot is taking the file in
    COMPLETE = "complete"  # the bot took the file (``message`` says what it made of it)
    REFUSED = "refused"  # the bot refused the file (``message`` says why)


@dataclass(frozen=True, slots=True)
class Grant:
    """One person's permission to send one file to one target."""

    id: str
    user_id: int
    target_kind: TargetKind
    target_id: int
    description: str  # what the file will join, shown on the page ("Your evidence to SCI, question 2")
    created_at: datetime
    expires_at: datetime
    status: GrantStatus = GrantStatus.OPEN
    guild_id: int | None = None
    question_id: int | None = None
    created_by: int | None = None
    message: str | None = None  # the bot's answer once the file was taken in or refused
    filename: str | None = None
    size_bytes: int | None = None
    received_at: datetime | None = None
    finished_at: datetime | None = None

    def expired(self, now: datetime) -> bool:
        """True once the link may no longer be used to start or continue an upload."""
        return now >= self.expires_at


class GrantLedger(Protocol):
    """Where grants are kept. Every state change is conditional: it tells whether it happened."""

    async def create(
        self,
        *,
        user_id: int,
        target_kind: TargetKind,
        target_id: int,
        description: str,
        expires_at: datetime,
        guild_id: int | None = None,
        question_id: int | None = None,
        created_by: int | None = None,
    ) -> Grant:
        """Record a new open grant with an unguessable id."""
        ...

    async def get(self, grant_id: str) -> Grant | None:
        """The grant with this id, or None."""
        ...

    async def consume(self, grant_id: str, *, filename: str, size_bytes: int) -> bool:
        """Use the grant up for a file that arrived whole: OPEN and not expired -> RECEIVED. False otherwise."""
        ...

    async def mark_complete(self, grant_id: str, *, accepted: bool, message: str) -> bool:
        """Record the bot's answer: RECEIVED -> COMPLETE (accepted) or REFUSED. False when not RECEIVED."""
        ...


class UploadRefused(Exception):
    """Raised by an ``on_complete`` callback that will not take the file; its text is shown to the sender."""


OnComplete = Callable[[Grant, Path, str, int], Awaitable[str]]
"""``on_complete(grant, path, filename, size)``: take in a file that arrived whole and return the text to show.

``path`` is a complete file on the same disk as the upload folder; move it into your own storage during the call
(anything still at ``path`` afterwards is deleted). ``filename`` is the sender's file name, made safe; ``size`` its
length in bytes. Raise :class:`UploadRefused` with a reason to refuse the file.
"""
