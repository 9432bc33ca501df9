"""Shared helpers for behaviour tests: a server set up with /setup, its people, and the seed inquiry.

Everything the secretariat does here goes through the real slash commands, as a user would::

    server = await set_up_server(simcord_env, simcord_bot)
    inquiry = await open_seed_inquiry(server)            # /inquiry create, /inquiry template, /inquiry open
    sub = await submit_evidence(server, "amira", "Amira Khan", {1: "..."})   # through the services
    result = await server.secretariat_runs("review accept", reference=sub.reference)

Submissions are made through ``bot.services.submissions`` (the witness's buttons are tested on their own in
``test_witness_flow.py``), then posted to the evidence forum as the witness flow does.
"""

from __future__ import annotations

from cogs._shared.forum import create_forum_post
from demo import driver
from inquiry.evidence.models import Publication, Submission
from inquiry.inquiries.models import Inquiry

SEED_CODE = "SCI"
SEED_TITLE = driver.SEED_TITLE

# One way to set up a server, shared with the demo.
Server = driver.World
set_up_server = driver.make_world


def closing_text(server: Server, *, days: float = 14) -> str:
    """A closing date ``days`` from the simulated now, written as the secretariat types it (local time)."""
    return server.closing_text(days)


async def create_inquiry(server: Server, code: str = SEED_CODE, title: str = SEED_TITLE, **options) -> Inquiry:
    """``/inquiry create`` as the secretariat; ``options`` are ``terms`` and ``word_limit``."""
    result = await server.secretariat_runs("inquiry create", code=code, title=title, **options)
    assert f"Created inquiry **{code}**" in result.response.content, result.response.content
    return await server.inquiry_now(code)


async def load_template(server: Server, code: str = SEED_CODE) -> Inquiry:
    """``/inquiry template`` (the seed inquiry's five questions) as the secretariat."""
    result = await server.secretariat_runs("inquiry template", name="social-connection", inquiry=code)
    assert "Loaded" in result.response.content, result.response.content
    return await server.inquiry_now(code)


async def open_call(server: Server, code: str = SEED_CODE, *, days: float = 14):
    """``/inquiry open`` as the secretariat, closing ``days`` from now; returns the InteractionResult."""
    return await server.secretariat_runs("inquiry open", closes=closing_text(server, days=days), inquiry=code)


async def open_seed_inquiry(server: Server, *, days: float = 14, **options) -> Inquiry:
    """Create the seed inquiry, load its five questions and open the call (announced in #call-for-evidence)."""
    await create_inquiry(server, **options)
    await load_template(server)
    result = await open_call(server, days=days)
    assert "is **open**" in result.response.content, result.response.content
    return await server.inquiry_now()


async def submit_evidence(
    server: Server,
    witness: str,
    name: str,
    answers: dict[int, str],
    *,
    organisation: str | None = None,
    contact: str | None = None,
    publication: Publication = Publication.NAMED,
    code: str = SEED_CODE,
    forum: bool = True,
) -> Submission:
    """A witness's evidence, answers keyed by question number, submitted through the services.

    With ``forum`` (the default) it is posted to the evidence forum as the witness flow posts it.
    """
    services = server.bot.services
    inquiry = await server.inquiry_now(code)
    user_id = server.witness(witness).id
    draft = await services.submissions.start_or_resume(inquiry, user_id)
    await services.submissions.set_details(
        draft.id, user_id, name=name, organisation=organisation, contact=contact or f"{witness}@example.org"
    )
    await services.submissions.set_publication(draft.id, user_id, publication)
    by_number = {q.position: q.id for q in inquiry.questions}
    for number, text in answers.items():
        await services.submissions.save_answer(draft.id, user_id, by_number[number], text)
    done = await services.submissions.submit(draft.id, user_id)
    if forum:
        await create_forum_post(server.bot, done.inquiry, done.submission)
    return await services.review.find(done.inquiry, done.submission.reference)


def dm_texts(server: Server, witness: str) -> list[str]:
    """Everything the bot has said to a witness by direct message, oldest first."""
    return [message.content for message in server.witness(witness).user.dm_channel.history()]


def forum_tags(server: Server, submission: Submission) -> set[str]:
    """The tags on a submission's forum post."""
    thread = server.bot.get_channel(submission.forum_thread_id)
    return {tag.name for tag in thread.applied_tags}


def last_callback_type(server: Server) -> int:
    """The type of the bot's latest interaction callback: 5 when it deferred (showed "thinking") first."""
    callbacks = [r for r in server.env.http_requests if r.method == "POST" and r.path.endswith("/callback")]
    return callbacks[-1].json["type"]


def reply_text(result) -> str:
    """The bot's private reply to a command (after a defer, the first follow-up), with any embed's text."""
    message = result.response
    parts = [message.content]
    for embed in message.embeds:
        parts += [embed.title or "", embed.description or ""]
        parts += [f"{f.name}: {f.value}" for f in embed.fields]
    return "\n".join(parts)
