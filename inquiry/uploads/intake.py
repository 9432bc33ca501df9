"""Files sent through the upload page: who may have a link for what, and what becomes of each file that arrives.

A file is taken in as its Discord counterpart would take it:

- for a witness's draft, a recording joins their evidence at the question the link was for and is queued for
  transcription (the transcript then reaches them by direct message with Confirm and Correct, as for a voice
  message); any other file is read as a document and joins their evidence as one statement;
- for a session, the recording goes through the session recording service, as with ``/session recording``;
- for evidence received by post, the file is entered by the secretariat with the details given with the link.

What Discord must then say (the notice to the witness, the document as read, the session's tracks, the new
reference) is owed through the outbox (``OutboxKind.UPLOAD_TAKEN``), so it is said whether the upload page runs
inside the bot or on its own (``evidence-bot web``): then the bot finds the rows in the database and sends them.
The transcription queue runs in the bot only; the bot wakes it as it sends the notice.
"""

from __future__ import annotations

import asyncio
import logging
import mimetypes
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from inquiry.core.errors import DomainError, InvalidState, NotFound
from inquiry.core.models import Role
from inquiry.evidence.entry import EntryDetails
from inquiry.evidence.models import Submission, SubmissionStatus
from inquiry.inquiries.models import Inquiry, Question
from inquiry.outbox.models import OutboxKind, submission_subject
from inquiry.services import Services
from inquiry.sessions.models import Actor, Session
from inquiry.sessions.recording_zip import is_media_name
from inquiry.sessions.rules import require_any
from transcription.probe import describe_bytes
from transcription.queue import MediaRefused, Received, TranscriptionService
from web.grants import Grant, TargetKind, UploadRefused

log = logging.getLogger(__name__)

Usernames = Callable[[Session], Awaitable[dict[int, set[str]]]]


def where_text(inquiry: Inquiry, question: Question | None) -> str:
    """``Q2 of your evidence to SCI``, or ``your evidence to SCI``."""
    if question is None:
        return f"your evidence to {inquiry.code}"
    return f"{question.label} of your evidence to {inquiry.code}"


def question_on_screen(inquiry: Inquiry, submission: Submission) -> Question | None:
    """The question the witness is on in the private flow (None on the overview or the review page)."""
    if 1 <= submission.step <= len(inquiry.questions):  # the review page records a step past the last
        return inquiry.questions[submission.step - 1]
    return None


