"""The demo's spoken evidence: a voice message and a filmed statement, transcribed by Whisper and confirmed."""

from __future__ import annotations

import tempfile
from pathlib import Path

from transcription.synth import spoken_samples, write_media

from .driver import WitnessSteps, World
from .narrator import Narrator

VOICE = (
    "Many of the families we work with do not read English, so the public health leaflets did not reach them. "
    "We recorded the advice as voice notes in five languages and shared them in community groups."
)
FILMED = (
    "The biggest barrier was data. People in asylum hotels could not afford to stay online, "
    "and with the libraries closed they had no wifi at all."
)
CORRECTION = FILMED


async def spoken_evidence(world: World, narrator: Narrator) -> None:
    """A witness answers Q1 by voice message and Q3 by a filmed statement, confirms one and corrects the other."""
    narrator.section("Spoken evidence: a voice message and a filmed statement")
    steps = WitnessSteps(world, world.witness("amina_radio"))
    await steps.start()
    await steps.details("Amina Yusuf", "Leeds Community Radio", "amina@example.org")
    await steps.choose("organisation", "named")
    await steps.click("Answer the questions")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        voice = write_media(work / "voice-message.ogg", spoken_samples(VOICE, work)).read_bytes()
        narrator.act("amina_radio", "on Q1, sends the bot a voice message (spoken by espeak-ng)")
        await steps.send_file("voice-message.ogg", voice)
        _narrate_dm(steps, narrator)
        await steps.witness.user.click(steps.dm.last_message, label="Confirm")
        narrator.act("amina_radio", "presses Confirm")
        narrator.bot(steps.dm.last_message.content, limit=3)

        await steps.click("Skip →")
        await steps.click("Skip →")
        film = write_media(work / "statement.mp4", spoken_samples(FILMED, work), video=True).read_bytes()
        narrator.act("amina_radio", "on Q3, uploads a filmed statement (statement.mp4, made with PyAV)")
        await steps.send_file("statement.mp4", film)
        _narrate_dm(steps, narrator)
    shown = await steps.witness.user.click(steps.dm.last_message, label="Correct")
    await steps.witness.user.submit_modal(shown, {"part1": CORRECTION})
    narrator.act("amina_radio", "presses Correct and puts right the words Whisper misheard")
    narrator.bot(steps.dm.last_message.content, limit=3)
    await steps.click("Overview")
    await steps.click("Review and submit")
    done = await steps.click("Submit evidence")
    narrator.act("amina_radio", "submits")
    narrator.bot(done.response.content, private=True)


def _narrate_dm(steps: WitnessSteps, narrator: Narrator) -> None:
    recent = [m.content for m in steps.dm.history()][-2:]
    for content in recent:
        narrator.bot(content, limit=6)
