"""Decoding in bounded chunks: any format to 16 kHz mono, cut in quiet places, nothing lost or repeated."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from transcription import MediaError
from transcription.decode import SAMPLE_RATE, decode_audio, iter_audio_chunks
from transcription.synth import silence, tone, write_media


@pytest.fixture(scope="module")
def bursts(tmp_path_factory):
    """25 s: 3 s tone bursts separated by 1 s of silence, and the samples written."""
    pieces = []
    for _ in range(6):
        pieces += [tone(3.0, 300.0), silence(1.0)]
    samples = np.concatenate([*pieces, tone(1.0, 300.0)])
    return write_media(tmp_path_factory.mktemp("bursts") / "bursts.flac", samples), samples


def test_chunks_are_bounded_contiguous_and_complete(bursts):
    path, samples = bursts
    chunks = list(iter_audio_chunks(path, chunk_seconds=10.0))
    assert len(chunks) == 3
    assert all(chunk.duration <= 10.0 for chunk in chunks)
    assert chunks[0].start == 0.0
    for before, after in itertools.pairwise(chunks):
        assert after.start == pytest.approx(before.end)
    joined = np.concatenate([chunk.samples for chunk in chunks])
    assert len(joined) == len(samples)
    assert np.allclose(joined, samples, atol=1e-3)  # FLAC is lossless (16-bit)


def test_chunks_are_cut_in_silence_not_in_sound(bursts):
    path, _ = bursts
    for chunk in list(iter_audio_chunks(path, chunk_seconds=10.0))[:-1]:
        edge = chunk.samples[-800:]  # the last 50 ms
        assert np.abs(edge).max() < 0.01


def test_any_format_comes_out_as_16k_mono(english, english_samples):
    for path in (english[".ogg"], english[".m4a"], english["video.mp4"]):
        decoded = decode_audio(path)
        assert decoded.dtype == np.float32
        assert len(decoded) / SAMPLE_RATE == pytest.approx(len(english_samples) / SAMPLE_RATE, abs=0.1)
        assert 0.02 < float(np.sqrt(np.mean(decoded**2))) < 1.0


def test_undecodable_sound_raises_media_error(not_media, mute_video):
    with pytest.raises(MediaError):
        decode_audio(not_media)
    with pytest.raises(MediaError):
        decode_audio(mute_video)
