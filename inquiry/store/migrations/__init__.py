"""The store's schema versions, as Alembic revisions ``0001``, ``0002`` ... in ``versions/``.

Revisions 1 to 14 are the SQL files in ``sql/`` (see there for PostgreSQL). Later ones are Alembic operations in
batch mode, so that one revision serves SQLite and PostgreSQL alike. A SQLite database made before Alembic was used
records its version in ``PRAGMA user_version`` only: it is stamped at that revision and upgraded from there. SQLite
databases keep ``user_version`` equal to the revision, for tools that read it.

Migrations run on a synchronous connection in a thread (Alembic is synchronous): pysqlite for SQLite, psycopg for
PostgreSQL. Each revision commits on its own.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.pool import NullPool

from .._db import is_postgres

log = logging.getLogger(__name__)

_HERE = Path(__file__).resolve().parent


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_HERE))
    config.attributes["connection"] = connection
    return config


def _load() -> tuple[Migration, ...]:
    scripts = ScriptDirectory.from_config(_config())
    found = [Migration(int(s.revision), Path(s.path).stem) for s in scripts.walk_revisions()]
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..n without gaps, found {versions}")
    return tuple(found)


MIGRATIONS: tuple[Migration, ...] = _load()
LATEST_VERSION = len(MIGRATIONS)


def sync_engine(target: str | Path) -> Engine:
    """A synchronous engine on the database, for migrations and copies."""
    if is_postgres(target):
        url = make_url(str(target).replace("postgres://", "postgresql://", 1)).set(drivername="postgresql+psycopg")
        return create_engine(url, poolclass=NullPool)
    engine = create_engine(f"sqlite:///{Path(target)}", poolclass=NullPool)
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # transactions are begun below, DDL included
    dbapi_connection.execute("PRAGMA foreign_keys = ON")
    dbapi_connection.execute("PRAGMA busy_timeout = 5000")


def _sqlite_begin(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def current_version(connection: Connection) -> int:
    """The revision the database is at (0: empty); a SQLite file from before Alembic by its ``user_version``."""
    version = 0
    if inspect(connection).has_table("alembic_version"):
        row = connection.exec_driver_sql("SELECT version_num FROM alembic_version").first()
        version = int(row[0]) if row else 0
    elif connection.dialect.name == "sqlite":
        version = int(connection.exec_driver_sql("PRAGMA user_version").scalar_one())
    connection.commit()
    return version


def migrate(target: str | Path, *, to: int | None = None) -> int:
    """Bring the database at ``target`` (a SQLite path or a PostgreSQL URL) up to revision ``to`` (default: the
    latest); return the version reached."""
    goal = LATEST_VERSION if to is None else to
    engine = sync_engine(target)
    try:
        with engine.connect() as connection:
            current = current_version(connection)
            if current > LATEST_VERSION:
                raise RuntimeError(
                    f"the database is at schema version {current}, newer than this program ({LATEST_VERSION})"
                )
            config = _config(connection)
            if current and not inspect(connection).has_table("alembic_version"):
                connection.commit()
                command.stamp(config, f"{current:04d}")
            if goal > current:
                log.info("migrating the database from version %d to %d", current, goal)
                command.upgrade(config, f"{goal:04d}")
            reached = current_version(connection)
            if connection.dialect.name == "sqlite":
                connection.exec_driver_sql(f"PRAGMA user_version = {reached}")
                connection.commit()
            return reached
    finally:
        engine.dispose()


async def apply_migrations(target: str | Path, *, to: int | None = None) -> int:
    """:func:`migrate` in a thread."""
    return await asyncio.to_thread(migrate, target, to=to)
