"""What the secretariat reads: inquiry summaries, figures, submission details, audit lines and notices to
witnesses, each kept within Discord's limits (2,000 characters a message, 4,096 an embed's description and
6,000 an embed in all). Anything cut short in a message is given whole in a text file."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import discord

from cogs._shared.documents import describe, use_words
from cogs._shared.format import clip, safe
from cogs._shared.spoken import transcript_state
from cogs.recordings._ui import duration_text
from inquiry.core.models import AuditEntry
from inquiry.evidence.content import EvidenceContent, SpokenAnswer
from inquiry.evidence.models import (
    CAPACITY_LABELS,
    PUBLICATION_LABELS,
    Publication,
    Redaction,
    Submission,
    SubmissionStatus,
)
from inquiry.inquiries.models import Inquiry, InquiryStatus, InquiryStatusReport
from inquiry.review.service import RecordingSummary

MESSAGE_BUDGET = 1900
DESCRIPTION_LIMIT = 4096
EMBED_LIMIT = 6000
FIELD_LIMIT = 1024

Names = Callable[[int | None], str]


@dataclass(frozen=True, slots=True)
class Reply:
    """A reply to the secretariat: the message, an optional embed and, when something was shortened, a file."""

    content: str
    embed: discord.Embed | None = None
    file_text: str | None = None
    filename: str = "details.txt"

    def file(self) -> discord.File | None:
        """The full text as an attachment, if the message had to be shortened."""
        if self.file_text is None:
            return None
        return discord.File(io.BytesIO(self.file_text.encode("utf-8")), filename=self.filename)


def mention(user_id: int | None) -> str:
    """Who did something, as Discord shows it (a mention renders as a name and, here, never pings)."""
    return f"<@{user_id}>" if user_id else "(no user: erased or the system)"


def stamp(moment: datetime | None, tz: ZoneInfo) -> str:
    """``14 Apr 2026 17:00 BST``: a short local time with the zone's abbreviation."""
    if moment is None:
        return "—"
    local = moment.astimezone(tz)
    return f"{local:%-d %b %Y %H:%M} {local.tzname()}"


def deadline(moment: datetime, tz: ZoneInfo) -> str:
    """The closing date in the configured zone, named, with a Discord timestamp every reader sees locally."""
    local = moment.astimezone(tz)
    return f"{local:%A %-d %B %Y, %H:%M} {local.tzname()} ({tz.key}) · <t:{int(moment.timestamp())}:F>"


def paged(header: str, lines: list[str], filename: str, *, budget: int = MESSAGE_BUDGET) -> Reply:
    """As many lines as fit in one message after ``header``; when some do not fit, all of them in a file."""
    body: list[str] = []
    size = len(header)
    for index, line in enumerate(lines):
        if size + len(line) + 1 > budget - 80:
            rest = len(lines) - index
            note = f"… and {rest} more: the whole list is in the attached {filename}."
            return Reply("\n".join([header, *body, note]), file_text="\n".join([header, *lines]), filename=filename)
        body.append(line)
        size += len(line) + 1
    return Reply("\n".join([header, *body]))


# Inquiries -------------------------------------------------------------------------------------


def status_words(inquiry: Inquiry, now: datetime) -> str:
    """Where the call for evidence stands."""
    if inquiry.status is InquiryStatus.DRAFT:
        return "Draft: the call for evidence is not open yet."
    if inquiry.status is InquiryStatus.CLOSED:
        return "Closed: no more evidence is taken."
    if inquiry.is_late(now):
        return "Open, past its closing date: evidence is still taken and marked late until you close the call."
    return "Open: taking evidence."


def question_lines(inquiry: Inquiry) -> list[str]:
    """The questions, numbered as witnesses see them."""
    return [f"**{q.position}.** {safe(q.text)}" for q in inquiry.questions]


