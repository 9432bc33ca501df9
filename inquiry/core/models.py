"""Dataclasses shared by every feature: the server's role mapping and the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    """The inquiry roles a server maps onto its own Discord roles."""

    CHAIR = "chair"
    SECRETARIAT = "secretariat"
    MEMBER = "member"


@dataclass(frozen=True, slots=True)
class GuildConfig:
    guild_id: int
    chair_role_id: int | None = None
    secretariat_role_id: int | None = None
    member_role_id: int | None = None
    call_channel_id: int | None = None
    evidence_forum_id: int | None = None
    sessions_channel_id: int | None = None

    def role_id(self, role: Role) -> int | None:
        """The Discord role id mapped to an inquiry role, if any."""
        return {
            Role.CHAIR: self.chair_role_id,
            Role.SECRETARIAT: self.secretariat_role_id,
            Role.MEMBER: self.member_role_id,
        }[role]


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One change to the record: who (``actor_id``, ``actor_name``), when, what (``action``, ``detail``, the value
    before and after), why (``reason``), and what it is about (``target_kind``/``target_id``; ``submission_id`` and
    ``session_id`` say which submission or session it belongs to)."""

    id: int
    inquiry_id: int | None
    submission_id: int | None
    actor_id: int | None
    action: str
    detail: str
    reason: str | None
    at: datetime
    target_kind: str | None = None
    target_id: int | None = None
    session_id: int | None = None
    before_value: str | None = None
    after_value: str | None = None
    actor_name: str | None = None
