"""The aiosqlite store: one connection in WAL mode, versioned schema, one method per query.

Repositories group the queries by subject (``store.inquiries``, ``store.submissions`` ...). Writes
that must happen together run inside ``async with store.transaction():``, which serialises writers
on the single connection and commits or rolls back as a unit.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import aiosqlite

from ._audit import AuditRepo
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

__all__ = ["MIGRATIONS", "Store"]


class Store:
    """The inquiry database. Open with ``await Store.open(path)`` or ``async with Store.open(path)``."""

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._write_lock = asyncio.Lock()
        self._in_transaction: asyncio.Task | None = None
        self.guilds = GuildRepo(conn)
        self.inquiries = InquiryRepo(conn)
        self.submissions = SubmissionRepo(conn)
        self.audit = AuditRepo(conn)
        self.media = MediaRepo(conn)
        self.media_intake = MediaIntakeRepo(conn)
        self.sessions = SessionRepo(conn)
        self.outbox = OutboxRepo(conn)
        self.upload_grants = UploadGrantRepo(conn)
        self.redactions = RedactionRepo(conn)
        self.erasure = ErasureRepo(conn)
        self.documents = DocumentRepo(conn)
        self.entered = EnteredEvidenceRepo(conn)
        self.upload_requests = UploadRequestRepo(conn)
        self.extensions: dict[str, object] = {}

    @classmethod
    async def open(cls, path: str | Path, *, migrate: bool = True, target: int | None = None) -> Store:
        """Connect, switch on WAL and foreign keys, and bring the schema up to date. Every commit reaches the disk
        before it returns (``synchronous = FULL``: a power cut loses nothing committed), and deleted content is
        overwritten (``secure_delete``), so that erased evidence does not linger in free pages."""
        path = Path(path)
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(path, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute("PRAGMA foreign_keys = ON")
        await conn.execute("PRAGMA busy_timeout = 5000")
        await conn.execute("PRAGMA synchronous = FULL")
        await conn.execute("PRAGMA secure_delete = ON")
        store = cls(conn, path)
        if migrate:
            try:
                await store.migrate(target=target)
            except BaseException:
                await conn.close()
                raise
        return store

    async def migrate(self, *, target: int | None = None) -> int:
        """Apply pending migrations (up to ``target``); return the schema version reached."""
        async with self._write_lock:
            return await apply_migrations(self.conn, target=target)

    async def schema_version(self) -> int:
        """The schema version recorded in ``PRAGMA user_version``."""
        async with self.conn.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0])

    @property
    def in_transaction(self) -> bool:
        """True inside ``async with store.transaction()``, in the task that opened it."""
        return self._in_transaction is not None and self._in_transaction is asyncio.current_task()

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Run the enclosed writes atomically; writers queue behind one another."""
        task = asyncio.current_task()
        if self._in_transaction is task:
            yield self.conn  # nested: the outer transaction commits
            return
        async with self._write_lock:
            self._in_transaction = task
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise
            else:
                await self.conn.execute("COMMIT")
            finally:
                self._in_transaction = None

    async def checkpoint(self) -> None:
        """Copy the write-ahead log into the database and empty it (after an erasure: no old page stays in it)."""
        if self.in_transaction:
            raise RuntimeError("checkpoint after the transaction, not inside it")
        async with self._write_lock, self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cursor:
            await cursor.fetchall()

    async def backup(self, target: str | Path) -> BackupReport:
        """Copy the database to ``target`` with SQLite's online backup API while the bot runs, then check the copy
        (see :mod:`inquiry.store.backup`)."""
        return await asyncio.to_thread(backup_database, self.path, Path(target))

    async def close(self) -> None:
        """Checkpoint the WAL and close the connection."""
        with contextlib.suppress(Exception):
            await self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        await self.conn.close()

    async def __aenter__(self) -> Store:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
