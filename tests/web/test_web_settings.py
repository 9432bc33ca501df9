"""The upload page's settings from the environment."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from web.settings import MIB, WebSettings, WebSettingsError

SECRET = "s" * 40


def test_settings_come_from_the_environment_with_defaults():
    settings = WebSettings.from_env({"EVIDENCE_BOT_WEB_SECRET": SECRET, "EVIDENCE_BOT_DATA_DIR": "/srv/bot"})
    assert settings.secret == SECRET.encode()
    assert (settings.host, settings.port, settings.public_url) == ("127.0.0.1", 8080, "http://127.0.0.1:8080")
    assert settings.upload_dir == Path("/srv/bot/uploads")
    assert settings.max_bytes == 4096 * MIB
    assert settings.link_lifetime == timedelta(hours=24)

    chosen = WebSettings.from_env(
        {
            "EVIDENCE_BOT_WEB_SECRET": SECRET,
            "EVIDENCE_BOT_WEB_HOST": "0.0.0.0",
            "EVIDENCE_BOT_WEB_PORT": "9000",
            "EVIDENCE_BOT_WEB_PUBLIC_URL": "https://example.org/evidence/",
            "EVIDENCE_BOT_WEB_UPLOAD_DIR": "/tmp/up",
            "EVIDENCE_BOT_WEB_MAX_MB": "500",
            "EVIDENCE_BOT_WEB_LINK_HOURS": "2",
            "EVIDENCE_BOT_WEB_CHUNK_MB": "8",
        }
    )
    assert (chosen.host, chosen.port, chosen.base_url) == ("0.0.0.0", 9000, "https://example.org/evidence")
    assert (chosen.max_bytes, chosen.chunk_bytes) == (500 * MIB, 8 * MIB)
    assert chosen.link_lifetime == timedelta(hours=2)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "set EVIDENCE_BOT_WEB_SECRET"),
        ({"EVIDENCE_BOT_WEB_SECRET": "short"}, "at least 32 bytes"),
        ({"EVIDENCE_BOT_WEB_SECRET": SECRET, "EVIDENCE_BOT_WEB_PORT": "eighty"}, "must be a number"),
        ({"EVIDENCE_BOT_WEB_SECRET": SECRET, "EVIDENCE_BOT_WEB_MAX_MB": "-1"}, "must be positive"),
        ({"EVIDENCE_BOT_WEB_SECRET": SECRET, "EVIDENCE_BOT_WEB_PUBLIC_URL": "ftp://x"}, "http(s) address"),
    ],
)
def test_bad_settings_are_refused_with_a_reason(env, message):
    with pytest.raises(WebSettingsError, match=re.escape(message)):
        WebSettings.from_env(env)
