"""The demo's spoken evidence: voice messages (one in Spanish, translated) and a filmed statement, transcribed by
Whisper and confirmed."""

from __future__ import annotations

from .driver import WitnessSteps, World
from .narrator import Narrator
from .recordings import FILMED, FILMED_FILE, SPANISH_FILE, VOICE_FILE, recording

CORRECTION = FILMED


async def spoken_evidence(world: World, narrator: Narrator) -> None:
    """A witness answers Q1 by voice message, Q2 by a voice message in Spanish (transcribed with its English
    translation) and Q3 by a filmed statement; she confirms the first two and corrects the third."""
    narrator.section("Spoken evidence: voice messages and a filmed statement")
    steps = WitnessSteps(world, world.witness("amina_radio"))
    await steps.start()
    await steps.details("Amina Yusuf", "Leeds Community Radio", "amina@example.org")
    await steps.choose("organisation", "named")
    await steps.click("Answer the questions")
    narrator.act("amina_radio", "on Q1, sends the bot a voice message (spoken by espeak-ng, shipped with the demo)")
    await steps.send_file(VOICE_FILE, recording(VOICE_FILE))
    _narrate_dm(steps, narrator)
    await steps.witness.user.click(steps.dm.last_message, label="Confirm")
    narrator.act("amina_radio", "presses Confirm")
    narrator.bot(steps.dm.last_message.content, limit=3)

    await steps.click("Skip →")
    narrator.act("amina_radio", f"on Q2, sends a voice message in Spanish ({SPANISH_FILE}) from a listener")
    await steps.send_file(SPANISH_FILE, recording(SPANISH_FILE))
    _narrate_dm(steps, narrator)
    await steps.witness.user.click(steps.dm.last_message, label="Confirm")
    narrator.act("amina_radio", "presses Confirm")
    narrator.bot(steps.dm.last_message.content, limit=3)

    await steps.click("Skip →")
    narrator.act("amina_radio", f"on Q3, uploads a filmed statement ({FILMED_FILE}, made with PyAV)")
    await steps.send_file(FILMED_FILE, recording(FILMED_FILE))
    _narrate_dm(steps, narrator)
    shown = await steps.witness.user.click(steps.dm.last_message, label="Correct")
    await steps.witness.user.submit_modal(shown, {"part1": CORRECTION})
    narrator.act("amina_radio", "presses Correct and puts right the words Whisper misheard")
    narrator.bot(steps.dm.last_message.content, limit=3)
    await steps.click("Overview")
    narrator.act("amina_radio", "opens the overview: the spoken answers count as answers")
    narrator.bot(steps.last.response.content, private=True, limit=9)
    await steps.click("Review and submit")
    done = await steps.click("Submit evidence")
    narrator.act("amina_radio", "submits")
    narrator.bot(done.response.content, private=True)


def _narrate_dm(steps: WitnessSteps, narrator: Narrator) -> None:
    recent = [m.content for m in steps.dm.history()][-2:]
    for content in recent:
        narrator.bot(content, limit=6)
