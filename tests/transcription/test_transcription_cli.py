"""``evidence-bot transcribe``: every output format, and one stderr line with a non-zero code for bad input."""

from __future__ import annotations

import json
import re

import pytest
from transcription_fixtures import ENGLISH

from transcription import DEFAULT
from transcription.cli import main
from transcription.synth import word_error_rate

CUE = r"(\d\d):(\d\d):(\d\d){sep}(\d\d\d) --> (\d\d):(\d\d):(\d\d){sep}(\d\d\d)"


def _run(capsys, *argv: str) -> tuple[int, str, list[str]]:
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err.splitlines()


@pytest.mark.slow
def test_text(capsys, voice_message):
    code, out, err = _run(capsys, voice_message)
    assert (code, err) == (0, [])
    assert word_error_rate(ENGLISH, out) <= 0.2, out


@pytest.mark.slow
def test_json(capsys, voice_message):
    code, out, _ = _run(capsys, voice_message, "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert {"text", "language", "language_probability", "segments", "engine", "model"} <= set(data)
    assert data["language"] == "en" and data["engine"] == "faster-whisper" and data["model"] == DEFAULT.model
    assert data["language_probability"] >= 0.8 and (data["needs_review"], data["review_reasons"]) == (False, [])
    assert all({"start", "end", "text"} <= set(segment) for segment in data["segments"])
    assert word_error_rate(ENGLISH, " ".join(segment["text"] for segment in data["segments"])) <= 0.2


@pytest.mark.slow
@pytest.mark.parametrize(("fmt", "separator"), [("srt", ","), ("vtt", r"\.")])
def test_subtitles(capsys, voice_message, fmt, separator):
    code, out, _ = _run(capsys, voice_message, "--format", fmt)
    assert code == 0
    cues = re.findall(CUE.format(sep=separator), out)
    assert cues, out
    assert out.startswith("WEBVTT\n\n" if fmt == "vtt" else "1\n")
    text = " ".join(line for line in out.splitlines() if line and "-->" not in line and not line.isdigit())
    assert word_error_rate(ENGLISH, text.removeprefix("WEBVTT")) <= 0.2


@pytest.mark.slow
def test_output_file_and_the_bot_command(capsys, voice_message, tmp_path):
    from bot import main as bot_main

    target = tmp_path / "out.srt"
    assert bot_main(["transcribe", str(voice_message), "--format", "srt", "-o", str(target)]) == 0
    assert re.search(CUE.format(sep=","), target.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("fixture", "extra", "code", "message"),
    [
        ("not_media", [], 1, "this file is not audio or video"),
        ("truncated_video", [], 1, "damaged or incomplete"),
        ("mute_video", [], 1, "this video has no sound track"),
        ("voice_message", ["--max-mb", "1", "--max-minutes", "1"], 0, None),
        ("voice_message", ["--model", "large-v3"], 2, "not available offline"),
        ("voice_message", ["--language", "xx"], 2, "unknown language"),
        ("voice_message", ["--engine", "whisper.cpp"], 2, "invalid choice"),
        ("voice_message", ["--format", "docx"], 2, "invalid choice"),
        ("voice_message", ["--beam-size", "0"], 2, "must be at least 1"),
        ("voice_message", ["--compute-type", "int4"], 2, "compute type"),
    ],
)
def test_bad_input_is_one_line_and_a_code(request, capsys, fixture, extra, code, message):
    path = request.getfixturevalue(fixture)
    result, out, err = _run(capsys, path, *extra)
    assert result == code
    if message is None:
        assert out and err == []
        return
    assert out == "" and len(err) == 1, err
    assert err[0].startswith("evidence-bot transcribe: ") and message in err[0]


def test_missing_file_and_missing_argument(capsys, tmp_path):
    code, _, err = _run(capsys, tmp_path / "nothing.ogg")
    assert code == 1 and len(err) == 1 and "could not be found" in err[0]
    code, _, err = _run(capsys)
    assert code == 2 and len(err) == 1 and "FILE" in err[0]


def test_help_exits_zero(capsys):
    code, out, _ = _run(capsys, "--help")
    assert code == 0 and "--translate" in out
