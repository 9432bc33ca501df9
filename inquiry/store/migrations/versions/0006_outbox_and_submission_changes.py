"""Schema version 6: outbox and submission changes; the statements are in
``sql/0006_outbox_and_submission_changes.sql``."""

from inquiry.store.migrations.sql import run_sql_file

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    run_sql_file("0006_outbox_and_submission_changes.sql")
