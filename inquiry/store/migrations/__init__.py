"""Ordered SQL migrations. ``NNNN_name.sql`` moves the schema to version NNNN."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from importlib import resources

import aiosqlite

log = logging.getLogger(__name__)

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def _load() -> tuple[Migration, ...]:
    found = []
    for entry in resources.files(__package__).iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..n without gaps, found {versions}")
    return tuple(found)


MIGRATIONS: tuple[Migration, ...] = _load()
LATEST_VERSION = len(MIGRATIONS)


async def apply_migrations(conn: aiosqlite.Connection, *, target: int | None = None) -> int:
    """Apply every migration above the database's ``user_version``, each in its own transaction."""
    async with conn.execute("PRAGMA user_version") as cursor:
        current = int((await cursor.fetchone())[0])
    target = LATEST_VERSION if target is None else target
    if current > LATEST_VERSION:
        raise RuntimeError(f"the database is at schema version {current}, newer than this program ({LATEST_VERSION})")
    for migration in MIGRATIONS:
        if current < migration.version <= target:
            log.info("applying migration %s", migration.name)
            script = f"BEGIN;\n{migration.sql}\nPRAGMA user_version = {migration.version};\nCOMMIT;"
            try:
                await conn.executescript(script)
            except Exception:
                if conn.in_transaction:
                    await conn.execute("ROLLBACK")
                raise
            current = migration.version
    return current
