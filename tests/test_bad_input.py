"""Bad input to the bot, one row per kind, through SimCord (or, for pure functions, called directly): each row
checks the key phrases of what the person is told and that nothing was stored or lost. By default that is a
snapshot of every table, the media and export folders and the evidence forum, taken before the bad input and
compared after it; rows where something is kept by design (a late submission, the same file twice) check what.

The worlds, the snapshot, the files and the ways to send what a modified Discord client could send are in
``bad_input_cases.py``.
"""

from __future__ import annotations

import asyncio
import io
import re
import tempfile
import time
from datetime import timedelta

import docx
import pytest

from bot import build_bot
from exports._normalise import INVISIBLE
from exports._redaction import SubmissionRedactor
from inquiry.core.errors import DomainError
from inquiry.core.rules import MAX_ANSWER_CHARS
from inquiry.evidence.changes import StateConflict
from inquiry.evidence.models import Publication, SubmissionStatus
from inquiry.outbox.models import OutboxKind
from tests import bad_input_cases as c
from tests.bad_input_cases import Ctx, Row
from tests.documents.document_samples import macro_docx, sample_docx
from tests.exports.export_samples import answer_to, submission
from tests.exports.pii_worst_cases import NAME_WORST_CASES, WORST_CASES
from tests.helpers import submit_evidence
from transcription.intake import IntakeLimits

# SimCord waits out sleeps shorter than its settle timeout: effects owed with a grace of 60 s (a receipt, a witness's
# notice) would hold a row for a minute, so rows settle within 30 s. The row that runs Whisper has longer.
pytestmark = pytest.mark.simcord(settle_timeout=30)

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


# Typed answers and details ---------------------------------------------------------------------------------


def answer_parts(*parts: str) -> c.Act:
    """The answer form submitted with these parts, whatever their length (a modified client)."""

    async def act(ctx: Ctx) -> str:
        shown = await ctx.steps.witness.click(ctx.steps.panel, label="Write answer")
        values = {f"part{i + 1}": part for i, part in enumerate(parts)}
        return c.said(await c.forge_modal(ctx.steps.witness, shown, values))

    return act


async def answer_over_the_total(ctx: Ctx) -> str:
    """An answer longer than five full boxes, given to the service directly (the form cannot carry it)."""
    [draft] = await ctx.services.submissions.of_user(ctx.steps.witness.id)
    question = (await ctx.world.inquiry_now()).questions[1].id
    try:
        await ctx.services.submissions.save_answer(draft.id, ctx.steps.witness.id, question, "w" * 20_101)
    except DomainError as refusal:
        return c.norm(str(refusal))
    return "taken"


def details(**values: str) -> c.Act:
    """The details form submitted with these values (past its limits, or empty where required)."""

    async def act(ctx: Ctx) -> str:
        shown = await ctx.steps.witness.click(ctx.steps.panel, label="Your details")
        filled = {"name": "Rae Fusal", "organisation": "", "contact": "rae@example.org", **values}
        return c.said(await c.forge_modal(ctx.steps.witness, shown, filled))

    return act


def click(label: str) -> c.Act:
    async def act(ctx: Ctx) -> str:
        return c.said(await ctx.steps.click(label))

    return act


async def organisation_chosen(ctx: Ctx) -> None:
    """The witness chose 'for an organisation' and was shown the details form to name it."""
    await c.draft_on_overview(ctx)
    ctx.extra["shown"] = await ctx.steps.choose("organisation")
    assert ctx.extra["shown"].modal is not None


async def organisation_left_blank(ctx: Ctx) -> str:
    values = {"name": "Rae Fusal", "organisation": "", "contact": "rae@example.org"}
    return c.said(await ctx.steps.witness.submit_modal(ctx.extra["shown"], values))


async def nothing_answered_on_review(ctx: Ctx) -> None:
    await c.call_open(ctx)
    ctx.steps = await c.witness_steps(ctx, "rae", "Rae Fusal")
    await ctx.steps.click("Review and submit")


async def no_details_on_review(ctx: Ctx) -> None:
    await c.call_open(ctx)
    ctx.steps = await c.witness_steps(ctx, "rae")
    await ctx.steps.click("Answer the questions")
    await ctx.steps.answer(c.Q1)
    await ctx.steps.click("Overview")
    await ctx.steps.click("Review and submit")


async def over_the_word_limit_on_review(ctx: Ctx) -> None:
    await ctx.world.open_call(word_limit=50)
    ctx.steps = await c.witness_steps(ctx, "rae", "Rae Fusal")
    await ctx.steps.click("Answer the questions")
    await ctx.steps.answer(" ".join(["word"] * 80))
    await ctx.steps.click("Overview")
    await ctx.steps.click("Review and submit")


# Commands of the secretariat --------------------------------------------------------------------------------

PEOPLE = {
    "secretariat": lambda ctx: ctx.world.secretariat,
    "chair": lambda ctx: ctx.world.chair,
    "member": lambda ctx: ctx.world.member,
    "witness": lambda ctx: ctx.steps.witness if ctx.steps else ctx.world.witness("rae"),
    "margaret": lambda ctx: ctx.extra["session"].witnesses["margaret"],
}


def runs(who: str, command: str, options=None, *, forged: dict | None = None) -> c.Act:
    """``who`` runs ``/command`` in #general with ``options`` (a dict, or made from the row's context); with
    ``forged``, option values past the limits the command declares (a modified client)."""

    async def act(ctx: Ctx) -> str:
        person = PEOPLE[who](ctx)
        given = options(ctx) if callable(options) else dict(options or {})
        if forged:
            return c.said(await c.forge_slash(person, ctx.world.general, command, given, forged))
        return c.said(await person.slash(ctx.world.general, command, **given))

    return act


def session_id(ctx: Ctx) -> dict:
    return {"session": ctx.extra["session"].session_id}


def schedule_at(start: str) -> c.Act:
    return runs(
        "secretariat",
        "session schedule",
        {"title": "Rural isolation", "start": start, "minutes": 60, "link": "https://meet.example.org/sci"},
    )


def closes(text: str) -> c.Act:
    return runs("secretariat", "inquiry open", {"closes": text, "inquiry": "SCI"})


# Deadlines, double clicks, races, restarts -------------------------------------------------------------------


