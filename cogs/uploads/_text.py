"""What the bot says about the upload page: the private links, and the files that arrived through them."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from cogs._shared.format import clip, safe, when
from inquiry.evidence.imports import Entered
from inquiry.evidence.models import SubmissionStatus
from transcription.probe import describe_bytes
from web.grants import Grant

NOT_CONFIGURED = (
    "The upload page is not set up for this bot, so I cannot give you a link. Files up to 10 MB can be sent to me by"
    " direct message; for larger ones, ask the secretariat."
)
NOT_CONFIGURED_SECRETARIAT = (
    "The upload page is not set up for this bot, so I cannot give you a link. Whoever runs the bot sets"
    " EVIDENCE_BOT_WEB_SECRET and EVIDENCE_BOT_WEB_PUBLIC_URL (see .env.example) and restarts it."
)
KEEP_IT = "It is private: it works once, for one file, and only for you. Do not share it."


def _expiry(grant: Grant, tz: ZoneInfo) -> str:
    return when(grant.expires_at, tz)


def draft_link(grant: Grant, url: str, tz: ZoneInfo, max_bytes: int, max_media_bytes: int) -> str:
    """The witness's private link for a large file."""
    return "\n".join(
        [
            f"**Your private upload link** for {safe(grant.description)}:",
            url,
            f"Open it in a browser and choose the file; it can be resumed if the connection drops. {KEEP_IT}"
            f" It expires {_expiry(grant, tz)}.",
            f"A recording (audio or video, up to {describe_bytes(max_media_bytes)}) is transcribed and the transcript"
            " sent to you here by direct message, to confirm or correct. A document (Word, OpenDocument, rich text,"
            f" plain text or PDF) is read and added as one statement. The page takes files up to"
            f" {describe_bytes(max_bytes)}.",
        ]
    )


def session_link(grant: Grant, url: str, tz: ZoneInfo, started: str) -> str:
    """The secretariat's private link for a session's recording."""
    lines = [
        f"**Upload link** for {safe(grant.description)}:",
        url,
        f"Send one audio or video file, or a zip of one track per speaker. {KEEP_IT} It expires {_expiry(grant, tz)}.",
        started,
        "When it has arrived, its tracks are transcribed and the transcript joins the record, as with"
        " /session recording.",
    ]
    return "\n".join(line for line in lines if line)


def post_link(grant: Grant, url: str, tz: ZoneInfo, who: str) -> str:
    """The secretariat's private link for evidence received by post."""
    return "\n".join(
        [
            f"**Upload link** for {safe(grant.description)}, from {safe(who)}:",
            url,
            f"Send the document (Word, OpenDocument, rich text, plain text or a PDF with a text layer). {KEEP_IT} It"
            f" expires {_expiry(grant, tz)}. When it has arrived it is entered with the next reference and posted in"
            " the evidence forum, marked as entered by the secretariat.",
        ]
    )


def entered(done: Entered, tz: ZoneInfo, thread_id: int | None) -> str:
    """The reply to /review import, and the notice of evidence entered through a link."""
    submission, entry = done.submission, done.entry
    state = "accepted" if submission.status is SubmissionStatus.ACCEPTED else "received, not yet accepted"
    lines = [
        f"**{submission.reference}** entered: {safe(submission.display_name)}, {submission.word_count:,} words,"
        f" {state}.",
        f"Received {entry.received_on:%A %-d %B %Y}" + (" (late)." if submission.late else "."),
        f"Document: {safe(done.document.filename)} ({done.document.format_name}), standing as one statement.",
    ]
    if done.over_limit:
        lines.append(f"It is over the word limit of {done.inquiry.word_limit:,}; it was entered all the same.")
    if thread_id:
        lines.append(f"Its forum post: <#{thread_id}>.")
    else:
        lines.append("Its forum post will follow as soon as Discord allows.")
    return clip("\n".join(lines), 1900)


def recording_received(filename: str, kind: str, duration: str, where: str, estimate: str) -> str:
    """The witness's notice of a recording that arrived through the upload page (as for one sent by message)."""
    return (
        f"Got your {kind} {safe(filename)} ({duration}) through the upload page. I will add it to {where} and"
        f" transcribe it now: this takes about {estimate}. I will post the transcript here for you to confirm or"
        " correct."
    )


def session_received(filename: str, lines: list[str]) -> str:
    """The secretariat's notice of a session's recording that arrived through the upload page."""
    return clip("\n".join([f"{safe(filename)} arrived through the upload page.", *lines]), 1900)
