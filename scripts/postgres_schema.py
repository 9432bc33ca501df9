"""Write the PostgreSQL schema of the store at the last SQL migration, from the SQLite schema those migrations make.

PostgreSQL databases start at that version (there are none older), so they are created from this one file rather
than by replaying SQLite's table rebuilds. Run after changing a SQL migration:

    .venv/bin/python scripts/postgres_schema.py

``tests/store/test_postgres_schema.py`` checks that the file matches the SQLite schema, column for column.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from inquiry.store.migrations.sql import BASELINE, postgres_schema


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "schema.db"
        with sqlite3.connect(path) as conn:
            conn.execute("PRAGMA foreign_keys = ON")
            from inquiry.store.migrations.sql import sqlite_scripts

            for script in sqlite_scripts():
                conn.executescript(script)
        target = Path(__file__).resolve().parents[1] / "inquiry/store/migrations/sql" / BASELINE
        target.write_text(postgres_schema(path), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
