"""Schema version 4: recordings and corrections (the statements are in ``sql/0004_recordings_and_corrections.sql``)."""

from inquiry.store.migrations.sql import run_sql_file

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    run_sql_file("0004_recordings_and_corrections.sql")
