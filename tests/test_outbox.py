"""The outbox through SimCord: what a change owes Discord (receipts, forum posts and their updates, decisions told
to witnesses) arrives even when Discord fails, after a restart too, and never twice."""

from __future__ import annotations

import logging

import pytest

from bot import build_bot
from demo.driver import WitnessSteps, make_world
from inquiry.outbox.models import MAX_ATTEMPTS, OutboxKind, OutboxState
from tests.helpers import submit_evidence

Q1 = "Older people in rural areas lost their lunch clubs overnight, and with them their only weekly contact."
Q3 = "Digital exclusion was the biggest barrier; we lent tablets and ran phone trees."


@pytest.fixture
async def world(simcord_env, simcord_bot):
    world = await make_world(simcord_env, simcord_bot)
    await world.open_call()
    return world


def posts(world) -> list[str]:
    return sorted(thread.name for thread in world.forum.threads)


def post(world, name: str):
    [thread] = [t for t in world.forum.threads if t.name == name]
    return thread


def thread_text(thread) -> str:
    return "\n".join(message.content for message in thread.history())


def receipts(witness) -> list[str]:
    channel = witness.user.dm_channel
    return [m.content for m in channel.history() if m.content.startswith("**Receipt:")] if channel else []


async def rows(world, submission_id: int = 1):
    return await world.bot.services.outbox.of_submission(submission_id)


async def test_a_receipt_that_fails_arrives_after_a_retry_and_only_once(world):
    amira = world.witness("amira")
    world.env.inject_error("POST", "/users/@me/channels", status=500, message="Discord is having a day")
    done = await WitnessSteps(world, amira).give("Amira Khan", {1: Q1})
    assert "SCI0001" in done.response.content
    assert receipts(amira) == []
    [receipt] = [r for r in await rows(world) if r.kind is OutboxKind.RECEIPT]
    assert receipt.state is OutboxState.PENDING and "500" in receipt.last_error

    await world.env.advance_time(20)  # the first retry comes 15 seconds after the failure
    assert len(receipts(amira)) == 1 and "SCI0001" in receipts(amira)[0]
    await world.env.advance_time(3600)
    assert len(receipts(amira)) == 1


async def test_a_failed_edit_of_the_witness_page_loses_neither_receipt_nor_post(world):
    amira = world.witness("amira")
    steps = WitnessSteps(world, amira)
    await steps.give("Amira Khan", {1: Q1}, submit=False)
    world.env.inject_error("PATCH", "/webhooks/*/messages/@original", status=500, message="edit failed")
    await steps.click("Submit evidence")
    assert len(receipts(amira)) == 1
    assert posts(world) == ["SCI0001 — Amira Khan"]


async def test_a_post_made_but_not_finished_is_finished_in_the_same_thread(world):
    await submit_evidence(world, "amira", "Amira Khan", {1: Q1, 3: Q3}, forum=False)
    world.env.inject_error("POST", "/channels/*/messages", status=503, message="busy")
    await world.env.settle()
    assert posts(world) == ["SCI0001 — Amira Khan"]  # the thread was made, its first answer was not sent
    assert Q1 not in thread_text(post(world, "SCI0001 — Amira Khan"))

    await world.env.advance_time(20)
    assert posts(world) == ["SCI0001 — Amira Khan"]
    text = thread_text(post(world, "SCI0001 — Amira Khan"))
    assert text.count(Q1) == 1 and text.count(Q3) == 1


async def test_a_post_made_before_its_thread_was_recorded_is_found_and_linked_not_made_again(world):
    world.env.inject_error("POST", f"/channels/{world.forum.id}/threads", status=500, message="outage")
    submission = await submit_evidence(world, "amira", "Amira Khan", {1: Q1}, forum=False)
    await world.env.settle()
    assert posts(world) == [] and submission.forum_thread_id is None
    # The post exists on Discord, but the bot stopped before it recorded which thread it made.
    forum = world.bot.get_channel(world.forum.id)
    made = await forum.create_thread(name="SCI0001 — Amira Khan", content="**SCI0001** · written evidence")

    await world.env.advance_time(20)
    assert posts(world) == ["SCI0001 — Amira Khan"]
    linked = await world.bot.services.submissions.submission(submission.id)
    assert linked.forum_thread_id == made.thread.id
    assert Q1 in thread_text(post(world, "SCI0001 — Amira Khan"))


