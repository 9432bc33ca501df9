"""The store on both engines: the same queries on SQLite and PostgreSQL, PostgreSQL's schema equal to SQLite's,
reference numbers unique when several processes share one database, and ``evidence-bot db copy`` moving a real
inquiry's database to PostgreSQL, verified row for row."""

from __future__ import annotations

import asyncio
import multiprocessing
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect

import bot
from demo.driver import make_world
from inquiry.store import IntegrityError, Store
from inquiry.store.copy import CopyError, copy_database
from inquiry.store.migrations import LATEST_VERSION, sync_engine
from inquiry.store.migrations.sql import BASELINE, postgres_schema, sqlite_scripts
from tests.helpers import submit_evidence

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]


async def test_the_same_store_on_each_engine(store_target):
    store = await Store.open(store_target)
    try:
        assert await store.schema_version() == LATEST_VERSION
        inquiry_id = await store.inquiries.create(
            guild_id=1, code="SCI", title="Social connection", terms="", word_limit=3000, actor_id=7, now=NOW
        )
        await store.inquiries.add_question(inquiry_id, 1, "What issues has the COVID-19 crisis raised?")
        found = await store.inquiries.by_code(1, "sci")  # codes match whatever their case
        assert found is not None and found.id == inquiry_id
        assert [q.position for q in found.questions] == [1]

        async def two_questions_at_one_position() -> None:
            async with store.transaction():
                await store.inquiries.add_question(inquiry_id, 2, "kept only if the next one is")
                await store.inquiries.add_question(inquiry_id, 1, "clashes with the first")

        with pytest.raises(IntegrityError):
            await two_questions_at_one_position()
        assert [q.position for q in await store.inquiries.questions(inquiry_id)] == [1]  # rolled back whole
        draft = await store.submissions.create_draft(inquiry_id, 42, NOW)
        assert (await store.submissions.draft_for(inquiry_id, 42)).id == draft
        with pytest.raises(IntegrityError):  # one live draft per witness and inquiry
            await store.submissions.create_draft(inquiry_id, 42, NOW)
    finally:
        await store.close()


def test_the_postgresql_schema_file_is_what_the_sqlite_migrations_make(tmp_path):
    path = tmp_path / "schema.db"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        for script in sqlite_scripts():
            conn.executescript(script)
    written = (ROOT / "inquiry/store/migrations/sql" / BASELINE).read_text(encoding="utf-8")
    assert written == postgres_schema(path), "run scripts/postgres_schema.py after changing a SQL migration"


def _columns(target) -> dict[str, list[str]]:
    engine = sync_engine(target)
    try:
        with engine.connect() as conn:
            found = inspect(conn)
            return {t: sorted(c["name"] for c in found.get_columns(t)) for t in found.get_table_names()}
    finally:
        engine.dispose()


async def test_both_engines_have_the_same_tables_and_columns(tmp_path, fresh_postgres_database):
    for target in (tmp_path / "evidence.db", fresh_postgres_database):
        await (await Store.open(target)).close()
    assert _columns(tmp_path / "evidence.db") == _columns(fresh_postgres_database)


def _take_references(target: str, inquiry_id: int, count: int, queue) -> None:
    async def take() -> list[int]:
        store = await Store.open(target, migrate=False)
        try:
            numbers = []
            for _ in range(count):
                async with store.transaction():
                    numbers.append(await store.inquiries.take_reference_number(inquiry_id))
            return numbers
        finally:
            await store.close()

    queue.put(asyncio.run(take()))


async def test_references_stay_unique_with_several_processes_on_one_database(store_target):
    store = await Store.open(store_target)
    inquiry_id = await store.inquiries.create(
        guild_id=1, code="SCI", title="T", terms="", word_limit=3000, actor_id=7, now=NOW
    )
    await store.close()
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    processes = [
        context.Process(target=_take_references, args=(str(store_target), inquiry_id, 40, queue)) for _ in range(3)
    ]
    for process in processes:
        process.start()
    taken = [await asyncio.to_thread(queue.get, timeout=120) for _ in processes]
    for process in processes:
        await asyncio.to_thread(process.join, 30)
        assert process.exitcode == 0
    numbers = sorted(n for part in taken for n in part)
    assert numbers == list(range(1, 121))  # none given twice, none skipped


@pytest.fixture
async def inquiry_database(simcord_env, simcord_bot, settings):
    """A real inquiry's SQLite database: the seed call opened, three submissions (one accepted), an audit trail."""
    world = await make_world(simcord_env, simcord_bot)
    await world.open_call()
    services = world.bot.services
    for witness, name in (("amira", "Amira Shah"), ("sam", "Sam Lee"), ("priya", "Priya Patel")):
        await submit_evidence(world, witness, name, {1: f"Evidence from {name}: lunch clubs closed."}, forum=False)
    await services.review.accept(world.inquiry, "SCI0001", world.secretariat.id)
    await world.bot.services.store.close()
    return settings.database


