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

pytestmark = pytest.mark.simcord(settle_timeout=120)

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


# Typed answers and details ---------------------------------------------------------------------------------


def answer_parts(*parts: str) -> c.Act:
    """The answer form submitted with these parts, whatever their length (a modified client)."""

    async def act(ctx: Ctx) -> str:
        shown = await ctx.steps.witness.click(ctx.steps.panel, label="Write answer")
        values = {f"part{i + 1}": part for i, part in enumerate(parts)}
        return c.said(await c.forge_modal(ctx.steps.witness, shown, values))

    return act


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
    ctx.steps = await c.on_q1(ctx)
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
    phone = await c.on_q1(ctx)
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
    await sol.click("Answer the questions")
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
LONG = "x" * 3000

ROWS = [
    # Over-long and missing answers and details
    Row("answer-over-the-total-forged", c.draft_on_q2, answer_parts(*[WORDS] * 5), ("20,5", "the most is 20,100")),
    Row("answer-input-over-4000-forged", c.draft_on_q2, answer_parts("word " * 801), ("4,000", "characters")),
    Row("name-blank-forged", c.draft_on_overview, details(name="   "), ("Please give", "name"), ("the your",)),
    Row("name-over-100-forged", c.draft_on_overview, details(name="N" * 101), ("name is 101 characters", "100")),
    Row(
        "organisation-over-200-forged",
        c.draft_on_overview,
        details(organisation="O" * 201),
        ("201 characters long", "the most is 200"),
    ),
    Row("contact-over-300-forged", c.draft_on_overview, details(contact="c" * 301), ("301 characters", "300")),
    Row("organisation-left-unnamed", organisation_chosen, organisation_left_blank, ("organisation", "its name")),
    Row("submit-with-nothing-answered", nothing_answered_on_review, click("Submit evidence"), ("at least one",)),
    Row("submit-without-a-name", no_details_on_review, click("Submit evidence"), ("Before you submit", "your name")),
    Row(
        "submit-over-the-word-limit",
        over_the_word_limit_on_review,
        click("Submit evidence"),
        ("80 words", "the limit is 50", "draft is saved"),
    ),
    # Over-long and blank options of the secretariat's commands
    Row(
        "reject-reason-over-1000-forged",
        c.submitted,
        runs("secretariat", "review reject", {"reference": "SCI0001", "reason": "x"}, forged={"reason": "y" * 1001}),
        ("1,001 characters long", "the most is 1,000"),
    ),
    Row(
        "reject-reason-blank-forged",
        c.submitted,
        runs("secretariat", "review reject", {"reference": "SCI0001", "reason": "x"}, forged={"reason": "   "}),
        ("Please give the reason for rejecting",),
    ),
    Row(
        "inquiry-title-over-200-forged",
        nothing_setup,
        runs("secretariat", "inquiry create", {"code": "SCI", "title": "t"}, forged={"title": "T" * 201}),
        ("title is 201 characters long", "200"),
    ),
    Row(
        "question-over-1000-forged",
        c.inquiry_in_draft,
        runs("secretariat", "inquiry question-add", {"text": "q", "inquiry": "SCI"}, forged={"text": "Q" * 1001}),
        ("question is 1,001 characters long",),
    ),
    Row(
        "word-limit-out-of-range-forged",
        nothing_setup,
        runs("secretariat", "inquiry create", {"code": "SCI", "title": "t"}, forged={"word_limit": 5}),
        ("between 50 and 50,000",),
    ),
    Row(
        "inquiry-code-not-letters",
        nothing_setup,
        runs("secretariat", "inquiry create", {"code": "S1", "title": "Social connection"}),
        ("2 to 6 letters",),
    ),
    # Dates
    Row("closing-date-malformed", c.inquiry_in_draft, closes("next Tuesday at five"), ("could not read", "YYYY")),
    Row("closing-date-year-9999", c.inquiry_in_draft, closes("9999-12-31 23:59"), ("within 5 years", "the year")),
    Row(
        "closing-date-in-the-skipped-hour",
        c.inquiry_in_draft,
        closes("2026-03-29 01:30"),
        ("does not exist in Europe/London", "clocks go forward"),
    ),
    Row(
        "closing-date-in-the-repeated-hour",
        c.inquiry_in_draft,
        closes("2026-10-25 01:30"),
        ("happens twice in Europe/London", "BST", "GMT"),
    ),
    Row("closing-date-in-the-past", c.inquiry_in_draft, closes("2025-06-01 17:00"), ("must be in the future",)),
    Row(
        "session-start-in-the-skipped-hour",
        c.call_open,
        schedule_at("2026-03-29 01:30"),
        ("does not exist in Europe/London",),
    ),
    Row("session-start-malformed", c.call_open, schedule_at("tomorrow morning"), ("could not read", "as a start")),
    Row(
        "recording-start-malformed",
        c.session_open,
        runs(
            "secretariat",
            "session recording",
            lambda ctx: {**session_id(ctx), "file": ("a.wav", b"RIFF"), "started": "25:99"},
        ),
        ("HH:MM",),
    ),
    Row(
        "deadline-passed-taken-late",
        late_on_review,
        click("Submit evidence"),
        ("SCI0001", "marked late", "still be considered"),
        check=taken_late_not_lost,
    ),
    # The wrong person, the wrong place
    Row(
        "witness-runs-review-accept",
        c.submitted,
        runs("witness", "review accept", {"reference": "SCI0001"}),
        ("Secretariat only",),
    ),
    Row(
        "member-runs-review-show",
        c.submitted,
        runs("member", "review show", {"reference": "SCI0001"}),
        ("Secretariat only",),
        ("rae@example.org", "Lunch clubs"),
    ),
    Row("witness-runs-export-evidence", c.accepted, runs("witness", "export evidence"), ("Secretariat only",)),
    Row(
        "witness-runs-retranscribe",
        c.transcript_on_q2,
        runs("witness", "retranscribe", lambda ctx: {"item": ctx.extra["item"], "model": "base"}),
        ("Secretariat only",),
    ),
    Row(
        "witness-runs-session-open",
        c.session_scheduled,
        runs("margaret", "session open", session_id),
        ("Only the chair of this session",),
    ),
    Row(
        "witness-runs-session-corrections",
        c.spoken_answers,
        runs("margaret", "session corrections", session_id),
        ("Only the secretariat or the chair", "read the corrections"),
        (c.SAM_HEARD,),
    ),
    Row(
        "chair-uploads-session-recording",
        c.session_open,
        runs("chair", "session recording", lambda ctx: {**session_id(ctx), "file": ("a.wav", b"RIFF")}),
        ("Only the secretariat can upload",),
        ("or the chair",),
    ),
    Row(
        "server-commands-not-offered-in-a-dm",
        c.draft_on_q2,
        commands_offered_in_a_dm,
        ("privacy forget-me",),
        ("review", "session", "export", "inquiry", "evidence", "my-evidence", "retranscribe"),
    ),
    Row(
        "review-accept-sent-from-a-dm",
        c.submitted,
        review_accept_sent_from_a_dm,
        ("works in the inquiry's server", "not in direct messages"),
    ),
    Row(
        "submit-button-pressed-in-a-dm",
        c.call_open,
        submit_button_pressed_in_a_dm,
        ("works only in the server",),
    ),
    # Twice, at once, and through a restart
    Row(
        "submit-twice-from-two-devices",
        submitted_on_another_device,
        click("Submit evidence"),
        ("already been submitted as SCI0001", "nothing changed"),
    ),
    Row(
        "accept-twice",
        c.accepted,
        runs("secretariat", "review accept", {"reference": "SCI0001"}),
        ("SCI0001 is accepted", "cannot be made accepted"),
    ),
    Row(
        "accept-and-withdraw-at-once",
        c.submitted,
        accept_and_withdraw_at_once,
        ("SCI0001 was", "meanwhile", "nothing changed"),
        check=one_of_them_won,
    ),
    Row(
        "restart-mid-submission",
        restarted_on_review,
        click("Submit evidence"),
        ("received as **SCI0001**",),
        check=the_draft_came_through_the_restart,
    ),
    # Another person's buttons and forms
    Row(
        "forged-open-of-another-draft",
        two_witnesses,
        sol_presses("evidence:nav:{rae}:review"),
        ("cannot find that submission among yours",),
        (c.Q1,),
    ),
    Row(
        "forged-submit-of-another-draft",
        two_witnesses,
        sol_presses("evidence:send:{rae}:"),
        ("cannot find that submission among yours",),
    ),
    Row(
        "forged-withdraw-of-another-submission",
        rae_submitted_and_sol_drafting,
        sol_presses("evidence:withdrawok:{rae}:"),
        ("cannot find that submission among yours",),
    ),
    Row(
        "forged-answer-in-another-draft",
        two_witnesses,
        sol_answers_in_raes_form,
        ("cannot find that submission among yours",),
    ),
    Row("forged-confirm-of-another-recording", two_transcripts, sol_confirms_raes_recording, ("not one of yours",)),
    Row("forged-correction-of-another-recording", two_transcripts, sol_corrects_raes_recording, ("not one of yours",)),
    Row(
        "forged-correction-of-another-spoken-answer",
        c.spoken_answers,
        margaret_corrects_sams_answer,
        ("not one of your spoken answers",),
    ),
    # Text that tries to be something else
    Row(
        "name-of-invisible-characters-only",
        c.draft_on_overview,
        details(name="\u200b\u2060\u200d\ufeff"),
        ("Please give", "name"),
    ),
    Row(
        "name-with-bidirectional-controls",
        nothing_setup,
        gives("Rae \u202eFusal\u202c"),
        ("SCI0001",),
        check=no_bidi_in_the_forum,
    ),
    Row("mentions-in-an-answer", nothing_setup, gives_a_pinging_answer, ("SCI0001",), check=nothing_pings),
    Row("mentions-in-a-name", nothing_setup, gives("@everyone @here"), ("SCI0001",), check=nothing_pings),
    Row(
        "markdown-heading-in-an-answer",
        nothing_setup,
        gives("Rae Fusal", "# HUGE HEADING\nThe clubs closed."),
        ("SCI0001",),
        check=markdown_is_inert(r"^\s*#{1,3} "),
    ),
    Row(
        "masked-link-in-an-answer",
        nothing_setup,
        gives("Rae Fusal", "Read the [Official guidance](https://evil.example/prize)."),
        ("SCI0001",),
        check=markdown_is_inert(r"(?<!\\)\[[^\]\n]*\]\(https?://"),
    ),
    Row(
        "link-in-an-answer",
        nothing_setup,
        gives("Rae Fusal", "See https://evil.example/prize for details."),
        ("SCI0001",),
        check=link_previews_suppressed,
    ),
    Row(
        "invisible-and-bidirectional-characters-in-answers",
        disguised_controls_accepted,
        exports_the_volume,
        (".docx",),
        check=nothing_invisible_printed,
    ),
    Row(
        "homoglyphs-in-an-anonymous-name",
        anonymous_and_accepted,
        exports_the_volume,
        (".docx", "redacted"),
        check=the_name_is_redacted,
    ),
    Row(
        "redaction-slow-pattern-inputs",
        nothing_setup,
        worst_cases_redacted,
        ("redacted",),
        check=each_in_a_fraction_of_a_second,
    ),
]