async def test_rows_pending_at_a_restart_are_sent_once_by_the_new_bot(world, settings, store):
    amira = world.witness("amira")
    world.env.inject_error("POST", f"/channels/{world.forum.id}/threads", status=500, message="outage")
    world.env.inject_error("POST", "/users/@me/channels", status=500, message="outage")
    await WitnessSteps(world, amira).give("Amira Khan", {1: Q1})
    assert posts(world) == [] and receipts(amira) == []
    pending = [r for r in await rows(world) if r.state is OutboxState.PENDING]
    assert sorted(r.kind.value for r in pending) == ["forum_post", "receipt"]

    fresh = build_bot(settings, store)
    await world.env.restart_bot(fresh)
    world.bot = fresh
    await world.env.advance_time(20)
    assert posts(world) == ["SCI0001 — Amira Khan"] and len(receipts(amira)) == 1
    await world.env.advance_time(2 * 3600)
    assert posts(world) == ["SCI0001 — Amira Khan"] and len(receipts(amira)) == 1
    assert {r.state for r in await rows(world)} == {OutboxState.SENT}


async def test_decisions_are_retried_and_the_secretariat_is_told_how_it_went(world):
    await submit_evidence(world, "amira", "Amira Khan", {1: Q1})
    world.env.inject_error("POST", "/users/@me/channels", status=502, message="bad gateway")
    accepted = await world.secretariat_runs("review accept", reference="SCI0001")
    assert "is now **accepted**" in accepted.response.content
    assert "could not send the witness a direct message yet; I will keep trying" in accepted.response.content
    assert "Accepted by british_future." in thread_text(post(world, "SCI0001 — Amira Khan"))

    await world.env.advance_time(20)
    dms = [m.content for m in world.witness("amira").user.dm_channel.history()]
    assert len(dms) == 1 and "has been **accepted**" in dms[0]


async def test_a_failure_for_good_is_logged_and_noted_in_the_forum_post(world, caplog):
    await submit_evidence(world, "amira", "Amira Khan", {1: Q1})
    world.env.inject_error("POST", "/users/@me/channels", status=500, message="down", times=None)
    await world.secretariat_runs("review reject", reference="SCI0001", reason="Out of scope.")
    with caplog.at_level(logging.ERROR):
        for _ in range(MAX_ATTEMPTS):
            await world.env.advance_time(3600)
    [notice] = [r for r in await rows(world) if r.kind is OutboxKind.WITNESS_NOTICE]
    assert notice.state is OutboxState.FAILED and notice.attempts == MAX_ATTEMPTS
    assert "failed for good" in caplog.text
    assert "could not deliver the decision to the witness for SCI0001" in thread_text(
        post(world, "SCI0001 — Amira Khan")
    )


async def test_closed_dms_are_not_retried_and_are_noted_in_the_forum_post(world):
    await submit_evidence(world, "shy", "Shy Sheila", {1: Q1})
    dm = world.witness("shy").user.dm_channel
    world.env.inject_error(
        "POST", f"/channels/{dm.id}/messages", status=403, code=50007, message="Cannot send messages to this user"
    )
    await world.secretariat_runs("review accept", reference="SCI0001")
    [notice] = [r for r in await rows(world) if r.kind is OutboxKind.WITNESS_NOTICE]
    assert notice.state is OutboxState.FAILED and notice.attempts == 1
    assert "direct messages are closed" in thread_text(post(world, "SCI0001 — Shy Sheila"))


async def test_extra_posts_left_by_earlier_attempts_are_deleted_keeping_the_first(world):
    world.env.inject_error("POST", f"/channels/{world.forum.id}/threads", status=500, message="outage")
    submission = await submit_evidence(world, "amira", "Amira Khan", {1: Q1}, forum=False)
    await world.env.settle()
    forum = world.bot.get_channel(world.forum.id)
    first = await forum.create_thread(name="SCI0001 — Amira Khan", content="**SCI0001** · written evidence")
    await forum.create_thread(name="SCI0001 — Amira Khan", content="**SCI0001** · written evidence")

    await world.env.advance_time(20)
    assert [t.id for t in world.forum.threads] == [first.thread.id]
    assert (await world.bot.services.submissions.submission(submission.id)).forum_thread_id == first.thread.id


async def test_a_post_left_half_made_for_evidence_erased_meanwhile_is_deleted(world):
    world.env.inject_error("POST", f"/channels/{world.forum.id}/threads", status=500, message="outage")
    await submit_evidence(world, "amira", "Amira Khan", {1: Q1}, forum=False)
    await world.env.settle()
    forum = world.bot.get_channel(world.forum.id)
    await forum.create_thread(name="SCI0001 — Amira Khan", content="**SCI0001** · written evidence")
    await world.bot.services.privacy.forget(world.witness("amira").id)

    await world.env.advance_time(20)
    assert [name for name in posts(world) if name.startswith("SCI0001")] == []  # nothing shows the witness's name
    [made] = [r for r in await rows(world) if r.kind is OutboxKind.FORUM_POST]
    assert made.state is OutboxState.SENT and made.last_error == "the submission was erased before it was posted"
