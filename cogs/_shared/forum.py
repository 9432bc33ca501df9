"""The evidence forum: one post per submission, tagged with its status, capacity and publication preference.

Posts are made, updated and deleted by the outbox sender (the handlers below), never directly: each change to a
submission owes its forum post an update in the transaction that makes the change.
"""

from __future__ import annotations

import base64
import io
import logging
import uuid

import discord

from cogs._shared.documents import describe, use_words
from cogs._shared.format import chunks, clip, inert, safe
from cogs._shared.outbox import OutboxCog, Undeliverable, handles
from cogs._shared.spoken import spoken_line
from documents import render_numbered
from inquiry.evidence.models import Capacity, Publication, Submission, SubmissionStatus
from inquiry.inquiries.models import Inquiry
from inquiry.outbox.models import OutboxKind, OutboxRow, submission_subject

log = logging.getLogger(__name__)

STATUS_TAGS = {
    SubmissionStatus.SUBMITTED: "Submitted",
    SubmissionStatus.ACCEPTED: "Accepted",
    SubmissionStatus.REJECTED: "Rejected",
    SubmissionStatus.PUBLISHED: "Published",
    SubmissionStatus.WITHDRAWN: "Withdrawn",
}


def post_title(submission: Submission) -> str:
    """The forum post's title, honouring the publication preference."""
    if submission.publication is Publication.CONFIDENTIAL:
        who = "Confidential"
    elif submission.publication is Publication.ANONYMOUS:
        who = "Anonymous " + ("organisation" if submission.capacity is Capacity.ORGANISATION else "individual")
    else:
        who = submission.display_name
    return clip(f"{submission.reference} — {who}", 100)


def tag_names(submission: Submission) -> list[str]:
    """Status first, then late, capacity and publication."""
    names = [STATUS_TAGS.get(submission.status, "Submitted")]
    if submission.late:
        names.append("Late")
    names.append("Organisation" if submission.capacity is Capacity.ORGANISATION else "Individual")
    if submission.publication is Publication.ANONYMOUS:
        names.append("Anonymous")
    elif submission.publication is Publication.CONFIDENTIAL:
        names.append("Confidential")
    return names


def post_body(inquiry: Inquiry, submission: Submission) -> str:
    """The opening message: who, how to publish, when, words. Contact details are never posted."""
    publication = {
        Publication.NAMED: "publish with name",
        Publication.ANONYMOUS: "publish anonymously (name withheld from publication)",
        Publication.CONFIDENTIAL: "CONFIDENTIAL: not for publication",
    }[submission.publication]
    lines = [
        f"**{submission.reference}** · written evidence to {safe(inquiry.title)}",
        f"From: {inert(submission.submitter_name)}"
        + (f", on behalf of **{inert(submission.organisation)}**" if submission.organisation else " (individual)"),
        f"Publication: {publication}",
        f"Received: <t:{int(submission.submitted_at.timestamp())}:F>" + (" · **LATE**" if submission.late else ""),
        f"Words: {submission.word_count:,} of {inquiry.word_limit:,} · Status: {submission.status.value}",
        "Contact details are held by the bot and never posted; see /review show.",
    ]
    return "\n".join(lines)


def answer_messages(inquiry: Inquiry, submission: Submission) -> list[str]:
    """The answers, question by question, split to Discord's message limit."""
    messages = []
    for question in inquiry.questions:
        text = submission.answers.get(question.id)
        if not text:
            continue
        header = f"**{question.label}** {safe(question.text)}\n"
        for index, piece in enumerate(chunks(inert(text), 1900 - len(header))):
            messages.append((header if index == 0 else f"**{question.label}** (continued)\n") + piece)
    return messages


async def spoken_messages(bot, inquiry: Inquiry, submission: Submission, content=None) -> list[str]:
    """The recordings given with the evidence: each with its length and its transcript's state (a flagged one as
    "needs checking: <reason>"), and the witness's confirmed or corrected text."""
    content = content or await bot.services.submissions.content(submission)
    labels = {q.id: q.label for q in inquiry.questions}
    messages = []
    for spoken in content.spoken:
        header = f"**{spoken_line(spoken, witness=False, where=labels.get(spoken.question_id, 'general statement'))}**"
        if not spoken.confirmed:
            messages.append(header)
            continue
        header += "\n"
        messages += [header + piece for piece in chunks(inert(spoken.confirmed_text or ""), 1900 - len(header))]
    return messages


