"""Media the demo assembles at run time from its shipped recordings, with PyAV (no FFmpeg program, no speech
synthesis): a video too large to send on Discord, and a session's recording as Craig makes it (a zip of one WAV
track per speaker, each as long as the recording, silent while its speaker is)."""

from __future__ import annotations

import io
import tempfile
import zipfile
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from transcription.decode import SAMPLE_RATE, decode_audio
from transcription.synth import write_media

from .recordings import recording

DISCORD_LIMIT = 10 * 1024 * 1024  # what Discord lets a user without Nitro upload
PICTURE = (640, 360)
FRAMES_PER_SECOND = 4
PICTURE_QP = "10"  # near-lossless: a phone's video is as large as this, minutes of it larger still


def samples_of(name: str) -> np.ndarray:
    """A shipped recording's sound as 16 kHz mono samples."""
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / name
        path.write_bytes(recording(name))
        return decode_audio(path)


def large_video(sound: str, target: Path) -> Path:
    """An MP4 (H.264 picture, AAC sound) of the shipped recording ``sound``, larger than Discord's upload limit.

    The picture is random noise coded frame by frame at a fine quantiser: noise does not compress, so a few
    seconds of it weigh what minutes of a phone's video do, and it takes under a second to encode.
    """
    samples = samples_of(sound)
    rng = np.random.default_rng(2020)
    width, height = PICTURE
    with av.open(str(target), "w", format="mp4") as container:
        picture = container.add_stream("libx264", rate=FRAMES_PER_SECOND)
        picture.width, picture.height, picture.pix_fmt = width, height, "yuv420p"
        picture.options = {"preset": "ultrafast", "qp": PICTURE_QP}
        picture.gop_size = 1  # every frame whole: nothing is shared between noisy frames anyway
        sound_stream = container.add_stream("aac", rate=SAMPLE_RATE)
        sound_stream.layout = "mono"
        sound_stream.bit_rate = 64_000
        frames = int(len(samples) / SAMPLE_RATE * FRAMES_PER_SECOND) + 1
        for index in range(frames):
            noise = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
            frame = av.VideoFrame.from_ndarray(noise, format="rgb24").reformat(format="yuv420p")
            frame.pts = index
            container.mux(picture.encode(frame))
        container.mux(picture.encode(None))
        for offset in range(0, len(samples), SAMPLE_RATE):
            piece = np.ascontiguousarray(samples[offset : offset + SAMPLE_RATE], dtype=np.float32).reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(piece, format="flt", layout="mono")
            frame.sample_rate, frame.pts, frame.time_base = SAMPLE_RATE, offset, Fraction(1, SAMPLE_RATE)
            container.mux(sound_stream.encode(frame))
        container.mux(sound_stream.encode(None))
    if target.stat().st_size <= DISCORD_LIMIT:
        raise RuntimeError(f"{target.name} came out at {target.stat().st_size:,} bytes, within Discord's limit")
    return target


def recording_zip(tracks: dict[str, tuple[str, float]], tail: float = 2.0) -> bytes:
    """A zip of WAV tracks of equal length: for each track name, the shipped recording spoken on it and when it
    starts, in seconds from the start of the recording (which runs on ``tail`` seconds after the last words)."""
    spoken = {name: (samples_of(sound), int(starts * SAMPLE_RATE)) for name, (sound, starts) in tracks.items()}
    length = max(at + len(speech) for speech, at in spoken.values()) + int(tail * SAMPLE_RATE)
    archive = io.BytesIO()
    with tempfile.TemporaryDirectory() as scratch, zipfile.ZipFile(archive, "w") as zipped:
        for name, (speech, at) in spoken.items():
            track = np.zeros(length, dtype=np.float32)
            track[at : at + len(speech)] = speech
            zipped.write(write_media(Path(scratch) / name, track), arcname=name)
    return archive.getvalue()
