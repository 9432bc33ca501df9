"""The evidence forum: one post per submission, tagged with its status, capacity and publication preference."""

from __future__ import annotations

import logging

import discord

from cogs._shared.format import chunks, clip, safe
from inquiry.evidence.models import Capacity, Publication, Submission, SubmissionStatus
from inquiry.inquiries.models import Inquiry

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
        f"From: {safe(submission.submitter_name)}"
        + (f", on behalf of **{safe(submission.organisation)}**" if submission.organisation else " (individual)"),
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
        for index, piece in enumerate(chunks(safe(text), 1900 - len(header))):
            messages.append((header if index == 0 else f"**{question.label}** (continued)\n") + piece)
    return messages


async def spoken_messages(bot, inquiry: Inquiry, submission: Submission) -> list[str]:
    """Confirmed transcripts of the recordings given with the evidence."""
    labels = {q.id: q.label for q in inquiry.questions}
    messages = []
    for item in await bot.services.recordings.items_of_submission(submission.id):
        if item.status != "confirmed" or not item.confirmed_text:
            continue
        where = labels.get(item.question_id, "general statement")
        state = "corrected by the witness" if item.corrected else "confirmed by the witness"
        header = f"**{where}, spoken ({item.kind}), transcript {state}**\n"
        messages += [header + piece for piece in chunks(safe(item.confirmed_text), 1900 - len(header))]
    return messages


def _tags(forum: discord.ForumChannel, names: list[str]) -> list[discord.ForumTag]:
    by_name = {tag.name: tag for tag in forum.available_tags}
    return [by_name[name] for name in names if name in by_name][:5]


async def _forum(bot, inquiry: Inquiry) -> discord.ForumChannel | None:
    config = await bot.services.inquiries.config(inquiry.guild_id)
    channel = bot.get_channel(config.evidence_forum_id) if config and config.evidence_forum_id else None
    return channel if isinstance(channel, discord.ForumChannel) else None


async def create_forum_post(bot, inquiry: Inquiry, submission: Submission) -> discord.Thread | None:
    """Post a new submission in the evidence forum and remember the thread."""
    forum = await _forum(bot, inquiry)
    if forum is None:
        log.warning("no evidence forum for guild %s; %s not posted", inquiry.guild_id, submission.reference)
        return None
    created = await forum.create_thread(
        name=post_title(submission),
        content=post_body(inquiry, submission),
        applied_tags=_tags(forum, tag_names(submission)),
        allowed_mentions=discord.AllowedMentions.none(),
    )
    for message in answer_messages(inquiry, submission) + await spoken_messages(bot, inquiry, submission):
        await created.thread.send(message, allowed_mentions=discord.AllowedMentions.none())
    await bot.services.review.attach_forum_thread(submission, created.thread.id)
    return created.thread


async def sync_forum_post(
    bot, submission: Submission, note: str | None = None, *, file: discord.File | None = None
) -> None:
    """Bring a submission's forum post up to date: title and tags, and a note of what changed (with a file)."""
    if submission.forum_thread_id is None:
        return
    inquiry = await bot.services.inquiries.get(submission.inquiry_id)
    forum = await _forum(bot, inquiry)
    thread = bot.get_channel(submission.forum_thread_id)
    if forum is None or thread is None:
        log.info("forum post of %s is gone; not updated", submission.reference)
        return
    try:
        await thread.edit(name=post_title(submission), applied_tags=_tags(forum, tag_names(submission)))
        if note:
            await thread.send(
                safe(note), allowed_mentions=discord.AllowedMentions.none(), file=file or discord.utils.MISSING
            )
    except discord.HTTPException:
        log.warning("could not update the forum post of %s", submission.reference, exc_info=True)


async def delete_forum_post(bot, thread_id: int | None) -> None:
    """Remove a submission's forum post (on erasure)."""
    if thread_id is None:
        return
    thread = bot.get_channel(thread_id)
    if thread is None:
        try:
            thread = await bot.fetch_channel(thread_id)
        except discord.HTTPException:
            return
    try:
        await thread.delete()
    except discord.HTTPException:
        log.warning("could not delete forum post %s", thread_id, exc_info=True)