def document_messages(inquiry: Inquiry, content) -> list[str]:
    """The documents given with the evidence: what each is and how it is used, then its text (part by part)."""
    labels = {q.id: q.label for q in inquiry.questions}
    messages = []
    for document in content.documents:
        facts = f"{describe(document)}, {use_words(inquiry, document)} · SHA-256 {document.sha256[:12]}"
        messages.append(f"**📄 Document: {facts}**\nThe original file is kept by the bot.")
        for part in document.parts():
            where = labels.get(part.question_id, "Statement") if part.question_id else "Statement"
            header = f"**{where}** (from {inert(document.filename)})\n"
            text = inert(render_numbered(part.blocks))
            messages += [header + piece for piece in chunks(text, 1900 - len(header)) if piece.strip()]
    return messages


def _tags(forum: discord.ForumChannel, names: list[str]) -> list[discord.ForumTag]:
    by_name = {tag.name: tag for tag in forum.available_tags}
    return [by_name[name] for name in names if name in by_name][:5]


async def _forum(bot, inquiry: Inquiry) -> discord.ForumChannel | None:
    config = await bot.services.inquiries.config(inquiry.guild_id)
    channel = bot.get_channel(config.evidence_forum_id) if config and config.evidence_forum_id else None
    return channel if isinstance(channel, discord.ForumChannel) else None


async def create_forum_post(bot, inquiry: Inquiry, submission: Submission) -> discord.Thread | None:
    """Make a submission's forum post now (through its outbox row, so never twice); the thread, if there is one."""
    row = await bot.services.outbox.latest(submission.id, OutboxKind.FORUM_POST)
    if row is not None:
        await bot.get_cog("OutboxCog").deliver_now(row.id)
    current = await bot.services.submissions.submission(submission.id)
    if current is None or current.forum_thread_id is None:
        return None
    return bot.get_channel(current.forum_thread_id)


async def sync_forum_post(
    bot, submission: Submission, note: str | None = None, *, file: discord.File | None = None
) -> None:
    """Owe a submission's forum post an update: title and tags, and a note of what changed (with a file).

    For changes committed elsewhere; a service that changes a submission owes the update in its own transaction.
    """
    if submission.reference is None:
        return
    payload: dict = {"submission_id": submission.id, "note": note}
    if file is not None:
        file.fp.seek(0)
        payload["file"] = {"name": file.filename, "data": base64.b64encode(file.fp.read()).decode("ascii")}
    key = f"forum-note:{submission.id}:{uuid.uuid4().hex}"
    subject = submission_subject(submission.id, "forum")
    await bot.services.outbox.owe_now(OutboxKind.FORUM_UPDATE, key, subject, payload)


# The outbox handlers -------------------------------------------------------------------------------


async def _thread(bot, thread_id: int):
    return bot.get_channel(thread_id) or await bot.fetch_channel(thread_id)


async def _actor_name(bot, guild_id: int, actor_id: int | None) -> str:
    if actor_id is None:
        return "the secretariat"
    guild = bot.get_guild(guild_id)
    member = guild.get_member(actor_id) if guild else None
    try:
        if member is None and guild is not None:
            member = await guild.fetch_member(actor_id)
        return member.display_name if member else (await bot.fetch_user(actor_id)).name
    except discord.HTTPException:
        return f"user {actor_id}"


def _bots_posts(bot, forum: discord.ForumChannel, submission: Submission) -> list[discord.Thread]:
    """Posts the bot made in the forum for this submission (its reference starts their title), oldest first."""
    prefix = f"{submission.reference} "
    found = [t for t in forum.threads if t.name.startswith(prefix) and t.owner_id == bot.user.id]
    return sorted(found, key=lambda t: t.id)


async def _adopt_or_clear(bot, row: OutboxRow, forum, submission: Submission, sender: OutboxCog) -> int | None:
    """After an attempt that may have made a post without recording it: link the oldest such post and delete
    any others, so there is never a second post (nor an orphan showing the witness's name)."""
    posts = _bots_posts(bot, forum, submission)
    if not posts:
        return None
    keep, extra = posts[0], posts[1:]
    _, linked = await sender.outbox.link_forum_post(row, submission.id, keep.id)
    if not linked:
        extra = posts
    for thread in extra:
        log.info("deleting an extra forum post %s of %s", thread.id, submission.reference)
        await thread.delete()
    return keep.id if linked else None


async def _delete_leftovers(bot, row: OutboxRow, forum, submission: Submission | None) -> None:
    """An erased submission's post made by an earlier attempt (recorded, or found by its reference) is deleted."""
    found = {row.progress["thread_id"]} if row.progress.get("thread_id") else set()
    if forum is not None and submission is not None and submission.reference and row.attempts > 1:
        found |= {t.id for t in _bots_posts(bot, forum, submission)}
    for thread_id in found:
        try:
            await (await _thread(bot, thread_id)).delete()
        except discord.NotFound:
            continue


