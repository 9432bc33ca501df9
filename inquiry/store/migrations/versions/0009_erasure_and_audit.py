"""Schema version 9: erasure and audit (the statements are in ``sql/0009_erasure_and_audit.sql``)."""

from inquiry.store.migrations.sql import run_sql_file

revision = "0009"
down_revision = "0008"


def upgrade() -> None:
    run_sql_file("0009_erasure_and_audit.sql")
