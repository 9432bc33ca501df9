"""``evidence-bot evidence import|show`` on a real SQLite file: evidence received by post gets the next reference, a
forum post owed through the outbox, a place in the audit log, and reads back as the secretariat sees it."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from uploads_support import letter_docx

from bot import main
from inquiry.inquiries.models import InquiryStatus
from inquiry.store import Store

LETTER = [
    "Dear Committee,",
    "Our village hall ran a telephone befriending scheme through the first lockdown.",
    "Volunteers called every older resident twice a week and kept a list of who needed shopping.",
]
WORDS = sum(len(p.split()) for p in LETTER)


async def _make_database(path: Path, *, closes_in_days: float = 14) -> None:
    now = datetime.now(UTC)
    async with await Store.open(path) as store:
        inquiry_id = await store.inquiries.create(
            guild_id=1, code="SCI", title="Social connection", terms="", word_limit=3000, actor_id=7, now=now
        )
        await store.inquiries.add_question(inquiry_id, 1, "How lonely are people in your area?")
        await store.inquiries.set_status(inquiry_id, InquiryStatus.OPEN, now + timedelta(days=closes_in_days))


async def _rows(path: Path, sql: str) -> list[dict]:
    async with await Store.open(path) as store:
        return [dict(r) for r in await store.fetch_all(sql)]


@pytest.fixture
def database(tmp_path) -> Path:
    path = tmp_path / "data" / "evidence.db"
    asyncio.run(_make_database(path))
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["evidence", *argv])
    out, err = capsys.readouterr()
    return code, out.strip(), err.strip()


def test_import_prints_the_reference_and_owes_the_forum_post(database, tmp_path, capsys):
    letter = letter_docx(tmp_path / "village hall letter.docx", LETTER)
    code, out, err = run(
        capsys,
        "import",
        "--db",
        str(database),
        "--inquiry",
        "sci",
        "--file",
        str(letter),
        "--name",
        "Jo Marsh",
        "--capacity",
        "organisation",
        "--organisation",
        "Rural Coffee Caravan",
        "--publication",
        "named",
        "--received",
        (datetime.now(UTC) - timedelta(days=2)).date().isoformat(),
    )
    assert (code, err) == (0, "")
    assert out == "SCI0001"

    [submission] = asyncio.run(_rows(database, "SELECT * FROM submissions"))
    assert submission["user_id"] is None
    assert (submission["status"], submission["reference"], submission["word_count"]) == ("submitted", out, WORDS)
    assert (submission["organisation"], submission["late"]) == ("Rural Coffee Caravan", 0)
    outbox = asyncio.run(_rows(database, "SELECT kind, state FROM outbox ORDER BY id"))
    assert outbox[0] == {"kind": "forum_post", "state": "pending"}  # the running bot posts it
    assert {"kind": "forum_update", "state": "pending"} in outbox  # the note: entered by the secretariat
    [audit] = asyncio.run(_rows(database, "SELECT * FROM audit_log WHERE action = 'entered by secretariat'"))
    assert audit["actor_id"] is None and audit["actor_name"] == "command line"
    assert "village hall letter.docx" in audit["detail"]
    [document] = asyncio.run(_rows(database, "SELECT * FROM documents"))
    kept = database.parent / "media" / document["path"]
    assert kept.read_bytes() == letter.read_bytes()  # the original, kept beside the bot's other evidence


def test_show_prints_the_submission_as_the_secretariat_sees_it(database, tmp_path, capsys):
    letter = letter_docx(tmp_path / "letter.docx", LETTER)
    common = ["--db", str(database), "--inquiry", "SCI", "--file", str(letter), "--publication", "anonymous"]
    assert run(capsys, "import", *common, "--name", "Ann Lee", "--capacity", "individual", "--accept")[1] == "SCI0001"

    code, out, _ = run(capsys, "show", "--db", str(database), "--reference", "sci1", "--format", "json")
    assert code == 0
    shown = json.loads(out)
    assert shown["reference"] == "SCI0001"
    assert (shown["status"], shown["name"], shown["publication"]) == ("accepted", "Ann Lee", "anonymous")
    assert shown["words"] == WORDS
    assert shown["entered_by_secretariat"] is True
    assert shown["entry"]["via"] == "command_line"
    [statement] = shown["statements"]
    assert " ".join(statement.split()) == " ".join(" ".join(LETTER).split())

    code, out, _ = run(capsys, "show", "--db", str(database), "--reference", "SCI0001", "--format", "text")
    assert code == 0
    assert f"Words: {WORDS:,} of 3,000" in out
    assert "Entered by the secretariat through the command line" in out
    assert "Status: accepted" in out
    accepted = asyncio.run(_rows(database, "SELECT action FROM audit_log ORDER BY id"))
    assert [a["action"] for a in accepted][-2:] == ["entered by secretariat", "accepted"]


def test_a_late_letter_is_marked_late(tmp_path, capsys):
    database = tmp_path / "evidence.db"
    asyncio.run(_make_database(database, closes_in_days=-3))
    letter = letter_docx(tmp_path / "late.docx", LETTER)
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    argv = ["--db", str(database), "--inquiry", "SCI", "--file", str(letter), "--name", "Ann Lee"]
    code, out, _ = run(
        capsys, "import", *argv, "--capacity", "individual", "--publication", "named", "--received", yesterday
    )
    assert (code, out) == (0, "SCI0001")
    [submission] = asyncio.run(_rows(database, "SELECT late, submitted_at FROM submissions"))
    assert submission["late"] == 1
    assert submission["submitted_at"].startswith(yesterday)  # midday that day, in the inquiry's time zone


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        (["--capacity", "organisation", "--publication", "named"], "needs the organisation's name"),
        (["--capacity", "individual", "--publication", "named", "--received", "2099-01-01"], "after today"),
        (["--capacity", "individual", "--publication", "named", "--received", "12/05/2026"], "YYYY-MM-DD"),
    ],
)
def test_bad_details_are_refused_and_nothing_is_entered(database, tmp_path, capsys, extra, said):
    letter = letter_docx(tmp_path / "letter.docx", LETTER)
    code, out, err = run(
        capsys, "import", "--db", str(database), "--inquiry", "SCI", "--file", str(letter), "--name", "Ann", *extra
    )
    assert code == 1 and out == ""
    assert said in err
    assert asyncio.run(_rows(database, "SELECT * FROM submissions")) == []


def test_files_that_are_not_documents_are_refused(database, tmp_path, capsys):
    argv = ["import", "--db", str(database), "--inquiry", "SCI", "--name", "Ann", "--capacity", "individual"]
    picture = tmp_path / "scan.pdf"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    code, _, err = run(capsys, *argv, "--publication", "named", "--file", str(picture))
    assert code == 1 and "could not read scan.pdf" in err
    recording = tmp_path / "interview.mp3"
    recording.write_bytes(b"ID3" + bytes(100))
    code, _, err = run(capsys, *argv, "--publication", "named", "--file", str(recording))
    assert code == 1 and "is a recording" in err
    code, _, err = run(capsys, *argv[:4], "XYZ", *argv[5:], "--publication", "named", "--file", str(picture))
    assert code == 1 and "no inquiry XYZ" in err
    assert asyncio.run(_rows(database, "SELECT * FROM submissions")) == []
    assert run(capsys, "show", "--db", str(database), "--reference", "SCI0009")[2].endswith("no submission SCI0009.")