@handles(OutboxKind.FORUM_POST, "the forum post")
async def make_post(bot, row: OutboxRow, sender: OutboxCog) -> str | None:
    """Post a submission in the evidence forum, once: the thread is recorded before anything else is sent."""
    submission = await bot.services.submissions.submission(row.payload["submission_id"])
    inquiry = await bot.services.inquiries.get(submission.inquiry_id) if submission else None
    forum = await _forum(bot, inquiry) if inquiry else None
    if submission is None or submission.status is SubmissionStatus.ERASED:
        await _delete_leftovers(bot, row, forum, submission)
        return "the submission was erased before it was posted"
    if forum is None:
        raise Undeliverable("this server has no evidence forum (an administrator runs /setup)")
    thread_id = row.progress.get("thread_id") or submission.forum_thread_id
    if thread_id is None and row.attempts > 1:
        thread_id = await _adopt_or_clear(bot, row, forum, submission, sender)
        row = await sender.outbox.get(row.id)
    if thread_id is None:
        created = await forum.create_thread(
            name=post_title(submission),
            content=post_body(inquiry, submission),
            applied_tags=_tags(forum, tag_names(submission)),
            allowed_mentions=discord.AllowedMentions.none(),
        )
        row, linked = await sender.outbox.link_forum_post(row, submission.id, created.thread.id)
        if linked:
            row = await sender.outbox.progress(row, opening_id=created.message.id)
        if not linked:
            await created.thread.delete()
            return "the submission was erased or posted meanwhile; the extra post was deleted"
        thread_id = created.thread.id
    thread = await _thread(bot, thread_id)
    content = await bot.services.submissions.content(submission)
    messages = (
        answer_messages(inquiry, submission)
        + document_messages(inquiry, content)
        + await spoken_messages(bot, inquiry, submission, content)
    )
    for index in range(row.progress.get("messages", 0), len(messages)):
        await thread.send(messages[index], allowed_mentions=discord.AllowedMentions.none())
        row = await sender.outbox.progress(row, messages=index + 1)
    return None


@handles(OutboxKind.FORUM_UPDATE, "an update of the forum post")
async def update_post(bot, row: OutboxRow, sender: OutboxCog) -> str | None:
    """Bring a forum post's title and tags up to date with its submission, and add the note of what changed."""
    submission = await bot.services.submissions.submission(row.payload["submission_id"])
    if submission is None or submission.status is SubmissionStatus.ERASED:
        return "the submission was erased"
    if submission.forum_thread_id is None:
        return "the submission has no forum post"
    inquiry = await bot.services.inquiries.get(submission.inquiry_id)
    forum = await _forum(bot, inquiry)
    if forum is None:
        raise Undeliverable("this server has no evidence forum")
    try:
        thread = await _thread(bot, submission.forum_thread_id)
    except discord.NotFound:
        raise Undeliverable("the forum post was deleted") from None
    title, tags = post_title(submission), _tags(forum, tag_names(submission))
    if thread.name != title or {t.id for t in thread.applied_tags} != {t.id for t in tags}:
        await thread.edit(name=title, applied_tags=tags, archived=False)
    await _refresh_opening(bot, thread, submission.id, post_body(inquiry, submission))
    note = row.payload.get("note")
    if note and not row.progress.get("noted"):
        if "{actor}" in note:
            note = note.replace("{actor}", await _actor_name(bot, inquiry.guild_id, row.payload.get("actor_id")))
        attachment = row.payload.get("file")
        file = (
            discord.File(io.BytesIO(base64.b64decode(attachment["data"])), filename=attachment["name"])
            if attachment
            else discord.utils.MISSING
        )
        await thread.send(clip(safe(note), 2000), allowed_mentions=discord.AllowedMentions.none(), file=file)
        await sender.outbox.progress(row, noted=True)
    return None


async def _refresh_opening(bot, thread: discord.Thread, submission_id: int, body: str) -> None:
    """Keep the post's opening message (who, publication, status, words) true to the submission."""
    made = await bot.services.outbox.latest(submission_id, OutboxKind.FORUM_POST)
    opening_id = (made.progress.get("opening_id") if made else None) or thread.id  # on Discord: the thread's id
    try:
        opening = await thread.fetch_message(opening_id)
    except discord.NotFound:
        return  # the opening message was deleted; the notes still say what changed
    if opening.author.id == bot.user.id and opening.content != body:
        await opening.edit(content=body, allowed_mentions=discord.AllowedMentions.none())


@handles(OutboxKind.FORUM_DELETE, "the deletion of a forum post")
async def delete_post(bot, row: OutboxRow, sender: OutboxCog) -> str | None:
    """Remove a forum post (its submission was erased)."""
    try:
        thread = await _thread(bot, row.payload["thread_id"])
        await thread.delete()
    except discord.NotFound:
        return "it was gone already"
    return None
