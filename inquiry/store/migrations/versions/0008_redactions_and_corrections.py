"""Schema version 8: redactions and corrections (the statements are in ``sql/0008_redactions_and_corrections.sql``)."""

from inquiry.store.migrations.sql import run_sql_file

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    run_sql_file("0008_redactions_and_corrections.sql")
