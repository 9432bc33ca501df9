"""Schema version 2: media and transcription (the statements are in ``sql/0002_media_and_transcription.sql``)."""

from inquiry.store.migrations.sql import run_sql_file

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    run_sql_file("0002_media_and_transcription.sql")
