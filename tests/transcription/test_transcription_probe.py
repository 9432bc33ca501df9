"""Probing: every accepted format is recognised; bad files are refused with a reason a witness can read."""

from __future__ import annotations

import pytest
from transcription_fixtures import AUDIO_EXTENSIONS, NO_LIMIT, VIDEO_EXTENSIONS

from transcription import MediaError, probe_media
from transcription.probe import describe_bytes, describe_seconds


@pytest.mark.parametrize("ext", AUDIO_EXTENSIONS)
def test_audio_formats_are_accepted(english, english_samples, ext):
    info = probe_media(english[ext], **NO_LIMIT)
    assert info.has_audio and not info.has_video
    assert info.duration == pytest.approx(len(english_samples) / 16_000, abs=0.15)
    assert info.size_bytes == english[ext].stat().st_size
    assert info.audio_codec


@pytest.mark.parametrize("ext", VIDEO_EXTENSIONS)
def test_videos_with_a_picture_are_accepted(english, english_samples, ext):
    info = probe_media(english[f"video{ext}"], **NO_LIMIT)
    assert info.has_audio and info.has_video
    assert info.duration == pytest.approx(len(english_samples) / 16_000, abs=0.15)


def test_a_voice_message_is_ogg_opus(voice_message):
    info = probe_media(voice_message, **NO_LIMIT)
    assert (info.container, info.audio_codec) == ("ogg", "opus")


def _reason(path, **limits) -> str:
    with pytest.raises(MediaError) as caught:
        probe_media(path, **{**NO_LIMIT, **limits})
    return caught.value.reason


def test_a_text_file_renamed_mp3_is_not_media(not_media):
    assert _reason(not_media) == "this file is not audio or video"


def test_a_truncated_video_is_damaged(truncated_video):
    assert _reason(truncated_video) == "this file is damaged or incomplete and its sound cannot be read"


def test_a_video_without_sound(mute_video):
    assert _reason(mute_video) == "this video has no sound track"


def test_too_large(voice_message):
    assert _reason(voice_message, max_bytes=1000) == "the file is larger than the 1 KB limit"


def test_too_long(voice_message):
    assert _reason(voice_message, max_seconds=3) == "the file is longer than the 3-second limit"


def test_missing_and_empty_files(tmp_path):
    assert _reason(tmp_path / "gone.ogg") == "the file could not be found or read"
    (tmp_path / "empty.ogg").write_bytes(b"")
    assert _reason(tmp_path / "empty.ogg") == "the file is empty"


def test_limits_are_said_as_people_say_them():
    assert describe_seconds(7200) == "2-hour"
    assert describe_seconds(5400) == "90-minute"
    assert describe_bytes(25 * 1024 * 1024) == "25 MB"
    assert describe_bytes(1536 * 1024) == "1.5 MB"
