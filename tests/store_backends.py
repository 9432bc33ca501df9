"""Run the suite with the store on PostgreSQL: ``pytest --store postgres`` (or ``EVIDENCE_BOT_TEST_STORE=postgres``).

Every database a test opens by path (``Store.open(tmp_path / "x.db")``, the bot's settings) is then a fresh
database on the test PostgreSQL server instead, the same one each time the test opens the same path. Tests about
SQLite itself (its files, pragmas, backups, migrations of old files) carry ``@pytest.mark.sqlite_only`` and are
skipped in that mode. Tests marked ``postgres`` run against both stores through the ``store_target`` fixture.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from inquiry.store import Store, is_postgres


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--store",
        choices=("sqlite", "postgres"),
        default=os.environ.get("EVIDENCE_BOT_TEST_STORE", "sqlite"),
        help="the database every test's store runs on (default: sqlite files)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: about SQLite files themselves; skipped with --store postgres")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--store") != "postgres":
        return
    skip = pytest.mark.skip(reason="about SQLite files themselves (--store postgres)")
    for item in items:
        if item.get_closest_marker("sqlite_only"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
async def _store_on_postgres(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """With ``--store postgres``: every path a test opens becomes a database of its own on the server."""
    if request.config.getoption("--store") != "postgres" or request.node.get_closest_marker("sqlite_only"):
        yield
        return
    new_database = request.getfixturevalue("postgres_database_factory")  # each dropped after the test
    made: dict[str, str] = {}
    original = Store.open.__func__

    async def open_on_postgres(cls, where, *, migrate: bool = True, target: int | None = None):
        if not is_postgres(where):
            key = str(where)  # tests give absolute paths (tmp_path)
            if key not in made:
                made[key] = await asyncio.to_thread(new_database)
                # an empty file where the SQLite database would be, for commands that check the path first
                await asyncio.to_thread(Path(key).parent.mkdir, parents=True, exist_ok=True)
                await asyncio.to_thread(Path(key).touch)
            where, target = made[key], None
        return await original(cls, where, migrate=migrate, target=target)

    monkeypatch.setattr(Store, "open", classmethod(open_on_postgres))
    yield


@pytest.fixture(params=["sqlite", "postgres"])
def store_target(request: pytest.FixtureRequest, tmp_path: Path) -> str | Path:
    """A place for a store, on each engine in turn: a SQLite path, then a fresh PostgreSQL database's URL."""
    if request.param == "sqlite":
        return tmp_path / "evidence.db"
    return request.getfixturevalue("fresh_postgres_database")
