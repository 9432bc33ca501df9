"""Speech made here for tests: espeak-ng speaks a known sentence; PyAV re-encodes it as Discord would carry it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import av
import numpy as np


def speak(text: str, path: Path, *, voice: str = "en-gb", speed: int = 150) -> Path:
    """Speak ``text`` into a WAV file with espeak-ng."""
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(path), text], check=True)
    return path


def reencode(source: Path, target: Path, *, codec: str, rate: int = 48000, video: bool = False) -> Path:
    """Re-encode audio (optionally with a solid-colour picture) into ``target``'s container."""
    with av.open(str(source)) as inp, av.open(str(target), "w") as out:
        audio_in = inp.streams.audio[0]
        picture = out.add_stream("libx264", rate=10) if video else None
        if picture is not None:
            picture.width, picture.height, picture.pix_fmt = 160, 120, "yuv420p"
        audio_out = out.add_stream(codec, rate=rate)
        audio_out.layout = "mono"
        resampler = av.AudioResampler(format=audio_out.format.name, layout="mono", rate=rate)
        seconds = (inp.duration or 0) / av.time_base
        for frame in inp.decode(audio_in):
            for converted in resampler.resample(frame):
                out.mux(audio_out.encode(converted))
        for converted in resampler.resample(None):
            out.mux(audio_out.encode(converted))
        out.mux(audio_out.encode(None))
        if picture is not None:
            image = np.full((120, 160, 3), (20, 90, 60), dtype=np.uint8)
            for index in range(max(1, int(seconds * 10))):
                frame = av.VideoFrame.from_ndarray(image, format="rgb24")
                frame.pts = index
                out.mux(picture.encode(frame))
            out.mux(picture.encode(None))
    return target


def voice_message(text: str, folder: Path, name: str = "voice-message.ogg") -> bytes:
    """A Discord-style voice message (Ogg/Opus) saying ``text``."""
    wav = speak(text, folder / f"{name}.wav")
    return reencode(wav, folder / name, codec="libopus").read_bytes()


def silence(path: Path, seconds: float = 4.0) -> Path:
    """A WAV file of digital silence."""
    import wave

    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(16000)
        handle.writeframes(b"\x00\x00" * int(16000 * seconds))
    return path
