"""Schema version 3: sessions (the statements are in ``sql/0003_sessions.sql``)."""

from inquiry.store.migrations.sql import run_sql_file

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    run_sql_file("0003_sessions.sql")
