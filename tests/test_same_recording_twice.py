"""The same recording sent twice, through SimCord with the real queue and Whisper model: by another witness, or by
the same witness for another question. Each recording has its own notice, transcript and Confirm; the file is
transcribed once and the result reused; one witness's erasure leaves the other's recording and file alone."""

from __future__ import annotations

import pytest

from demo.driver import WitnessSteps, make_world
from transcription.synth import spoken_samples, write_media

SAID = "Volunteers rang every isolated neighbour twice a week during the first lockdown."

pytestmark = [pytest.mark.slow, pytest.mark.simcord(settle_timeout=180)]


async def on_q1(world, name: str, full_name: str) -> WitnessSteps:
    steps = WitnessSteps(world, world.witness(name))
    await steps.start()
    await steps.details(full_name)
    await steps.click("Answer the questions")
    return steps


def dm_log(steps) -> list[tuple[int, str]]:
    return [(m.id, m.content) for m in steps.dm.history()]


async def test_the_same_file_from_two_witnesses_and_for_two_questions(simcord_env, simcord_bot, tmp_path):
    world = await make_world(simcord_env, simcord_bot)
    await world.open_call()
    store = world.bot.services.store
    margaret = await on_q1(world, "margaret", "Margaret Ellis")
    omar = await on_q1(world, "omar", "Omar Haddad")
    data = write_media(tmp_path / "voice-message.ogg", spoken_samples(SAID, tmp_path)).read_bytes()

    await margaret.send_file("voice-message.ogg", data)
    her_transcript = margaret.dm.last_message
    assert her_transcript.content.startswith("**Transcript of your recording for Q1")
    hers_before = dm_log(margaret)

    await omar.send_file("voice-message.ogg", data)
    his = [content for _, content in dm_log(omar)]
    assert any(c.startswith("Got your voice message") and "Q1 of your evidence to SCI" in c for c in his)
    assert omar.dm.last_message.content.startswith("**Transcript of your recording for Q1")
    assert [b.label for row in omar.dm.last_message.components for b in row.children] == ["Confirm", "Correct"]
    assert dm_log(margaret) == hers_before  # her notice and transcript are hers, untouched

    mine_item, his_item = [await store.media.item(i) for i in (1, 2)]
    assert (mine_item.user_id, his_item.user_id) == (margaret.witness.id, omar.witness.id)
    assert mine_item.media_id == his_item.media_id  # one file kept
    [mine] = await store.media.jobs_for_item(mine_item.id)
    [his_job] = await store.media.jobs_for_item(his_item.id)
    assert mine.id != his_job.id
    assert mine.reused_from is None and his_job.reused_from == mine.id  # transcribed once, the result copied
    assert his_job.result == mine.result and his_job.state == "done"

    await margaret.click("Skip →")  # on to Q2, and the same file again
    await margaret.send_file("voice-message.ogg", data)
    assert margaret.dm.last_message.content.startswith("**Transcript of your recording for Q2")
    q2_item = await store.media.item(3)
    assert q2_item.question_id != mine_item.question_id
    [q2_job] = await store.media.jobs_for_item(q2_item.id)
    assert q2_job.reused_from == mine.id

    asked = await omar.witness.slash(world.general, "privacy forget-me")
    await omar.witness.click(asked.response.message, label="Yes, erase my data")
    assert await store.media.item(his_item.id) is None
    assert await store.media.jobs_for_item(his_item.id) == []
    assert (await store.media.job(mine.id)).result == mine.result  # hers is still there, whole
    media = await store.media.media(mine_item.media_id)
    assert world.bot.transcription.path_of(media).read_bytes() == data  # the file stays while she refers to it

    confirmed = await margaret.witness.user.click(her_transcript, label="Confirm")
    assert "confirmed transcript is now part of Q1" in confirmed.response.content
