"""A witness's own evidence: see it, change it until accepted, withdraw it, and erase it all."""

from __future__ import annotations

import pytest

from demo.driver import WitnessSteps, make_world
from inquiry.evidence.models import SubmissionStatus

Q1 = "Lunch clubs closed and isolated people lost their only weekly contact."


@pytest.fixture
async def world(simcord_env, simcord_bot):
    return await make_world(simcord_env, simcord_bot)


async def stored(world, reference):
    return await world.bot.services.review.find(world.inquiry, reference)


async def test_my_evidence_lists_and_edits_until_accepted(world):
    await world.open_call()
    maya = world.witness("maya")
    await WitnessSteps(world, maya).give("Maya Patel", {1: Q1})

    listing = await maya.slash(world.general, "my-evidence")
    assert listing.ephemeral
    assert "SCI0001" in listing.response.content and "received, not yet accepted" in listing.response.content

    steps = WitnessSteps(world, maya)
    opened = await maya.click(listing.response.message, label="Open SCI0001")
    steps.panel = opened.response.message
    assert "Submitted as **SCI0001**" in opened.response.content
    await steps.click("Continue (Q2)")
    await steps.click("← Previous")
    await steps.answer("Lunch clubs closed; we replaced them with doorstep visits.")
    after = await stored(world, "SCI0001")
    assert "doorstep visits" in next(iter(after.answers.values()))
    thread = world.forum.threads[0]
    assert "changed by the witness" in thread.last_message.content
    audit = await world.bot.services.review.audit(world.inquiry, "SCI0001")
    assert [entry.action for entry in audit] == ["submitted", "edited by witness"]

    await world.bot.services.review.accept(world.inquiry, "SCI0001", world.secretariat.id)
    refused = await maya.click(listing.response.message, label="Open SCI0001")
    assert refused.ephemeral
    again = await maya.slash(world.general, "my-evidence")
    assert "accepted" in again.response.content
    labels = [c.label for row in again.response.message.components for c in row.children]
    assert "Open SCI0001" not in labels


async def test_withdrawing_evidence(world):
    await world.open_call()
    omar = world.witness("omar")
    await WitnessSteps(world, omar).give("Omar Haddad", {2: "We phoned every tenant weekly."})
    listing = await omar.slash(world.general, "my-evidence")
    confirm = await omar.click(listing.response.message, label="Withdraw SCI0001")
    assert "cannot be undone" in confirm.response.content
    done = await omar.click(confirm.response.message, label="Yes, withdraw it")
    assert "withdrawn" in done.response.content
    assert (await stored(world, "SCI0001")).status is SubmissionStatus.WITHDRAWN
    tags = {tag.name for tag in world.bot.get_channel(world.forum.threads[0].id).applied_tags}
    assert "Withdrawn" in tags


async def test_forget_me_erases_content_keeps_a_tombstone_and_never_reuses_the_reference(world):
    await world.open_call()
    nina = world.witness("nina")
    await WitnessSteps(world, nina).give("Nina Forgetful", {1: Q1})
    steps = WitnessSteps(world, nina)
    await steps.start()
    await steps.details("Nina Forgetful", None, "nina@example.org")  # a second, unfinished draft

    asked = await nina.slash(world.general, "privacy forget-me")
    assert "Are you sure?" in asked.response.content
    done = await nina.click(asked.response.message, label="Yes, erase my data")
    assert "SCI0001" in done.response.content and "1 unfinished draft deleted" in done.response.content

    tomb = await stored(world, "SCI0001")
    assert tomb.status is SubmissionStatus.ERASED
    assert tomb.user_id is None and tomb.submitter_name is None and tomb.contact is None and not tomb.answers
    [notice] = world.forum.threads  # the post is gone; the secretariat's notice of the erasure is there
    assert notice.name.startswith("Erasure at a witness's request")
    assert await world.bot.services.submissions.of_user(nina.id) == []

    await WitnessSteps(world, world.witness("next")).give("Next Person", {1: Q1})
    assert {t.name for t in world.forum.threads} == {"SCI0002 — Next Person", notice.name}


async def test_setup_is_hidden_from_people_who_do_not_manage_the_server(world):
    visitor = world.witness("visitor")
    assert "setup" not in visitor.available_commands(world.general)
    assert "setup" in world.admin.available_commands(world.general)


async def test_setup_refuses_a_moderator_without_manage_server_even_if_the_command_is_shown(world):
    commands = {c.name: c for c in await world.bot.tree.fetch_commands()}
    world.guild.set_command_permissions(commands["setup"], {world.guild.roles["Member"]: True})
    result = await world.member.slash(world.general, "setup")
    assert result.ephemeral
    assert "administrators" in result.response.content