def inquiry_summary(inquiry: Inquiry, tz: ZoneInfo, now: datetime) -> Reply:
    """``/inquiry show``: title, status, closing date, word limit, terms of reference and numbered questions."""
    questions = question_lines(inquiry) or ["No questions yet: add them with /inquiry question-add or load a template."]
    terms = safe(inquiry.terms_of_reference).strip()
    full = "\n".join([*([terms, ""] if terms else []), "**Questions**", *questions])
    embed = discord.Embed(
        title=clip(f"{inquiry.code}: {safe(inquiry.title)}", 256),
        colour=discord.Colour.dark_green() if inquiry.status is InquiryStatus.OPEN else discord.Colour.dark_grey(),
    )
    embed.add_field(name="Status", value=status_words(inquiry, now), inline=False)
    closing = deadline(inquiry.closes_at, tz) if inquiry.closes_at else "not set: /inquiry open sets it"
    embed.add_field(name="Closing date", value=closing, inline=False)
    embed.add_field(name="Word limit", value=f"{inquiry.word_limit:,} words per submission")
    if inquiry.call_channel_id and inquiry.call_message_id:
        link = f"https://discord.com/channels/{inquiry.guild_id}/{inquiry.call_channel_id}/{inquiry.call_message_id}"
        embed.add_field(name="Announcement", value=f"[the call for evidence]({link})")
    room = min(DESCRIPTION_LIMIT, EMBED_LIMIT - len(embed)) - 100
    if len(full) <= room:
        embed.description = full
        return Reply("", embed)
    embed.description = clip(full, room) + "\n*(shortened: the full text is attached)*"
    plain = f"{inquiry.code}: {inquiry.title}\n\n{inquiry.terms_of_reference}\n\n" + "\n".join(
        f"{q.position}. {q.text}" for q in inquiry.questions
    )
    return Reply("", embed, file_text=plain, filename=f"{inquiry.code}-questions.txt")


def received(report: InquiryStatusReport) -> int:
    """Submissions received (erased ones not counted)."""
    return sum(n for status, n in report.counts.items() if status != SubmissionStatus.ERASED.value)


def status_report(report: InquiryStatusReport, tz: ZoneInfo, now: datetime) -> Reply:
    """``/inquiry status``: submissions by status, late ones, drafts in progress, answers per question."""
    inquiry = report.inquiry
    by_status = " · ".join(
        f"{status.value} {report.counts.get(status.value, 0)}"
        for status in SubmissionStatus
        if status not in (SubmissionStatus.DRAFT, SubmissionStatus.ERASED)
    )
    lines = [
        f"**{inquiry.code}: {safe(inquiry.title)}**",
        status_words(inquiry, now) + (f" Closing date: {deadline(inquiry.closes_at, tz)}" if inquiry.closes_at else ""),
        f"Submissions received: **{received(report)}** ({by_status})",
        f"Late: **{report.late}** · Drafts in progress: **{report.drafts}**",
    ]
    if erased := report.counts.get(SubmissionStatus.ERASED.value):
        lines.append(f"Erased at the witness's request: {erased}")
    lines.append("**Answers per question** (withdrawn evidence not counted)")
    for question in inquiry.questions:
        count = report.answers_per_question.get(question.id, 0)
        lines.append(f"Q{question.position}: **{count}** · {clip(safe(question.text), 90)}")
    return paged(lines[0], lines[1:], f"{inquiry.code}-status.txt")


# Submissions -----------------------------------------------------------------------------------


def submission_line(submission: Submission, tz: ZoneInfo) -> str:
    """One line of ``/review list``."""
    parts = [
        f"**{submission.reference}** {submission.status.value}",
        clip(safe(submission.display_name), 60),
        submission.capacity.value if submission.capacity else "—",
        submission.publication.value if submission.publication else "—",
        f"{submission.word_count:,} words",
        f"received {stamp(submission.submitted_at, tz)}",
    ]
    return " · ".join(parts) + (" · **LATE**" if submission.late else "")


def _given(question_id: int | None, submission: Submission, content: EvidenceContent | None) -> list[str]:
    """What was given under a question (None: as statements): typed, from documents, spoken (with its state)."""
    given = []
    if question_id is not None and submission.answers.get(question_id, "").strip():
        given.append(submission.answers[question_id].strip())
    if content is None:
        return given
    for part in content.parts_for(question_id):
        given.append(f"*From the document {safe(part.document.filename)}:*\n{part.text}")
    spoken = content.spoken_for(question_id) if question_id is not None else []
    for item in spoken:
        head = f"*{item.kind_name.capitalize()} #{item.item_id}: {transcript_state(item, witness=False)}*"
        given.append(f"{head}\n{item.confirmed_text}" if item.confirmed else head)
    return given


