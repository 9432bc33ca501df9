"""One way to the database, whichever it is: SQLite (a file, the default) or PostgreSQL (a server).

Both go through SQLAlchemy 2 Core (``aiosqlite`` and ``asyncpg`` underneath). The repositories write their queries
once, in SQL both engines understand, with ``?`` placeholders; :func:`prepare` turns each into a SQLAlchemy
statement with named parameters (cached), and a list of ids passed to ``IN (SELECT value FROM json_each(?))`` into
an expanding parameter (SQLite) or an array compared with ``= ANY`` (PostgreSQL). The few differences left are
handled here:

- SQLite keeps one connection in WAL mode. Writers take turns behind an in-process lock and ``BEGIN IMMEDIATE``
  (another process, such as the upload page or the worker recording progress, waits on ``busy_timeout``).
- PostgreSQL uses a pool. A transaction holds one pooled connection for the task that opened it; statements
  outside a transaction each borrow one in autocommit mode. Within one process writers still take turns; writers
  in different processes (several bots, the upload page, workers) are kept apart by the conditional updates the
  repositories use (``UPDATE ... WHERE state = ?``), unique keys and row locks.
- An ``INSERT`` without ``RETURNING`` gives the new row's id: SQLite's ``lastrowid``, PostgreSQL's ``RETURNING``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import bindparam, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool
from sqlalchemy.sql.elements import TextClause

__all__ = ["Database", "IntegrityError", "Record", "is_postgres", "prepare", "sqlalchemy_url"]

log = logging.getLogger(__name__)
T = TypeVar("T")

Params = Sequence[Any] | Mapping[str, Any]

_ID_LIST = re.compile(r"\b(NOT\s+)?IN\s*\(\s*SELECT\s+value\s+FROM\s+json_each\(\s*\?\s*\)\s*\)", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"\?|'(?:[^']|'')*'")  # a ? outside a string literal
_INSERT = re.compile(r"^\s*INSERT\b", re.IGNORECASE)
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)
# SQLite's null-safe comparisons ``a IS b`` and ``a IS NOT b``, in the standard spelling PostgreSQL wants
_IS_NOT = re.compile(r"\bIS\s+NOT\s+(?!NULL\b|DISTINCT\b|TRUE\b|FALSE\b)", re.IGNORECASE)
_IS = re.compile(r"\bIS\s+(?!NOT\b|NULL\b|DISTINCT\b|TRUE\b|FALSE\b)", re.IGNORECASE)


def is_postgres(target: str | Path) -> bool:
    """True when ``target`` names a PostgreSQL server rather than a SQLite file."""
    return str(target).startswith(("postgresql://", "postgres://", "postgresql+"))


def sqlalchemy_url(target: str | Path) -> str:
    """The SQLAlchemy URL for a SQLite path or a ``postgresql://`` URL (driven by asyncpg)."""
    if is_postgres(target):
        url = make_url(str(target).replace("postgres://", "postgresql://", 1))
        return url.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
    if str(target) == ":memory:":
        return "sqlite+aiosqlite:///:memory:"
    return f"sqlite+aiosqlite:///{Path(target)}"


def redacted(target: str | Path) -> str:
    """``target`` fit for a log line: a URL without its password."""
    if is_postgres(target):
        return make_url(str(target)).render_as_string(hide_password=True)
    return str(target)


class Record:
    """A row, as ``sqlite3.Row`` gives it: by column name (``row["id"]``, ``dict(row)``, ``row.keys()``) or by
    position (``row[0]``, ``tuple(row)``)."""

    __slots__ = ("_map", "_values")

    def __init__(self, keys: Sequence[str], values: Sequence[Any]) -> None:
        self._values = tuple(values)
        self._map = dict(zip(keys, self._values, strict=True))

    def __getitem__(self, key: str | int) -> Any:
        if isinstance(key, int):
            return self._values[key]
        return self._map[key]

    def keys(self) -> list[str]:
        return list(self._map)

    def get(self, key: str, default: Any = None) -> Any:
        return self._map.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._map

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Record):
            return self._map == other._map
        if isinstance(other, tuple):
            return self._values == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values)

    def __repr__(self) -> str:
        return f"Record({self._map!r})"


