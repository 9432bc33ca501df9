"""After the session: a witness corrects the transcript of her spoken answer and the secretariat approves it; a
passage of the spoken answer is withheld from the transcript."""

from __future__ import annotations

import re

from .narrator import Narrator
from .recordings import VOICE
from .sessions_scene import SessionWorld, reply_text

REASON = "It would identify the families concerned"


async def corrected_and_redacted(sw: SessionWorld, narrator: Narrator) -> None:
    """/session transcript-send, a correction proposed by DM and approved, then /review redact-oral on Q4."""
    narrator.section("Corrections and redactions of the oral record")
    world = sw.world
    result = await world.secretariat.slash(world.general, "session transcript-send", days=7, session=sw.session_id)
    narrator.act("british_future (Secretariat)", "/session transcript-send days:7")
    narrator.bot(reply_text(result), private=True, limit=3)

    hubs = sw.witnesses["hackney_hubs"]
    offers = [m for m in hubs.user.dm_channel.history() if _has_button(m, "Propose a correction")]
    offer = next(m for m in reversed(offers) if "Q4" in m.content)
    narrator.act("bot", "sends hackney_hubs, by direct message, the uncorrected transcript of her answers:")
    narrator.bot(offer.content, limit=5)
    shown = await hubs.user.click(offer, label="Propose a correction")
    proposed = await hubs.user.submit_modal(shown, {"text": VOICE})
    narrator.act("hackney_hubs", "presses Propose a correction and puts right the words of her voice message")
    narrator.bot(reply_text(proposed), limit=3)
    number = int(re.search(r"correction (\d+) is proposed", reply_text(proposed)).group(1))
    result = await world.secretariat.slash(world.general, "session correction-approve", id=number)
    narrator.act("british_future (Secretariat)", f"/session correction-approve id:{number}")
    narrator.bot(reply_text(result), private=True, limit=3)

    passage = "in five languages"
    result = await world.secretariat.slash(
        world.general, "review redact-oral", question=4, passage=passage, reason=REASON, session=sw.session_id
    )
    narrator.act("british_future (Secretariat)", f"/review redact-oral question:4 passage:{passage}")
    narrator.bot(reply_text(result), private=True, limit=6)


def _has_button(message, label: str) -> bool:
    return any(getattr(item, "label", None) == label for row in message.components for item in row.children)
