"""The engine interface, and the chunk-by-chunk loop both Whisper engines share.

An engine turns a media file into a :class:`Transcript`. :class:`ChunkedEngine` decodes the file in bounded
chunks (see :mod:`transcription.decode`), asks the concrete engine to transcribe each one, places the segments on
the file's timeline, keeps one language for the whole file (the first one detected in speech), and, when that
language is not English or a translation is forced, runs Whisper's ``translate`` task on the same chunk.
"""

from __future__ import annotations

import logging
import os
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..decode import DEFAULT_CHUNK_SECONDS, iter_audio_chunks
from ..errors import SettingsError
from ..models import Segment, Transcript, join_text
from ..probe import media_duration

log = logging.getLogger(__name__)

ProgressCallback = Callable[[float], None]
UNDETERMINED = "und"  # ISO 639-2 "undetermined": no speech was heard to tell the language by


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
    ) -> Transcript:
        """Transcribe a media file; ``on_progress(fraction)`` is called with 0..1 as the work advances."""


class _Progress:
    """Turns positions in the file into a fraction that only goes up, and tells the caller."""

    def __init__(self, callback: ProgressCallback | None, duration: float) -> None:
        self.callback = callback
        self.duration = duration
        self.fraction = 0.0

    def at(self, seconds: float) -> None:
        if self.duration > 0:
            self.report(seconds / self.duration)

    def report(self, fraction: float) -> None:
        fraction = min(1.0, fraction)
        if self.callback is None or fraction <= self.fraction:
            return
        self.fraction = fraction
        self.callback(fraction)

    def span(self, position: float, width: float, length: float) -> Callable[[float], None]:
        """A per-segment callback for one pass over a chunk of ``length`` seconds: a segment ending ``end``
        seconds into the chunk moves the bar to ``position + width * end / length`` seconds into the file."""

        def on_segment(end: float) -> None:
            self.at(position + width * min(1.0, end / max(length, 1e-6)))

        return on_segment

    def finish(self) -> None:
        self.report(1.0)


class ChunkedEngine(Engine):
    """An engine that works through the file chunk by chunk; subclasses implement :meth:`transcribe_chunk`."""

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
        samples. ``language`` None means detect it. Call ``on_segment(end_seconds)`` as each segment is done."""

    def transcribe(
        self,
        audio_path: str | os.PathLike[str],
        *,
        language: str | None = None,
        translate: bool = False,
        on_progress: ProgressCallback | None = None,
    ) -> Transcript:
        """Transcribe a media file chunk by chunk (see the module's docstring)."""
        language = self._check_request(language, translate)
        duration = media_duration(audio_path)
        progress = _Progress(on_progress, duration)
        segments: list[Segment] = []
        translated: list[Segment] = []
        wants_translation = translate
        decoded = 0.0
        for chunk in iter_audio_chunks(audio_path, chunk_seconds=self.chunk_seconds):
            share = chunk.duration / (2 if wants_translation else 1)  # of the progress bar, per pass
            heard = self._pass(
                chunk.samples, chunk.start, language, "transcribe", progress.span(chunk.start, share, chunk.duration)
            )
            if language is None and heard.segments:
                language = heard.language
                log.info("%s: language %s", os.path.basename(audio_path), language)
            segments.extend(heard.segments)
            wants_translation = translate or (language is not None and language != "en")
            if wants_translation and heard.segments:
                share = chunk.duration / 2
                halfway = progress.span(chunk.start + share, share, chunk.duration)
                translation = self._pass(chunk.samples, chunk.start, language, "translate", halfway)
                translated.extend(translation.segments)
            decoded = chunk.end
            progress.at(chunk.end)
        progress.finish()
        return Transcript(
            language=language or ("en" if self.english_only else UNDETERMINED),
            text=join_text(segments),
            segments=segments,
            engine=self.name,
            model=self.model,
            duration=max(duration, decoded),
            translation=join_text(translated) if wants_translation and segments else None,
            translation_segments=translated if wants_translation and segments else None,
        )

    def _check_request(self, language: str | None, translate: bool) -> str | None:
        """The language to start with; refuse what an English-only model cannot do."""
        if language is not None:
            language = language.strip().lower() or None
        if not self.english_only:
            return language
        if language not in (None, "en"):
            raise SettingsError(
                f"the {self.model} model understands English only; use the base model for language {language!r}"
            )
        if translate:
            raise SettingsError(f"the {self.model} model cannot translate; use the base model")
        return "en"

    def _pass(
        self,
        samples: np.ndarray,
        start: float,
        language: str | None,
        task: str,
        on_segment: Callable[[float], None],
    ) -> ChunkResult:
        """One pass over a chunk that starts ``start`` seconds into the file; its segments moved onto the file's
        timeline."""
        result = self.transcribe_chunk(samples, language=language, task=task, on_segment=on_segment)
        result.segments = [
            Segment(round(start + s.start, 3), round(start + s.end, 3), s.text.strip(), s.speaker)
            for s in result.segments
            if s.text.strip()
        ]
        return result
