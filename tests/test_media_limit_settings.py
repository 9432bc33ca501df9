"""The limits on recordings are settings: read from the environment, checked, and given to the queue."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot import Settings, SettingsError, build_bot
from transcription.intake import IntakeLimits


def test_the_limits_have_defaults_and_can_be_set(tmp_path):
    assert Settings.from_env({}).max_files_per_hour == 20
    settings = Settings.from_env(
        {
            "EVIDENCE_BOT_DATA_DIR": str(tmp_path),
            "EVIDENCE_BOT_MAX_FILES_PER_HOUR": "5",
            "EVIDENCE_BOT_MAX_MEDIA_MB_PER_DAY": "100",
            "EVIDENCE_BOT_MAX_PENDING_RECORDINGS": "0",
            "EVIDENCE_BOT_MIN_FREE_DISK_MB": "512",
        }
    )
    assert (settings.max_files_per_hour, settings.max_media_mb_per_day) == (5, 100)
    assert (settings.max_pending_recordings, settings.min_free_disk_mb) == (0, 512)


@pytest.mark.parametrize("value", ["-1", "lots"])
def test_a_malformed_limit_is_refused_with_its_name(value):
    with pytest.raises(SettingsError, match="EVIDENCE_BOT_MAX_FILES_PER_HOUR"):
        Settings.from_env({"EVIDENCE_BOT_MAX_FILES_PER_HOUR": value})


async def test_the_bot_gives_its_limits_to_the_queue(settings, store):
    bot = build_bot(replace(settings, max_files_per_hour=3, max_media_mb_per_day=10, min_free_disk_mb=7), store)
    assert bot.transcription.settings.limits == IntakeLimits(
        files_per_hour=3, bytes_per_day=10 * 1024 * 1024, pending_per_person=5, min_free_bytes=7 * 1024 * 1024
    )
