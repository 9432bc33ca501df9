"""Schema version 1: inquiries (the statements are in ``sql/0001_inquiries.sql``)."""

from inquiry.store.migrations.sql import run_sql_file

revision = "0001"
down_revision = None


def upgrade() -> None:
    run_sql_file("0001_inquiries.sql")
