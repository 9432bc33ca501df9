"""The witness's flow through SimCord: details, answers, submit, receipt and forum post, and the hard cases."""

from __future__ import annotations

import asyncio

import pytest

from bot import build_bot
from demo.driver import WitnessSteps, make_world
from inquiry.evidence.models import Publication, SubmissionStatus

Q1 = "Older people in rural areas lost their lunch clubs overnight, and with them their only weekly contact."
Q3 = "Digital exclusion was the biggest barrier; we lent tablets and ran phone trees."


@pytest.fixture
async def world(simcord_env, simcord_bot):
    return await make_world(simcord_env, simcord_bot)


async def submissions(world, status=None):
    statuses = (status,) if status else tuple(SubmissionStatus)
    return await world.bot.services.store.submissions.in_inquiry(world.inquiry.id, statuses)


def forum_posts(world):
    return {thread.name: thread for thread in world.forum.threads}


def tag_names(world, thread):
    channel = world.bot.get_channel(thread.id)
    return {tag.name for tag in channel.applied_tags}


async def test_individual_submits_gets_receipt_and_a_forum_post(world):
    await world.open_call()
    amira = world.witness("amira")
    done = await WitnessSteps(world, amira).give("Amira Khan", {1: Q1, 3: Q3})

    assert "SCI0001" in done.response.content and "not yet accepted" in done.response.content
    receipt = amira.user.dm_channel.last_message
    assert "SCI0001" in receipt.content
    assert "received, not yet accepted" in receipt.content
    copy = (await receipt.attachments[0].read()).decode()
    assert Q1 in copy and Q3 in copy and "(skipped)" in copy

    [stored] = await submissions(world)
    assert stored.status is SubmissionStatus.SUBMITTED
    assert stored.reference == "SCI0001"
    assert stored.contact == "amira@example.org"
    post = forum_posts(world)["SCI0001 — Amira Khan"]
    assert tag_names(world, post) == {"Submitted", "Individual"}
    history = "\n".join(m.content for m in post.history())
    assert Q1 in history and Q3 in history
    assert "amira@example.org" not in history


async def test_organisation_anonymous_and_confidential_are_honoured_in_the_forum(world):
    await world.open_call()
    await WitnessSteps(world, world.witness("ageuk")).give("Sam Lee", {2: "Phone befriending."}, organisation="Age UK")
    await WitnessSteps(world, world.witness("anon")).give("Jo Bloggs", {1: Q1}, publication="anonymous")
    await WitnessSteps(world, world.witness("secret")).give(
        "Pat Doe", {4: "Names of clients."}, publication="confidential"
    )

    posts = forum_posts(world)
    assert set(posts) == {"SCI0001 — Age UK", "SCI0002 — Anonymous individual", "SCI0003 — Confidential"}
    assert tag_names(world, posts["SCI0001 — Age UK"]) == {"Submitted", "Organisation"}
    assert tag_names(world, posts["SCI0002 — Anonymous individual"]) == {"Submitted", "Individual", "Anonymous"}
    assert "Confidential" in tag_names(world, posts["SCI0003 — Confidential"])
    opening = posts["SCI0002 — Anonymous individual"].history()[0].content
    assert "publish anonymously" in opening


async def test_after_the_deadline_evidence_is_taken_but_flagged_late(world):
    await world.open_call(days=1)
    await world.env.advance_time(2 * 86400)
    steps = WitnessSteps(world, world.witness("late"))
    await steps.start()
    assert "closing date has passed" in steps.last.response.content
    done = await steps.give("Late Larry", {1: Q1})
    assert "marked late" in done.response.content
    [stored] = await submissions(world)
    assert stored.late
    assert "Late" in tag_names(world, forum_posts(world)["SCI0001 — Late Larry"])
    dm = steps.witness.user.dm_channel.last_message
    assert "marked late" in dm.content


async def test_over_the_word_limit_is_refused_with_the_count_and_the_draft_kept(world):
    await world.open_call(word_limit=50)
    steps = WitnessSteps(world, world.witness("wordy"))
    long_answer = " ".join(["word"] * 80)
    await steps.give("Wordy Wendy", {1: long_answer})
    refusal = steps.last_words
    assert "80 words" in refusal and "limit is 50" in refusal and "30" in refusal
    [draft] = await submissions(world)
    assert draft.status is SubmissionStatus.DRAFT and draft.reference is None

    await steps.click("Back to the answers")
    await steps.answer(" ".join(["word"] * 40))
    await steps.click("Overview")
    await steps.click("Review and submit")
    done = await steps.click("Submit evidence")
    assert "SCI0001" in done.response.content


async def test_a_restart_mid_draft_loses_nothing(world, settings, store):
    await world.open_call()
    steps = WitnessSteps(world, world.witness("resumer"))
    await steps.start()
    await steps.details("Rita Resume", None, "rita@example.org")
    await steps.choose("individual", "named")
    await steps.click("Answer the questions")
    await steps.answer(Q1)
    shown = await steps.witness.click(steps.panel, label="Write answer")  # Q2's modal is open...

    fresh = build_bot(settings, store)
    await world.env.restart_bot(fresh)  # ...when the bot restarts.
    world.bot = fresh

    after = await steps.witness.submit_modal(shown, {"part1": "Phone trees, written after the restart."})
    assert "Question 3 of 5" in after.response.content
    resumed = await steps.start()  # coming back days later through the public button
    assert "Question 3 of 5" in resumed.response.content
    await steps.click("Overview")
    await steps.click("Review and submit")
    done = await steps.click("Submit evidence")
    assert "SCI0001" in done.response.content
    [stored] = await submissions(world)
    assert stored.submitter_name == "Rita Resume"
    assert sorted(stored.answers.values()) == sorted([Q1, "Phone trees, written after the restart."])


