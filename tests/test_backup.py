"""Durability of the evidence store: every commit reaches the disk, deleted content is overwritten, and a backup
taken while the bot runs (and writes) is a consistent copy that opens and passes SQLite's integrity check."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime

import pytest

import bot
from inquiry.store import Store
from inquiry.store.backup import BackupFailed, backup_database

pytestmark = pytest.mark.sqlite_only  # SQLite files themselves

NOW = datetime(2026, 1, 1, tzinfo=UTC)


async def pragma(store: Store, name: str):
    return (await store.fetch_one(f"PRAGMA {name}"))[0]


async def add_inquiry(store: Store, code: str = "SCI") -> int:
    async with store.transaction():
        return await store.inquiries.create(
            guild_id=1, code=code, title="Social connection", terms="", word_limit=3000, actor_id=9, now=NOW
        )


async def add_pair(store: Store, inquiry_id: int, n: int) -> None:
    """Two rows that belong together, a draft and the audit entry naming it, in the caller's transaction."""
    draft = await store.submissions.create_draft(inquiry_id, 1000 + n, NOW)
    await store.audit.record(
        inquiry_id=inquiry_id, submission_id=draft, actor_id=1000 + n, action="pair", detail=f"{n} " * 600, at=NOW
    )


async def test_commits_are_durable_and_deleted_content_is_overwritten(store):
    assert await pragma(store, "journal_mode") == "wal"
    assert await pragma(store, "synchronous") == 2  # FULL: a power cut loses no commit
    assert await pragma(store, "secure_delete") == 1
    assert await pragma(store, "foreign_keys") == 1


async def test_a_backup_taken_while_the_bot_writes_is_consistent_and_restores(store, tmp_path):
    inquiry_id = await add_inquiry(store)
    async with store.transaction():
        for n in range(3000):  # some megabytes: the copy takes a while
            await add_pair(store, inquiry_id, n)
    written = 3000
    stop = asyncio.Event()

    async def keep_writing():
        nonlocal written
        while not stop.is_set():
            async with store.transaction():  # one transaction per pair, committed to disk each time
                await add_pair(store, inquiry_id, written)
            written += 1
            await asyncio.sleep(0)

    writer = asyncio.create_task(keep_writing())
    await asyncio.sleep(0.05)
    before = written
    report = await store.backup(tmp_path / "backup" / "evidence.db")
    after = written
    stop.set()
    await writer
    assert after > before  # the bot kept writing while the copy was made

    assert report.integrity == "ok" and report.foreign_key_problems == 0
    assert report.schema_version == await store.schema_version()
    assert not (tmp_path / "backup" / "evidence.db.part").exists()
    copy = await Store.open(report.target)
    try:
        assert await copy.schema_version() == await store.schema_version()
        submissions = (await copy.fetch_one("SELECT count(*) FROM submissions"))[0]
        entries = (await copy.fetch_one("SELECT count(*) FROM audit_log WHERE action = 'pair'"))[0]
        unpaired = (
            await copy.fetch_one(
                "SELECT count(*) FROM submissions s WHERE NOT EXISTS"
                " (SELECT 1 FROM audit_log a WHERE a.submission_id = s.id AND a.action = 'pair')"
            )
        )[0]
        assert [r[0] for r in await copy.fetch_all("PRAGMA integrity_check")] == ["ok"]
    finally:
        await copy.close()
    assert before <= submissions <= after  # every commit made before the copy began, none half-made
    assert submissions == entries and unpaired == 0  # each transaction is in the copy whole, or not at all


def test_the_command_line_backup_writes_a_checked_single_file_copy(tmp_path, capsys):
    db = tmp_path / "evidence.db"

    async def fill():
        async with await Store.open(db) as live:
            inquiry_id = await add_inquiry(live)
            async with live.transaction():
                await add_pair(live, inquiry_id, 1)

    asyncio.run(fill())
    out = tmp_path / "copies" / "evidence-2026-01-01.db"
    assert bot.main(["backup", "--db", str(db), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert f"backed up {db} to {out}" in said and "integrity ok" in said
    with sqlite3.connect(out) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file, no -wal beside it
        assert copy.execute("SELECT count(*) FROM submissions").fetchone()[0] == 1
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_the_command_line_backup_refuses_clearly(tmp_path, capsys):
    assert bot.main(["backup", "--db", str(tmp_path / "missing.db"), "--out", str(tmp_path / "x.db")]) == 1
    assert "no database at" in capsys.readouterr().err
    assert not (tmp_path / "x.db").exists()


def test_a_backup_never_overwrites_the_database(tmp_path):
    db = tmp_path / "evidence.db"
    sqlite3.connect(db).close()
    with pytest.raises(BackupFailed, match="must not overwrite"):
        backup_database(db, db)
