"""Schema version 11: upload grants (the statements are in ``sql/0011_upload_grants.sql``)."""

from inquiry.store.migrations.sql import run_sql_file

revision = "0011"
down_revision = "0010"


def upgrade() -> None:
    run_sql_file("0011_upload_grants.sql")
