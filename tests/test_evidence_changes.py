"""Changes to evidence after it was sent reach the secretariat's forum post and the audit log; a change that would
go over the word limit is kept, not lost, and not sent until it fits."""

from __future__ import annotations

import pytest

from demo.driver import WitnessSteps, make_world
from inquiry.evidence.models import SubmissionStatus

Q1 = "Lunch clubs closed and isolated people lost their only weekly contact."


@pytest.fixture
async def world(simcord_env, simcord_bot):
    return await make_world(simcord_env, simcord_bot)


async def stored(world, reference="SCI0001"):
    return await world.bot.services.review.find(world.inquiry, reference)


async def reopen(world, witness) -> WitnessSteps:
    """/my-evidence, then Open SCI0001: the overview of the sent evidence."""
    listing = await witness.slash(world.general, "my-evidence")
    steps = WitnessSteps(world, witness)
    steps.last = await witness.click(listing.response.message, label="Open SCI0001")
    steps.panel = steps.last.response.message
    return steps


def the_post(world):
    [thread] = world.forum.threads
    return world.bot.get_channel(thread.id)


def tags(world) -> set[str]:
    return {tag.name for tag in the_post(world).applied_tags}


def post_text(world) -> str:
    return "\n".join(m.content for m in world.forum.threads[0].history())


async def audit(world):
    return await world.bot.services.review.audit(world.inquiry, "SCI0001")


async def test_switching_to_confidential_after_sending_hides_the_name_in_the_forum_and_is_audited(world):
    await world.open_call()
    amira = world.witness("amira")
    await WitnessSteps(world, amira).give("Amira Khan", {1: Q1})
    assert the_post(world).name == "SCI0001 — Amira Khan"

    steps = await reopen(world, amira)
    await steps.choose(publication="confidential")
    assert the_post(world).name == "SCI0001 — Confidential"
    assert "Amira" not in the_post(world).name
    assert tags(world) == {"Submitted", "Individual", "Confidential"}
    assert "publication: Publish with my name → Confidential (do not publish)" in post_text(world)
    assert "Publication: CONFIDENTIAL: not for publication" in world.forum.threads[0].history()[0].content
    [entry] = [e for e in await audit(world) if e.action == "details changed by witness"]
    assert entry.actor_id == amira.id
    assert entry.detail == "publication: Publish with my name → Confidential (do not publish)"


async def test_organisation_and_capacity_changes_reach_the_post_and_the_audit(world):
    await world.open_call()
    sam = world.witness("sam")
    await WitnessSteps(world, sam).give("Sam Lee", {1: Q1})
    steps = await reopen(world, sam)
    asked = await steps.choose(capacity="organisation")  # the form opens to name the organisation
    steps.last = await sam.submit_modal(asked, {"name": "Sam Lee", "organisation": "Age UK Leeds", "contact": ""})
    assert the_post(world).name == "SCI0001 — Age UK Leeds"
    assert tags(world) == {"Submitted", "Organisation"}
    text = post_text(world)
    assert "capacity: As an individual → On behalf of an organisation" in text
    assert "organisation: (none) → Age UK Leeds" in text
    details = [e.detail for e in await audit(world) if e.action == "details changed by witness"]
    assert any("organisation: (none) → Age UK Leeds" in d for d in details)

    await steps.details("Sam Lee", "Age UK Leeds", "sam.lee@example.org")  # contact details: audited, never shown
    assert "sam.lee@example.org" not in post_text(world)
    last = (await audit(world))[-1]
    assert last.detail == "contact details changed (never shown)"


async def test_an_edit_and_a_withdrawal_are_noted_in_the_post_with_before_and_after(world):
    await world.open_call()
    maya = world.witness("maya")
    await WitnessSteps(world, maya).give("Maya Patel", {1: Q1})
    steps = await reopen(world, maya)
    await steps.click("Continue (Q2)")
    await steps.answer("We phoned every tenant weekly.")
    assert "Q2 was changed by the witness:\nWe phoned every tenant weekly." in post_text(world)
    edit = (await audit(world))[-1]
    assert (edit.action, edit.detail) == ("edited by witness", "Q2; 11 → 16 words")

    listing = await maya.slash(world.general, "my-evidence")
    confirm = await maya.click(listing.response.message, label="Withdraw SCI0001")
    await maya.click(confirm.response.message, label="Yes, withdraw it")
    assert "Withdrawn" in tags(world)
    assert "SCI0001 was withdrawn by the witness." in post_text(world)
    assert (await audit(world))[-1].detail == "submitted → withdrawn"


async def test_an_edit_over_the_limit_is_kept_unsent_until_it_fits(world):
    await world.open_call(word_limit=50)
    wendy = world.witness("wendy")
    sent_answer = " ".join(["word"] * 40)
    await WitnessSteps(world, wendy).give("Wordy Wendy", {1: sent_answer})
    forum_before = post_text(world)

    steps = await reopen(world, wendy)
    await steps.click("Continue (Q2)")
    await steps.click("← Previous")
    too_long = " ".join(["longer"] * 80)
    await steps.answer(too_long)
    said = steps.last.response.content
    assert (
        "Your change is kept but not sent: it would take your evidence to 80 words, over the limit of 50."
        " Shorten it and press Send changes." in said
    )
    assert "Question 1 of 5" in said  # still on the question, to shorten it
    submission = await stored(world)
    assert list(submission.answers.values()) == [sent_answer]  # the sent version is unchanged
    assert list(submission.pending_answers.values()) == [too_long]  # and the change is not lost
    assert submission.word_count == 40
    assert post_text(world) == forum_before  # nothing was sent to the secretariat
    assert [e.action for e in await audit(world)] == ["submitted"]

    # Reopened later, the change is still there, and the form holds it to shorten.
    steps = await reopen(world, wendy)
    assert "kept but not sent" in steps.last.response.content
    refused = await steps.click("Send changes")
    assert refused.ephemeral and "over the limit of 50" in refused.response.content
    await steps.click("Continue (Q2)")
    await steps.click("← Previous")
    shown = await wendy.click(steps.panel, label="Edit answer")
    assert shown.modal["components"][0]["components"][0]["value"] == too_long
    shorter = " ".join(["shorter"] * 45)
    steps.last = await wendy.submit_modal(shown, {"part1": shorter})

    submission = await stored(world)
    assert list(submission.answers.values()) == [shorter] and submission.pending_answers == {}
    assert submission.word_count == 45
    assert "kept but not sent" not in steps.last.response.content
    assert f"Q1 was changed by the witness:\n{shorter}" in post_text(world)
    assert [e.detail for e in await audit(world)][-1] == "Q1; 40 → 45 words"


async def test_unsent_changes_can_be_discarded(world):
    await world.open_call(word_limit=50)
    wendy = world.witness("wendy")
    await WitnessSteps(world, wendy).give("Wordy Wendy", {1: "Forty words " * 20})
    steps = await reopen(world, wendy)
    await steps.click("Continue (Q2)")
    await steps.answer(" ".join(["more"] * 30))
    assert "it would take your evidence to 70 words" in steps.last.response.content
    await steps.click("Overview")
    dropped = await steps.click("Discard changes")
    assert "Your unsent changes were dropped." in dropped.response.content
    submission = await stored(world)
    assert submission.pending_answers == {} and len(submission.answers) == 1
    assert submission.status is SubmissionStatus.SUBMITTED
