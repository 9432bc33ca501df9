"""Media made once per test session: espeak-ng speaks sentences from the seed inquiry's questions, and PyAV
encodes them as a voice message, the usual audio formats and videos; plus silence, a tone, a video with no
sound track, a text file renamed .mp3 and truncated files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from transcription_fixtures import AUDIO_EXTENSIONS, ENGLISH, SENTENCES, SPANISH, VIDEO_EXTENSIONS

from transcription.synth import ESPEAK_MISSING, espeak_available, silence, spoken_samples, tone, write_media


def _require_espeak() -> None:
    """Fail the test with one line saying what to install when espeak-ng is missing."""
    if not espeak_available():
        pytest.fail(ESPEAK_MISSING, pytrace=False)


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def whisper_cache(tmp_path_factory) -> str:
    """A fresh folder for converted openai-whisper checkpoints (so the converter really runs)."""
    return str(tmp_path_factory.mktemp("whisper-cache"))


@pytest.fixture(scope="session")
def english_samples(media_dir) -> np.ndarray:
    _require_espeak()
    return spoken_samples(ENGLISH, media_dir)


@pytest.fixture(scope="session")
def english(media_dir, english_samples) -> dict[str, Path]:
    """The English passage as a voice message (.ogg), every audio format, and videos with a picture."""
    files = {ext: write_media(media_dir / f"passage{ext}", english_samples) for ext in AUDIO_EXTENSIONS}
    for ext in VIDEO_EXTENSIONS:
        files[f"video{ext}"] = write_media(media_dir / f"video-passage{ext}", english_samples, video=True)
    return files


@pytest.fixture(scope="session")
def voice_message(english) -> Path:
    return english[".ogg"]


@pytest.fixture(scope="session")
def spanish(media_dir) -> Path:
    _require_espeak()
    samples = spoken_samples(SPANISH, media_dir, voice="es", words_per_minute=140)
    return write_media(media_dir / "spanish.ogg", samples)


@pytest.fixture(scope="session")
def sentences_with_pauses(media_dir) -> tuple[Path, list[tuple[float, float, str]]]:
    """Three sentences with 2 s pauses (about 20 s), and where each one is: (start, end, text)."""
    _require_espeak()
    pieces, spans, position = [], [], 0.0
    for text in SENTENCES:
        speech = spoken_samples(text, media_dir)
        pieces += [speech, silence(2.0)]
        spans.append((position, position + len(speech) / 16_000, text))
        position += len(speech) / 16_000 + 2.0
    return write_media(media_dir / "sentences.flac", np.concatenate(pieces)), spans


@pytest.fixture(scope="session")
def silent_file(media_dir) -> Path:
    return write_media(media_dir / "silence.ogg", silence(5.0))


@pytest.fixture(scope="session")
def tone_file(media_dir) -> Path:
    """A 5-second 1 kHz tone: the frequency that made tiny.en invent a sentence without the guards."""
    return write_media(media_dir / "tone.wav", tone(5.0, 1000.0))


@pytest.fixture(scope="session")
def mute_video(media_dir) -> Path:
    return write_media(media_dir / "mute.mp4", None, seconds=3.0)


@pytest.fixture(scope="session")
def not_media(media_dir) -> Path:
    path = media_dir / "minutes.mp3"
    path.write_text("Minutes of the meeting held on 14 April 2020.\n" * 20, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def truncated_video(media_dir, english) -> Path:
    """The first third of an mp4: its index (written at the end) is missing."""
    data = english["video.mp4"].read_bytes()
    path = media_dir / "truncated.mp4"
    path.write_bytes(data[: len(data) // 3])
    return path
