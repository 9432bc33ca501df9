"""Schema version 12: document evidence (the statements are in ``sql/0012_document_evidence.sql``)."""

from inquiry.store.migrations.sql import run_sql_file

revision = "0012"
down_revision = "0011"


def upgrade() -> None:
    run_sql_file("0012_document_evidence.sql")
