"""Evidence received outside Discord, through SimCord: ``/review import`` with the document attached gets a reference
and a forum post like any other, marked as entered by the secretariat; evidence entered by another process (the
command line) is posted by the running bot; without the upload page the link commands say it is not set up."""

from __future__ import annotations

import pytest
from uploads_support import enter_from_another_process, letter_docx

from cogs._shared.outbox import LONGEST_SLEEP
from demo.driver import make_world

LETTER = [
    "I run a lunch club for sixty older people in a market town.",
    "During the lockdown we delivered meals and a weekly newsletter instead.",
]


@pytest.fixture
async def world(simcord_env, simcord_bot):
    built = await make_world(simcord_env, simcord_bot)
    await built.open_call()
    return built


def said(result) -> str:
    return (result.followups[-1] if result.followups else result.response).content


def post_of(world, submission):
    [thread] = [t for t in world.forum.threads if t.id == submission.forum_thread_id]
    return thread


async def test_review_import_enters_the_document_with_a_reference_and_a_forum_post(world, tmp_path):
    letter = letter_docx(tmp_path / "lunch club.docx", LETTER).read_bytes()
    result = await world.secretariat_runs(
        "review import",
        file=("lunch club.docx", letter),
        name="Ann Lee",
        capacity="individual",
        publication="anonymous",
        contact="12 High Street, Thame",
        received=(world.env.now().date()).isoformat(),
    )
    reply = said(result)
    assert "**SCI0001** entered" in reply and "received, not yet accepted" in reply
    submission = await world.bot.services.review.find(world.inquiry, "SCI0001")
    assert (submission.user_id, submission.submitter_name) == (None, "Ann Lee")
    assert submission.contact == "12 High Street, Thame"
    assert submission.word_count == sum(len(p.split()) for p in LETTER)

    thread = post_of(world, submission)
    assert thread.name == "SCI0001 — Anonymous individual"  # the publication preference, as for any post
    messages = [m.content for m in thread.history()]
    assert not any("12 High Street" in m for m in messages)  # contact details are never posted
    assert any("Entered by british_future for someone outside Discord" in m for m in messages), messages
    audit = await world.bot.services.review.audit(world.inquiry, "SCI0001")
    [entry] = [e for e in audit if e.action == "entered by secretariat"]
    assert entry.actor_id == world.secretariat.id and "lunch club.docx" in entry.detail


async def test_review_import_refuses_what_it_cannot_enter(world):
    witness = world.witness("amira")
    options = {"name": "Ann Lee", "capacity": "individual", "publication": "named"}
    refused = await witness.slash(world.general, "review import", file=("a.docx", b"x"), **options)
    assert "for the Secretariat only" in said(refused)
    recording = await world.secretariat_runs("review import", file=("interview.mp3", b"ID3" + bytes(64)), **options)
    assert "is a recording" in said(recording)
    png = b"\x89PNG\r\n\x1a\n" + bytes(64)
    picture = await world.secretariat_runs("review import", file=("scan.pdf", png), **options)
    assert "could not read scan.pdf" in said(picture)
    organisation = await world.secretariat_runs(
        "review import", file=("a.txt", b"Some words."), name="Ann", capacity="organisation", publication="named"
    )
    assert "organisation's name" in said(organisation)
    assert await world.bot.services.review.list(world.inquiry) == []


async def test_evidence_entered_from_the_command_line_is_posted_by_the_running_bot(
    world, simcord_env, settings, tmp_path
):
    done = await enter_from_another_process(world, settings, letter_docx(tmp_path / "letter.docx", LETTER))
    assert done.submission.reference == "SCI0001"
    submissions = world.bot.services.submissions
    assert (await submissions.submission(done.submission.id)).forum_thread_id is None  # the bot was not told

    await simcord_env.advance_time(LONGEST_SLEEP)  # the outbox sender looks again within the hour
    posted = await submissions.submission(done.submission.id)
    assert posted.forum_thread_id is not None
    messages = [m.content for m in post_of(world, posted).history()]
    assert any("Entered from the command line for someone outside Discord" in m for m in messages), messages


async def test_without_the_upload_page_the_link_commands_say_so(world):
    reply = said(await world.witness("amira").slash(world.general, "evidence upload"))
    assert "upload page is not set up" in reply and "direct message" in reply
    options = {"name": "Ann Lee", "capacity": "individual", "publication": "named"}
    reply = said(await world.secretariat_runs("review import-link", **options))
    assert "EVIDENCE_BOT_WEB_SECRET" in reply