def _answers_text(
    inquiry: Inquiry, submission: Submission, *, each: int | None, content: EvidenceContent | None = None
) -> str:
    sections = []
    for question in inquiry.questions:
        given = _given(question.id, submission, content)
        if given:
            text = "\n".join(given)
            body = safe(text) if each is None else clip(safe(text), each)
            sections.append(f"**{question.label}** {clip(safe(question.text), 120)}\n{body}")
    statements = _given(None, submission, content)
    if statements:
        text = "\n".join(statements)
        sections.append("**Statement**\n" + (safe(text) if each is None else clip(safe(text), each)))
    answered = content.answered if content is not None else lambda q: bool(submission.answers.get(q, "").strip())
    skipped = [q.label for q in inquiry.questions if not answered(q.id)]
    if skipped:
        sections.append("Not answered: " + ", ".join(skipped))
    return "\n\n".join(sections) or "No answers."


def _redaction_line(inquiry: Inquiry, redaction: Redaction, tz: ZoneInfo, names: Names, *, limit: int) -> str:
    label = next((q.label for q in inquiry.questions if q.id == redaction.question_id), "Q?")
    passage = clip(safe(redaction.passage), limit)
    reason = clip(safe(redaction.reason), limit)
    return f"{label}: “{passage}” — {reason} ({names(redaction.actor_id)}, {stamp(redaction.created_at, tz)})"


