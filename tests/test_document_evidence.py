"""Written evidence given as a document, through SimCord: a witness sends a real file (made by python-docx, or a
PDF written object by object) through the form or by direct message; the original is kept under its SHA-256, its
text counts toward the word limit, it shows on every page, the receipt, the forum post and /review show, and the
Word volume prints it with numbered paragraphs, redacted like typed answers. A document that answers the questions
by their numbers can be used as answers under them."""

from __future__ import annotations

import hashlib
import io

import docx
import pytest

from demo.driver import WitnessSteps, make_world
from inquiry.core.rules import count_words
from inquiry.evidence.content import DocumentUse
from inquiry.review.redaction_models import TargetKind
from tests.documents.document_samples import pdf_of_words, save_docx
from tests.helpers import reply_text

STATEMENT = [
    "Leeds Community Radio reaches older listeners who live alone.",
    "During the lockdown we read out the numbers of food banks every hour.",
    "Write to volunteer.coordinator@example.org for our figures.",
]


def statement_docx() -> bytes:
    """A statement with a heading, paragraphs and a bulleted list: it answers no question by number."""
    document = docx.Document()
    document.add_heading("Evidence from Leeds Community Radio", 1)
    for paragraph in STATEMENT[:2]:
        document.add_paragraph(paragraph)
    document.add_paragraph("Hourly bulletins", style="List Bullet")
    document.add_paragraph(STATEMENT[2])
    return save_docx(document)


def answers_docx() -> bytes:
    """A submission that answers questions 1 to 3 under headings naming them."""
    document = docx.Document()
    document.add_paragraph("Submission from Northfield Age Concern.")
    for number, text in (
        (1, "Isolation deepened for people without broadband."),
        (2, "Our volunteers phoned every member each week."),
        (3, "Fund local digital inclusion schemes."),
    ):
        document.add_heading(f"Question {number}", 2)
        document.add_paragraph(text)
    return save_docx(document)


@pytest.fixture
async def world(simcord_env, simcord_bot):
    built = await make_world(simcord_env, simcord_bot)
    await built.open_call()
    return built


async def on_the_overview(world, name: str, handle: str) -> WitnessSteps:
    steps = WitnessSteps(world, world.witness(handle))
    await steps.start()
    await steps.details(name, None, f"{handle}@example.org")
    await steps.choose("individual", "named")
    return steps


async def send_through_the_form(steps: WitnessSteps, filename: str, data: bytes):
    shown = await steps.click("Send a document")
    assert shown.modal is not None
    steps.last = await steps.witness.submit_modal(shown, {"file": (filename, data)})
    return steps.last


def _latest(steps: WitnessSteps) -> str:
    """The witness's page (or the bot's reply) as their last action left it."""
    return steps.last.response.content


async def draft(world, handle: str):
    [found] = await world.bot.services.submissions.of_user(world.witness(handle).id)
    return found


async def test_a_witness_gives_their_evidence_as_a_word_document_through_the_form(world, settings):
    steps = await on_the_overview(world, "Amina Yusuf", "amina")
    data = statement_docx()
    await send_through_the_form(steps, "evidence.docx", data)

    shown = _latest(steps)
    assert "Your document: evidence.docx (Word document" in shown
    assert "as one statement" in shown and "Leeds Community Radio reaches older listeners" in shown

    sha = hashlib.sha256(data).hexdigest()
    assert (settings.media_dir / "documents" / sha[:2] / f"{sha}.docx").read_bytes() == data  # the original, kept
    [document] = await world.bot.services.documents.of_submission((await draft(world, "amina")).id)
    words = count_words(document.text)
    assert document.words == words and words > 30

    await steps.click("Overview")
    overview = _latest(steps)
    assert f"{words:,} of 3,000 words" in overview
    assert "📄 Document: evidence.docx (Word document" in overview

    await steps.click("Review and submit")
    assert "📄 Document: evidence.docx" in _latest(steps)
    done = await steps.click("Submit evidence")  # no typed answer: the document is the evidence
    assert "SCI0001" in done.response.content

    receipt = steps.witness.user.dm_channel.last_message
    assert f"{words:,} words" in receipt.content and "📄 Document: evidence.docx" in receipt.content
    copy = (await receipt.attachments[0].read()).decode()
    assert "Document evidence.docx (as a statement)" in copy and STATEMENT[1] in copy

    [thread] = world.forum.threads
    posted = "\n".join(m.content for m in thread.history())
    assert "📄 Document: evidence.docx" in posted and STATEMENT[1] in posted
    assert f"Words: {words:,} of 3,000" in posted

    show = await world.secretariat_runs("review show", reference="SCI0001")
    details = reply_text(show)
    assert "Documents (1)" in details and "evidence.docx" in details and sha[:12] in details
    assert STATEMENT[0] in details and "Not answered: Q1, Q2, Q3, Q4, Q5" in details


