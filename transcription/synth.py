"""Speech and media made on this machine, for the tests, the benchmarks and the demo's recordings.

:func:`speak` has espeak-ng say a known text; :func:`write_media` encodes samples with PyAV as a voice message
(Ogg/Opus), mp3, m4a, wav, flac, webm, or a video (mp4, mov, mkv, webm) with a solid-colour picture, with or
without a sound track. Nothing here is needed to transcribe.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import tempfile
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from .decode import SAMPLE_RATE, decode_audio

log = logging.getLogger(__name__)

# extension -> (container format, audio codec, video codec or None)
AUDIO_FORMATS: dict[str, tuple[str, str]] = {
    ".ogg": ("ogg", "libopus"),
    ".opus": ("ogg", "libopus"),
    ".mp3": ("mp3", "libmp3lame"),
    ".m4a": ("ipod", "aac"),
    ".wav": ("wav", "pcm_s16le"),
    ".flac": ("flac", "flac"),
    ".webm": ("webm", "libopus"),
}
VIDEO_FORMATS: dict[str, tuple[str, str, str]] = {
    ".mp4": ("mp4", "aac", "libx264"),
    ".mov": ("mov", "aac", "libx264"),
    ".mkv": ("matroska", "libopus", "libx264"),
    ".webm": ("webm", "libopus", "libvpx"),
}
_ENCODER_RATE = {"libopus": 48_000}
_BIT_RATE = {"libopus": 32_000, "libmp3lame": 64_000, "aac": 64_000}  # voice-message-like, small fixtures


ESPEAK_MISSING = "espeak-ng is not installed: apt-get install espeak-ng (scripts/bootstrap.sh installs it)"


class ToolMissing(RuntimeError):
    """A program this module runs is not installed; the message says how to install it."""


def espeak_available() -> bool:
    """True when the espeak-ng program is installed."""
    return shutil.which("espeak-ng") is not None


def speak(text: str, path: str | Path, *, voice: str = "en", words_per_minute: int = 150) -> Path:
    """Have espeak-ng say ``text`` in ``voice`` (en, fr, de, es, ...) into the WAV file ``path``.

    Raises :class:`ToolMissing` when espeak-ng is not installed.
    """
    path = Path(path)
    program = shutil.which("espeak-ng")
    if program is None:
        raise ToolMissing(ESPEAK_MISSING)
    subprocess.run(
        [program, "-v", voice, "-s", str(words_per_minute), "-w", str(path), text],
        check=True,
        capture_output=True,
    )
    return path


def spoken_samples(text: str, workdir: str | Path, *, voice: str = "en", words_per_minute: int = 150) -> np.ndarray:
    """``text`` spoken by espeak-ng, as 16 kHz mono float32 samples."""
    handle, name = tempfile.mkstemp(suffix=".wav", dir=workdir)
    os.close(handle)
    wav = speak(text, name, voice=voice, words_per_minute=words_per_minute)
    try:
        return decode_audio(wav)
    finally:
        wav.unlink(missing_ok=True)


def silence(seconds: float) -> np.ndarray:
    """Digital silence."""
    return np.zeros(int(seconds * SAMPLE_RATE), dtype=np.float32)


def tone(seconds: float, frequency: float = 440.0, amplitude: float = 0.3) -> np.ndarray:
    """A steady sine tone."""
    t = np.arange(int(seconds * SAMPLE_RATE), dtype=np.float32) / SAMPLE_RATE
    return (amplitude * np.sin(2 * np.pi * frequency * t)).astype(np.float32)


def write_media(
    path: str | Path,
    samples: np.ndarray | None,
    *,
    video: bool = False,
    seconds: float | None = None,
    colour: tuple[int, int, int] = (32, 64, 160),
) -> Path:
    """Encode 16 kHz mono ``samples`` into ``path``, the container chosen by its extension.

    ``video=True`` adds a solid-colour picture (small, 2 frames a second). ``samples=None`` writes a video with
    no sound track at all, ``seconds`` long.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    table = VIDEO_FORMATS if video or samples is None else AUDIO_FORMATS
    if suffix not in table:
        raise ValueError(f"cannot write {suffix} ({'video' if table is VIDEO_FORMATS else 'audio'})")
    fmt, audio_codec, *rest = table[suffix]
    video_codec = rest[0] if rest else None
    length = seconds if samples is None else len(samples) / SAMPLE_RATE
    with av.open(str(path), "w", format=fmt) as container:
        picture = container.add_stream(video_codec, rate=2) if video_codec else None
        if picture is not None:
            picture.width, picture.height, picture.pix_fmt = 64, 48, "yuv420p"
        sound = None
        if samples is not None:
            sound = container.add_stream(audio_codec, rate=_ENCODER_RATE.get(audio_codec, SAMPLE_RATE))
            sound.layout = "mono"
            if audio_codec in _BIT_RATE:
                sound.bit_rate = _BIT_RATE[audio_codec]
        if picture is not None:
            _write_pictures(container, picture, float(length or 0), colour)
        if sound is not None:
            _write_sound(container, sound, samples)
    return path


def _write_sound(container: av.container.OutputContainer, stream: av.audio.AudioStream, samples: np.ndarray) -> None:
    pcm = np.clip(samples, -1.0, 1.0)
    block = SAMPLE_RATE  # one second at a time; the encoder re-frames and resamples as it needs
    for offset in range(0, len(pcm), block):
        piece = np.ascontiguousarray(pcm[offset : offset + block], dtype=np.float32).reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(piece, format="flt", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        frame.pts = offset
        frame.time_base = Fraction(1, SAMPLE_RATE)
        container.mux(stream.encode(frame))
    container.mux(stream.encode(None))


def _write_pictures(
    container: av.container.OutputContainer, stream: av.video.VideoStream, seconds: float, colour: tuple[int, int, int]
) -> None:
    image = np.empty((stream.height, stream.width, 3), dtype=np.uint8)
    image[:] = colour
    for index in range(max(1, int(seconds * 2))):
        frame = av.VideoFrame.from_ndarray(image, format="rgb24").reformat(format="yuv420p")
        frame.pts = index
        container.mux(stream.encode(frame))
    container.mux(stream.encode(None))


_BRITISH = ((re.compile(r"isation"), "ization"), (re.compile(r"\bcentre"), "center"))


def normalise_words(text: str) -> str:
    """Lower case, words only, British "-isation" spelt "-ization": for word error rates that count words,
    not punctuation or spelling conventions."""
    text = text.lower().replace("-", " ").replace("’", "'")
    for pattern, replacement in _BRITISH:
        text = pattern.sub(replacement, text)
    text = re.sub(r"[^\w\s']", " ", text)
    return " ".join(text.split())


def word_error_rate(reference: str, hypothesis: str) -> float:
    """jiwer's word error rate after :func:`normalise_words` (1.0 when nothing was heard)."""
    import jiwer

    reference, hypothesis = normalise_words(reference), normalise_words(hypothesis)
    if not hypothesis:
        return 1.0
    return float(jiwer.wer(reference, hypothesis))
