"""Schema version 13: upload requests and entered evidence; the statements are in
``sql/0013_upload_requests_and_entered_evidence.sql``."""

from inquiry.store.migrations.sql import run_sql_file

revision = "0013"
down_revision = "0012"


def upgrade() -> None:
    run_sql_file("0013_upload_requests_and_entered_evidence.sql")
