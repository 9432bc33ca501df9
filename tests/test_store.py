"""The store: migrations from an empty database and from every earlier schema version, and its guarantees."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime

import pytest

from inquiry.store import IntegrityError, Store
from inquiry.store.migrations import LATEST_VERSION, MIGRATIONS

NOW = datetime(2020, 3, 30, 9, 0, tzinfo=UTC)


def schema(path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return sorted(conn.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"))


@pytest.mark.sqlite_only
async def test_an_empty_database_migrates_to_the_latest_version_in_wal_mode(tmp_path):
    store = await Store.open(tmp_path / "new.db")
    try:
        assert await store.schema_version() == LATEST_VERSION == len(MIGRATIONS)
        assert (await store.fetch_one("PRAGMA journal_mode"))[0] == "wal"
        assert (await store.fetch_one("PRAGMA foreign_keys"))[0] == 1
    finally:
        await store.close()


@pytest.mark.sqlite_only
@pytest.mark.parametrize("start", range(1, LATEST_VERSION + 1))
async def test_each_earlier_version_upgrades_keeping_its_data(tmp_path, start):
    old = await Store.open(tmp_path / "old.db", target=start)
    assert await old.schema_version() == start
    inquiry_id = await old.inquiries.create(
        guild_id=1, code="SCI", title="Social connection", terms="", word_limit=3000, actor_id=7, now=NOW
    )
    await old.inquiries.add_question(inquiry_id, 1, "What issues has the COVID-19 crisis raised?")
    await old.close()

    upgraded = await Store.open(tmp_path / "old.db")
    try:
        assert await upgraded.schema_version() == LATEST_VERSION
        inquiry = await upgraded.inquiries.get(inquiry_id)
        assert inquiry.code == "SCI"
        assert [q.text for q in inquiry.questions] == ["What issues has the COVID-19 crisis raised?"]
    finally:
        await upgraded.close()
    fresh = await Store.open(tmp_path / "fresh.db")
    await fresh.close()
    assert schema(tmp_path / "old.db") == schema(tmp_path / "fresh.db")


@pytest.mark.sqlite_only
async def test_a_database_newer_than_the_program_is_refused(tmp_path):
    path = tmp_path / "future.db"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    with pytest.raises(RuntimeError, match="newer than this program"):
        await Store.open(path)


async def test_a_failed_transaction_rolls_back_as_a_whole(tmp_path):
    store = await Store.open(tmp_path / "tx.db")
    try:
        inquiry_id = await store.inquiries.create(
            guild_id=1, code="SCI", title="T", terms="", word_limit=3000, actor_id=7, now=NOW
        )

        async def two_questions_at_one_position() -> None:
            async with store.transaction():
                await store.inquiries.add_question(inquiry_id, 1, "first")
                await store.inquiries.add_question(inquiry_id, 1, "clashes with the first")

        with pytest.raises(IntegrityError):
            await two_questions_at_one_position()
        assert await store.inquiries.questions(inquiry_id) == ()
    finally:
        await store.close()


async def test_reference_numbers_are_unique_under_concurrency_and_never_reused(tmp_path):
    store = await Store.open(tmp_path / "refs.db")
    try:
        inquiry_id = await store.inquiries.create(
            guild_id=1, code="SCI", title="T", terms="", word_limit=3000, actor_id=7, now=NOW
        )

        async def take() -> int:
            async with store.transaction():
                await asyncio.sleep(0)
                return await store.inquiries.take_reference_number(inquiry_id)

        numbers = await asyncio.gather(*(take() for _ in range(200)))
        assert sorted(numbers) == list(range(1, 201))
    finally:
        await store.close()