async def test_closed_dms_get_the_receipt_privately(world):
    await world.open_call()
    shy = world.witness("shy")
    dm = shy.user.dm_channel
    world.env.inject_error(
        "POST", f"/channels/{dm.id}/messages", status=403, code=50007, message="Cannot send messages to this user"
    )
    done = await WitnessSteps(world, shy).give("Shy Sheila", {1: Q1})
    private = done.followups[-1]
    assert private.ephemeral
    assert "SCI0001" in private.content and "received, not yet accepted" in private.content
    assert "DMs are closed" in private.content
    assert private.attachments


async def test_mentions_in_answers_never_ping(world):
    await world.open_call()
    member_role = world.guild.roles["Member"]
    sneaky = "Hello @everyone and @here, " + f"<@{world.chair.id}> <@&{member_role.id}> please read."
    await WitnessSteps(world, world.witness("pinger")).give("Pinger", {1: sneaky})
    for message in forum_posts(world)["SCI0001 — Pinger"].history():
        assert not message.mention_everyone
        assert message.mentions == [] and message.role_mentions == []
    assert "@\u200beveryone" in forum_posts(world)["SCI0001 — Pinger"].history()[1].content


async def test_every_question_may_be_skipped_but_not_all(world):
    await world.open_call()
    steps = WitnessSteps(world, world.witness("skipper"))
    await steps.give("Skip Everything", {})
    refusal = steps.last_words
    assert "at least one question" in refusal


async def test_a_long_answer_spreads_over_the_modal_inputs_and_comes_back_whole(world):
    await world.open_call(word_limit=5000)
    steps = WitnessSteps(world, world.witness("essayist"))
    part1 = ("First paragraph sentence. " * 150).strip()  # ~3,900 characters
    part2 = ("Second paragraph sentence. " * 140).strip()
    await steps.start()
    await steps.details("Essa Yist")
    await steps.click("Answer the questions")
    await steps.answer(part1, part2)
    [draft] = await submissions(world)
    assert list(draft.answers.values()) == [part1 + "\n\n" + part2]
    await steps.click("← Previous")
    reopened = await steps.witness.click(steps.panel, label="Edit answer")
    inputs = {c["custom_id"]: c.get("value") for row in reopened.modal["components"] for c in row["components"]}
    assert inputs["part1"] == part1 and inputs["part2"] == part2


async def test_closing_the_call_stops_new_evidence(world):
    inquiry = await world.open_call()
    await world.bot.services.inquiries.close_call(inquiry, world.secretariat.id)
    result = await world.witness("tardy").slash(world.general, "evidence submit")
    assert result.ephemeral and "closed" in result.response.content


async def test_fifty_concurrent_submissions_get_fifty_distinct_references(world):
    inquiry = await world.open_call()
    services = world.bot.services.submissions
    drafts = []
    for user_id in range(1000, 1050):
        draft = await services.start_or_resume(inquiry, user_id)
        await services.set_details(draft.id, user_id, name=f"Witness {user_id}", organisation=None, contact=None)
        await services.set_publication(draft.id, user_id, Publication.NAMED)
        await services.save_answer(draft.id, user_id, inquiry.questions[0].id, Q1)
        drafts.append((draft.id, user_id))
    results = await asyncio.gather(*(services.submit(sid, uid) for sid, uid in drafts))
    references = {r.submission.reference for r in results}
    assert references == {f"SCI{n:04d}" for n in range(1, 51)}


async def test_a_forum_outage_loses_no_evidence_and_the_post_comes_after_it(world, caplog):
    await world.open_call()
    world.env.inject_error("POST", f"/channels/{world.forum.id}/threads", status=500, message="outage")
    done = await WitnessSteps(world, world.witness("unlucky")).give("Una Lucky", {1: Q1})
    assert "SCI0001" in done.response.content
    [stored] = await submissions(world)
    assert stored.status is SubmissionStatus.SUBMITTED
    assert "could not deliver the forum post" in caplog.text and "500 outage" in caplog.text
    assert forum_posts(world) == {}
    await world.env.advance_time(20)  # the first retry comes 15 seconds later
    assert list(forum_posts(world)) == ["SCI0001 — Una Lucky"]
    assert Q1 in "\n".join(m.content for m in forum_posts(world)["SCI0001 — Una Lucky"].history())


async def test_submitting_from_a_second_device_changes_nothing_and_says_why(world):
    await world.open_call()
    amira = world.witness("amira")
    phone = WitnessSteps(world, amira)
    await phone.give("Amira Khan", {1: Q1}, submit=False)  # the review page, open on her phone ...
    laptop = WitnessSteps(world, amira)
    await laptop.start()  # ... and on her laptop
    await laptop.click("Overview")
    await laptop.click("Review and submit")

    await phone.click("Submit evidence")
    second = await laptop.click("Submit evidence")
    assert second.followups[-1].ephemeral
    assert second.followups[-1].content == "This evidence has already been submitted as SCI0001; nothing changed."
    [stored] = await submissions(world)
    assert stored.reference == "SCI0001"
    receipts = [m for m in amira.user.dm_channel.history() if m.content.startswith("**Receipt:")]
    assert len(receipts) == 1
    assert list(forum_posts(world)) == ["SCI0001 — Amira Khan"]
