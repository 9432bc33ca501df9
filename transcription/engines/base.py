"""The engine interface, and what both Whisper engines share.

An engine turns a media file into a :class:`Transcript`. A :class:`ChunkedEngine` knows how to transcribe or
translate one chunk of samples, how likely each language is in a window of speech, and how surely it reads a
window in a given language; :class:`~transcription.engines.pipeline.Transcriber` does the rest (decoding in
chunks, detecting the language, choosing the model, translating, judging whether a person must check the
result), the same way for both engines.
"""

from __future__ import annotations

import logging
import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..decode import DEFAULT_CHUNK_SECONDS
from ..detect import Heard, Reading, listen
from ..errors import SettingsError
from ..languages import UNDETERMINED
from ..models import Segment, Transcript

log = logging.getLogger(__name__)

ProgressCallback = Callable[[float], None]

__all__ = ["UNDETERMINED", "ChunkResult", "ChunkedEngine", "Engine", "ProgressCallback"]


@dataclass(slots=True)
class ChunkResult:
    """What an engine heard in one chunk: segments timed from the chunk's start, and the language."""

    segments: list[Segment] = field(default_factory=list)
    language: str | None = None


class Engine(ABC):
    """A speech-to-text engine bound to one loaded model."""

    name: str = ""

    def __init__(self, model: str, *, english_only: bool) -> None:
        self.model = model
        self.english_only = english_only

    @abstractmethod
    def transcribe(
        self,
        audio_path: str | os.PathLike[str],
        *,
        language: str | None = None,
        translate: bool = False,
        on_progress: ProgressCallback | None = None,
        max_seconds: float | None = None,
    ) -> Transcript:
        """Transcribe a media file; ``on_progress(fraction)`` is called with 0..1 as the work advances. No more
        than ``max_seconds`` of sound is decoded (:class:`~transcription.errors.MediaError` past it)."""


class ChunkedEngine(Engine):
    """An engine that works through the file chunk by chunk; subclasses implement :meth:`transcribe_chunk` and,
    for multilingual models, :meth:`language_probabilities` and :meth:`score_language`."""

    chunk_seconds: float = DEFAULT_CHUNK_SECONDS

    @abstractmethod
    def transcribe_chunk(
        self,
        samples: np.ndarray,
        *,
        language: str | None,
        task: str,
        on_segment: Callable[[float], None],
    ) -> ChunkResult:
        """Transcribe (``task="transcribe"``) or translate into English (``task="translate"``) 16 kHz mono
        samples. ``language`` None means detect it. Call ``on_segment(end_seconds)`` as each segment is done.
        Segments carry the engine's confidence (average log-probability, compression ratio, no-speech
        probability)."""

    def language_probabilities(self, samples: np.ndarray) -> dict[str, float]:
        """The probability of each language code for up to 30 s of speech (multilingual models only)."""
        raise SettingsError(f"the {self.model} model understands English only and cannot detect languages")

    def score_language(self, samples: np.ndarray, language: str) -> Reading:
        """Up to 30 s of speech decoded as ``language`` (greedy, no fallback): its text and how surely it was
        read (multilingual models only)."""
        raise SettingsError(f"the {self.model} model understands English only")

    def listen(self, samples: np.ndarray, spans: Sequence[tuple[int, int]]) -> list[Heard]:
        """The detector's answers for windows of the speech in ``samples`` (see :func:`transcription.detect.listen`)."""
        return listen(self, samples, spans)

    def transcribe(
        self,
        audio_path: str | os.PathLike[str],
        *,
        language: str | None = None,
        translate: bool = False,
        on_progress: ProgressCallback | None = None,
        max_seconds: float | None = None,
    ) -> Transcript:
        """Transcribe a media file with this model alone (see :class:`~.pipeline.Transcriber`)."""
        from .pipeline import Transcriber

        transcriber = Transcriber(english=self) if self.english_only else Transcriber(multilingual=self)
        return transcriber.transcribe(
            audio_path, language=language, translate=translate, on_progress=on_progress, max_seconds=max_seconds
        )