ROWS += [
    # Recordings that are not what they say, or too much
    Row(
        "text-file-as-a-recording",
        c.draft_on_q2,
        sends("voice-message.ogg", b"My notes, not a recording.\n" * 40),
        ("I could not take voice-message.ogg", "not audio or video"),
        check=nothing_kept_nothing_queued,
    ),
    Row(
        "exe-renamed-ogg",
        c.draft_on_q2,
        sends("statement.ogg", c.EXE),
        ("I could not take statement.ogg", "not audio or video"),
        check=nothing_kept_nothing_queued,
    ),
    Row(
        "picture-sent-as-evidence",
        c.draft_on_q2,
        sends("photo.png", c.PNG),
        ("I can take audio or video", "photo.png"),
        check=nothing_kept_nothing_queued,
    ),
    Row(
        "macro-document-docm",
        c.draft_on_q2,
        sends("evidence.docm", sample_docx()),
        ("Documents with macros (.docm)", "draft is unchanged"),
        check=nothing_kept_nothing_queued,
    ),
    Row(
        "truncated-ogg",
        c.draft_on_q2,
        sends("voice-message.ogg", c.truncated_ogg),
        ("damaged or incomplete",),
        check=nothing_kept_nothing_queued,
    ),
    Row(
        "random-bytes-mp4",
        c.draft_on_q2,
        sends("statement.mp4", lambda tmp: bytes(range(256)) * 40),
        ("I could not take statement.mp4", "not audio or video"),
        check=nothing_kept_nothing_queued,
    ),
    Row(
        "empty-recording",
        c.draft_on_q2,
        sends("voice-message.ogg", b""),
        ("the file is empty",),
        check=nothing_kept_nothing_queued,
    ),
    Row(
        "mute-video",
        c.draft_on_q2,
        sends("statement.mp4", c.mute_video),
        ("I could not take statement.mp4", "no sound track"),
        check=nothing_kept_nothing_queued,
    ),
    Row(
        "silent-audio",
        c.draft_on_q2,
        sends("quiet.wav", c.silent_wav),
        ("found no speech", "nothing was added"),
        check=silence_heard,
        slow=True,
    ),
    Row(
        "webm-lying-about-its-length",
        c.draft_on_q2,
        sends("statement.webm", lambda tmp: c.lying_file(tmp, ".webm"), limits={"max_seconds": 60}),
        ("longer than the 1-minute limit",),
        check=nothing_kept_nothing_queued,
    ),
    Row(
        "m4a-lying-about-its-length",
        c.draft_on_q2,
        sends("statement.m4a", lambda tmp: c.lying_file(tmp, ".m4a"), limits={"max_seconds": 60}),
        ("longer than the 1-minute limit",),
        check=nothing_kept_nothing_queued,
    ),
    Row(
        "hls-playlist-as-a-recording",
        c.draft_on_q2,
        sends("voice-message.ogg", c.hls_playlist),
        ("playlist", "not a recording"),
        check=nothing_kept_nothing_queued,
    ),
    Row(
        "ffconcat-list-as-a-recording",
        c.draft_on_q2,
        sends("statement.mp4", c.ffconcat),
        ("playlist", "not a recording"),
        check=nothing_kept_nothing_queued,
    ),
    Row(
        "recording-over-the-size-limit",
        c.draft_on_q2,
        sends("statement.wav", lambda tmp: c.silent_wav(tmp, 70), limits={"max_bytes": 2_000_000}),
        ("statement.wav is 2.1 MB", "the largest file I can take is 1.9 MB"),
        check=nothing_kept_nothing_queued,
    ),
    Row(
        "recording-over-the-length-limit",
        c.draft_on_q2,
        sends("voice-message.ogg", lambda tmp: c.ogg_tone(tmp, 440, 4.0), limits={"max_seconds": 2}),
        ("longer than the 2-second limit",),
        check=nothing_kept_nothing_queued,
    ),
    Row(
        "recording-without-a-draft",
        c.call_open,
        sends("voice-message.ogg", lambda tmp: c.ogg_tone(tmp, 440), stranger=True),
        ("only take a recording as part of your evidence", "Submit evidence"),
        check=nothing_kept_nothing_queued,
    ),
    Row(
        "files-per-hour-reached",
        sent_twice_in_the_hour,
        sends("voice-message.ogg", lambda tmp: c.ogg_tone(tmp, 440)),
        ("You have sent 2 files in the last hour", "You can send another in about"),
        check=nothing_kept_nothing_queued,
    ),
    Row(
        "bytes-per-day-reached",
        c.draft_on_q2,
        sends(
            "statement.wav",
            lambda tmp: c.wav_tone(tmp, 2.0),
            limits={"limits": IntakeLimits(bytes_per_day=20_000, pending_per_person=0)},
        ),
        ("a day I take from one person",),
        check=nothing_kept_nothing_queued,
    ),
    Row(
        "disk-nearly-full",
        c.draft_on_q2,
        sends(
            "voice-message.ogg",
            lambda tmp: c.ogg_tone(tmp, 440),
            limits={"limits": IntakeLimits(min_free_bytes=1 << 60)},
        ),
        ("almost out of disk space", "Nothing was kept"),
        check=nothing_kept_nothing_queued,
    ),
    # Documents
    Row(
        "encrypted-pdf",
        c.draft_on_q2,
        sends("evidence.pdf", c.locked_pdf()),
        ("I could not take evidence.pdf", "protected by a password", "draft is unchanged"),
    ),
    Row(
        "scanned-pdf-without-text",
        c.draft_on_q2,
        sends("scan.pdf", c.scanned_pdf()),
        ("no text layer", "draft is unchanged"),
    ),
    Row("empty-docx", c.draft_on_q2, sends("evidence.docx", c.empty_docx()), ("no words in it", "draft is unchanged")),
    Row("damaged-docx", c.draft_on_q2, sends("evidence.docx", c.damaged_docx()), ("damaged", "draft is unchanged")),
    Row(
        "zip-bomb-docx",
        c.draft_on_q2,
        sends("evidence.docx", c.bomb_docx()),
        ("unpacks to far more than a document", "draft is unchanged"),
    ),
    Row(
        "text-in-no-readable-encoding",
        c.draft_on_q2,
        sends("evidence.txt", c.NOT_UTF8),
        ("not in UTF-8", "draft is unchanged"),
    ),
    Row(
        "picture-named-docx-in-the-form",
        c.draft_on_overview,
        sends_through_the_form("evidence.docx", c.PNG),
        ("a picture, not a document", "draft is unchanged"),
    ),
    Row(
        "macros-inside-a-docx-in-the-form",
        c.draft_on_overview,
        sends_through_the_form("evidence.docx", macro_docx(sample_docx())),
        ("contains macros", "draft is unchanged"),
    ),
    Row(
        "document-over-the-size-limit",
        c.draft_on_overview,
        sends_through_the_form("evidence.txt", b"words " * 300_000, max_bytes=1024 * 1024),
        ("it is 1.7 MB", "the most that can be taken is 1 MB", "draft is unchanged"),
    ),
    # Zips of a session's recording
    Row(
        "zip-with-an-encrypted-entry",
        c.session_open,
        uploads("craig.zip", c.zip_encrypted),
        ("is encrypted", "without a password"),
        check=nothing_unpacked_or_kept,
    ),
    Row(
        "zip-with-overlapping-entries",
        c.session_open,
        uploads("craig.zip", c.zip_overlapping),
        ("could not be unpacked",),
        check=nothing_unpacked_or_kept,
    ),
    Row(
        "zip-with-path-traversal",
        c.session_open,
        uploads("craig.zip", traversal),
        ("points outside the archive",),
        check=nothing_unpacked_or_kept,
    ),
    Row(
        "zip-with-too-many-members",
        c.session_open,
        uploads("craig.zip", too_many_tracks),
        ("a recording has at most 24",),
        check=nothing_unpacked_or_kept,
    ),
    Row(
        "zip-with-a-symlink",
        c.session_open,
        uploads("craig.zip", c.zip_symlink),
        ("symbolic link",),
        check=nothing_unpacked_or_kept,
    ),
    Row(
        "zip-bomb-of-a-track",
        c.session_open,
        uploads("craig.zip", bomb),
        ("compressed", "do not compress like that"),
        check=nothing_unpacked_or_kept,
    ),
    Row(
        "session-recording-not-media",
        c.session_open,
        uploads("notes.txt", lambda track: b"notes"),
        ("neither an audio or video file nor a zip",),
        check=nothing_unpacked_or_kept,
    ),
    # The same file twice
    Row(
        "same-file-from-another-witness",
        same_file_for_rae,
        sol_sends_the_same_file,
        ("Transcript of your recording for Q1",),
        check=each_its_own,
    ),
    Row(
        "same-file-for-another-question",
        same_file_for_rae,
        rae_sends_it_again_for_q3,
        ("Transcript of your recording for Q3",),
        check=for_each_question,
    ),
    Row("same-file-erasure-keeps-the-other", sol_sent_it_too, sol_is_forgotten, ("erased",), check=raes_stays),
    # Corrections of transcripts
    Row(
        "correction-far-longer-than-the-transcript",
        c.transcript_on_q2,
        corrects(LONG),
        ("much longer than the transcript",),
    ),
    Row(
        "correction-of-accepted-evidence",
        transcript_and_accepted,
        corrects(c.TRANSCRIBED + " And more."),
        ("accepted by the secretariat", "can no longer be changed"),
    ),
    Row("correction-emptied-forged", c.transcript_on_q2, corrects("   ", forged=True), ("cannot be empty",)),
    Row(
        "corrected-transcript-file-not-text",
        c.transcript_on_q2,
        replies_with_file("transcript.txt", c.NOT_UTF8),
        ("could not read transcript.txt as text", "UTF-8"),
    ),
    Row(
        "corrected-transcript-file-too-large",
        c.transcript_on_q2,
        replies_with_file("transcript.txt", b"word " * 220_000),
        ("a corrected transcript is plain text of at most 1 MB",),
    ),
    Row(
        "session-correction-unchanged", c.spoken_answers, sam_proposes(c.SAM_HEARD), ("unchanged", "nothing to correct")
    ),
    Row(
        "session-correction-over-the-limit-forged",
        c.spoken_answers,
        sam_proposes("w" * 20_001, forged=True),
        ("20,001 characters long", "20,000"),
    ),
]


@pytest.fixture
async def world(simcord_env, simcord_bot):
    return await c.new_world(simcord_env, simcord_bot)


@pytest.mark.parametrize("row", [pytest.param(r, marks=[pytest.mark.slow] if r.slow else [], id=r.id) for r in ROWS])
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