async def late_on_review(ctx: Ctx) -> None:
    await ctx.world.open_call(days=1)
    await ctx.world.env.advance_time(2 * 86400)
    ctx.steps = await c.answered_q1(ctx)
    await ctx.steps.click("Overview")
    await ctx.steps.click("Review and submit")


async def taken_late_not_lost(ctx: Ctx, before: c.Snapshot) -> None:
    [stored] = await ctx.services.submissions.of_user(ctx.steps.witness.id)
    assert stored.status is SubmissionStatus.SUBMITTED and stored.late
    assert list(stored.answers.values()) == [c.Q1]
    [thread] = ctx.world.forum.threads
    assert "Late" in {tag.name for tag in ctx.world.bot.get_channel(thread.id).applied_tags}


async def submitted_on_another_device(ctx: Ctx) -> None:
    """Submitted from a phone while the same review page is open on a laptop."""
    await c.call_open(ctx)
    phone = await c.answered_q1(ctx)
    await phone.click("Overview")
    await phone.click("Review and submit")
    laptop = c.WitnessSteps(ctx.world, phone.witness)
    await laptop.start()
    ctx.steps = laptop
    done = await phone.click("Submit evidence")
    assert "SCI0001" in c.said(done)


async def restarted_on_review(ctx: Ctx) -> None:
    """The review page is open when the bot restarts."""
    await c.on_review_page(ctx)
    fresh = build_bot(ctx.extra["settings"], ctx.extra["store"])
    await ctx.world.env.restart_bot(fresh)
    ctx.world.bot = fresh


async def the_draft_came_through_the_restart(ctx: Ctx, before: c.Snapshot) -> None:
    [stored] = await ctx.services.submissions.of_user(ctx.steps.witness.id)
    assert stored.status is SubmissionStatus.SUBMITTED and stored.reference == "SCI0001"
    assert list(stored.answers.values()) == [c.Q1] and stored.submitter_name == "Rae Fusal"
    assert [t.name for t in ctx.world.forum.threads] == ["SCI0001 — Rae Fusal"]


async def accept_and_withdraw_at_once(ctx: Ctx) -> str:
    """The secretariat accepts SCI0001 as its witness withdraws it: both reach the services together."""
    [stored] = await ctx.services.submissions.of_user(ctx.steps.witness.id)
    outcomes = await asyncio.gather(
        ctx.services.review.accept(await ctx.world.inquiry_now(), "SCI0001", ctx.world.secretariat.id),
        ctx.services.submissions.withdraw(stored.id, ctx.steps.witness.id),
        return_exceptions=True,
    )
    ctx.extra["outcomes"] = outcomes
    [loser] = [o for o in outcomes if isinstance(o, BaseException)]
    assert isinstance(loser, StateConflict), repr(loser)
    return c.norm(str(loser))


async def one_of_them_won(ctx: Ctx, before: c.Snapshot) -> None:
    accepted, _ = ctx.extra["outcomes"]
    [final] = await ctx.services.submissions.of_user(ctx.steps.witness.id)
    actions = [e.action for e in await ctx.store.audit.for_submission(final.id)]
    notices = [r for r in await ctx.services.outbox.of_submission(final.id) if r.kind is OutboxKind.WITNESS_NOTICE]
    if isinstance(accepted, BaseException):
        assert final.status is SubmissionStatus.WITHDRAWN and "accepted" not in actions and notices == []
    else:
        assert final.status is SubmissionStatus.ACCEPTED and "withdrawn by witness" not in actions
        assert [n.payload["status"] for n in notices] == ["accepted"]


# Another person's buttons and forms --------------------------------------------------------------------------


async def two_witnesses(ctx: Ctx) -> None:
    """Rae's draft (Q1 answered) and Sol's draft, each on their own pages."""
    await c.draft_on_q2(ctx)
    ctx.extra["rae"] = c.submission_id_of(ctx.steps.panel)
    ctx.extra["sol"] = await c.witness_steps(ctx, "sol", "Sol Other")
    await ctx.extra["sol"].click("Answer the questions")


async def rae_submitted_and_sol_drafting(ctx: Ctx) -> None:
    await c.submitted(ctx)
    [rae] = await ctx.services.submissions.of_user(ctx.steps.witness.id)
    ctx.extra["rae"] = rae.id
    ctx.extra["sol"] = await c.witness_steps(ctx, "sol", "Sol Other")


def sol_presses(custom_id: str) -> c.Act:
    """Sol presses a button naming Rae's submission (``{rae}`` in ``custom_id``)."""

    async def act(ctx: Ctx) -> str:
        sol = ctx.extra["sol"]
        forged = custom_id.format(rae=ctx.extra["rae"])
        return c.said(await c.forge_click(sol.witness, sol.panel, forged))

    return act


async def sol_answers_in_raes_form(ctx: Ctx) -> str:
    sol = ctx.extra["sol"]
    shown = await sol.witness.click(sol.panel, label="Write answer")
    question = (await ctx.world.inquiry_now()).questions[0].id
    forged = f"evidence:m:answer:{ctx.extra['rae']}:{question}"
    return c.said(await c.forge_modal(sol.witness, shown, {"part1": "Sol's words in Rae's evidence."}, forged))


async def two_transcripts(ctx: Ctx) -> None:
    """Rae and Sol each have a transcribed recording posted to them."""
    await c.transcript_on_q2(ctx)
    sol = await c.witness_steps(ctx, "sol", "Sol Other")
    await sol.click("Answer the questions")
    ctx.extra["sol"] = sol
    ctx.extra["sol_item"] = await c.recording_transcribed(ctx, sol, c.ogg_tone(ctx.tmp, 520), "Sol's own words.")
    ctx.extra["sol_post"] = sol.dm.last_message


async def sol_confirms_raes_recording(ctx: Ctx) -> str:
    sol = ctx.extra["sol"]
    forged = f"media:confirm:{ctx.extra['item']}"
    return c.said(await c.forge_click(sol.witness.user, ctx.extra["sol_post"], forged))


async def sol_corrects_raes_recording(ctx: Ctx) -> str:
    sol = ctx.extra["sol"]
    shown = await sol.witness.user.click(ctx.extra["sol_post"], label="Correct")
    forged = f"media:m:{ctx.extra['item']}"
    return c.said(await c.forge_modal(sol.witness.user, shown, {"part1": "Words Rae never said."}, forged))