@lru_cache(maxsize=2048)
def _compile(sql: str, postgres: bool, positional: bool) -> tuple[TextClause, tuple[str, ...], tuple[bool, ...]]:
    names: list[str] = []
    lists: list[bool] = []

    def id_list(match: re.Match) -> str:
        # \x00 marks the list's parameter until the placeholders are numbered. SQLite: an expanding IN (...);
        # PostgreSQL: one array parameter, whose element type the server takes from the column, even when empty.
        if postgres:
            return "<> ALL(\x00)" if match.group(1) else "= ANY(\x00)"
        return f"{match.group(1) or ''}IN \x00"

    body = _ID_LIST.sub(id_list, sql)

    def number(match: re.Match) -> str:
        token = match.group(0)
        if token.startswith("'"):
            return token
        name = f"p{len(names)}"
        names.append(name)
        lists.append(False)
        return f":{name}"

    if positional:
        parts = body.split("\x00")
        out = []
        for index, part in enumerate(parts):
            out.append(_PLACEHOLDER.sub(number, part))
            if index < len(parts) - 1:
                name = f"p{len(names)}"
                names.append(name)
                lists.append(True)
                out.append(f":{name}")
        body = "".join(out)
    elif "\x00" in body:
        raise ValueError("a list of ids needs positional parameters")
    if postgres:
        body = _IS.sub("IS NOT DISTINCT FROM ", _IS_NOT.sub("IS DISTINCT FROM ", body))
    if postgres and _INSERT.match(body) and not _RETURNING.search(body):
        body = f"{body.rstrip().rstrip(';')} RETURNING *"
    clause = text(body)
    expanding = [
        bindparam(name, expanding=True) for name, many in zip(names, lists, strict=True) if many and not postgres
    ]
    if expanding:
        clause = clause.bindparams(*expanding)
    return clause, tuple(names), tuple(lists)


def prepare(sql: str, params: Params, *, postgres: bool) -> tuple[TextClause, dict[str, Any]]:
    """A SQLAlchemy statement and its parameters for ``sql`` with ``?`` (or ``:name``) placeholders."""
    if isinstance(params, Mapping):
        clause, _, _ = _compile(sql, postgres, False)
        return clause, dict(params)
    clause, names, lists = _compile(sql, postgres, True)
    if len(names) != len(params):
        raise ValueError(f"{len(names)} placeholders, {len(params)} parameters: {sql}")
    bound = {}
    for name, many, value in zip(names, lists, params, strict=True):
        if many and isinstance(value, str):
            value = json.loads(value)
        bound[name] = list(value) if many else value
    return clause, bound


class Result:
    """What a statement gave: its rows (read before the connection went back), the row count and any new id."""

    __slots__ = ("lastrowid", "rowcount", "rows")

    def __init__(self, rows: list[Record], rowcount: int, lastrowid: int | None) -> None:
        self.rows = rows
        self.rowcount = rowcount
        self.lastrowid = lastrowid


