"""Schema version 7: session changes (the statements are in ``sql/0007_session_changes.sql``)."""

from inquiry.store.migrations.sql import run_sql_file

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    run_sql_file("0007_session_changes.sql")