async def margaret_corrects_sams_answer(ctx: Ctx) -> str:
    margaret = ctx.extra["session"].witnesses["margaret"]
    own = await margaret.user.send_dm("Can I correct this?")
    forged = f"sessioncorr:propose:{ctx.extra['answer'].id}"
    return c.said(await c.forge_click(margaret.user, own, forged))


# Commands where they cannot work ------------------------------------------------------------------------------


async def commands_offered_in_a_dm(ctx: Ctx) -> str:
    return ", ".join(ctx.steps.witness.user.available_commands())


async def review_accept_sent_from_a_dm(ctx: Ctx) -> str:
    """A modified client sends /review accept from the secretariat's direct messages with the bot."""
    secretariat = ctx.world.secretariat
    await secretariat.user.send_dm("hello")
    return c.said(
        await c.forge_slash(
            secretariat, ctx.world.general, "review accept", {"reference": "SCI0001"}, {}, dm=secretariat.user
        )
    )


async def submit_button_pressed_in_a_dm(ctx: Ctx) -> str:
    witness = ctx.world.witness("dee")
    own = await witness.user.send_dm("Where do I give evidence?")
    inquiry = await ctx.world.inquiry_now()
    return c.said(await c.forge_click(witness.user, own, f"evidence:submit:{inquiry.id}"))


# Text that tries to be something else ------------------------------------------------------------------------


async def named_and_submitted(ctx: Ctx, name: str, answer: str = c.Q1) -> str:
    await c.call_open(ctx)
    ctx.steps = c.WitnessSteps(ctx.world, ctx.world.witness("rae"))
    return c.said(await ctx.steps.give(name, {1: answer}))


def gives(name: str, answer: str = c.Q1) -> c.Act:
    async def act(ctx: Ctx) -> str:
        return await named_and_submitted(ctx, name, answer)

    return act


async def nothing_setup(ctx: Ctx) -> None:
    return None


def forum_text(ctx: Ctx) -> str:
    return "\n".join(m.content for t in ctx.world.forum.threads for m in t.history())


async def no_bidi_in_the_forum(ctx: Ctx, before: c.Snapshot) -> None:
    [stored] = await ctx.services.submissions.of_user(ctx.steps.witness.id)
    assert stored.reference == "SCI0001" and "Rae" in stored.submitter_name and "Fusal" in stored.submitter_name
    shown = [t.name for t in ctx.world.forum.threads] + [forum_text(ctx)]
    assert not [ch for text in shown for ch in text if ch in BIDI], shown


async def nothing_pings(ctx: Ctx, before: c.Snapshot) -> None:
    messages = [m for t in ctx.world.forum.threads for m in t.history()]
    assert messages
    for message in messages:
        assert not message.mention_everyone and message.mentions == [] and message.role_mentions == []
    assert "@\u200beveryone" in forum_text(ctx) and "@\u200bhere" in forum_text(ctx)


def pinging_answer(ctx_world) -> str:
    role = ctx_world.guild.roles["Member"]
    return f"Hello @everyone and @here, <@{ctx_world.chair.id}> and <@&{role.id}>: read this."


async def gives_a_pinging_answer(ctx: Ctx) -> str:
    await c.call_open(ctx)
    ctx.steps = c.WitnessSteps(ctx.world, ctx.world.witness("rae"))
    return c.said(await ctx.steps.give("Rae Fusal", {1: pinging_answer(ctx.world)}))


def markdown_is_inert(pattern: str) -> c.Check:
    """The witness's text is shown as they typed it: ``pattern`` (Markdown that would render) is not in the post."""

    async def check(ctx: Ctx, before: c.Snapshot) -> None:
        [stored] = await ctx.services.submissions.of_user(ctx.steps.witness.id)
        assert stored.status is SubmissionStatus.SUBMITTED  # nothing lost: kept as typed
        posted = forum_text(ctx)
        assert "Official guidance" in posted or "HUGE" in posted, posted
        assert not re.search(pattern, posted, re.MULTILINE), posted

    return check


async def link_previews_suppressed(ctx: Ctx, before: c.Snapshot) -> None:
    [thread] = ctx.world.forum.threads
    for message in thread.history():
        if "https://evil.example" in message.content:
            wrapped = "<https://evil.example/prize>" in message.content
            assert wrapped or message.flags.suppress_embeds, message.content
            return
    raise AssertionError("the answer's link is not in the forum post")


async def anonymous_and_accepted(ctx: Ctx) -> None:
    """An anonymous witness whose name has a Cyrillic letter; their answers name them in other disguises."""
    await c.call_open(ctx)
    answers = {
        1: "I am Jane Bloggs and I ran the lunch club.",
        2: "Ask JANE BLOGGS at the hall, or Jаne Вloggs on the rota.",
        3: "Everyone knows Jane\u200b Bloggs here.",
    }
    done = await submit_evidence(ctx.world, "jane", "Jаne Bloggs", answers, publication=Publication.ANONYMOUS)
    await ctx.services.review.accept(await ctx.world.inquiry_now(), done.reference, ctx.world.secretariat.id)
    ctx.extra["answers"] = answers


async def disguised_controls_accepted(ctx: Ctx) -> None:
    """A witness's answer holding invisible and bidirectional control characters, accepted."""
    await c.call_open(ctx)
    answer = "Lunch\u200b clubs \u202eclosed\u202c in \u2066March\u2069 and the\u2060 library too."
    done = await submit_evidence(ctx.world, "rae", "Rae Fusal", {1: answer})
    await ctx.services.review.accept(await ctx.world.inquiry_now(), done.reference, ctx.world.secretariat.id)
    ctx.extra["answers"] = {1: answer}


async def exports_the_volume(ctx: Ctx) -> str:
    result = await ctx.world.secretariat.slash(ctx.world.general, "export evidence")
    [attachment] = result.response.attachments
    document = docx.Document(io.BytesIO(await attachment.read()))
    ctx.extra["volume"] = "\n".join(p.text for p in document.paragraphs)
    return c.said(result)


