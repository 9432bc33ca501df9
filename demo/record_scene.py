"""After the session: the secretariat uploads the session's recording (a zip of one WAV track per speaker, as Craig
makes it), which Whisper transcribes into the record under the question put at that moment; a witness corrects
the transcripts of her voice message and of her answer on the recording, and the secretariat approves both; a
passage of the voice message is withheld from the transcript."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

from .assembled import recording_zip
from .narrator import Narrator
from .recordings import CHAIR_TRACK_FILE, RECORDED_ANSWER, VOICE, WITNESS_TRACK_FILE
from .sessions_scene import CHAIR_Q5, SessionWorld, reply_text

REASON = "It would identify the families concerned"
RECORDING_NAME = "craig-session-1.zip"
LEAD_S = 2.0  # the recording started this long before the chair put Q5
TRACKS = {  # track: (what is said on it, when in the recording)
    "1-holly_lynch_mp.wav": (CHAIR_TRACK_FILE, LEAD_S + 1.0),  # the chair reads Q5 out
    "2-hackney_hubs.wav": (WITNESS_TRACK_FILE, LEAD_S + 7.0),  # Priya Shah answers it
}


async def corrected_and_redacted(sw: SessionWorld, narrator: Narrator) -> None:
    """The recording, /session transcript-send, corrections proposed by DM and approved (her answer on the recording
    always: its coordinator's name is beyond Whisper), /review redact-oral."""
    await _recording(sw, narrator)
    narrator.section("Corrections and redactions of the oral record")
    world = sw.world
    result = await world.secretariat.slash(world.general, "session transcript-send", days=7, session=sw.session_id)
    narrator.act("british_future (Secretariat)", "/session transcript-send days:7")
    narrator.bot(reply_text(result), private=True, limit=3)

    hubs = sw.witnesses["hackney_hubs"]
    offers = [m for m in hubs.user.dm_channel.history() if _has_button(m, "Propose a correction")]
    narrator.act("bot", "sends hackney_hubs, by direct message, the uncorrected transcript of what she said:")
    voice = next(m for m in reversed(offers) if m.content.startswith("**Q4**"))
    recorded = next(m for m in reversed(offers) if m.content.startswith("**Q5**"))
    for offer in (voice, recorded):
        narrator.bot(offer.content, limit=5)
    for offer, said, what in (
        (voice, VOICE, "the words Whisper misheard in her voice message (Q4)"),
        (recorded, RECORDED_ANSWER, "what Whisper misheard in her answer on the recording (Q5)"),
    ):
        corrected = said if _heard(offer.content) != said else None
        if corrected is None and offer is recorded:  # every word heard right: she gives the name in full
            corrected = said.replace("Funmi", "Funmilayo")
        if corrected is None:
            narrator.act("hackney_hubs", "finds the transcript of her voice message right, and leaves it")
            continue
        shown = await hubs.user.click(offer, label="Propose a correction")
        proposed = await hubs.user.submit_modal(shown, {"text": corrected})
        narrator.act("hackney_hubs", f"presses Propose a correction and puts right {what}")
        narrator.bot(reply_text(proposed), limit=3)
        number = int(re.search(r"correction (\d+) is proposed", reply_text(proposed)).group(1))
        result = await world.secretariat.slash(world.general, "session correction-approve", id=number)
        narrator.act("british_future (Secretariat)", f"/session correction-approve id:{number}")
        narrator.bot(reply_text(result), private=True, limit=3)
        narrator.act("bot", "tells hackney_hubs by direct message:")
        narrator.bot(hubs.user.dm_channel.last_message.content, limit=4)

    passage = "in five languages"
    result = await world.secretariat.slash(
        world.general, "review redact-oral", question=4, passage=passage, reason=REASON, session=sw.session_id
    )
    narrator.act("british_future (Secretariat)", f"/review redact-oral question:4 passage:{passage}")
    narrator.bot(reply_text(result), private=True, limit=6)


async def _recording(sw: SessionWorld, narrator: Narrator) -> None:
    """/session recording with the Craig zip, its start given as the clock time; Whisper transcribes the tracks."""
    narrator.section("The session's recording")
    world, store = sw.world, sw.world.bot.services.store
    q5 = next(q for q in await store.sessions.questions(sw.session_id) if q.text == CHAIR_Q5)
    started = (q5.asked_at - timedelta(seconds=LEAD_S)).astimezone(world.bot.services.tz).strftime("%H:%M:%S")
    data = await asyncio.to_thread(recording_zip, TRACKS)
    result = await world.secretariat.slash(
        world.general, "session recording", file=(RECORDING_NAME, data), started=started, session=sw.session_id
    )
    narrator.act(
        "british_future (Secretariat)",
        f"/session recording file:{RECORDING_NAME} ({len(data) // 1024:,} KB: {', '.join(TRACKS)}) started:{started}",
    )
    narrator.bot(reply_text(result), private=True, limit=8)
    await world.env.settle()  # Whisper transcribes each track
    narrator.act("bot", "transcribes the tracks and says so in the session's thread:")
    narrator.bot(sw.thread.last_message.content, limit=3)


def _heard(offer: str) -> str:
    """The transcript quoted in an offer to correct it (after its heading line)."""
    return " ".join(line.removeprefix(">").strip() for line in offer.splitlines()[1:]).strip()


def _has_button(message, label: str) -> bool:
    return any(getattr(item, "label", None) == label for row in message.components for item in row.children)