async def test_a_document_answering_by_number_is_offered_as_answers_by_direct_message(world):
    steps = await on_the_overview(world, "Norah Field", "norah")
    await steps.send_file("northfield.docx", answers_docx())

    reply = steps.dm.last_message
    assert "Got your document" in reply.content
    assert "It seems to answer Q1–Q3 by their numbers" in reply.content
    labels = [c.label for row in reply.components for c in row.children]
    assert "Use as answers to Q1–Q3" in labels and "Keep as one statement" in labels

    used = await steps.witness.user.click(reply, label="Use as answers to Q1–Q3")
    assert "Its parts are now your answers to those questions" in used.response.content
    assert "as answers to Q1–Q3" in used.response.content
    [document] = await world.bot.services.documents.of_submission((await draft(world, "norah")).id)
    assert document.use is DocumentUse.ANSWERS

    await steps.click("Answer the questions")
    q1 = _latest(steps)
    assert "📄 From your document northfield.docx" in q1
    assert "Isolation deepened for people without broadband." in q1
    assert "Not answered yet" not in q1
    await steps.click("Overview")
    assert "3 of 5 questions answered" in _latest(steps)

    back = await steps.witness.user.click(steps.dm.last_message, label="Keep as one statement")
    assert "It stands as one statement" in back.response.content
    await steps.click("Review and submit")
    await steps.click("Overview")
    assert "0 of 5 questions answered" in _latest(steps)


async def test_a_pdf_with_a_text_layer_is_taken(world):
    steps = await on_the_overview(world, "Pat Doe", "pat")
    await send_through_the_form(steps, "evidence.pdf", pdf_of_words("Rural bus services were cut during lockdown"))
    assert "Your document: evidence.pdf (PDF, 1 page" in _latest(steps)


async def test_the_same_file_twice_is_one_document(world):
    steps = await on_the_overview(world, "Pat Doe", "pat")
    data = statement_docx()
    await send_through_the_form(steps, "evidence.docx", data)
    await steps.click("Overview")
    await send_through_the_form(steps, "copy.docx", data)
    assert "You sent evidence.docx before" in _latest(steps)
    assert len(await world.bot.services.documents.of_submission((await draft(world, "pat")).id)) == 1


async def test_a_document_can_be_taken_back_out(world):
    steps = await on_the_overview(world, "Pat Doe", "pat")
    await send_through_the_form(steps, "evidence.docx", statement_docx())
    await steps.click("Remove this document")
    assert "evidence.docx is no longer part of your evidence" in _latest(steps)
    assert "0 of 3,000 words" in _latest(steps)
    assert await world.bot.services.documents.of_submission((await draft(world, "pat")).id) == []


async def test_the_volume_prints_the_document_with_numbered_paragraphs_and_redactions(world, tmp_path):
    steps = await on_the_overview(world, "Norah Field", "norah")
    await steps.send_file("northfield.docx", answers_docx())
    await steps.witness.user.click(steps.dm.last_message, label="Use as answers to Q1–Q3")
    await steps.start()
    await steps.click("Send a document")
    statement = await steps.witness.submit_modal(steps.last, {"file": ("statement.docx", statement_docx())})
    assert "Your document: statement.docx" in statement.response.content
    await steps.click("Overview")
    await steps.click("Review and submit")
    await steps.click("Submit evidence")

    services = world.bot.services
    submission = await services.review.find(world.inquiry, "SCI0001")
    statement_doc = next(
        d for d in await services.documents.of_submission(submission.id) if d.filename == "statement.docx"
    )
    await services.redactions.redact_target(
        submission, TargetKind.DOCUMENT, statement_doc.id, "read out the numbers of food banks", "Not evidence", 1
    )
    await world.secretariat_runs("review accept", reference="SCI0001")
    exported = await world.secretariat_runs("export evidence")
    data = await exported.response.attachments[0].read()
    paragraphs = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    text = "\n".join(paragraphs)
    assert "Written evidence submitted by Norah Field (SCI0001)" in text
    q1 = paragraphs.index(next(p for p in paragraphs if p.startswith("Q1. ")))
    q2 = paragraphs.index(next(p for p in paragraphs if p.startswith("Q2. ")))
    assert any("Isolation deepened for people without broadband." in p for p in paragraphs[q1:q2])
    assert "Written statement" in paragraphs
    assert "Evidence from Leeds Community Radio" in text
    assert "[redacted]" in text and "food banks" not in text  # the secretariat's redaction
    assert "volunteer.coordinator@example.org" not in text  # personal data, redacted automatically
    numbered = [p for p in paragraphs if p[:1].isdigit() and "." in p[:4]]
    assert numbered, paragraphs