async def answers_kept_as_given(ctx: Ctx) -> None:
    [stored] = await ctx.services.review.list(await ctx.world.inquiry_now())
    assert sorted(stored.answers.values()) == sorted(ctx.extra["answers"].values())  # nothing lost


async def the_name_is_redacted(ctx: Ctx, before: c.Snapshot) -> None:
    await answers_kept_as_given(ctx)
    volume = ctx.extra["volume"]
    assert "[name redacted]" in volume and "ran the lunch club" in volume
    for disguise in ("Jane Bloggs", "JANE BLOGGS", "Jаne Вloggs", "Jаne Bloggs", "Jane\u200b Bloggs", "Bloggs"):
        assert disguise not in volume, volume


async def nothing_invisible_printed(ctx: Ctx, before: c.Snapshot) -> None:
    await answers_kept_as_given(ctx)
    volume = ctx.extra["volume"]
    assert "Lunch clubs closed in March and the library too." in volume, volume
    assert not INVISIBLE & set(volume)


async def worst_cases_redacted(ctx: Ctx) -> str:
    """Every text built to make a pattern backtrack, at the longest answer the bot takes, redacted in an
    anonymous witness's evidence (the pure function the exports run)."""
    slowest = 0.0
    cases = {**WORST_CASES, **NAME_WORST_CASES}
    for make in cases.values():
        text = make(MAX_ANSWER_CHARS)
        piece = submission("SCI0007", "Jane Bloggs", [answer_to(1, text)], publication="anonymous")
        started = time.process_time()
        SubmissionRedactor(piece).apply(text, "Q1", 1)
        slowest = max(slowest, time.process_time() - started)
    ctx.extra["slowest"] = slowest
    return f"redacted {len(cases)} texts"


async def each_in_a_fraction_of_a_second(ctx: Ctx, before: c.Snapshot) -> None:
    # Linear patterns take milliseconds here; a backtracking one takes minutes on these texts.
    assert ctx.extra["slowest"] < 2.0, ctx.extra["slowest"]
    await c.unchanged(ctx, before)


# Recordings sent by direct message ---------------------------------------------------------------------------


def sends(filename: str, data, *, limits: dict | None = None, stranger: bool = False) -> c.Act:
    """The witness sends ``filename`` by direct message (``data``: bytes, or made in the row's folder); ``limits``
    changes the server's transcription settings first (made small here)."""

    async def act(ctx: Ctx) -> str:
        settings = ctx.world.bot.transcription.settings
        for name, value in (limits or {}).items():
            setattr(settings, name, value)
        steps = c.WitnessSteps(ctx.world, ctx.world.witness("stranger")) if stranger else ctx.steps
        await steps.send_file(filename, data(ctx.tmp) if callable(data) else data)
        return c.last_dm(steps)

    return act


async def nothing_kept_nothing_queued(ctx: Ctx, before: c.Snapshot) -> None:
    await c.unchanged(ctx, before)
    assert await ctx.store.media.pending_jobs() == 0
    assert not c.kept_files(ctx.world.bot.transcription.media_dir)


async def sent_twice_in_the_hour(ctx: Ctx) -> None:
    await c.draft_on_q2(ctx)
    ctx.world.bot.transcription.settings.limits = IntakeLimits(files_per_hour=2, pending_per_person=0)
    now = ctx.services.clock()
    async with ctx.store.transaction():
        for minutes in (20, 10):
            await ctx.store.media_intake.add(
                user_id=ctx.steps.witness.id, size=1000, now=now - timedelta(minutes=minutes)
            )


async def silence_heard(ctx: Ctx, before: c.Snapshot) -> None:
    """The recording is kept (it is evidence) but nothing is made of it: no words, nothing to confirm."""
    post = ctx.steps.dm.last_message
    assert post.components == []
    [item] = await ctx.store.media.items_of_submission(c.submission_id_of(ctx.steps.panel))
    assert item.status != "confirmed" and not item.confirmed_text
    [job] = await ctx.store.media.jobs_for_item(item.id)
    assert job.state == "done" and not (job.result or {}).get("text", "").strip()
    [stored] = await ctx.services.submissions.of_user(ctx.steps.witness.id)
    assert list(stored.answers.values()) == [c.Q1]


# Documents ---------------------------------------------------------------------------------------------------


def sends_through_the_form(filename: str, data: bytes, max_bytes: int | None = None) -> c.Act:
    async def act(ctx: Ctx) -> str:
        if max_bytes:
            ctx.services.documents.max_bytes = max_bytes
        shown = await ctx.steps.click("Send a document")
        return c.said(await ctx.steps.witness.submit_modal(shown, {"file": (filename, data)}))

    return act


# Zips of session recordings ----------------------------------------------------------------------------------


def uploads(filename: str, make) -> c.Act:
    """The secretariat uploads a session's recording; temporary folders are made in the row's own folder."""

    async def act(ctx: Ctx) -> str:
        folder = ctx.tmp / "temporary"
        folder.mkdir()
        data = make(c.wav_tone(ctx.tmp, 0.5))
        saved, tempfile.tempdir = tempfile.tempdir, str(folder)
        try:
            result = await ctx.world.secretariat.slash(
                ctx.world.general, "session recording", file=(filename, data), session=ctx.extra["session"].session_id
            )
        finally:
            tempfile.tempdir = saved
        return c.said(result)

    return act


async def nothing_unpacked_or_kept(ctx: Ctx, before: c.Snapshot) -> None:
    await c.unchanged(ctx, before)
    assert list((ctx.tmp / "temporary").iterdir()) == []  # no upload or unpacked track left behind


def too_many_tracks(track: bytes) -> bytes:
    return c.make_zip([(f"{i}-speaker.wav", track) for i in range(1, 31)])


def traversal(track: bytes) -> bytes:
    return c.make_zip([("1-holly_lynch_mp.wav", track), ("../../evil.wav", track)])


def bomb(track: bytes) -> bytes:
    return c.make_zip([("1-holly_lynch_mp.wav", bytes(20_000_000))])


# Transcripts: the same file twice, corrections ---------------------------------------------------------------


