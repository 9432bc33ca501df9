"""Schema version 14: committee access (the statements are in ``sql/0014_committee_access.sql``)."""

from inquiry.store.migrations.sql import run_sql_file

revision = "0014"
down_revision = "0013"


def upgrade() -> None:
    run_sql_file("0014_committee_access.sql")
