"""The store: SQLite (a file, the default) or PostgreSQL (a server), versioned schema, one method per query.

Repositories group the queries by subject (``store.inquiries``, ``store.submissions`` ...). Writes that must
happen together run inside ``async with store.transaction():``, which commits or rolls back as a unit (on SQLite
writers queue behind one another on the one connection). :mod:`inquiry.store._db` says how the two engines are
served by the same queries.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from ._audit import AuditRepo
from ._db import Database, IntegrityError, Record, is_postgres, redacted
from ._documents import DocumentRepo
from ._entered import EnteredEvidenceRepo, UploadRequestRepo
from ._erasure import ErasureRepo
from ._guilds import GuildRepo
from ._inquiries import InquiryRepo
from ._media import MediaRepo
from ._media_intake import MediaIntakeRepo
from ._outbox import OutboxRepo
from ._redactions import RedactionRepo
from ._sessions import SessionRepo
from ._submissions import SubmissionRepo
from ._upload_grants import UploadGrantRepo
from .backup import BackupReport, backup_database
from .migrations import MIGRATIONS, apply_migrations

log = logging.getLogger(__name__)

__all__ = ["MIGRATIONS", "IntegrityError", "Record", "Store", "is_postgres", "redacted"]


class Store:
    """The inquiry database. Open with ``await Store.open(path_or_url)`` or ``async with await Store.open(...)``."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.target = db.target
        self.path: Path | None = None if db.postgres else Path(db.target)
        self.guilds = GuildRepo(db)
        self.inquiries = InquiryRepo(db)
        self.submissions = SubmissionRepo(db)
        self.audit = AuditRepo(db)
        self.media = MediaRepo(db)
        self.media_intake = MediaIntakeRepo(db)
        self.sessions = SessionRepo(db)
        self.outbox = OutboxRepo(db)
        self.upload_grants = UploadGrantRepo(db)
        self.redactions = RedactionRepo(db)
        self.erasure = ErasureRepo(db)
        self.documents = DocumentRepo(db)
        self.entered = EnteredEvidenceRepo(db)
        self.upload_requests = UploadRequestRepo(db)
        self.extensions: dict[str, object] = {}

    @classmethod
    async def open(cls, where: str | Path, *, migrate: bool = True, target: int | None = None) -> Store:
        """Connect to a SQLite file (created if need be) or a ``postgresql://`` URL, and bring the schema up to
        date (to version ``target`` if given). SQLite runs in WAL mode; every commit reaches the disk before it
        returns (``synchronous = FULL``: a power cut loses nothing committed), and deleted content is overwritten
        (``secure_delete``), so that erased evidence does not linger in free pages."""
        if not is_postgres(where):
            where = Path(where)
            where.parent.mkdir(parents=True, exist_ok=True)
        if migrate:
            await apply_migrations(where, to=target)
        db = Database(where)
        try:
            await db.connect()
        except BaseException:
            await db.engine.dispose()
            raise
        log.debug("store open on %s", redacted(where))
        return cls(db)

    @property
    def postgres(self) -> bool:
        return self.db.postgres

    async def migrate(self, *, target: int | None = None) -> int:
        """Apply pending migrations (up to ``target``); return the schema version reached."""
        return await apply_migrations(self.target, to=target)

    async def schema_version(self) -> int:
        """The revision the database is at."""
        row = await self.fetch_one("SELECT version_num FROM alembic_version")
        return int(row[0]) if row else 0

    @property
    def in_transaction(self) -> bool:
        """True inside ``async with store.transaction()``, in the task that opened it."""
        return self.db.in_transaction

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        """Run the enclosed writes atomically; nested blocks in the same task join the outer one."""
        async with self.db.transaction() as conn:
            yield conn

    # Plain SQL, for tools and tests -----------------------------------------------------------------------------

    async def fetch_all(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Record]:
        """Rows of a query written with ``?`` placeholders."""
        return (await self.db.execute(sql, params)).rows

    async def fetch_one(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Record | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> int:
        """Run a statement; return the rows it touched."""
        return (await self.db.execute(sql, params)).rowcount

    async def table_names(self) -> list[str]:
        """The store's tables (Alembic's version table included), by name."""
        if self.postgres:
            sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        else:
            sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        return sorted(r[0] for r in await self.fetch_all(sql))

    async def checkpoint(self) -> None:
        """SQLite: copy the write-ahead log into the database and empty it (after an erasure: no old page stays in
        it). PostgreSQL reclaims space with its own vacuum."""
        if self.in_transaction:
            raise RuntimeError("checkpoint after the transaction, not inside it")
        if self.postgres:
            return
        async with self.db.exclusive() as conn:
            await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    async def backup(self, target: str | Path) -> BackupReport:
        """SQLite: copy the database to ``target`` with the online backup API while the bot runs, then check the
        copy (see :mod:`inquiry.store.backup`). PostgreSQL is backed up with its own tools (``pg_dump``)."""
        if self.path is None:
            raise RuntimeError("a PostgreSQL database is backed up with pg_dump or the server's own backups")
        return await asyncio.to_thread(backup_database, self.path, Path(target))

    async def close(self) -> None:
        """Checkpoint SQLite's WAL and close the connections."""
        await self.db.close()

    async def __aenter__(self) -> Store:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