@pytest.mark.sqlite_only  # the source is a SQLite file by definition
async def test_db_copy_moves_an_inquiry_to_postgresql_row_for_row(inquiry_database, fresh_postgres_database):
    before = {t: _count(inquiry_database, t) for t in ("submissions", "answers", "audit_log", "questions")}
    report = await asyncio.to_thread(copy_database, inquiry_database, fresh_postgres_database)
    assert report.rows["submissions"] == before["submissions"] == 3
    assert all(report.rows[t] == n for t, n in before.items())
    store = await Store.open(fresh_postgres_database)
    try:
        inquiry = (await store.inquiries.by_code_anywhere("SCI"))[0]
        accepted = await store.submissions.by_reference(inquiry.id, "sci0001")
        assert accepted.status.value == "accepted" and accepted.submitter_name == "Amira Shah"
        # new rows take new ids and new references after the copied ones
        assert await store.inquiries.take_reference_number(inquiry.id) == 4
        draft = await store.submissions.create_draft(inquiry.id, 999, NOW)
        assert draft > max(s.id for s in await store.submissions.of_user(accepted.user_id))
    finally:
        await store.close()
    with pytest.raises(CopyError, match="already holds rows"):  # never into a database in use
        await asyncio.to_thread(copy_database, inquiry_database, fresh_postgres_database)


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@pytest.mark.sqlite_only
async def test_db_copy_takes_an_old_database_and_leaves_the_file_as_it_was(tmp_path, fresh_postgres_database):
    old = tmp_path / "old.db"
    store = await Store.open(old, target=9)
    await store.inquiries.create(guild_id=1, code="SCI", title="T", terms="", word_limit=3000, actor_id=7, now=NOW)
    await store.close()
    before = old.read_bytes()
    result = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-c", "import bot, sys; sys.exit(bot.main())", "db", "copy", "--from", str(old), "--to",
         fresh_postgres_database],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "verified row for row" in result.stdout and "inquiries: 1" in result.stdout
    assert old.read_bytes() == before  # migrated on a copy
    store = await Store.open(fresh_postgres_database)
    try:
        assert [i.code for i in await store.inquiries.by_code_anywhere("SCI")] == ["SCI"]
    finally:
        await store.close()


async def test_db_copy_refuses_what_it_cannot_copy(tmp_path, capsys):
    assert await asyncio.to_thread(bot.main, ["db", "copy", "--from", str(tmp_path / "none.db"), "--to",
                                              "postgresql://x@127.0.0.1:1/x"]) == 1  # fmt: skip
    assert "is not a SQLite database file" in capsys.readouterr().err
    (tmp_path / "a.db").write_bytes(b"")
    assert await asyncio.to_thread(bot.main, ["db", "copy", "--from", str(tmp_path / "a.db"), "--to",
                                              str(tmp_path / "b.db")]) == 1  # fmt: skip
    assert "is not a postgresql:// URL" in capsys.readouterr().err


async def test_a_statement_cancelled_midway_leaves_the_store_working(store_target):
    """A task cancelled in the middle of a statement or a transaction (an interaction that timed out, the bot
    stopping) must not leave the connection refusing every statement after it."""
    store = await Store.open(store_target)
    try:
        inquiry_id = await store.inquiries.create(
            guild_id=1, code="SCI", title="T", terms="", word_limit=3000, actor_id=7, now=NOW
        )
        slow = (
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000) SELECT count(*) FROM n"
        )

        async def in_a_transaction() -> None:
            async with store.transaction():
                await store.inquiries.add_question(inquiry_id, 1, "never kept")
                await store.fetch_one(slow)

        for work in (store.fetch_one(slow), in_a_transaction()):
            task = asyncio.ensure_future(work)
            await asyncio.sleep(0.05)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
        assert await store.inquiries.questions(inquiry_id) == ()  # the cancelled transaction kept nothing
        await store.inquiries.add_question(inquiry_id, 1, "kept")
        assert [q.text for q in await store.inquiries.questions(inquiry_id)] == ["kept"]
        if not store.postgres:  # the connection opened again has the store's pragmas
            assert (await store.fetch_one("PRAGMA foreign_keys"))[0] == 1
            assert (await store.fetch_one("PRAGMA busy_timeout"))[0] == 5000
    finally:
        await store.close()
