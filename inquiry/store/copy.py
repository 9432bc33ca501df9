"""``evidence-bot db copy --from SQLITE_PATH --to POSTGRES_URL``: move a database to PostgreSQL, verified.

The SQLite file is first brought up to the latest schema (a copy of it is taken first if it needs migrating, so
the original is left as it was); the PostgreSQL database is created at the latest schema and must hold no rows.
Every table is copied in one transaction, parents before children, ids kept; the identity sequences are then set
past the highest id, so new rows never take an old row's id. Before committing, each table is read back from both
sides and compared row for row (a digest of every row, in primary-key order): any difference rolls the whole copy
back and says which table differs.
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import MetaData, Table, func, insert, select, text
from sqlalchemy.engine import Connection

from ._db import is_postgres, redacted
from .migrations import LATEST_VERSION, current_version, migrate, sync_engine

SKIPPED = frozenset({"alembic_version"})
BATCH = 1000


class CopyError(RuntimeError):
    """The copy could not be made, or did not match; nothing was committed."""


@dataclass
class CopyReport:
    source: str
    target: str
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    def summary(self) -> str:
        tables = sum(1 for n in self.rows.values() if n)
        return (
            f"copied {self.total} rows in {tables} tables ({len(self.rows)} in all) from {self.source} to"
            f" {self.target}, verified row for row, in {self.seconds:.1f} s"
        )


def _ordered(columns: list, table: Table) -> list:
    keys = list(table.primary_key.columns) or columns
    return [table.c[c.name] for c in keys]


def _digest(conn: Connection, table: Table) -> tuple[int, str]:
    """How many rows, and a digest of them in primary-key order, values normalised across the two engines."""
    digest = hashlib.sha256()
    count = 0
    result = conn.execution_options(stream_results=True).execute(
        select(*table.columns).order_by(*_ordered(list(table.columns), table))
    )
    for row in result:
        count += 1
        digest.update(repr(tuple(_normal(v) for v in row)).encode())
    return count, digest.hexdigest()


def _normal(value: object) -> object:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def _prepare_source(source: Path, work: Path) -> Path:
    """The SQLite file at the latest schema: itself if it is there already, else a migrated copy."""
    engine = sync_engine(source)
    try:
        with engine.connect() as conn:
            version = current_version(conn)
    finally:
        engine.dispose()
    if version == LATEST_VERSION:
        return source
    copy = work / source.name
    with sqlite3.connect(source) as live, sqlite3.connect(copy) as into:
        live.backup(into)
    migrate(copy)
    return copy


def copy_database(source: str | Path, target: str) -> CopyReport:
    """Copy the SQLite database ``source`` into the empty PostgreSQL database ``target``; see the module."""
    if is_postgres(source) or not Path(source).is_file():
        raise CopyError(f"{source} is not a SQLite database file")
    if not is_postgres(target):
        raise CopyError(f"{target} is not a postgresql:// URL")
    started = time.perf_counter()
    report = CopyReport(str(source), redacted(target))
    with tempfile.TemporaryDirectory(prefix="evidence-copy-") as work:
        prepared = _prepare_source(Path(source), Path(work))
        migrate(target)
        reader, writer = sync_engine(prepared), sync_engine(target)
        try:
            with reader.connect() as src, writer.connect() as dst:
                schema = MetaData()
                schema.reflect(bind=dst)
                tables = [t for t in schema.sorted_tables if t.name not in SKIPPED]
                for table in tables:
                    if dst.execute(select(func.count()).select_from(table)).scalar_one():
                        raise CopyError(
                            f"the PostgreSQL database already holds rows (in {table.name}); copy into an empty database"
                        )
                dst.commit()
                with dst.begin():
                    for table in tables:
                        report.rows[table.name] = _copy_table(src, dst, table)
                    _reset_identities(dst, tables)
                    for table in tables:
                        source_rows = _digest(src, Table(table.name, MetaData(), autoload_with=src))
                        target_rows = _digest(dst, table)
                        if source_rows != target_rows:
                            raise CopyError(
                                f"table {table.name} differs after copying ({source_rows[0]} rows in SQLite,"
                                f" {target_rows[0]} in PostgreSQL); nothing was committed"
                            )
        finally:
            reader.dispose()
            writer.dispose()
    report.seconds = time.perf_counter() - started
    return report


def _copy_table(src: Connection, dst: Connection, table: Table) -> int:
    columns = [c.name for c in table.columns]
    statement = insert(table)
    names = ", ".join(f'"{c}"' for c in columns)
    result = src.execution_options(stream_results=True).exec_driver_sql(f'SELECT {names} FROM "{table.name}"')
    copied = 0
    while batch := result.fetchmany(BATCH):
        dst.execute(statement, [dict(zip(columns, row, strict=True)) for row in batch])
        copied += len(batch)
    return copied


def _reset_identities(dst: Connection, tables: list[Table]) -> None:
    for table in tables:
        if "id" in table.c and table.c.id.identity is not None:
            dst.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), coalesce(max(id), 0) + 1, false)"
                    f" FROM {table.name}"
                )
            )


def main(argv: list[str] | None = None) -> int:
    """``evidence-bot db copy``."""
    cli = argparse.ArgumentParser(prog="evidence-bot db", description="move the database to PostgreSQL")
    sub = cli.add_subparsers(dest="action", required=True)
    copy = sub.add_parser("copy", help="copy a SQLite database into an empty PostgreSQL database, verified")
    copy.add_argument("--from", dest="source", required=True, help="the SQLite database file")
    copy.add_argument("--to", dest="target", required=True, help="postgresql://user:password@host:port/database")
    args = cli.parse_args(argv)
    try:
        report = copy_database(args.source, args.target)
    except CopyError as error:
        print(f"evidence-bot db copy: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # the server unreachable, refused credentials, ...
        print(f"evidence-bot db copy: {type(error).__name__}: {str(error).splitlines()[0]}", file=sys.stderr)
        return 1
    print(report.summary())
    for name, count in report.rows.items():
        if count:
            print(f"  {name}: {count}")
    return 0
