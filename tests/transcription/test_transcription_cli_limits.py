"""``evidence-bot transcribe`` applies the bot's limits (EVIDENCE_BOT_MAX_MEDIA_MB and _MINUTES), counted on the
sound itself: a file whose header says 2 seconds and that holds 10 minutes is refused under a 5-minute limit
before any model is loaded."""

from __future__ import annotations

import time

import pytest

from transcription.cli import MAX_MB_VARIABLE, MAX_MINUTES_VARIABLE, main
from transcription.hostile import declare_webm_duration, declared_seconds, encode_short, repeat_packets

TOO_LONG = "the file is longer than the 5-minute limit"


@pytest.fixture(scope="module")
def ten_minutes_saying_two_seconds(tmp_path_factory, english_samples):
    folder = tmp_path_factory.mktemp("cli-liar")
    path = repeat_packets(encode_short(folder / "passage.webm", english_samples), folder / "statement.webm", 600.0)
    declare_webm_duration(path, 2.0)
    assert declared_seconds(path) == pytest.approx(2.0)
    return path


def _run(capsys, *argv) -> tuple[int, str, list[str]]:
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err.splitlines()


def test_the_length_limit_comes_from_the_environment_and_counts_the_sound(
    capsys, monkeypatch, ten_minutes_saying_two_seconds
):
    monkeypatch.setenv(MAX_MINUTES_VARIABLE, "5")
    started = time.monotonic()
    code, out, err = _run(capsys, ten_minutes_saying_two_seconds)
    elapsed = time.monotonic() - started
    assert (code, out) == (1, "")
    assert err == [f"evidence-bot transcribe: {ten_minutes_saying_two_seconds}: {TOO_LONG}"]
    assert elapsed < 30, elapsed  # refused from its packets, not after decoding or transcribing ten minutes
    # Refused before any model is loaded: a model that cannot be loaded is not even looked at.
    code, _, err = _run(capsys, ten_minutes_saying_two_seconds, "--model", "large-v3")
    assert code == 1 and err[0].endswith(TOO_LONG)


def test_the_size_limit_comes_from_the_environment(capsys, monkeypatch, ten_minutes_saying_two_seconds):
    assert ten_minutes_saying_two_seconds.stat().st_size > 1024 * 1024
    monkeypatch.setenv(MAX_MB_VARIABLE, "1")
    code, out, err = _run(capsys, ten_minutes_saying_two_seconds)
    assert (code, out) == (1, "")
    assert len(err) == 1 and err[0].endswith("the file is larger than the 1 MB limit")


def test_options_override_the_environment(capsys, monkeypatch, ten_minutes_saying_two_seconds):
    monkeypatch.setenv(MAX_MINUTES_VARIABLE, "60")
    code, _, err = _run(capsys, ten_minutes_saying_two_seconds, "--max-minutes", "2")
    assert code == 1 and err[0].endswith("the file is longer than the 2-minute limit")


@pytest.mark.parametrize("value", ["lots", "0", "-5", "1.5"])
def test_a_malformed_limit_in_the_environment_is_a_usage_error(capsys, monkeypatch, voice_message, value):
    monkeypatch.setenv(MAX_MB_VARIABLE, value)
    code, out, err = _run(capsys, voice_message)
    assert (code, out) == (2, "")
    assert len(err) == 1 and MAX_MB_VARIABLE in err[0]


def test_the_help_names_the_variables(capsys, monkeypatch):
    monkeypatch.setenv(MAX_MINUTES_VARIABLE, "45")
    code, out, _ = _run(capsys, "--help")
    assert code == 0
    assert MAX_MB_VARIABLE in out and MAX_MINUTES_VARIABLE in out and "now 45" in " ".join(out.split())
