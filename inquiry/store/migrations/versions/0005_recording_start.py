"""Schema version 5: recording start (the statements are in ``sql/0005_recording_start.sql``)."""

from inquiry.store.migrations.sql import run_sql_file

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    run_sql_file("0005_recording_start.sql")