def submission_details(
    inquiry: Inquiry,
    submission: Submission,
    redactions: list[Redaction],
    tz: ZoneInfo,
    names: Names = mention,
    recordings: Sequence[RecordingSummary] = (),
    content: EvidenceContent | None = None,
) -> Reply:
    """``/review show``: every detail the secretariat holds, contact included, and the answers by question (typed,
    from documents, and spoken, with the state of each transcript)."""
    embed = discord.Embed(
        title=clip(f"{submission.reference}: {safe(submission.display_name)}", 256),
        colour=discord.Colour.orange() if submission.late else discord.Colour.blurple(),
    )
    who = safe(submission.submitter_name) or "—"
    if submission.organisation:
        who += f", on behalf of {safe(submission.organisation)}"
    embed.add_field(name="From", value=clip(who, FIELD_LIMIT), inline=False)
    embed.add_field(name="Contact (never published)", value=clip(safe(submission.contact) or "none given", 1024))
    embed.add_field(name="Capacity", value=CAPACITY_LABELS.get(submission.capacity, "—"))
    embed.add_field(name="Publication", value=PUBLICATION_LABELS.get(submission.publication, "—"))
    embed.add_field(name="Status", value=submission.status.value)
    received = stamp(submission.submitted_at, tz) + (" · **LATE** (after the closing date)" if submission.late else "")
    embed.add_field(name="Received", value=received)
    embed.add_field(name="Words", value=f"{submission.word_count:,} of {inquiry.word_limit:,}")
    if submission.decision_reason:
        embed.add_field(name="Reason recorded", value=clip(safe(submission.decision_reason), 1024), inline=False)
    if redactions:
        lines = [_redaction_line(inquiry, r, tz, names, limit=120) for r in redactions]
        embed.add_field(name=f"Redactions ({len(redactions)})", value=clip("\n".join(lines), 1024), inline=False)
    if content is not None and content.documents:
        lines = [
            f"**#{d.id}** {describe(d)}, {use_words(inquiry, d)} · SHA-256 {d.sha256[:12]}" for d in content.documents
        ]
        embed.add_field(name=f"Documents ({len(lines)})", value=clip("\n".join(lines), 1024), inline=False)
    if recordings:
        spoken = {s.item_id: s for s in content.spoken} if content is not None else {}
        lines = [recording_line(r, spoken.get(r.item_id)) for r in recordings]
        lines.append("`/retranscribe item:<number>` transcribes one again with another model.")
        embed.add_field(name=f"Recordings ({len(recordings)})", value=clip("\n".join(lines), 1024), inline=False)
    if submission.forum_thread_id:
        embed.add_field(name="Forum post", value=f"<#{submission.forum_thread_id}>")
    room = min(DESCRIPTION_LIMIT, EMBED_LIMIT - len(embed)) - 60
    answered = max(1, len(inquiry.questions) + 1 if content is not None else len(submission.answers))
    full = _answers_text(inquiry, submission, each=None, content=content)
    if len(full) <= room:
        embed.description = full
        return Reply("", embed)
    each = max(100, room // answered - 200)
    shortened = _answers_text(inquiry, submission, each=each, content=content)
    embed.description = clip(shortened, room) + "\n*(shortened: see the file)*"
    return Reply(
        f"The answers are long; {submission.reference}.txt holds them in full.",
        embed,
        file_text=submission_text(inquiry, submission, redactions, tz, content),
        filename=f"{submission.reference}.txt",
    )


RECORDING_STATES = {
    "received": "waiting for its transcript",
    "transcribed": "transcribed, not yet confirmed by the witness",
    "confirmed": "transcript confirmed by the witness",
    "failed": "could not be transcribed",
}


def recording_line(recording: RecordingSummary, spoken: SpokenAnswer | None = None) -> str:
    """``#12 · Q1 · voice, 3 min 14 s · transcript corrected by the witness · faster-whisper tiny.en: done``; a
    transcript the engine flagged reads "needs checking: <reason>" (and keeps the flag once confirmed)."""
    where = recording.question_label or "general statement"
    length = f", {duration_text(recording.duration)}" if recording.duration else ""
    state = RECORDING_STATES.get(recording.status, recording.status)
    if recording.status == "confirmed" and recording.corrected:
        state = "transcript corrected by the witness"
    if spoken is not None:
        state = transcript_state(spoken, witness=False)
    runs = "; ".join(f"{t.engine} {t.model}: {t.state}" for t in recording.transcriptions) or "no transcription"
    return f"**#{recording.item_id}** · {where} · {recording.kind}{length} · {state} · {runs}"


def submission_text(
    inquiry: Inquiry,
    submission: Submission,
    redactions: list[Redaction],
    tz: ZoneInfo,
    content: EvidenceContent | None = None,
) -> str:
    """The whole submission as plain text, for the secretariat only (contact details included)."""
    lines = [
        f"{submission.reference}: written evidence to {inquiry.code}, {inquiry.title}",
        f"From: {submission.submitter_name or '—'}"
        + (f", on behalf of {submission.organisation}" if submission.organisation else ""),
        f"Contact (never published): {submission.contact or 'none given'}",
        f"Capacity: {CAPACITY_LABELS.get(submission.capacity, '—')}",
        f"Publication: {PUBLICATION_LABELS.get(submission.publication, '—')}",
        f"Status: {submission.status.value}"
        + (f" (reason: {submission.decision_reason})" if submission.decision_reason else ""),
        f"Received: {stamp(submission.submitted_at, tz)}" + (" (LATE)" if submission.late else ""),
        f"Words: {submission.word_count:,} of {inquiry.word_limit:,}",
        "",
    ]
    for question in inquiry.questions:
        given = _given(question.id, submission, content)
        lines += [f"{question.label}. {question.text}", "\n".join(given) or "(not answered)", ""]
    if statements := _given(None, submission, content):
        lines += ["Statement", "\n".join(statements), ""]
    if redactions:
        lines.append("Redactions")
        for redaction in redactions:
            label = next((q.label for q in inquiry.questions if q.id == redaction.question_id), "Q?")
            lines.append(
                f"{label}: “{redaction.passage}” — {redaction.reason} "
                f"(user {redaction.actor_id}, {stamp(redaction.created_at, tz)})"
            )
    return "\n".join(lines)


# Audit -----------------------------------------------------------------------------------------


def audit_line(
    entry: AuditEntry, tz: ZoneInfo, names: Names = mention, references: dict[int, str] | None = None
) -> str:
    """Who, when, what and why."""
    what = entry.action
    if references and entry.submission_id in references:
        what = f"{references[entry.submission_id]} {what}"
    line = f"`{stamp(entry.at, tz)}` {names(entry.actor_id)} · **{what}**"
    if entry.detail:
        line += f" · {clip(safe(entry.detail), 300)}"
    if entry.reason:
        line += f" · reason: {clip(safe(entry.reason), 300)}"
    return line


# Notices to witnesses --------------------------------------------------------------------------


def witness_notice(inquiry: Inquiry, submission: Submission) -> str | None:
    """The direct message telling a witness about a decision on their evidence, if they are told of it."""
    head = f"Your written evidence **{submission.reference}** to the inquiry “{safe(inquiry.title)}”"
    reason = f"\nReason: {safe(submission.decision_reason)}" if submission.decision_reason else ""
    if submission.status is SubmissionStatus.ACCEPTED:
        return f"{head} has been **accepted** by the secretariat. Thank you. It can no longer be changed."
    if submission.status is SubmissionStatus.REJECTED:
        return f"{head} has **not been accepted** by the secretariat.{reason}"
    if submission.status is SubmissionStatus.PUBLISHED:
        how = "anonymously" if submission.publication is Publication.ANONYMOUS else "with your name"
        return f"{head} has been **published** {how}. Your contact details are never published."
    if submission.status is SubmissionStatus.WITHDRAWN:
        return f"{head} has been **withdrawn from publication** by the secretariat.{reason}"
    return None
