"""Schema version 10: media quotas (the statements are in ``sql/0010_media_quotas.sql``)."""

from inquiry.store.migrations.sql import run_sql_file

revision = "0010"
down_revision = "0009"


def upgrade() -> None:
    run_sql_file("0010_media_quotas.sql")
