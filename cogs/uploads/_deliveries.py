"""What the bot says on Discord about a file that arrived through the upload page (an ``UPLOAD_TAKEN`` row of the
outbox, written by whichever process took the file in): to a witness, the notice that their recording is being
transcribed (the transcript follows as for a voice message) or the document as it was read; to the secretariat, a
session recording's tracks or the reference of the evidence they entered. It wakes the transcription queue, which
runs in the bot only."""

from __future__ import annotations

import logging

import discord

from cogs._shared import documents as document_text
from cogs._shared.outbox import OutboxCog, Undeliverable, handles
from cogs._shared.spoken import duration_text
from cogs.evidence import _ui as evidence_ui
from cogs.evidence._privacy import remember_dm
from cogs.sessions._recordings import started_line
from cogs.uploads import _text as text
from inquiry.evidence.imports import Entered
from inquiry.outbox.models import OutboxKind, OutboxRow
from inquiry.uploads.intake import where_text

log = logging.getLogger(__name__)

KIND_NAMES = {"voice": "voice message", "video": "video", "audio": "recording"}


async def _user(bot, user_id: int) -> discord.User:
    return bot.get_user(user_id) or await bot.fetch_user(user_id)


@handles(OutboxKind.UPLOAD_TAKEN, "the notice of a file sent through the upload page")
async def upload_taken(bot, row: OutboxRow, sender: OutboxCog) -> str | None:
    """Tell whoever sent the file what became of it, as if they had sent it on Discord."""
    kind = row.payload["kind"]
    if kind == "recording":
        return await _recording(bot, row, sender)
    if kind == "document":
        return await _document(bot, row)
    if kind == "session":
        return await _session(bot, row)
    if kind == "post":
        return await _entered(bot, row)
    raise Undeliverable(f"an upload of an unknown kind {kind!r}")


async def _recording(bot, row: OutboxRow, sender: OutboxCog) -> str | None:
    """The notice goes first; the transcript, posted by the recordings feature, follows in the same channel."""
    payload = row.payload
    try:
        item = await bot.services.recordings.item(payload["item_id"])
        if item is None:
            return "the recording is gone"
        if not row.progress.get("notice_id"):
            _, inquiry, question = await bot.services.recordings.placement(item)
            where = where_text(inquiry, question) if inquiry else "your evidence"
            notice = text.recording_received(
                payload["filename"],
                KIND_NAMES.get(item.kind, "recording"),
                duration_text(payload["duration"]),
                where,
                duration_text(payload["estimate_seconds"]),
            )
            sent = await (await _user(bot, payload["user_id"])).send(notice)
            await bot.services.recordings.remember_notice(payload["job_id"], sent.channel.id, sent.id)
            await sender.outbox.progress(row, notice_id=sent.id)
    finally:
        bot.transcription.wake()  # whatever became of the notice, the recording is transcribed
    return None


async def _document(bot, row: OutboxRow) -> str | None:
    payload, services = row.payload, bot.services
    submission = await services.submissions.submission(payload["submission_id"])
    documents = await services.documents.of_submission(payload["submission_id"]) if submission else []
    document = next((d for d in documents if d.id == payload["document_id"]), None)
    if submission is None or document is None:
        return "the document is no longer part of the evidence"
    inquiry = await services.submissions.inquiry_of(submission)
    sent = await (await _user(bot, payload["user_id"])).send(
        "Your file arrived through the upload page.\n\n"
        + document_text.received_reply(inquiry, document, duplicate=payload.get("duplicate", False)),
        view=evidence_ui.document_view(inquiry, submission, document, in_flow=False),
    )
    await remember_dm(bot, payload["user_id"], submission.id, sent, "document")  # erased with the evidence
    return None


async def _session(bot, row: OutboxRow) -> str | None:
    payload, services = row.payload, bot.services
    try:
        recording = await services.session_recordings.recording(payload["recording_id"])
        session = await services.sessions.get(payload["session_id"])
        lines = [f"Recording {recording.id} of session {session.number}: {len(recording.tracks)} track(s)."]
        lines += [f"- {t.filename}: {t.speaker_name or 'speaker unknown'}" for t in recording.tracks]
        lines += [f"Not taken: {reason}" for reason in payload.get("refused", [])]
        lines.append(started_line(session, recording.started_offset_s, services.tz))
        lines.append("Its transcript is assembled when every track is transcribed.")
        await (await _user(bot, payload["user_id"])).send(text.session_received(recording.filename, lines))
    finally:
        bot.transcription.wake()
    return None


async def _entered(bot, row: OutboxRow) -> str | None:
    payload, services = row.payload, bot.services
    submission = await services.submissions.submission(payload["submission_id"])
    entry = await services.imports.entry_of(payload["submission_id"])
    documents = await services.documents.of_submission(payload["submission_id"]) if submission else []
    if submission is None or entry is None or not documents:
        return "the evidence is gone"
    inquiry = await services.submissions.inquiry_of(submission)
    done = Entered(submission, inquiry, documents[0], entry)
    await (await _user(bot, payload["user_id"])).send(text.entered(done, services.tz, submission.forum_thread_id))
    return None