class UploadIntake:
    """Upload links for drafts, sessions and evidence received by post, and the ``on_complete`` callback of the
    upload page."""

    def __init__(
        self,
        services: Services,
        transcription: TranscriptionService,
        *,
        lifetime: timedelta | None = None,
        usernames: Usernames | None = None,
    ) -> None:
        self.services = services
        self.store = services.store
        self.transcription = transcription
        self.lifetime = lifetime
        self.usernames = usernames  # Discord names of a session's people, to match track names (in the bot only)

    # Links --------------------------------------------------------------------------------------

    async def draft_link(self, user_id: int, inquiry: Inquiry, question_number: int | None = None) -> Grant:
        """A witness's link to add a file to their draft for ``inquiry``, at a question (by default the one they
        are on in the private flow)."""
        mine = [s for s in await self.services.submissions.of_user(user_id) if s.inquiry_id == inquiry.id]
        editable = [s for s in mine if s.editable_by_witness]
        if not editable:
            raise NotFound(
                f"You have no draft evidence to {inquiry.code} yet. Press **Submit evidence** under the call for"
                " evidence (or run /evidence submit) first, then ask for a link."
            )
        submission = max(editable, key=lambda s: s.updated_at)
        if question_number is None:
            question = question_on_screen(inquiry, submission)
        else:
            question = next((q for q in inquiry.questions if q.position == question_number), None)
            if question is None:
                raise NotFound(f"{inquiry.code} has no question {question_number}.")
        return await self.services.uploads.grant_for_draft(
            user_id, submission.id, question_id=question.id if question else None, lifetime=self.lifetime
        )

    async def session_link(self, actor: Actor, session: Session, offset_s: float = 0.0) -> Grant:
        """A secretariat member's link to send a session's recording (``offset_s``: when it started, in seconds
        after the session was opened)."""
        require_any(actor, (Role.SECRETARIAT,), "upload a session's recording")
        if session.opened_at is None:
            raise InvalidState("This session has not been opened, so it has no recording yet.")
        async with self.store.transaction():
            grant = await self.services.uploads.grant_for_session(actor.user_id, session.id, lifetime=self.lifetime)
            await self.store.upload_requests.add(
                grant.id, {"offset_s": offset_s, "actor_name": actor.name}, self.services.clock()
            )
        return grant

    async def post_link(self, actor_id: int, actor_name: str, inquiry: Inquiry, details: EntryDetails) -> Grant:
        """A secretariat member's link to send evidence received by post, to be entered with ``details``."""
        details = self.services.imports.check(details)
        async with self.store.transaction():
            grant = await self.services.uploads.grant_for_post(actor_id, inquiry.id, lifetime=self.lifetime)
            await self.store.upload_requests.add(
                grant.id, {"details": details.to_dict(), "actor_name": actor_name}, self.services.clock()
            )
        return grant

    # Files that arrived -------------------------------------------------------------------------

    async def take(self, grant: Grant, path: Path, filename: str, size: int) -> str:
        """The upload page's ``on_complete``: take the file in and return what to show on the page (or raise
        :class:`UploadRefused` with the reason)."""
        try:
            if grant.target_kind is TargetKind.DRAFT:
                return await self._draft(grant, path, filename, size)
            if grant.target_kind is TargetKind.SESSION:
                return await self._session(grant, path, filename, size)
            return await self._post(grant, path, filename, size)
        except (DomainError, MediaRefused) as refusal:
            log.info("upload for grant %s refused: %s", grant.id, refusal)
            raise UploadRefused(str(refusal)) from refusal

    __call__ = take

    async def _draft(self, grant: Grant, path: Path, filename: str, size: int) -> str:
        submission = await self.services.submissions.submission(grant.target_id)
        if submission is None or submission.user_id != grant.user_id:
            raise NotFound("That evidence no longer exists, so the file was not kept.")
        if not submission.editable_by_witness:
            label = submission.reference or "Your evidence"
            raise InvalidState(f"{label} is {submission.status.value}: it can no longer be changed.")
        inquiry = await self.services.submissions.inquiry_of(submission)
        question = next((q for q in inquiry.questions if q.id == grant.question_id), None)
        content_type = mimetypes.guess_type(filename)[0]
        if is_media_name(filename) or (content_type or "").split("/")[0] in ("audio", "video"):
            return await self._recording(grant, submission, inquiry, question, path, filename, size, content_type)
        return await self._document(grant, submission, path, filename, size, content_type)

    async def _recording(
        self,
        grant: Grant,
        submission: Submission,
        inquiry: Inquiry,
        question: Question | None,
        path: Path,
        filename: str,
        size: int,
        content_type: str | None,
    ) -> str:
        received = await self._queue(
            path,
            filename,
            content_type,
            user_id=grant.user_id,
            submission_id=submission.id,
            question_id=question.id if question else None,
        )
        item_id = received.item.id if received.item else received.job.item_id
        payload = {
            "kind": "recording",
            "grant_id": grant.id,
            "user_id": grant.user_id,
            "submission_id": submission.id,
            "item_id": item_id,
            "job_id": received.job.id,
            "filename": filename,
            "duration": received.duration,
            "estimate_seconds": received.estimate_seconds,
        }
        await self._owe(grant, f"recording:{item_id}", payload)
        return (
            f"Received {filename} ({describe_bytes(size)}). It is now part of {where_text(inquiry, question)}. The"
            " bot is transcribing it and will send you the transcript by direct message on Discord, to confirm or"
            " correct."
        )

    async def _queue(self, path: Path, filename: str, content_type: str | None, **where: Any) -> Received:
        """Keep the file and queue its transcription, moved from disk (never read whole into memory); the queue
        checks its size, the disk and the witness's limits first."""
        return await self.transcription.receive_path(path, filename, content_type, **where)

    async def _document(
        self, grant: Grant, submission: Submission, path: Path, filename: str, size: int, content_type: str | None
    ) -> str:
        documents = self.services.documents
        documents.check_size(filename, size, submission)
        data = await asyncio.to_thread(path.read_bytes)
        taken = await documents.receive(submission.id, grant.user_id, data, filename, content_type, source="upload")
        payload = {
            "kind": "document",
            "grant_id": grant.id,
            "user_id": grant.user_id,
            "submission_id": submission.id,
            "document_id": taken.document.id,
            "duplicate": taken.duplicate,
        }
        await self._owe(grant, submission_subject(submission.id, "upload"), payload)
        if taken.duplicate:
            return f"You sent {filename} before: it is already part of your evidence to {taken.inquiry.code}."
        return (
            f"Received {filename}: the bot read {taken.document.words:,} words and added it to your evidence to"
            f" {taken.inquiry.code} as one statement. It has sent you what it read by direct message on Discord,"
            " where you can choose how it is used."
        )

    async def _session(self, grant: Grant, path: Path, filename: str, size: int) -> str:
        session = await self.services.sessions.get(grant.target_id)
        if session is None:
            raise NotFound("That session no longer exists, so the recording was not kept.")
        request = await self.store.upload_requests.details(grant.id)
        actor = Actor(grant.user_id, request.get("actor_name") or "the secretariat", frozenset({Role.SECRETARIAT}))
        recordings = self.services.session_recordings
        recordings.check_upload(session, actor, filename, size, self.transcription.settings.max_bytes)
        usernames = await self.usernames(session) if self.usernames else None
        offset = float(request.get("offset_s") or 0.0)
        uploaded = await recordings.upload(session, actor, filename, path, self.transcription, usernames, offset)
        payload = {
            "kind": "session",
            "grant_id": grant.id,
            "user_id": grant.user_id,
            "session_id": session.id,
            "recording_id": uploaded.recording.id,
            "refused": list(uploaded.refused),
        }
        await self._owe(grant, f"session:{session.id}:upload", payload)
        tracks = len(uploaded.recording.tracks)
        text = f"Received {filename}: recording {uploaded.recording.id} of session {session.number}, {tracks} track(s)."
        if uploaded.refused:
            text += " Not taken: " + "; ".join(uploaded.refused) + "."
        return (
            text
            + " Its transcript is assembled when every track is transcribed; the bot says so in the session's thread."
        )

    async def _post(self, grant: Grant, path: Path, filename: str, size: int) -> str:
        inquiry = await self.services.inquiries.get(grant.target_id)
        if inquiry is None:
            raise NotFound("That inquiry no longer exists, so the evidence was not entered.")
        request = await self.store.upload_requests.details(grant.id)
        if "details" not in request:
            raise InvalidState("This link was not given with the evidence's details; ask the bot for a new one.")
        imports = self.services.imports
        imports.check_file(filename, size)
        entered = await imports.enter(
            inquiry,
            EntryDetails.from_dict(request["details"]),
            path,
            filename,
            actor_id=grant.user_id,
            via="upload",
            content_type=mimetypes.guess_type(filename)[0],
            actor_name=request.get("actor_name"),
        )
        submission = entered.submission
        payload = {"kind": "post", "grant_id": grant.id, "user_id": grant.user_id, "submission_id": submission.id}
        await self._owe(grant, submission_subject(submission.id, "forum"), payload)  # after its forum post
        state = "accepted" if submission.status is SubmissionStatus.ACCEPTED else "received, not yet accepted"
        return (
            f"Received {filename}: entered as {submission.reference} ({submission.word_count:,} words), {state}."
            " Its post in the evidence forum follows on Discord."
        )

    async def _owe(self, grant: Grant, subject: str, payload: dict[str, Any]) -> None:
        """Owe Discord the notice of a file taken in (sent by the bot, whichever process took the file)."""
        await self.services.outbox.owe_now(OutboxKind.UPLOAD_TAKEN, f"upload:{grant.id}", subject, payload)
