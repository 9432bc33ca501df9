"""Limits that do not trust the file: lengths counted from the sound, not the header; playlists and lists of
files refused before FFmpeg reads anything they name."""

from __future__ import annotations

import av
import numpy as np
import pytest
from transcription_fixtures import NO_LIMIT

from transcription import MediaError, probe_media
from transcription.container import PLAYLIST
from transcription.decode import LIMIT_SLACK_SECONDS, SAMPLE_RATE, decode_audio, iter_audio_chunks
from transcription.hostile import (
    declare_mp4_duration,
    declare_webm_duration,
    declared_seconds,
    encode_short,
    ffconcat_list,
    hls_playlist,
    packet_seconds,
    repeat_packets,
    sound_through_plain_ffmpeg,
    write_ts,
)
from transcription.probe import counted_seconds, inspect_media
from transcription.synth import silence

TEN_MINUTES = 600.0
TEN_HOURS = 36_000.0


@pytest.fixture(scope="module")
def liars(tmp_path_factory, english_samples):
    """Ten minutes of speech (the passage again and again) in a WebM and an M4A whose headers say 2 seconds."""
    folder = tmp_path_factory.mktemp("liars")
    files = {}
    for suffix, declare in ((".webm", declare_webm_duration), (".m4a", declare_mp4_duration)):
        short = encode_short(folder / f"passage{suffix}", english_samples)
        files[suffix] = repeat_packets(short, folder / f"ten-minutes{suffix}", TEN_MINUTES)
        declare(files[suffix], 2.0)
    return files


@pytest.fixture(scope="module")
def ten_hours(tmp_path_factory):
    """Ten hours of Opus in 120 ms packets (silence: about 6 MB), in a WebM whose header says 2 seconds."""
    folder = tmp_path_factory.mktemp("hours")
    short = encode_short(folder / "quiet.webm", silence(2.0))
    path = repeat_packets(short, folder / "ten-hours.webm", TEN_HOURS)
    declare_webm_duration(path, 2.0)
    return path


@pytest.mark.parametrize("suffix", [".webm", ".m4a"])
def test_the_lying_files_really_lie(liars, suffix):
    path = liars[suffix]
    assert declared_seconds(path) == pytest.approx(2.0)
    assert len(decode_audio(path)) / SAMPLE_RATE == pytest.approx(TEN_MINUTES, abs=1.0)


@pytest.mark.parametrize("suffix", [".webm", ".m4a"])
def test_the_length_limit_counts_the_sound_not_the_header(liars, suffix):
    with pytest.raises(MediaError) as caught:
        probe_media(liars[suffix], max_bytes=NO_LIMIT["max_bytes"], max_seconds=10)
    assert caught.value.reason == "the file is longer than the 10-second limit"
    with pytest.raises(MediaError) as caught:
        probe_media(liars[suffix], max_bytes=NO_LIMIT["max_bytes"], max_seconds=300)
    assert caught.value.reason == "the file is longer than the 5-minute limit"

    info = probe_media(liars[suffix], max_bytes=NO_LIMIT["max_bytes"], max_seconds=3600)
    assert info.declared_duration == pytest.approx(2.0)
    assert info.duration == pytest.approx(TEN_MINUTES, abs=1.0)


def test_hours_in_a_small_file_are_refused_after_counting_just_past_the_limit(ten_hours):
    assert ten_hours.stat().st_size < 10 * 1024 * 1024
    assert declared_seconds(ten_hours) == pytest.approx(2.0)
    assert packet_seconds(ten_hours) == pytest.approx(TEN_HOURS, abs=1.0)
    # Counting stops at the first packet past the limit; it does not read the other ten hours.
    assert 10.0 < counted_seconds(ten_hours, stop_after=10.0) <= 10.2
    assert counted_seconds(ten_hours) == pytest.approx(TEN_HOURS, abs=1.0)
    with pytest.raises(MediaError, match="longer than the 10-second limit"):
        probe_media(ten_hours, max_bytes=NO_LIMIT["max_bytes"], max_seconds=10)


def test_the_decoder_stops_at_the_limit_whatever_the_probe_said(liars):
    """Defence in depth: decoding counts samples and stops once past the limit (and its second of slack)."""
    chunks = []
    with pytest.raises(MediaError) as caught:
        chunks.extend(iter_audio_chunks(liars[".webm"], chunk_seconds=5.0, max_seconds=20.0))
    assert caught.value.reason == "the file is longer than the 20-second limit"
    assert 10.0 <= sum(chunk.duration for chunk in chunks) <= 20.0 + LIMIT_SLACK_SECONDS
    assert len(decode_audio(liars[".webm"], max_seconds=TEN_MINUTES)) / SAMPLE_RATE == pytest.approx(TEN_MINUTES, 1)


def test_an_hls_playlist_naming_a_file_beside_it_is_refused(tmp_path, english_samples):
    segment = write_ts(tmp_path / "other-witness.ts", english_samples)
    playlist = hls_playlist(tmp_path / "voice.m3u8", segment, len(english_samples) / SAMPLE_RATE)
    demuxer, seconds = sound_through_plain_ffmpeg(playlist)
    assert demuxer == "hls" and seconds > 5  # left to itself, FFmpeg reads the file the playlist names
    _refused_everywhere(playlist)


@pytest.mark.parametrize("name", ["joined.ffconcat", "voice.ogg"])
def test_an_ffconcat_list_is_refused_whatever_its_name(tmp_path, english, name):
    target = tmp_path / "statement.flac"
    target.write_bytes(english[".flac"].read_bytes())
    listing = ffconcat_list(tmp_path / name, target, target)
    demuxer, seconds = sound_through_plain_ffmpeg(listing)
    assert demuxer == "concat" and seconds > 10  # FFmpeg joins the files it names, even in a file called .ogg
    _refused_everywhere(listing)


def test_a_picture_is_not_audio_or_video(tmp_path):
    picture = tmp_path / "photo.png"
    frame = av.VideoFrame.from_ndarray(np.zeros((8, 8, 3), dtype=np.uint8), format="rgb24")
    with av.open(str(picture), "w", format="image2") as container:
        stream = container.add_stream("png", rate=1)
        stream.width, stream.height, stream.pix_fmt = 8, 8, "rgb24"
        container.mux([*stream.encode(frame), *stream.encode(None)])
    with av.open(str(picture)) as container:  # FFmpeg alone takes it for a (silent) video
        assert container.format.name == "png_pipe" and container.streams.video
    with pytest.raises(MediaError) as caught:
        inspect_media(picture, **NO_LIMIT)
    assert caught.value.reason == "this file is not audio or video"


def test_every_accepted_format_still_opens(english):
    for path in english.values():
        assert inspect_media(path, **NO_LIMIT).has_audio


def _refused_everywhere(path):
    with pytest.raises(MediaError) as caught:
        probe_media(path, **NO_LIMIT)
    assert caught.value.reason == PLAYLIST
    with pytest.raises(MediaError):
        decode_audio(path)
