"""Upload grants for the upload page: a witness's own draft, a session's recording, evidence received by post.

:class:`UploadGrantService` is the :class:`web.grants.GrantLedger` the upload page is given: every change runs in
a transaction as a conditional update and is audited. The ``grant_for_*`` methods check who may have a link for
what and write the description the page shows; the bot turns the grant into a link with ``web.UploadLinks``.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from inquiry.core.errors import InvalidInput, InvalidState, NotAllowed, NotFound
from inquiry.evidence.models import SubmissionStatus
from inquiry.store import Store
from web.grants import Grant, GrantStatus, TargetKind

log = logging.getLogger(__name__)

DEFAULT_LIFETIME = timedelta(hours=24)


class UploadGrantService:
    """Grants to send one file through the upload page, and their life: open, received, complete or refused."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock

    # The ledger the web face uses ------------------------------------------------------------------

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
        now = self.clock()
        if expires_at <= now:
            raise InvalidInput("An upload link must expire in the future.")
        grant = Grant(
            id=secrets.token_hex(16),
            user_id=user_id,
            target_kind=TargetKind(target_kind),
            target_id=target_id,
            description=description,
            created_at=now,
            expires_at=expires_at,
            guild_id=guild_id,
            question_id=question_id,
            created_by=created_by if created_by is not None else user_id,
        )
        async with self.store.transaction():
            await self.store.upload_grants.add(grant)
            await self._audit(grant, grant.created_by, "upload link issued", f"until {expires_at.isoformat()}")
        return grant

    async def get(self, grant_id: str) -> Grant | None:
        """The grant with this id, or None."""
        return await self.store.upload_grants.get(grant_id)

    async def consume(self, grant_id: str, *, filename: str, size_bytes: int) -> bool:
        """Use the grant up for a file that arrived whole; False when it was used already or has expired."""
        async with self.store.transaction():
            if not await self.store.upload_grants.consume(
                grant_id, filename=filename, size_bytes=size_bytes, now=self.clock()
            ):
                return False
            grant = await self.store.upload_grants.get(grant_id)
            await self._audit(grant, grant.user_id, "file uploaded", f"{filename} ({size_bytes:,} bytes)")
        return True

    async def mark_complete(self, grant_id: str, *, accepted: bool, message: str) -> bool:
        """Record the bot's answer on a received file; False when the grant was not waiting for one."""
        status = GrantStatus.COMPLETE if accepted else GrantStatus.REFUSED
        async with self.store.transaction():
            if not await self.store.upload_grants.finish(grant_id, status=status, message=message, now=self.clock()):
                return False
            grant = await self.store.upload_grants.get(grant_id)
            action = "uploaded file taken in" if accepted else "uploaded file refused"
            await self._audit(grant, None, action, message)
        return True

    # Grants for each kind of target -----------------------------------------------------------------

    async def grant_for_draft(
        self, user_id: int, submission_id: int, *, question_id: int | None = None, lifetime: timedelta | None = None
    ) -> Grant:
        """A witness's link to add a file to their own draft (for one question, or the whole submission)."""
        submission = await self.store.submissions.get(submission_id)
        if submission is None:
            raise NotFound("That draft no longer exists.")
        if submission.user_id != user_id:
            raise NotAllowed("You can only send files for your own evidence.")
        if submission.status is not SubmissionStatus.DRAFT:
            raise InvalidState("Files can only be added to a draft that has not been submitted.")
        inquiry = await self.store.inquiries.get(submission.inquiry_id)
        description = f"Your draft evidence to {inquiry.code}: {inquiry.title}"
        if question_id is not None:
            question = next((q for q in inquiry.questions if q.id == question_id), None)
            if question is None:
                raise NotFound("That question is not part of this inquiry.")
            description += f", question {question.position}: {_clip(question.text)}"
        return await self.create(
            user_id=user_id,
            target_kind=TargetKind.DRAFT,
            target_id=submission.id,
            question_id=question_id,
            description=description,
            expires_at=self.clock() + (lifetime or DEFAULT_LIFETIME),
            guild_id=inquiry.guild_id,
        )

    async def grant_for_session(self, user_id: int, session_id: int, *, lifetime: timedelta | None = None) -> Grant:
        """A secretariat member's link to send the recording of an oral evidence session."""
        session = await self.store.sessions.get(session_id)
        if session is None:
            raise NotFound("That session no longer exists.")
        inquiry = await self.store.inquiries.get(session.inquiry_id)
        return await self.create(
            user_id=user_id,
            target_kind=TargetKind.SESSION,
            target_id=session.id,
            description=f"The recording of session {session.number} ({_clip(session.title)}) of {inquiry.code}: "
            f"{inquiry.title}",
            expires_at=self.clock() + (lifetime or DEFAULT_LIFETIME),
            guild_id=inquiry.guild_id,
        )

    async def grant_for_post(self, user_id: int, inquiry_id: int, *, lifetime: timedelta | None = None) -> Grant:
        """A secretariat member's link to send evidence that arrived by post (a scan, a recording on a disc)."""
        inquiry = await self.store.inquiries.get(inquiry_id)
        if inquiry is None:
            raise NotFound("That inquiry no longer exists.")
        return await self.create(
            user_id=user_id,
            target_kind=TargetKind.POST,
            target_id=inquiry.id,
            description=f"Evidence received by post for {inquiry.code}: {inquiry.title}",
            expires_at=self.clock() + (lifetime or DEFAULT_LIFETIME),
            guild_id=inquiry.guild_id,
        )

    async def of_user(self, user_id: int) -> list[Grant]:
        """Every grant given to a person, oldest first."""
        return await self.store.upload_grants.of_user(user_id)

    async def _audit(self, grant: Grant, actor_id: int | None, action: str, detail: str) -> None:
        inquiry_id, submission_id = await self._subject(grant)
        await self.store.audit.record(
            inquiry_id=inquiry_id,
            submission_id=submission_id,
            actor_id=actor_id,
            action=action,
            at=self.clock(),
            detail=f"{grant.target_kind.value} #{grant.target_id}: {detail}",
        )

    async def _subject(self, grant: Grant) -> tuple[int | None, int | None]:
        """The inquiry and submission an audit entry about this grant belongs to (None where gone)."""
        if grant.target_kind is TargetKind.DRAFT:
            submission = await self.store.submissions.get(grant.target_id)
            return (submission.inquiry_id, submission.id) if submission else (None, None)
        if grant.target_kind is TargetKind.SESSION:
            session = await self.store.sessions.get(grant.target_id)
            return (session.inquiry_id if session else None), None
        inquiry = await self.store.inquiries.get(grant.target_id)
        return (inquiry.id if inquiry else None), None


def _clip(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
