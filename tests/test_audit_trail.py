"""The audit trail: every change names who, when, what, why and what it is about; /review audit pages through all
of it (Previous and Next keep their place in their custom_id, so they work after a restart) and narrows to one
submission or one session; ``evidence-bot export audit`` writes the whole trail as CSV."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from datetime import datetime

import pytest

import bot
from bot import build_bot
from demo.driver import WitnessSteps, make_world
from demo.sessions_scene import set_up_session
from inquiry.audit.service import PAGE_SIZE, AuditService
from tests.helpers import submit_evidence

Q1 = "Lunch clubs closed and isolated people lost their only weekly contact."
FOOTER = re.compile(r"^Page (\d+) of (\d+) · (\d+) entries$")


@pytest.fixture
async def world(simcord_env, simcord_bot):
    world = await make_world(simcord_env, simcord_bot)
    await world.open_call()
    return world


async def cli(*argv: str) -> int:
    """The command line, as an operator runs it beside the bot (in a thread: it runs its own event loop)."""
    return await asyncio.to_thread(bot.main, list(argv))


async def entry_count(world) -> int:
    row = await world.bot.services.store.fetch_one(
        "SELECT count(*) FROM audit_log WHERE inquiry_id = ?", (world.inquiry.id,)
    )
    return row[0]


def entries_shown(message) -> list[str]:
    return [line for line in message.content.splitlines() if line.startswith("`")]


def footer(message) -> tuple[int, int, int]:
    number, pages, total = FOOTER.match(message.content.splitlines()[-1]).groups()
    return int(number), int(pages), int(total)


def button(message, label: str):
    return next(c for row in message.components for c in row.children if c.label == label)


async def every_entry_newest_first(world) -> list[str]:
    """What each entry is shown as (``SCI0001 accepted``, ``call opened``), read straight from the store."""
    references = {s.id: s.reference for s in await world.bot.services.review.list(world.inquiry)}
    rows = await world.bot.services.store.fetch_all(
        "SELECT action, target_kind, target_id FROM audit_log WHERE inquiry_id = ? ORDER BY id DESC",
        (world.inquiry.id,),
    )
    return [f"{references[r[2]]} {r[0]}" if r[1] == "submission" else r[0] for r in rows]


async def many_decisions(world, rounds: int) -> None:
    """Decisions back and forth on three submissions: plenty of entries."""
    services, inquiry = world.bot.services, world.inquiry
    for name in ("amira", "sam", "priya"):
        await submit_evidence(world, name, name.title(), {1: Q1}, forum=False)
    for _ in range(rounds):
        for reference in ("SCI0001", "SCI0002", "SCI0003"):
            await services.review.accept(inquiry, reference, world.secretariat.id)
            await services.review.reject(inquiry, reference, world.secretariat.id, "Out of scope.")


async def test_review_audit_pages_through_all_of_it_and_back_even_after_a_restart(world, settings, store):
    await many_decisions(world, 4)
    total = await entry_count(world)
    assert total > 2 * PAGE_SIZE

    first = await world.secretariat_runs("review audit")
    message = first.response.message
    assert "**Audit log of SCI**: newest first" in message.content
    assert footer(message) == (1, -(-total // PAGE_SIZE), total)
    assert button(message, "← Previous").disabled and not button(message, "Next →").disabled
    pages = [entries_shown(message)]

    fresh = build_bot(settings, store)  # the buttons carry their state: a new bot serves them
    await world.env.restart_bot(fresh)
    world.bot = fresh

    while not button(message, "Next →").disabled:
        message = (await world.secretariat.click(message, label="Next →")).response.message
        pages.append(entries_shown(message))
    shown = [re.search(r"\*\*(.+?)\*\*", line)[1] for page in pages for line in page]
    assert shown == await every_entry_newest_first(world)  # each entry once, in order, none left out
    assert footer(message)[0] == footer(message)[1] == len(pages)

    back = (await world.secretariat.click(message, label="← Previous")).response.message
    assert entries_shown(back) == pages[-2]
    assert footer(back)[0] == len(pages) - 1


async def test_review_audit_narrows_to_a_session_or_a_submission(world):
    sw = await set_up_session(world)
    await submit_evidence(world, "amira", "Amira Khan", {1: Q1}, forum=False)
    await sw.open()
    await sw.chair_does("ask", text="What issues has the COVID-19 crisis raised for socially isolated groups?")
    await sw.witnesses["sam_okafor"].send(sw.thread, "Day centres closed and carers are exhausted.")

    session = await world.secretariat_runs("review audit", session=1)
    text = session.response.content
    assert text.startswith("**Audit log of session 1 of SCI** (oldest first;")
    for action in ("session scheduled", "witness added", "session opened", "Q1: question put"):
        assert f"**{action}**" in text, action
    assert "**answer to Q1: answer recorded** · session 1, Q1: Sam Okafor" in text
    assert "submitted" not in text

    one = await world.secretariat_runs("review audit", reference="SCI0001")
    assert one.response.content.startswith("**Audit log of SCI0001** (oldest first;")
    assert entries_shown(one.response.message) == [
        line for line in entries_shown(one.response.message) if "**submitted**" in line
    ]

    none = await world.secretariat_runs("review audit", session=9)
    assert none.response.content == "SCI has no session 9."
    both = await world.secretariat_runs("review audit", session=1, reference="SCI0001")
    assert "not both" in both.response.content

    rows = await world.bot.services.store.fetch_all("SELECT action FROM audit_log WHERE target_kind IS NULL")
    assert rows == []  # every entry names what it is about


async def test_the_whole_trail_as_csv(world, settings):
    nina = world.witness("nina")
    await WitnessSteps(world, nina).give("Nina Wardley", {1: Q1})
    sam = await submit_evidence(world, "sam", "Sam Okafor", {1: Q1}, forum=False)
    q1 = world.inquiry.questions[0].id
    await world.bot.services.submissions.save_answer(sam.id, sam.user_id, q1, "Day centres closed too.")
    await world.secretariat_runs("review reject", reference="SCI0002", reason='=HYPERLINK("x") is no evidence')
    asked = await nina.slash(world.general, "privacy forget-me")
    await nina.click(asked.response.message, label="Yes, erase my data")
    out = settings.database.parent / "audit" / "SCI-audit.csv"

    assert await cli("export", "audit", "--db", str(settings.database), "--inquiry", "sci", "--out", str(out)) == 0
    with out.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    assert reader.fieldnames == ["when", "who", "action", "target", "reason", "details"]
    assert len(rows) == await entry_count(world)
    for row in rows:
        assert datetime.fromisoformat(row["when"]).utcoffset() is not None, row["when"]
    by_action = {row["action"]: row for row in rows}
    assert by_action["inquiry created"]["who"] == "british_future"  # the secretariat's name on the server
    assert by_action["inquiry created"]["target"] == "SCI"
    rejected = by_action["rejected"]
    assert rejected["target"] == "SCI0002" and rejected["reason"].startswith("'=HYPERLINK")  # never a formula
    assert rejected["details"] == "submitted → rejected"
    assert by_action["erasure requested"]["who"] == "(erased witness)"
    assert "erased: SCI0001" in by_action["erasure requested"]["details"]
    submitted = [row for row in rows if row["action"] == "submitted"]
    assert {row["target"] for row in submitted} == {"SCI0001", "SCI0002"}
    assert [row["who"] for row in submitted if row["target"] == "SCI0001"] == ["(erased witness)"]
    assert [row["who"] for row in submitted if row["target"] == "SCI0002"] == [str(world.witness("sam").id)]
    assert all("Nina" not in value for row in rows for value in row.values())
    edited = by_action["edited by witness"]
    assert edited["target"] == "SCI0002" and edited["who"] == str(sam.user_id)
    assert edited["details"] == f"Q1; 11 → 4 words | before: Q1: {Q1} | after: Q1: Day centres closed too."


async def test_the_audit_csv_holds_what_a_spreadsheet_reads_back(world, settings, capsys):
    await world.secretariat_runs("review audit")  # nothing but the inquiry's own entries
    out = settings.database.parent / "trail.csv"
    assert await cli("export", "audit", "--db", str(settings.database), "--inquiry", "SCI", "--out", str(out)) == 0
    assert capsys.readouterr().out.strip() == str(out)
    text = out.read_text(encoding="utf-8")
    assert next(csv.reader(io.StringIO(text))) == ["when", "who", "action", "target", "reason", "details"]
    missing = await cli("export", "audit", "--db", str(settings.database), "--out", str(out))
    assert missing == 1 and "give --inquiry CODE" in capsys.readouterr().err


async def test_an_audit_entry_is_written_with_the_change_it_records(store):
    audit = AuditService(store, datetime.now)
    with pytest.raises(RuntimeError, match="transaction"):
        await audit.record(inquiry_id=None, action="anything", actor_id=None)


async def test_the_secretariat_downloads_the_whole_trail_as_csv_from_the_page(world):
    await many_decisions(world, 2)
    page = await world.secretariat_runs("review audit", reference="SCI0002")
    result = await world.secretariat.click(page.response.message, label="Whole trail (CSV)")
    [attachment] = result.response.attachments
    assert attachment.filename == "SCI-audit.csv"
    rows = list(csv.DictReader(io.StringIO((await attachment.read()).decode("utf-8"))))
    assert len(rows) == await entry_count(world)  # the whole inquiry's, whatever the page showed
    assert [r["action"] for r in rows if r["target"] == "SCI0002"] == ["submitted"] + ["accepted", "rejected"] * 2
