"""``evidence-bot demo --out DIR``: the Social Integration APPG's 2020 call for evidence, played out offline.

The bot is built exactly as in production (same settings type, store, services and cogs) and driven through
SimCord, which runs the real discord.py against an in-memory Discord. The database is left in DIR.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import dataclasses
import io
import logging
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import simcord

from inquiry.evidence.models import SubmissionStatus
from inquiry.record import cli as export_cli
from inquiry.store import Store, is_postgres, redacted

from . import evidence_texts as texts
from .document_scene import document_evidence
from .driver import WitnessSteps, make_world
from .narrator import Narrator
from .record_scene import corrected_and_redacted
from .sessions_scene import oral_session
from .upload_scene import large_video_upload, page_settings
from .voice_scene import spoken_evidence

log = logging.getLogger(__name__)


async def run_demo(
    out: Path,
    *,
    settings: Any,
    build_bot: Callable[[Any, Store], Any],
    quiet: bool = False,
    database: str | None = None,
    media: str | None = None,
    workers: int = 2,
) -> int:
    """Run the demo, print its account, leave ``evidence.db`` (and the documents) in ``out``.

    ``settings`` and ``build_bot`` come from the composition root (``bot.py``), so the bot is built exactly as in
    production; the demo only points its database, media and exports into ``out``. With ``database`` (an empty
    PostgreSQL database's ``postgresql://`` URL) the record goes there and the transcriptions are done by
    ``workers`` processes of ``evidence-bot worker`` that the bot starts; with ``media`` (an ``s3://`` URL) the
    recordings are kept in that bucket.
    """
    database = database or _fresh_database(out)
    _make_folder(out)
    settings = dataclasses.replace(
        settings,
        token=None,
        database=database,
        transcription_workers=workers if is_postgres(database) else settings.transcription_workers,
        media_storage=media,
        media_dir=out / "media",
        export_dir=out,
        web=page_settings(out),
        web_in_bot=True,  # the bot serves the upload page itself, on a loopback port
    )
    narrator = Narrator(quiet=quiet)
    async with await Store.open(database) as store:
        bot = build_bot(settings, store)
        try:
            async with simcord.run(bot, settle_timeout=300) as env:
                await _call_for_evidence(env, bot, narrator, out)
        finally:
            await bot.transcription.close()  # and the worker processes it started
    await _audit_trail(database, out, narrator)
    narrator.section("Done")
    if is_postgres(database):
        narrator.note(f"The inquiry's database is {redacted(database)} (PostgreSQL).")
    else:
        narrator.note(f"The inquiry's database is {database} (SQLite; open it with any SQLite reader).")
    return 0


async def _call_for_evidence(env, bot, narrator: Narrator, out: Path) -> None:
    narrator.section("Setting up the server")
    world = await make_world(env, bot)
    narrator.act("clerk (server administrator)", "/setup")
    narrator.note(
        "Roles Chair, Secretariat and Member and the channels #call-for-evidence, #evidence (a forum the"
        " secretariat alone can see) and #evidence-sessions are created."
    )

    narrator.section("The secretariat opens the call for written evidence")
    inquiry = await world.open_call(days=14)
    commands = (
        f"/inquiry create code:SCI title:{inquiry.title}",
        "/inquiry template name:social-connection",
        f"/inquiry open closes:{inquiry.closes_at.astimezone(bot.services.tz):%Y-%m-%d %H:%M}",
    )
    for command, reply in zip(commands, world.replies, strict=True):
        narrator.act("british_future (Secretariat)", command)
        narrator.bot(reply.response.content, private=True, limit=4)
    narrator.act("bot", "posts the call in #call-for-evidence, with a Submit evidence button:")
    narrator.bot(_embed_text(world.call_post), limit=12)

    narrator.section("Witnesses respond")
    margaret = WitnessSteps(world, world.witness("margaret"))
    narrator.act("margaret (a villager who set up a phone tree)", "presses Submit evidence, answers Q1, Q2 and Q4")
    done = await margaret.give("Margaret Ellis", texts.MARGARET)
    narrator.bot(done.response.content, private=True)
    narrator.act("bot", "sends margaret a receipt by direct message:")
    narrator.bot(margaret.witness.user.dm_channel.last_message.content, limit=6)

    forum = WitnessSteps(world, world.witness("sam_okafor"))
    narrator.act("sam_okafor", "answers all five questions on behalf of Leeds Older People's Forum")
    done = await forum.give("Sam Okafor", texts.FORUM, organisation="Leeds Older People's Forum")
    narrator.bot(done.response.content, private=True)

    anonymous = WitnessSteps(world, world.witness("caseworker"))
    narrator.act("caseworker (works with asylum seekers)", "answers Q1 and Q3 and asks to be published anonymously")
    done = await anonymous.give("Dana Haddad", texts.ANONYMOUS, publication="anonymous")
    narrator.bot(done.response.content, private=True)

    caravan = WitnessSteps(world, world.witness("coffee_caravan"))
    narrator.act("coffee_caravan", f"writes a first draft of {len(texts.too_long(3100).split()):,} words and submits")
    await caravan.give("Rural Coffee Caravan", {1: texts.too_long(3100)}, organisation="Rural Coffee Caravan")
    narrator.bot(caravan.last_words, private=True)
    narrator.act("coffee_caravan", "goes back, shortens the answer and submits again")
    await caravan.click("Back to the answers")
    await caravan.answer(texts.CARAVAN_SHORT[1])
    await caravan.click("Overview")
    await caravan.click("Review and submit")
    done = await caravan.click("Submit evidence")
    narrator.bot(done.response.content, private=True)

    advert = WitnessSteps(world, world.witness("doorbell_sales"))
    narrator.act("doorbell_sales", "submits an advertisement as evidence")
    done = await advert.give("Doorbell Direct Ltd", texts.OFF_TOPIC, organisation="Doorbell Direct Ltd")
    narrator.bot(done.response.content, private=True)

    await spoken_evidence(world, narrator)
    await _publication_changed(world, anonymous, narrator)
    await document_evidence(world, narrator)
    await large_video_upload(world, narrator)

    narrator.section("After the closing date")
    await env.advance_time(15 * 86400)
    narrator.note("Fifteen days pass (the demo's clock is simulated).")
    late = WitnessSteps(world, world.witness("hackney_hubs"))
    narrator.act("hackney_hubs", "submits for the council's community hubs after the deadline")
    done = await late.give("Priya Shah", texts.LATE, organisation="Hackney Council community hubs")
    narrator.bot(done.response.content, private=True)

    narrator.section("The secretariat reviews the evidence")
    review = bot.services.review
    for reference in [s.reference for s in await review.list(inquiry) if s.reference != "SCI0005"]:
        result = await world.secretariat_runs("review accept", reference=reference)
        narrator.act("british_future (Secretariat)", f"/review accept reference:{reference}")
        narrator.bot(result.response.content, private=True, limit=2)
    reason = "An advertisement, outside the inquiry's terms of reference."
    result = await world.secretariat_runs("review reject", reference="SCI0005", reason=reason)
    narrator.act("british_future (Secretariat)", f"/review reject reference:SCI0005 reason:{reason}")
    narrator.bot(result.response.content, private=True, limit=2)
    narrator.act("bot", "tells doorbell_sales by direct message:")
    narrator.bot(advert.witness.user.dm_channel.last_message.content, limit=4)
    rows = []
    for submission in await review.list(inquiry):
        rows.append(
            (
                submission.reference,
                submission.display_name,
                submission.capacity.value,
                submission.publication.value,
                "late" if submission.late else "",
                submission.status.value,
            )
        )
    narrator.table(("ref", "from", "capacity", "publication", "late", "status"), rows)
    assert {s.status for s in await review.list(inquiry)} <= {SubmissionStatus.ACCEPTED, SubmissionStatus.REJECTED}
    narrator.note(f"The secretariat's forum #evidence holds {len(world.forum.threads)} posts, one per submission.")
    session = await oral_session(env, bot, world, narrator)
    await corrected_and_redacted(session, narrator)
    await _the_record(world, session.session_id, narrator, out)


async def _publication_changed(world, steps: WitnessSteps, narrator: Narrator) -> None:
    """A witness changes how their submitted evidence may be published; the secretariat's forum post says so."""
    narrator.section("A witness changes their mind about publication")
    mine = await steps.witness.slash(world.general, "my-evidence")
    narrator.act("caseworker", "/my-evidence")
    narrator.bot(mine.response.content, private=True, limit=4)
    opened = await steps.witness.click(mine.response.message, label="Open SCI0003")
    steps.panel = opened.response.message
    narrator.act("caseworker", "presses Open SCI0003 and chooses Keep confidential")
    await steps.choose(publication="confidential")
    narrator.bot(steps.last_words, private=True, limit=6)
    thread = next(t for t in world.forum.threads if "SCI0003" in (t.name or ""))
    narrator.act("bot", f"notes the change in the forum post {thread.name}:")
    narrator.bot(thread.last_message.content, limit=4)


async def _the_record(world, session_id: int, narrator: Narrator, out: Path) -> None:
    """The secretariat exports the record; the documents are saved into the demo's folder."""
    narrator.section("The record in Word")
    commands = (
        ("export evidence", {}),
        ("export minutes", {"session": session_id}),
        ("export transcript", {"session": session_id}),
    )
    for command, options in commands:
        result = await world.secretariat_runs(command, **options)
        narrator.act("british_future (Secretariat)", f"/{command}" + "".join(f" {k}:{v}" for k, v in options.items()))
        narrator.bot(result.response.content, private=True, limit=3)
        for attachment in result.response.attachments:
            target = out / attachment.filename
            target.write_bytes(await attachment.read())
            narrator.note(f"saved {target}")


async def _audit_trail(database: Path | str, out: Path, narrator: Narrator) -> None:
    """The inquiry's audit trail as CSV, written as ``evidence-bot export audit`` writes it; a count by action."""
    narrator.section("The audit trail")
    target = out / "audit.csv"
    argv = ["audit", "--db", str(database), "--inquiry", "SCI", "--out", str(target)]
    with contextlib.redirect_stdout(io.StringIO()):
        failed = await asyncio.to_thread(export_cli.main, argv)
    if failed:
        raise RuntimeError("the audit trail could not be exported")
    shown = redacted(database) if is_postgres(database) else database
    narrator.act("clerk (on the server)", f"evidence-bot export audit --db {shown} --inquiry SCI --out {target}")
    with target.open(newline="", encoding="utf-8") as file:
        actions = Counter(row["action"] for row in csv.DictReader(file))
    narrator.table(("action", "rows"), sorted(actions.items(), key=lambda item: (-item[1], item[0])))
    narrator.note(f"{sum(actions.values())} audit rows of {len(actions)} kinds, saved to {target}.")


def _make_folder(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)


def _fresh_database(out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("evidence.db*"):
        stale.unlink()
    return out / "evidence.db"


def _embed_text(message) -> str:
    embed = message.embeds[0]
    parts = [embed.title or ""]
    for field in embed.fields:
        parts.append(f"{field.name}: {field.value}")
    return "\n".join(parts)
