"""The demo's written evidence as a document: a charity sends its submission as a Word file that answers the
questions by their numbers, and uses its parts as its answers."""

from __future__ import annotations

import io

import docx

from .driver import WitnessSteps, World
from .narrator import Narrator

ANSWERS = {
    1: "Older people who live alone in the Calder valley lost the lunch clubs, libraries and church groups that"
    " were their only regular contact. Many do not use the internet, so advice reached them late.",
    3: "The biggest barrier was confidence rather than equipment: people needed someone to show them, more than"
    " once, how to join a video call with their family.",
    5: "Fund digital inclusion through local charities for the long term, and give every council a lead for social"
    " isolation.",
}


def submission_docx() -> bytes:
    """A charity's submission as Word writes it: a title, an introduction, then answers under "Question n"."""
    document = docx.Document()
    document.add_heading("Written evidence from Calder Valley Age Concern", 1)
    document.add_paragraph("Calder Valley Age Concern supports nine hundred older people in West Yorkshire.")
    for number, text in ANSWERS.items():
        document.add_heading(f"Question {number}", 2)
        document.add_paragraph(text)
    document.add_paragraph("Telephone befriending", style="List Bullet")
    document.add_paragraph("Doorstep visits by volunteers", style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


async def document_evidence(world: World, narrator: Narrator) -> None:
    """A witness sends their evidence as a .docx through the form, uses it as answers to Q1, Q3 and Q5, submits."""
    narrator.section("Written evidence as a document")
    steps = WitnessSteps(world, world.witness("calder_age_concern"))
    await steps.start()
    await steps.details("Ruth Holroyd", "Calder Valley Age Concern", "ruth@example.org")
    await steps.choose("organisation", "named")
    narrator.act("calder_age_concern", "presses Send a document and chooses submission.docx (a Word file)")
    shown = await steps.click("Send a document")
    steps.last = await steps.witness.submit_modal(shown, {"file": ("submission.docx", submission_docx())})
    narrator.bot(steps.last.response.content, private=True, limit=8)
    narrator.act("calder_age_concern", "presses Use as answers to Q1, Q3, Q5")
    await steps.click("Use as answers to Q1, Q3, Q5")
    await steps.click("Overview")
    narrator.bot(steps.last.response.content, private=True, limit=9)
    await steps.click("Review and submit")
    done = await steps.click("Submit evidence")
    narrator.act("calder_age_concern", "submits")
    narrator.bot(done.response.content, private=True)
