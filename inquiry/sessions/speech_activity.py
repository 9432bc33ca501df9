"""Where in a track someone is speaking: a loudness envelope (one value per tenth of a second), read by streaming
the file through PyAV so that memory does not grow with its length, and the tightening of Whisper's segment times
to the sound inside them.

Whisper (with silence filtered out) reports a segment's boundaries anywhere in the pause around its speech: a reply
often "starts" where the speaker's previous words ended. On a recorder's per-speaker track the pauses are quiet, so
the first and last loud moments inside a segment are where its speech really starts and ends.
"""

from __future__ import annotations

import itertools
import logging
import os
from dataclasses import dataclass

import av
import numpy as np

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
STEP_SECONDS = 0.1
MIN_THRESHOLD = 0.003  # RMS of full scale; digital silence and a quiet room sit below it


@dataclass(frozen=True, slots=True)
class Envelope:
    """RMS loudness per step of ``STEP_SECONDS``, and the level above which a step counts as sound."""

    levels: np.ndarray
    threshold: float

    def tighten(self, start: float, end: float) -> tuple[float, float]:
        """The first and last loud moments within ``[start, end]``; the times unchanged if none is loud."""
        first, last = int(start / STEP_SECONDS), int(np.ceil(end / STEP_SECONDS))
        loud = np.flatnonzero(self.levels[first:last] > self.threshold)
        if not len(loud):
            return start, end
        return round((first + loud[0]) * STEP_SECONDS, 2), round(min(end, (first + loud[-1] + 1) * STEP_SECONDS), 2)


def envelope(path: str | os.PathLike[str]) -> Envelope:
    """The loudness envelope of a file's first sound track (raises ``av`` errors for unreadable files)."""
    hop = int(SAMPLE_RATE * STEP_SECONDS)
    levels: list[np.ndarray] = []
    carry = np.zeros(0, dtype=np.float32)
    with av.open(str(path), metadata_errors="ignore") as container:
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        for frame in itertools.chain(container.decode(stream), [None]):
            if frame is not None:
                frame.pts = None
            for out in resampler.resample(frame):
                carry = np.concatenate([carry, out.to_ndarray().reshape(-1).astype(np.float32)])
                steps = len(carry) // hop
                if steps:
                    block = carry[: steps * hop].reshape(steps, hop)
                    levels.append(np.sqrt((block**2).mean(axis=1)))
                    carry = carry[steps * hop :]
    found = np.concatenate(levels) if levels else np.zeros(0, dtype=np.float32)
    if not len(found):
        return Envelope(found, 1.0)
    floor, peak = np.percentile(found, 10), np.percentile(found, 99)
    return Envelope(found, max(MIN_THRESHOLD, float(floor + 0.1 * (peak - floor))))
