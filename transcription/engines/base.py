"""The engine interface, and what both Whisper engines share.

An engine turns a media file into a :class:`Transcript`. A
:class:`~transcription.engines.pipeline.ChunkedEngine` knows how to transcribe or
translate one chunk of samples, how likely each language is in a window of speech, and how surely it reads a
window in a given language; :class:`~transcription.engines.pipeline.Transcriber` does the rest (decoding in
chunks, detecting the language, choosing the model, translating, judging whether a person must check the
result), the same way for both engines.
"""

from __future__ import annotations

import logging
import os
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field

from ..languages import UNDETERMINED
from ..models import Segment, Transcript

log = logging.getLogger(__name__)

ProgressCallback = Callable[[float], None]

__all__ = ["UNDETERMINED", "ChunkResult", "Engine", "ProgressCallback"]


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
