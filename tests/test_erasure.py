"""/privacy forget-me through SimCord: it acts on the server where it is asked (in direct messages the witness
picks the server), says before and after exactly what goes and what stays and why, deletes the forum post and the
bot's direct messages that held the evidence, keeps oral evidence for the secretariat to decide on, and tells the
secretariat in the evidence forum."""

from __future__ import annotations

import pytest

from demo.driver import SEED_TITLE, WitnessSteps, make_world
from demo.sessions_scene import set_up_session
from inquiry.evidence.models import SubmissionStatus

Q1 = "Our lunch club in Little Wardley stopped overnight."
Q1_ELSEWHERE = "The Hackney hubs matched volunteers to every street."
SESSION_ANSWER = "We rang every member of the lunch club twice a week."


@pytest.fixture
async def world(simcord_env, simcord_bot):
    return await make_world(simcord_env, simcord_bot)


async def second_server(world):
    """Another server running its own inquiry (ABC) with the same bot; returns its world."""
    other = await make_world(world.env, world.bot)
    for command, options in (
        ("inquiry create", {"code": "ABC", "title": SEED_TITLE}),
        ("inquiry template", {"name": "social-connection", "inquiry": "ABC"}),
        ("inquiry open", {"closes": other.closing_text(14), "inquiry": "ABC"}),
    ):
        await other.secretariat_runs(command, **options)
    other.inquiry = await other.inquiry_now("ABC")
    return other


def join(other, world, name: str):
    """The same person, a member of the other server too."""
    other.witnesses[name] = other.guild.add_member(world.witness(name).user)
    return other.witnesses[name]


def dm_texts(witness) -> list[str]:
    return [m.content for m in witness.user.dm_channel.history()]


async def evidence(world, reference: str):
    inquiry = await world.inquiry_now(reference[:3])
    return await world.bot.services.review.find(inquiry, reference)


async def test_forget_me_acts_on_this_server_and_says_what_goes_and_what_stays(world):
    await world.open_call()
    other = await second_server(world)
    nina = world.witness("nina")
    await WitnessSteps(world, nina).give("Nina Wardley", {1: Q1})
    await WitnessSteps(other, join(other, world, "nina")).give("Nina Wardley", {1: Q1_ELSEWHERE})
    receipts = [t for t in dm_texts(nina) if t.startswith("**Receipt")]
    assert [t.split("\n")[0] for t in receipts] == ["**Receipt: SCI0001**", "**Receipt: ABC0001**"]

    asked = await nina.slash(world.general, "privacy forget-me")
    before = asked.response.content
    assert asked.ephemeral and "Are you sure?" in before
    assert "your written evidence SCI0001" in before and "ABC0001" not in before
    assert "1 message I sent you" in before  # the receipt
    assert "the reference numbers SCI0001, marked erased" in before
    assert "only you can delete them" in before  # the witness's own messages
    assert "this acts on **Social Integration APPG** only" in before

    done = await nina.click(asked.response.message, label="Yes, erase my data")
    after = done.response.content
    assert "Done. **On Social Integration APPG I have erased:**" in after and "**I have kept:**" in after

    tomb = await evidence(world, "SCI0001")
    assert tomb.status is SubmissionStatus.ERASED and tomb.submitter_name is None and not tomb.answers
    kept = await evidence(other, "ABC0001")
    assert kept.status is SubmissionStatus.SUBMITTED and kept.submitter_name == "Nina Wardley"
    assert Q1_ELSEWHERE in kept.answers.values()
    assert [t.name for t in other.forum.threads] == ["ABC0001 — Nina Wardley"]
    assert [t.split("\n")[0] for t in dm_texts(nina) if t.startswith("**Receipt")] == ["**Receipt: ABC0001**"]

    [notice] = world.forum.threads
    assert notice.name.startswith("Erasure at a witness's request")
    told = notice.last_message.content
    assert "A witness asked to be forgotten on this server" in told and "**Erased:** SCI0001" in told
    assert "Nina" not in told and "Wardley" not in told
    assert other.forum.threads[0].name.startswith("ABC0001")  # the other server's secretariat was not told


async def test_oral_evidence_is_kept_the_witness_is_told_why_and_the_secretariat_decides(world):
    sw = await set_up_session(world)
    margaret = sw.witnesses["margaret"]
    await WitnessSteps(world, margaret).give("Margaret Ellis", {1: Q1})
    await sw.open()
    await sw.chair_does("ask", text="What issues has the COVID-19 crisis raised for socially isolated groups?")
    await margaret.send(sw.thread, SESSION_ANSWER)

    asked = await margaret.slash(world.general, "privacy forget-me")
    assert "your oral evidence in SCI session 1" in asked.response.content
    assert "part of the inquiry's published record" in asked.response.content
    done = await margaret.click(asked.response.message, label="Yes, erase my data")
    assert "your oral evidence in SCI session 1" in done.response.content

    [answer] = await world.bot.services.store.sessions.answers(sw.session_id)
    assert answer.uncorrected_text == SESSION_ANSWER and answer.speaker_name == "Margaret Ellis"
    assert (await evidence(world, "SCI0001")).status is SubmissionStatus.ERASED
    [notice] = [t for t in world.forum.threads if t.name.startswith("Erasure")]
    told = notice.last_message.content
    assert "**For your decision:**" in told and "SCI session 1" in told and "as Margaret Ellis" in told
    assert "1 answer in the thread" in told


async def test_in_direct_messages_the_witness_chooses_the_server(world):
    await world.open_call()
    other = await second_server(world)
    nina = world.witness("nina")
    await WitnessSteps(world, nina).give("Nina Wardley", {1: Q1})
    await WitnessSteps(other, join(other, world, "nina")).give("Nina Wardley", {1: Q1_ELSEWHERE})

    asked = await nina.user.slash("privacy forget-me")
    assert "Which server's inquiry should forget you?" in asked.response.content
    [menu] = [c for row in asked.response.message.components for c in row.children]
    assert sorted(int(o.value) for o in menu.options) == sorted([world.guild.id, other.guild.id])
    shown = await nina.user.select(asked.response.message, [str(other.guild.id)], custom_id=menu.custom_id)
    assert "your written evidence ABC0001" in shown.response.content and "SCI0001" not in shown.response.content
    await nina.user.click(shown.response.message, label="Yes, erase my data")
    assert (await evidence(other, "ABC0001")).status is SubmissionStatus.ERASED
    assert (await evidence(world, "SCI0001")).status is SubmissionStatus.SUBMITTED

    single = await nina.user.slash("privacy forget-me")  # one server left: straight to its confirmation
    assert "your written evidence SCI0001" in single.response.content and "Are you sure?" in single.response.content

    stranger = world.witness("stranger")
    nothing = await stranger.user.slash("privacy forget-me")
    assert nothing.response.content == "I hold no evidence from you on any server: there is nothing to erase."
