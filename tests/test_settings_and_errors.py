"""Settings from the environment, and the one error handler's promise: a short message, never a traceback."""

from __future__ import annotations

import logging
from pathlib import Path

import discord
import pytest

from bot import Settings, SettingsError, main
from cogs._shared.errors import APOLOGY


def test_settings_from_environment_with_defaults():
    settings = Settings.from_env({"EVIDENCE_BOT_TOKEN": "abc", "EVIDENCE_BOT_DATA_DIR": "/srv/appg"})
    assert settings.token == "abc"
    assert settings.database == Path("/srv/appg/evidence.db")
    assert settings.media_dir == Path("/srv/appg/media")
    assert settings.timezone.key == "Europe/London"
    assert settings.dev_guild_id is None


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"EVIDENCE_BOT_TIMEZONE": "Mars/Olympus"}, "not a known time zone"),
        ({"EVIDENCE_BOT_DEV_GUILD_ID": "my server"}, "must be a whole number"),
    ],
)
def test_bad_settings_are_named(env, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env)


def test_run_without_a_token_says_so(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("EVIDENCE_BOT_TOKEN", raising=False)
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.setenv("EVIDENCE_BOT_DATA_DIR", str(tmp_path))
    assert main(["--env-file", str(tmp_path / "missing.env"), "run"]) == 2
    assert "EVIDENCE_BOT_TOKEN" in capsys.readouterr().err


async def test_an_unexpected_failure_apologises_and_logs_the_context(simcord_env, caplog):
    guild = simcord_env.create_guild("APPG")
    channel = guild.create_text_channel("general")
    admins = guild.create_role("Admins", permissions=discord.Permissions(administrator=True))
    admin = guild.add_member(simcord_env.create_user("clerk"), roles=[admins])
    simcord_env.inject_error("POST", f"/guilds/{guild.id}/roles", status=500, message="Discord is having a day")
    with caplog.at_level(logging.ERROR, logger="cogs._shared.errors"):
        result = await admin.slash(channel, "setup")
    shown = result.followups[-1].content if result.followups else result.response.content
    assert shown == APOLOGY
    assert "Traceback" not in shown
    [record] = [r for r in caplog.records if r.name == "cogs._shared.errors"]
    assert "/setup" in record.getMessage()
    assert str(admin.id) in record.getMessage()
    assert str(guild.id) in record.getMessage()
    simcord_env.errors.clear()
