"""Documents that cannot be taken are refused with a message the witness can act on, and the draft is untouched;
documents given with evidence already sent follow its rules (word limit, audit, forum post); erasure takes the
originals with the evidence. Every file is real: made by python-docx, encrypted by msoffcrypto as Office does,
made macro-enabled as Word writes it, cut short."""

from __future__ import annotations

import io

import msoffcrypto
import pytest

from demo.driver import WitnessSteps, make_world
from tests.documents.document_samples import macro_docx, sample_docx
from tests.helpers import reply_text
from tests.test_document_evidence import on_the_overview, statement_docx

Q1 = "Lunch clubs closed and isolated people lost their only weekly contact."
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


def encrypted_docx() -> bytes:
    locked = io.BytesIO()
    msoffcrypto.OfficeFile(io.BytesIO(sample_docx())).encrypt("witness-password", locked)
    return locked.getvalue()


@pytest.fixture
async def world(simcord_env, simcord_bot):
    built = await make_world(simcord_env, simcord_bot)
    await built.open_call()
    return built


async def with_one_answer(world, handle: str) -> WitnessSteps:
    """A witness whose draft has an answer to Q1, back on the overview."""
    steps = await on_the_overview(world, "Rae Fusal", handle)
    await steps.click("Answer the questions")
    await steps.answer(Q1)
    await steps.click("Overview")
    return steps


async def unchanged(world, handle: str) -> None:
    [draft] = await world.bot.services.submissions.of_user(world.witness(handle).id)
    assert list(draft.answers.values()) == [Q1]
    assert await world.bot.services.documents.of_submission(draft.id) == []
    assert (await world.bot.services.submissions.content(draft)).words == 11


def said(result) -> str:
    """What the bot told the witness about a file sent through the form (privately, after reading it)."""
    messages = [*result.followups, result.response] if result.followups else [result.response]
    return "\n".join(m.content for m in messages if m is not None)


