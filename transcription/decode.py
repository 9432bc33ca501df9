"""Decode any media's first audio stream to 16 kHz mono float32, in bounded chunks.

Memory does not grow with the length of the file: at most one chunk (``chunk_seconds`` of samples, 38 MB for
the default ten minutes) plus the frames of the next one are held at a time. Each chunk is cut at the quietest
moment near its end, so that a word is not split between two chunks, and carries its start time so that the
segments found in it can be placed on the file's timeline.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass

import av
import numpy as np

from .container import AV_ERRORS, open_media
from .errors import MediaError
from .probe import DAMAGED, NO_SOUND_AUDIO, too_long

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
DEFAULT_CHUNK_SECONDS = 600.0
# Where to look for a quiet place to cut: the last stretch of each chunk, in 0.5 s windows.
_CUT_SEARCH_SECONDS = 20.0
_CUT_WINDOW_SECONDS = 0.5
# Decoded sound may run a little past the length the probe counted (encoder padding, priming): allow this much.
LIMIT_SLACK_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class AudioChunk:
    """A piece of the sound track: 16 kHz mono float32 samples starting ``start`` seconds into the file."""

    start: float
    samples: np.ndarray

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return len(self.samples) / SAMPLE_RATE

    @property
    def end(self) -> float:
        """Seconds from the start of the file to the end of this chunk."""
        return self.start + self.duration


def iter_audio_chunks(
    path: str | os.PathLike[str], *, chunk_seconds: float = DEFAULT_CHUNK_SECONDS, max_seconds: float | None = None
) -> Iterator[AudioChunk]:
    """Yield the file's first audio stream as consecutive chunks of at most ``chunk_seconds`` seconds.

    A file whose tail is damaged yields what could be read (with a warning in the log); a file with no readable
    sound raises :class:`MediaError`, and so does one whose decoded sound runs past ``max_seconds`` (a second of
    slack allowed): decoding stops there, whatever the file's header or packets claimed.
    """
    if chunk_seconds < 2 * _CUT_WINDOW_SECONDS:
        raise ValueError("chunk_seconds is too small")
    limit = int(chunk_seconds * SAMPLE_RATE)
    pending: list[np.ndarray] = []
    pending_samples = 0
    start_sample = 0
    for block in _resampled_blocks(path, max_seconds):
        pending.append(block)
        pending_samples += len(block)
        while pending_samples >= limit:
            buffer = np.concatenate(pending)
            cut = _quiet_cut(buffer[:limit])
            yield AudioChunk(start_sample / SAMPLE_RATE, buffer[:cut].copy())
            start_sample += cut
            pending = [buffer[cut:]]
            pending_samples = len(pending[0])
    if pending_samples:
        yield AudioChunk(start_sample / SAMPLE_RATE, np.concatenate(pending))


def decode_audio(path: str | os.PathLike[str], *, max_seconds: float | None = None) -> np.ndarray:
    """The whole sound track as one array (for short files and tests; long files go through chunks)."""
    chunks = [chunk.samples for chunk in iter_audio_chunks(path, max_seconds=max_seconds)]
    return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)


def _resampled_blocks(path: str | os.PathLike[str], max_seconds: float | None) -> Iterator[np.ndarray]:
    """Decoded, resampled frames as 1-D float32 arrays, in order; no more than ``max_seconds`` (and slack)."""
    produced = 0
    allowed = None if max_seconds is None else int((max_seconds + LIMIT_SLACK_SECONDS) * SAMPLE_RATE)
    try:
        container = open_media(path)
    except AV_ERRORS as error:
        raise MediaError(DAMAGED) from error
    with container:
        if not container.streams.audio:
            raise MediaError(NO_SOUND_AUDIO)
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        frames = container.decode(stream)
        while True:
            try:
                frame = next(frames)
            except StopIteration:
                break
            except AV_ERRORS as error:
                if not produced:
                    raise MediaError(DAMAGED) from error
                log.warning(
                    "sound of %s unreadable after %.1f s (%s); transcribing what was read",
                    os.path.basename(path),
                    produced / SAMPLE_RATE,
                    error,
                )
                break
            frame.pts = None  # let the resampler count samples; broken timestamps must not drop audio
            for block in _to_arrays(resampler.resample(frame)):
                produced += len(block)
                _check_length(path, produced, allowed, max_seconds)
                yield block
        for block in _to_arrays(resampler.resample(None)):
            produced += len(block)
            _check_length(path, produced, allowed, max_seconds)
            yield block


def _check_length(path: str | os.PathLike[str], produced: int, allowed: int | None, max_seconds: float | None) -> None:
    if allowed is not None and max_seconds is not None and produced > allowed:
        log.warning("%s decodes to more than %.0f s; stopped", os.path.basename(path), max_seconds)
        raise MediaError(too_long(max_seconds))


def _to_arrays(frames: list[av.AudioFrame]) -> Iterator[np.ndarray]:
    for frame in frames:
        array = frame.to_ndarray()
        yield np.ascontiguousarray(array.reshape(-1), dtype=np.float32)


def _quiet_cut(buffer: np.ndarray) -> int:
    """Where to end a full chunk: the middle of the quietest half-second in its last stretch."""
    window = int(_CUT_WINDOW_SECONDS * SAMPLE_RATE)
    search = min(len(buffer) // 2, int(_CUT_SEARCH_SECONDS * SAMPLE_RATE))
    if search < window:
        return len(buffer)
    tail = buffer[len(buffer) - search :]
    usable = (len(tail) // window) * window
    energy = np.square(tail[len(tail) - usable :].reshape(-1, window)).mean(axis=1)
    # Prefer the latest of the quietest windows, so chunks stay close to full length.
    quietest = len(energy) - 1 - int(np.argmin(energy[::-1]))
    return len(buffer) - usable + quietest * window + window // 2