async def same_file_for_rae(ctx: Ctx) -> None:
    """Rae's recording for Q2, transcribed; Sol on Q1 of his own draft; the file's bytes kept for the row."""
    await c.draft_on_q2(ctx)
    ctx.extra["data"] = c.ogg_tone(ctx.tmp, 600)
    ctx.extra["item"] = await c.recording_transcribed(ctx, ctx.steps, ctx.extra["data"], c.TRANSCRIBED)
    sol = await c.witness_steps(ctx, "sol", "Sol Other")
    await sol.click("Answer the questions")
    ctx.extra["sol"] = sol
    ctx.extra["rae_dm"] = [m.content for m in ctx.steps.dm.history()]


async def sol_sends_the_same_file(ctx: Ctx) -> str:
    sol = ctx.extra["sol"]
    await sol.send_file("voice-message.ogg", ctx.extra["data"])
    return c.last_dm(sol)


async def rae_sends_it_again_for_q3(ctx: Ctx) -> str:
    await ctx.steps.click("Skip →")
    await ctx.steps.send_file("voice-message.ogg", ctx.extra["data"])
    return c.last_dm(ctx.steps)


async def rae_sends_it_again(ctx: Ctx) -> str:
    await ctx.steps.send_file("voice-message.ogg", ctx.extra["data"])
    return c.last_dm(ctx.steps)


async def twice_for_the_same_question(ctx: Ctx, before: c.Snapshot) -> None:
    await both_have_it(ctx, before)
    first, again = ctx.extra["items"]
    assert (first.user_id, first.question_id) == (again.user_id, again.question_id)


async def both_have_it(ctx: Ctx, before: c.Snapshot) -> None:
    store = ctx.store
    items = [await store.media.item(i) for i in (ctx.extra["item"], ctx.extra["item"] + 1)]
    assert items[0].media_id == items[1].media_id  # one file kept
    [first] = await store.media.jobs_for_item(items[0].id)
    [second] = await store.media.jobs_for_item(items[1].id)
    assert second.reused_from == first.id and second.result["text"] == c.TRANSCRIBED  # not transcribed again
    assert len(c.kept_files(ctx.world.bot.transcription.media_dir)) == 1
    ctx.extra["items"] = items


async def each_its_own(ctx: Ctx, before: c.Snapshot) -> None:
    await both_have_it(ctx, before)
    rae, sol = ctx.extra["items"]
    assert (rae.user_id, sol.user_id) == (ctx.steps.witness.id, ctx.extra["sol"].witness.id)
    assert [m.content for m in ctx.steps.dm.history()] == ctx.extra["rae_dm"]  # Rae is not told of Sol's


async def for_each_question(ctx: Ctx, before: c.Snapshot) -> None:
    await both_have_it(ctx, before)
    first, again = ctx.extra["items"]
    assert first.user_id == again.user_id and first.question_id != again.question_id


async def sol_sent_it_too(ctx: Ctx) -> None:
    await same_file_for_rae(ctx)
    await sol_sends_the_same_file(ctx)


async def sol_is_forgotten(ctx: Ctx) -> str:
    sol = ctx.extra["sol"].witness
    asked = await sol.slash(ctx.world.general, "privacy forget-me")
    return c.said(await sol.click(asked.response.message, label="Yes, erase my data"))


async def raes_stays(ctx: Ctx, before: c.Snapshot) -> None:
    store = ctx.store
    assert await store.media.item(ctx.extra["item"] + 1) is None  # Sol's recording and transcript are gone
    rae = await store.media.item(ctx.extra["item"])
    [job] = await store.media.jobs_for_item(rae.id)
    assert job.result["text"] == c.TRANSCRIBED
    media = await store.media.media(rae.media_id)
    assert ctx.world.bot.transcription.path_of(media).read_bytes() == ctx.extra["data"]


def corrects(text: str, *, forged: bool = False) -> c.Act:
    async def act(ctx: Ctx) -> str:
        user = ctx.steps.witness.user
        shown = await user.click(ctx.extra["post"], label="Correct")
        if forged:
            return c.said(await c.forge_modal(user, shown, {"part1": text}))
        return c.said(await user.submit_modal(shown, {"part1": text}))

    return act


async def transcript_and_accepted(ctx: Ctx) -> None:
    await c.transcript_on_q2(ctx)
    await ctx.steps.witness.user.click(ctx.extra["post"], label="Confirm")
    await ctx.steps.click("Overview")
    await ctx.steps.click("Review and submit")
    await ctx.steps.click("Submit evidence")
    done = await ctx.world.secretariat_runs("review accept", reference="SCI0001")
    assert "now **accepted**" in c.said(done)


def replies_with_file(filename: str, data: bytes) -> c.Act:
    """The witness replies to the transcript message with a corrected transcript as a file."""

    async def act(ctx: Ctx) -> str:
        steps = ctx.steps
        backend = steps.witness._env.backend
        to = ctx.extra["post"]
        reference = backend.normalize_message_reference(
            steps.dm.id, {"channel_id": str(steps.dm.id), "message_id": str(to.id)}
        )
        payloads = backend.store_attachments(steps.dm.id, [(filename, data)])
        await steps.witness.user.send_dm("", attachments=payloads, reference=reference)
        return c.last_dm(steps)

    return act


def sam_proposes(text: str, *, forged: bool = False) -> c.Act:
    async def act(ctx: Ctx) -> str:
        sam = ctx.extra["sam"]
        shown = await sam.user.click(ctx.extra["sam_post"], label="Propose a correction")
        if forged:
            return c.said(await c.forge_modal(sam.user, shown, {"text": text}))
        return c.said(await sam.user.submit_modal(shown, {"text": text}))

    return act


# The table ---------------------------------------------------------------------------------------------------

WORDS = "word " * 820  # 4,100 characters
REF = {"reference": "SCI0001"}
ON_Q2, OVERVIEW, OPEN, SUBMITTED = c.draft_on_q2, c.draft_on_overview, c.call_open, c.submitted
NOTHING = nothing_setup


def row(id: str, setup, act: c.Act, *says: str, never: tuple[str, ...] = (), check=None, slow=False) -> Row:
    return Row(id, setup, act, says, never, check, slow)


def media(id: str, filename: str, data, *says: str, setup=ON_Q2, **options) -> Row:
    """A file sent by direct message that must leave nothing kept and nothing queued."""
    return row(id, setup, sends(filename, data, **options), *says, check=nothing_kept_nothing_queued)