@pytest.mark.parametrize(
    ("filename", "data", "words"),
    [
        ("photo.png", PNG, "Files of type .png cannot be taken"),
        ("evidence.docx", PNG, "This file is a picture, not a document"),
        ("evidence.docx", encrypted_docx(), "protected by a password"),
        ("evidence.docm", sample_docx(), "Documents with macros (.docm) cannot be taken"),
        ("evidence.docx", macro_docx(sample_docx()), "contains macros"),
        ("evidence.docx", sample_docx()[: len(sample_docx()) // 2], "damaged"),
        ("notes.txt", b"  \n\n  \t\n", "no words in it"),
    ],
    ids=["wrong-type", "picture-named-docx", "encrypted", "docm", "macros-inside", "damaged", "empty"],
)
async def test_a_file_that_cannot_be_taken_is_refused_through_the_form_and_the_draft_is_untouched(
    world, filename, data, words
):
    steps = await with_one_answer(world, "rae")
    shown = await steps.click("Send a document")
    result = await steps.witness.submit_modal(shown, {"file": (filename, data)})
    told = said(result)
    assert f"I could not take {filename}" in told and words in told, told
    assert "Your draft is unchanged." in told
    await unchanged(world, "rae")


async def test_a_file_too_large_is_refused_before_it_is_read(world):
    steps = await with_one_answer(world, "rae")
    await steps.send_file("evidence.txt", b"word " * (5 * 1024 * 1024 + 10))  # 25 MB and a little more
    reply = steps.dm.last_message.content
    assert "I could not take evidence.txt: it is 25.0 MB; the most that can be taken is 25 MB" in reply
    assert "Your draft is unchanged." in reply
    await unchanged(world, "rae")


async def test_by_direct_message_refusals_reply_in_place(world):
    steps = await with_one_answer(world, "rae")
    await steps.send_file("evidence.docm", sample_docx())
    assert "Documents with macros (.docm) cannot be taken" in steps.dm.last_message.content
    await steps.send_file("picture.png", PNG)
    reply = steps.dm.last_message.content
    assert "I can take audio or video (spoken evidence) or a document" in reply and "picture.png" in reply
    await unchanged(world, "rae")


async def test_without_a_draft_a_document_is_not_kept(world):
    stranger = WitnessSteps(world, world.witness("stranger"))
    await stranger.send_file("evidence.docx", statement_docx())
    assert "Press **Submit evidence**" in stranger.dm.last_message.content
    assert await world.bot.services.store.documents.count_of_submissions(list(range(1, 10))) == 0


async def test_a_document_added_to_sent_evidence_reaches_the_forum_and_the_audit_log(world):
    steps = await with_one_answer(world, "rae")
    await steps.click("Review and submit")
    await steps.click("Submit evidence")
    listing = await steps.witness.slash(world.general, "my-evidence")
    steps.last = await steps.witness.click(listing.response.message, label="Open SCI0001")
    steps.panel = steps.last.response.message
    shown = await steps.click("Send a document")
    added = await steps.witness.submit_modal(shown, {"file": ("evidence.docx", statement_docx())})
    assert "Your document: evidence.docx" in added.response.content

    submission = await world.bot.services.review.find(world.inquiry, "SCI0001")
    assert submission.word_count == 11 + 36
    [thread] = world.forum.threads
    posted = "\n".join(m.content for m in thread.history())
    assert "The witness added a document, evidence.docx (36 words), as one statement" in posted
    assert "Words: 47 of 3,000" in posted
    audit = await world.secretariat_runs("review audit", reference="SCI0001")
    assert "document added by witness" in reply_text(audit)


async def test_sent_evidence_stays_within_the_word_limit(simcord_env, simcord_bot):
    world = await make_world(simcord_env, simcord_bot)
    await world.open_call(word_limit=50)
    steps = await with_one_answer(world, "rae")
    await steps.click("Review and submit")
    await steps.click("Submit evidence")
    listing = await steps.witness.slash(world.general, "my-evidence")
    steps.last = await steps.witness.click(listing.response.message, label="Open SCI0001")
    steps.panel = steps.last.response.message
    shown = await steps.click("Send a document")
    result = await steps.witness.submit_modal(shown, {"file": ("evidence.txt", b"evidence " * 45)})
    told = said(result)
    assert "would come to 56 words, over the limit of 50 by 6" in told and "Your evidence is unchanged." in told
    submission = await world.bot.services.review.find(world.inquiry, "SCI0001")
    assert submission.word_count == 11
    assert await world.bot.services.documents.of_submission(submission.id) == []


async def test_forgetting_the_witness_erases_their_documents_and_the_originals(world, settings):
    steps = await with_one_answer(world, "rae")
    shown = await steps.click("Send a document")
    await steps.witness.submit_modal(shown, {"file": ("evidence.docx", statement_docx())})
    await steps.click("Overview")
    await steps.click("Review and submit")
    await steps.click("Submit evidence")
    [kept] = list((settings.media_dir / "documents").rglob("*.docx"))

    asked = await steps.witness.slash(world.general, "privacy forget-me")
    await steps.witness.click(asked.response.message, label="Yes, erase my data")
    assert not kept.exists()
    assert await world.bot.services.store.documents.count_of_submissions(list(range(1, 10))) == 0


async def test_withdrawing_a_draft_takes_its_documents_with_it(world, settings):
    steps = await on_the_overview(world, "Rae Fusal", "rae")
    shown = await steps.click("Send a document")
    await steps.witness.submit_modal(shown, {"file": ("evidence.docx", statement_docx())})
    [kept] = list((settings.media_dir / "documents").rglob("*.docx"))
    listing = await steps.witness.slash(world.general, "my-evidence")
    asked = await steps.witness.click(listing.response.message, label="Withdraw draft")
    await steps.witness.click(asked.response.message, label="Yes, withdraw it")
    assert not kept.exists()
    assert await world.bot.services.store.documents.count_of_submissions(list(range(1, 10))) == 0