class Database:
    """The engine, the connection(s) and the transaction rules for one database."""

    def __init__(self, target: str | Path) -> None:
        self.target = target
        self.postgres = is_postgres(target)
        self.dialect = "postgresql" if self.postgres else "sqlite"
        self.engine: AsyncEngine
        if self.postgres:
            self.engine = create_async_engine(
                sqlalchemy_url(target),
                pool_size=10,
                max_overflow=10,
                pool_pre_ping=True,
                # asyncpg's prepared statements are kept by count, not expired on a timer (a timer per statement
                # keeps the event loop busy for nothing, and the simulated Discord waits for every timer)
                connect_args={"max_cached_statement_lifetime": 0},
            )
        else:
            self.engine = create_async_engine(sqlalchemy_url(target), poolclass=NullPool)
            event.listen(self.engine.sync_engine, "connect", _sqlite_connect)
        self._conn: AsyncConnection | None = None  # SQLite: the one connection
        self._write_lock = asyncio.Lock()
        self._tx: dict[asyncio.Task, AsyncConnection] = {}

    async def connect(self) -> None:
        if not self.postgres:
            conn = await self.engine.connect()
            self._conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await self._conn.exec_driver_sql("PRAGMA journal_mode = WAL")  # kept in the file
        else:
            async with self.engine.connect() as conn:  # fail now, with the server's reason, if it cannot be reached
                await conn.exec_driver_sql("SELECT 1")

    @property
    def in_transaction(self) -> bool:
        return asyncio.current_task() in self._tx

    @contextlib.asynccontextmanager
    async def connection(self) -> AsyncIterator[AsyncConnection]:
        """The connection for one statement: the task's transaction, SQLite's one connection, or a pooled one."""
        held = self._tx.get(asyncio.current_task())  # type: ignore[arg-type]
        if held is not None:
            yield held
        elif self._conn is not None:
            yield self._conn
        else:
            async with self.engine.connect() as conn:
                yield await conn.execution_options(isolation_level="AUTOCOMMIT")

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        """Run the enclosed statements atomically; nested blocks in the same task join the outer one."""
        task = asyncio.current_task()
        assert task is not None
        held = self._tx.get(task)
        if held is not None:
            yield held
            return
        if self.postgres:
            # One writer at a time within this process, as on SQLite: the services' read-then-write steps keep the
            # meaning they have there. Between processes, conditional updates, unique keys and row locks decide.
            async with self._write_lock, self.engine.connect() as conn:
                self._tx[task] = conn
                try:
                    async with conn.begin():
                        yield conn
                finally:
                    self._tx.pop(task, None)
            return
        assert self._conn is not None, "the database is closed"
        async with self._write_lock:
            conn = self._conn
            self._tx[task] = conn
            await _uninterrupted(conn.exec_driver_sql("BEGIN IMMEDIATE"))
            try:
                yield conn
            except BaseException:
                await self._roll_back(conn)
                raise
            else:
                await _uninterrupted(conn.exec_driver_sql("COMMIT"))
            finally:
                self._tx.pop(task, None)

    async def execute(self, sql: str, params: Params = ()) -> Result:
        """Run one statement; its rows are read at once."""
        clause, bound = prepare(sql, params, postgres=self.postgres)
        async with self.connection() as conn:
            try:
                return await _uninterrupted(self._run(conn, sql, clause, bound))
            except BaseException:
                if conn.invalidated:  # the statement failed so that SQLAlchemy dropped the driver's connection
                    await self._forget_lost_connection(conn)
                raise

    async def _run(self, conn: AsyncConnection, sql: str, clause: TextClause, bound: dict[str, Any]) -> Result:
        result = await conn.execute(clause, bound)
        if result.returns_rows:
            keys = list(result.keys())
            rows = [Record(keys, row) for row in result.fetchall()]
            lastrowid = rows[0]["id"] if rows and "id" in rows[0] else None
            if self.postgres and _INSERT.match(sql) and not _RETURNING.search(sql):
                return Result([], len(rows), lastrowid)
            return Result(rows, len(rows) if result.rowcount < 0 else result.rowcount, lastrowid)
        return Result([], result.rowcount, getattr(result, "lastrowid", None))

    async def _roll_back(self, conn: AsyncConnection) -> None:
        """End SQLite's transaction after a failure, whatever state the connection was left in."""
        if conn.invalidated:  # the driver's connection is gone, and its transaction with it
            await self._forget_lost_connection(conn)
            return
        try:
            await _uninterrupted(conn.exec_driver_sql("ROLLBACK"))
        except Exception:  # no transaction left to end (SQLite ended it on its own)
            log.debug("nothing to roll back", exc_info=True)

    @staticmethod
    async def _forget_lost_connection(conn: AsyncConnection) -> None:
        """Let SQLAlchemy open a fresh driver connection on the next statement (the pragmas are set again on
        connect) instead of refusing every statement after a cancelled one."""
        with contextlib.suppress(Exception):
            await conn.rollback()

    async def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        """Run one statement for each set of parameters (inserts of many rows)."""
        for params in rows:
            await self.execute(sql, params)

    @contextlib.asynccontextmanager
    async def exclusive(self) -> AsyncIterator[AsyncConnection]:
        """SQLite's one connection, with no writer in the middle of a transaction (for checkpoints)."""
        assert self._conn is not None
        async with self._write_lock:
            yield self._conn

    async def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                await self._conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            await self._conn.close()
            self._conn = None
        await self.engine.dispose()


async def _uninterrupted(work: Awaitable[T]) -> T:
    """Run a statement to its end even if the task awaiting it is cancelled meanwhile; then let the cancellation
    through. A statement cut off halfway leaves the driver's connection in a state nobody knows (SQLAlchemy then
    drops it, and on SQLite the abandoned connection would keep its write lock)."""
    inner = asyncio.ensure_future(work)
    try:
        return await asyncio.shield(inner)
    except asyncio.CancelledError:
        if not inner.done():
            with contextlib.suppress(BaseException):
                await inner
        raise


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # The store runs its own BEGIN IMMEDIATE / COMMIT: the driver must not open transactions of its own. The
    # pragmas hold per connection, so they are set on every one (also one opened again after a cancellation).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in (
        "PRAGMA foreign_keys = ON",
        "PRAGMA busy_timeout = 5000",
        "PRAGMA synchronous = FULL",
        "PRAGMA secure_delete = ON",
    ):
        cursor.execute(pragma)
    cursor.close()