def document(id: str, filename: str, data: bytes, *says: str) -> Row:
    return row(id, ON_Q2, sends(filename, data), f"I could not take {filename}", *says, "draft is unchanged")


def zipped(id: str, make, *says: str, filename: str = "craig.zip") -> Row:
    return row(id, c.session_open, uploads(filename, make), *says, check=nothing_unpacked_or_kept)


def reject(reason: str) -> c.Act:
    return runs("secretariat", "review reject", {**REF, "reason": "x"}, forged={"reason": reason})


def create(**forged) -> c.Act:
    options = {"code": "SCI", "title": "Social connection", "word_limit": 3000}
    return runs("secretariat", "inquiry create", options, forged=forged)


def long_file(suffix: str):
    return lambda tmp: c.lying_file(tmp, suffix)


def recording(seconds: float = 1.0):
    return lambda tmp: c.ogg_tone(tmp, 440, seconds)


def session_wav(ctx: Ctx) -> dict:
    return {**session_id(ctx), "file": ("a.wav", b"RIFF")}


NOT_OURS = "cannot find that submission among yours"
POSTED = ("SCI0001",)
HEADING, MASKED_LINK = r"^\s*#{1,3} ", r"(?<!\\)\[[^\]\n]*\]\(https?://"

ROWS = [
    # Over-long and missing answers and details
    row("answer-over-the-total", ON_Q2, answer_over_the_total, "20,101 characters long", "most is 20,100"),
    row(
        "answer-input-over-4000-forged",
        ON_Q2,
        answer_parts(WORDS),
        "4,099 characters",
        "at most 4,000",
        "Nothing was saved",
    ),
    row("answer-inputs-all-over-4000-forged", ON_Q2, answer_parts(*[WORDS] * 5), "at most 4,000", "Nothing was saved"),
    row("name-blank-forged", OVERVIEW, details(name="   "), "Please give the name"),
    row("name-over-100-forged", OVERVIEW, details(name="N" * 101), "The name is 101 characters long", "most is 100"),
    row("organisation-over-200-forged", OVERVIEW, details(organisation="O" * 201), "201 characters", "most is 200"),
    row("contact-over-300-forged", OVERVIEW, details(contact="c" * 301), "phone number is 301 characters", "300"),
    row("organisation-left-unnamed", organisation_chosen, organisation_left_blank, "organisation", "give its name"),
    row("submit-with-nothing-answered", nothing_answered_on_review, click("Submit evidence"), "at least one"),
    row("submit-without-a-name", no_details_on_review, click("Submit evidence"), "Before you submit", "your name"),
    row(
        "submit-over-the-word-limit",
        over_the_word_limit_on_review,
        click("Submit evidence"),
        *("80 words", "the limit is 50", "draft is saved"),
    ),
    # Over-long, blank and out-of-range options of the secretariat's commands
    row("reject-reason-over-1000-forged", SUBMITTED, reject("y" * 1001), "1,001 characters long", "most is 1,000"),
    row("reject-reason-blank-forged", SUBMITTED, reject("   "), "Please give the reason for rejecting"),
    row("inquiry-title-over-200-forged", NOTHING, create(title="T" * 201), "title is 201 characters long"),
    row("word-limit-out-of-range-forged", NOTHING, create(word_limit=5), "between 50 and 50,000"),
    row("inquiry-code-not-letters", NOTHING, create(code="S1"), "2 to 6 letters"),
    row(
        "question-over-1000-forged",
        c.inquiry_in_draft,
        runs("secretariat", "inquiry question-add", {"text": "q", "inquiry": "SCI"}, forged={"text": "Q" * 1001}),
        "question is 1,001 characters long",
    ),
    # Dates
    row("closing-date-malformed", c.inquiry_in_draft, closes("next Tuesday at five"), "could not read", "YYYY-MM-DD"),
    row("closing-date-year-9999", c.inquiry_in_draft, closes("9999-12-31 23:59"), "within 5 years", "check the year"),
    row("closing-date-in-the-past", c.inquiry_in_draft, closes("2025-06-01 17:00"), "must be in the future"),
    row(
        "closing-date-in-the-skipped-hour",
        c.inquiry_in_draft,
        closes("2026-03-29 01:30"),
        "does not exist in Europe/London",
    ),
    row(
        "closing-date-in-the-repeated-hour",
        c.inquiry_in_draft,
        closes("2026-10-25 01:30"),
        "happens twice",
        "BST",
        "GMT",
    ),
    row("session-start-in-the-skipped-hour", OPEN, schedule_at("2026-03-29 01:30"), "clocks go forward an hour"),
    row("session-start-malformed", OPEN, schedule_at("tomorrow morning"), "could not read", "as a start"),
    row("session-start-on-an-impossible-day", OPEN, schedule_at("2030-02-30 10:00"), "could not read", "YYYY-MM-DD"),
    row("session-start-in-the-repeated-hour", OPEN, schedule_at("2026-10-25 01:30"), "happens twice", "BST", "GMT"),
    row("session-start-year-9999", OPEN, schedule_at("9999-12-31 10:00"), "check the year", never=("Scheduled",)),
    row(
        "recording-start-malformed",
        c.session_open,
        runs("secretariat", "session recording", lambda ctx: {**session_wav(ctx), "started": "25:99"}),
        "HH:MM",
    ),
    row(
        "deadline-passed-taken-late",
        late_on_review,
        click("Submit evidence"),
        *("SCI0001", "marked late", "still be considered"),
        check=taken_late_not_lost,
    ),
    # The wrong person, the wrong place
    row("witness-runs-review-accept", SUBMITTED, runs("witness", "review accept", REF), "Secretariat only"),
    row(
        "member-runs-review-show",
        SUBMITTED,
        runs("member", "review show", REF),
        "Secretariat only",
        never=("rae@example.org", "Lunch clubs"),
    ),
    row("witness-runs-export-evidence", c.accepted, runs("witness", "export evidence"), "Secretariat only"),
    row(
        "witness-runs-retranscribe",
        c.transcript_on_q2,
        runs("witness", "retranscribe", lambda ctx: {"item": ctx.extra["item"], "model": "base"}),
        "Secretariat only",
    ),
    row(
        "witness-runs-session-open",
        c.session_scheduled,
        runs("margaret", "session open", session_id),
        "Only the chair of this session",
    ),
    row(
        "witness-runs-session-corrections",
        c.spoken_answers,
        runs("margaret", "session corrections", session_id),
        *("Only the secretariat or the chair", "read the corrections"),
        never=(c.SAM_HEARD,),
    ),
    row(
        "chair-uploads-session-recording",
        c.session_open,
        runs("chair", "session recording", session_wav),
        "Only the secretariat can upload",
    ),
    row(
        "server-commands-not-offered-in-a-dm",
        ON_Q2,
        commands_offered_in_a_dm,
        "privacy forget-me",
        never=("review", "session", "export", "inquiry", "evidence", "my-evidence", "retranscribe"),
    ),
    row("review-accept-sent-from-a-dm", SUBMITTED, review_accept_sent_from_a_dm, "not in direct messages"),
    row("submit-button-pressed-in-a-dm", OPEN, submit_button_pressed_in_a_dm, "works only in the server"),
    # Twice, at once, and through a restart
    row(
        "submit-twice-from-two-devices",
        submitted_on_another_device,
        click("Submit evidence"),
        *("already been submitted as SCI0001", "nothing changed"),
    ),
    row("accept-twice", c.accepted, runs("secretariat", "review accept", REF), "SCI0001 is accepted", "cannot be"),
    row(
        "accept-and-withdraw-at-once",
        SUBMITTED,
        accept_and_withdraw_at_once,
        *("SCI0001 was", "meanwhile; nothing changed"),
        check=one_of_them_won,
    ),
    row(
        "restart-mid-submission",
        restarted_on_review,
        click("Submit evidence"),
        "received as **SCI0001**",
        check=the_draft_came_through_the_restart,
    ),
    # Another person's buttons and forms
    row(
        "forged-open-of-another-draft", two_witnesses, sol_presses("evidence:nav:{rae}:review"), NOT_OURS, never=(c.Q1,)
    ),
    row("forged-submit-of-another-draft", two_witnesses, sol_presses("evidence:send:{rae}:"), NOT_OURS),
    row(
        "forged-withdraw-of-another",
        rae_submitted_and_sol_drafting,
        sol_presses("evidence:withdrawok:{rae}:"),
        NOT_OURS,
    ),
    row("forged-answer-in-another-draft", two_witnesses, sol_answers_in_raes_form, NOT_OURS),
    row("forged-confirm-of-another-recording", two_transcripts, sol_confirms_raes_recording, "not one of yours"),
    row("forged-correction-of-another-recording", two_transcripts, sol_corrects_raes_recording, "not one of yours"),
    row(
        "forged-correction-of-another-spoken-answer",
        c.spoken_answers,
        margaret_corrects_sams_answer,
        "not one of your spoken answers",
    ),
    # Text that tries to be something else
    row(
        "name-of-invisible-characters-only", OVERVIEW, details(name="\u200b\u2060\u200d\ufeff"), "Please give the name"
    ),
    row(
        "name-with-bidirectional-controls", NOTHING, gives("Rae \u202eFusal\u202c"), *POSTED, check=no_bidi_in_the_forum
    ),
    row("mentions-in-an-answer", NOTHING, gives_a_pinging_answer, *POSTED, check=nothing_pings),
    row("mentions-in-a-name", NOTHING, gives("@everyone @here"), *POSTED, check=nothing_pings),
    row(
        "markdown-heading-in-an-answer",
        NOTHING,
        gives("Rae Fusal", "# HUGE HEADING\nThe clubs closed."),
        *POSTED,
        check=markdown_is_inert(HEADING),
    ),
    row(
        "masked-link-in-an-answer",
        NOTHING,
        gives("Rae Fusal", "Read the [Official guidance](https://evil.example/prize)."),
        *POSTED,
        check=markdown_is_inert(MASKED_LINK),
    ),
    row(
        "link-in-an-answer",
        NOTHING,
        gives("Rae Fusal", "See https://evil.example/prize for details."),
        *POSTED,
        check=link_previews_suppressed,
    ),
    row(
        "invisible-and-bidi-characters-in-answers",
        disguised_controls_accepted,
        exports_the_volume,
        ".docx",
        check=nothing_invisible_printed,
    ),
    row(
        "homoglyphs-in-an-anonymous-name",
        anonymous_and_accepted,
        exports_the_volume,
        *(".docx", "redacted"),
        check=the_name_is_redacted,
    ),
    row(
        "redaction-slow-pattern-inputs", NOTHING, worst_cases_redacted, "redacted", check=each_in_a_fraction_of_a_second
    ),
    # Recordings that are not what they say, or too much
    media("text-file-as-a-recording", "voice-message.ogg", b"My notes.\n" * 90, "not audio or video"),
    media("exe-renamed-ogg", "statement.ogg", c.EXE, "I could not take statement.ogg", "not audio or video"),
    media("picture-sent-as-evidence", "photo.png", c.PNG, "I can take audio or video", "not kept photo.png"),
    media("macro-document-docm", "evidence.docm", sample_docx(), "Documents with macros (.docm)", "draft is unchanged"),
    media("truncated-ogg", "voice-message.ogg", c.truncated_ogg, "damaged or incomplete"),
    media(
        "random-bytes-mp4", "statement.mp4", bytes(range(256)) * 40, "statement.mp4: this file is not audio or video"
    ),
    media("empty-recording", "voice-message.ogg", b"", "the file is empty"),
    media("mute-video", "statement.mp4", c.mute_video, "I could not take statement.mp4", "no sound track"),
    media("webm-lying-about-its-length", "a.webm", long_file(".webm"), "1-minute limit", limits={"max_seconds": 60}),
    media("m4a-lying-about-its-length", "a.m4a", long_file(".m4a"), "1-minute limit", limits={"max_seconds": 60}),
    media("hls-playlist-as-a-recording", "voice-message.ogg", c.hls_playlist, "a playlist", "not a recording"),
    media("ffconcat-list-as-a-recording", "statement.mp4", c.ffconcat, "a playlist", "not a recording"),
    media(
        "recording-over-the-size-limit",
        "statement.wav",
        lambda tmp: c.silent_wav(tmp, 70),
        *("statement.wav is 2.1 MB", "the largest file I can take is 1.9 MB"),
        limits={"max_bytes": 2_000_000},
    ),
    media("recording-over-the-length-limit", "v.ogg", recording(4), "2-second limit", limits={"max_seconds": 2}),
    media("recording-without-a-draft", "v.ogg", recording(), "as part of your evidence", setup=OPEN, stranger=True),
    media(
        "files-per-hour-reached",
        "voice-message.ogg",
        recording(),
        *("You have sent 2 files in the last hour", "You can send another in about"),
        setup=sent_twice_in_the_hour,
    ),
    media(
        "bytes-per-day-reached",
        "statement.wav",
        lambda tmp: c.wav_tone(tmp, 2.0),
        "a day I take from one person",
        limits={"limits": IntakeLimits(bytes_per_day=20_000, pending_per_person=0)},
    ),
    media(
        "disk-nearly-full",
        "voice-message.ogg",
        recording(),
        *("almost out of disk space", "Nothing was kept"),
        limits={"limits": IntakeLimits(min_free_bytes=1 << 60)},
    ),
    row(
        "silent-audio",
        ON_Q2,
        sends("quiet.wav", c.silent_wav),
        *("found no speech", "nothing was added"),
        check=silence_heard,
        slow=True,
    ),
    # Documents
    document("encrypted-pdf", "evidence.pdf", c.locked_pdf(), "protected by a password"),
    document("scanned-pdf-without-text", "scan.pdf", c.scanned_pdf(), "no text layer"),
    document("empty-docx", "evidence.docx", c.empty_docx(), "no words in it"),
    document("damaged-docx", "evidence.docx", c.damaged_docx(), "damaged or incomplete"),
    document("zip-bomb-docx", "evidence.docx", c.bomb_docx(), "unpacks to far more than a document"),
    document("text-in-no-readable-encoding", "evidence.txt", c.NOT_UTF8, "not in UTF-8"),
    row(
        "picture-named-docx-in-the-form",
        OVERVIEW,
        sends_through_the_form("evidence.docx", c.PNG),
        *("a picture, not a document", "draft is unchanged"),
    ),
    row(
        "macros-inside-a-docx-in-the-form",
        OVERVIEW,
        sends_through_the_form("evidence.docx", macro_docx(sample_docx())),
        *("contains macros", "draft is unchanged"),
    ),
    row(
        "document-over-the-size-limit",
        OVERVIEW,
        sends_through_the_form("evidence.txt", b"words " * 300_000, max_bytes=1024 * 1024),
        *("it is 1.7 MB", "the most that can be taken is 1 MB", "draft is unchanged"),
    ),
    # Zips of a session's recording
    zipped("zip-with-an-encrypted-entry", c.zip_encrypted, "is encrypted", "upload it without a password"),
    zipped("zip-with-overlapping-entries", c.zip_overlapping, "could not be unpacked"),
    zipped("zip-with-path-traversal", traversal, "points outside the archive"),
    zipped("zip-with-too-many-members", too_many_tracks, "a recording has at most 24"),
    zipped("zip-with-a-symlink", c.zip_symlink, "is a symbolic link"),
    zipped("zip-bomb-of-a-track", bomb, "recordings do not compress like that"),
    zipped("session-recording-not-media", lambda track: b"notes", "neither an audio", filename="notes.txt"),
    # The same file twice
    row("same-file-from-another-witness", same_file_for_rae, sol_sends_the_same_file, "for Q1", check=each_its_own),
    row(
        "same-file-for-another-question",
        same_file_for_rae,
        rae_sends_it_again_for_q3,
        "for Q3",
        check=for_each_question,
    ),
    row(
        "same-file-again-for-the-same-question",
        same_file_for_rae,
        rae_sends_it_again,
        "for Q2",
        check=twice_for_the_same_question,
    ),
    row("same-file-erasure-keeps-the-other", sol_sent_it_too, sol_is_forgotten, "erased", check=raes_stays),
    # Corrections of transcripts
    row("correction-far-longer-than-the-transcript", c.transcript_on_q2, corrects("x" * 3000), "much longer than"),
    row(
        "correction-of-accepted-evidence",
        transcript_and_accepted,
        corrects(c.TRANSCRIBED + " And more."),
        *("accepted by the secretariat", "can no longer be changed"),
    ),
    row("correction-emptied-forged", c.transcript_on_q2, corrects("   ", forged=True), "cannot be empty"),
    row(
        "corrected-transcript-file-not-text",
        c.transcript_on_q2,
        replies_with_file("transcript.txt", c.NOT_UTF8),
        *("could not read transcript.txt as text", "UTF-8"),
    ),
    row(
        "corrected-transcript-file-too-large",
        c.transcript_on_q2,
        replies_with_file("transcript.txt", b"word " * 220_000),
        "a corrected transcript is plain text of at most 1 MB",
        never=("transcript.txt is 1 MB",),  # 1.05 MB: the size must not read as the limit itself
    ),
    row("session-correction-unchanged", c.spoken_answers, sam_proposes(c.SAM_HEARD), "nothing to correct"),
    row(
        "session-correction-over-the-limit-forged",
        c.spoken_answers,
        sam_proposes("w" * 20_001, forged=True),
        *("20,001 characters long", "most is 20,000"),
    ),
]


@pytest.fixture
async def world(simcord_env, simcord_bot):
    return await c.new_world(simcord_env, simcord_bot)


WHISPER = [pytest.mark.slow, pytest.mark.simcord(settle_timeout=180)]  # a model in the worker: time to load it


@pytest.mark.parametrize("row", [pytest.param(r, marks=WHISPER if r.slow else [], id=r.id) for r in ROWS])
async def test_bad_input_gets_a_clear_message_and_nothing_is_stored_or_lost(world, tmp_path, settings, store, row):
    ctx = Ctx(world, tmp_path, extra={"settings": settings, "store": store})
    await row.setup(ctx)
    before = await c.snapshot(world)
    told = await row.act(ctx)
    for phrase in row.says:
        assert c.norm(phrase) in told, told
    for phrase in row.never:
        assert c.norm(phrase) not in told, told
    await (row.check or c.unchanged)(ctx, before)


def test_the_table_holds_sixty_kinds_or_more():
    assert len({row.id for row in ROWS}) == len(ROWS) >= 60
