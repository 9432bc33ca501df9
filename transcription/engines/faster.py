"""faster-whisper (CTranslate2): the fast engine, and the default.

Its voice-activity filter (the Silero model inside the faster-whisper wheel, nothing downloaded) drops silence
before Whisper sees it, so a silent file yields no text instead of an invented " you".

With ``batch_size`` above 0 (the default, 8), the speech the filter found is cut into pieces of up to 30 s that
are decoded together in batches (faster-whisper's ``BatchedInferencePipeline``). On 2 CPU threads this is about
2.5 times faster than decoding window after window, with the same or fewer word errors (measured in
benchmarks/), but each segment is one such piece, up to 30 s long, timed by the voice filter. ``batch_size=0``
decodes window after window with Whisper's own timestamps: segments of a sentence or so.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np

from ..errors import SettingsError, TranscriptionError
from ..models import Segment
from ..weights import resolve_ct2
from .base import ChunkedEngine, ChunkResult

log = logging.getLogger(__name__)

COMPUTE_TYPES = ("int8", "int8_float32", "int16", "float32")
# Speech shorter than this, or separated by less silence than this, is kept with its neighbours.
VAD_PARAMETERS = {"min_silence_duration_ms": 500, "speech_pad_ms": 300}


class FasterWhisperEngine(ChunkedEngine):
    """Whisper on CTranslate2, with ``threads`` CPU threads, weights computed as ``compute_type``,
    ``beam_size`` 1 (greedy) or more (beam search), and ``batch_size`` pieces decoded at once (0: one window after
    another)."""

    name = "faster-whisper"

    def __init__(
        self, model: str, *, threads: int = 2, compute_type: str = "int8", beam_size: int = 1, batch_size: int = 0
    ) -> None:
        if compute_type not in COMPUTE_TYPES:
            raise SettingsError(f"compute type {compute_type!r} is not one of {', '.join(COMPUTE_TYPES)}")
        source = resolve_ct2(model)
        super().__init__(source.name, english_only=source.english_only)
        self.beam_size = max(1, beam_size)
        self.batch_size = max(0, batch_size)
        from faster_whisper import BatchedInferencePipeline, WhisperModel

        try:
            if source.files is not None:
                self._model = WhisperModel(
                    source.name,
                    device="cpu",
                    compute_type=compute_type,
                    cpu_threads=threads,
                    files=dict(source.files),  # faster-whisper pops the tokenizer out of the dict it is given
                )
            else:
                self._model = WhisperModel(
                    str(source.directory), device="cpu", compute_type=compute_type, cpu_threads=threads
                )
        except (RuntimeError, ValueError, OSError) as error:
            raise TranscriptionError(f"could not load the {model} model: {error}") from error
        self.english_only = not self._model.model.is_multilingual
        self._batched = BatchedInferencePipeline(self._model) if self.batch_size else None
        log.info(
            "faster-whisper %s loaded (%s, %d threads, beam %d, batch %d)",
            model,
            compute_type,
            threads,
            self.beam_size,
            self.batch_size,
        )

    def transcribe_chunk(
        self,
        samples: np.ndarray,
        *,
        language: str | None,
        task: str,
        on_segment: Callable[[float], None],
    ) -> ChunkResult:
        """Transcribe or translate one chunk, silence filtered out first."""
        if self._batched is not None:
            pieces, info = self._batched.transcribe(
                samples,
                language=language,
                task=task,
                beam_size=self.beam_size,
                batch_size=self.batch_size,
                vad_filter=True,
                vad_parameters=dict(VAD_PARAMETERS),  # the pipeline edits the dict it is given
            )
        else:
            pieces, info = self._model.transcribe(
                samples,
                language=language,
                task=task,
                beam_size=self.beam_size,
                vad_filter=True,
                vad_parameters=VAD_PARAMETERS,
            )
        segments = []
        for piece in pieces:  # a generator: decoding happens as it is consumed
            segments.append(Segment(piece.start, piece.end, piece.text))
            on_segment(piece.end)
        return ChunkResult(segments=segments, language=info.language)
