"""faster-whisper (CTranslate2): the fast engine, and the default.

Its voice-activity filter (the Silero model inside the faster-whisper wheel, nothing downloaded) drops silence
before Whisper sees it, so a silent file yields no text instead of an invented " you".

With ``batch_size`` above 0 (the default, 8), the speech the filter found is cut into pieces of up to 30 s that
are decoded together in batches (faster-whisper's ``BatchedInferencePipeline``). On 2 CPU threads this is about
2.5 times faster than decoding window after window, with the same or fewer word errors (measured in
benchmarks/), but each segment is one such piece, up to 30 s long, timed by the voice filter. ``batch_size=0``
decodes window after window with Whisper's own timestamps: segments of a sentence or so.

Detecting the language costs one pass of the encoder over 30 s of speech; for base on 2 threads that is about a
quarter of the time it takes to transcribe a 30-second message. In batched mode it costs nearly nothing: the
detector listens to the very pieces the pipeline is about to transcribe (up to ``batch_size`` of them: the first
four minutes of speech), and the encoder's output for them is kept and handed back when the pipeline encodes the
same batch (checked by a hash of the features; anything else is encoded as usual). One batch is kept at a time.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..decode import SAMPLE_RATE
from ..detect import SCORING_TOKENS, VAD_PARAMETERS, WINDOW_SECONDS, Heard, Reading, Window
from ..errors import SettingsError, TranscriptionError
from ..models import Segment
from ..weights import resolve_ct2
from .base import ChunkResult
from .pipeline import ChunkedEngine

log = logging.getLogger(__name__)

COMPUTE_TYPES = ("int8", "int8_float32", "int16", "float32")


class FasterWhisperEngine(ChunkedEngine):
    """Whisper on CTranslate2, with ``threads`` CPU threads, weights computed as ``compute_type``,
    ``beam_size`` 1 (greedy) or more (beam search), and ``batch_size`` pieces decoded at once (0: one window after
    another)."""

    name = "faster-whisper"

    def __init__(
        self,
        model: str,
        *,
        threads: int = 2,
        compute_type: str = "int8",
        beam_size: int = 1,
        batch_size: int = 0,
        device: str = "cpu",
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
                    device=device,
                    compute_type=compute_type,
                    cpu_threads=threads,
                    files=dict(source.files),  # faster-whisper pops the tokenizer out of the dict it is given
                )
            else:
                self._model = WhisperModel(
                    str(source.directory), device=device, compute_type=compute_type, cpu_threads=threads
                )
        except (RuntimeError, ValueError, OSError) as error:
            raise TranscriptionError(f"could not load the {model} model: {error}") from error
        self.english_only = not self._model.model.is_multilingual
        self._batched = BatchedInferencePipeline(self._model) if self.batch_size else None
        self._memo = _EncoderMemo(self._model)
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
            segments.append(
                Segment(
                    piece.start,
                    piece.end,
                    piece.text,
                    avg_logprob=piece.avg_logprob,
                    compression_ratio=piece.compression_ratio,
                    no_speech_prob=piece.no_speech_prob,
                )
            )
            on_segment(piece.end)
        return ChunkResult(segments=segments, language=info.language)

    def language_probabilities(self, samples: np.ndarray) -> dict[str, float]:
        """The detector's probability of each language for up to 30 s of speech (one encoder pass)."""
        if self.english_only:
            return super().language_probabilities(samples)
        from faster_whisper.audio import pad_or_trim

        extractor = self._model.feature_extractor
        features = extractor(samples[: extractor.n_samples])
        encoded = self._model.encode(pad_or_trim(features[..., : extractor.nb_max_frames]))
        return _probabilities(self._model.model.detect_language(encoded)[0])

    def listen(self, samples: np.ndarray, spans: Sequence[tuple[int, int]]) -> list[Heard]:
        """In batched mode, the detector's answer for each piece of the first batch the pipeline will decode
        (their encoder output kept for it), and for the last piece when there is more speech than one batch."""
        if self._batched is None or self.english_only:
            return super().listen(samples, spans)
        from faster_whisper.audio import pad_or_trim
        from faster_whisper.vad import collect_chunks

        stamps = [{"start": start, "end": end} for start, end in spans]
        pieces, metadata = collect_chunks(samples, stamps, max_duration=WINDOW_SECONDS)
        extractor = self._model.feature_extractor
        batch = np.stack([pad_or_trim(extractor(piece)[..., :-1]) for piece in pieces[: self.batch_size]])
        results = self._model.model.detect_language(self._memo.remember(batch))
        heard = [
            Heard(Window(_file_time(meta["offset"], spans), piece), _probabilities(result))
            for piece, meta, result in zip(pieces, metadata, results, strict=False)
            if len(piece)
        ]
        if len(pieces) > self.batch_size and len(pieces[-1]):
            start = _file_time(metadata[-1]["offset"], spans)
            heard.append(Heard(Window(start, pieces[-1]), self.language_probabilities(pieces[-1])))
        return heard

    def forget_encoding(self) -> None:
        """Drop the encoder output kept from the last detection (so that a benchmark times each path alone)."""
        self._memo.forget()

    def score_language(self, samples: np.ndarray, language: str) -> Reading:
        """Up to 30 s of speech read as ``language``: greedy, temperature 0, no voice filter (it is speech)."""
        if self.english_only:
            return super().score_language(samples, language)
        pieces, _ = self._model.transcribe(
            samples[: self._model.feature_extractor.n_samples],
            language=language,
            task="transcribe",
            beam_size=1,
            temperature=0.0,
            condition_on_previous_text=False,
            without_timestamps=True,
            vad_filter=False,
            max_new_tokens=SCORING_TOKENS,
        )
        pieces = list(pieces)
        if not pieces:
            return Reading("", float("-inf"), 0.0)
        lengths = [max(piece.end - piece.start, 0.1) for piece in pieces]
        logprob = sum(piece.avg_logprob * length for piece, length in zip(pieces, lengths, strict=True)) / sum(lengths)
        ratio = max(piece.compression_ratio for piece in pieces)
        return Reading(" ".join(piece.text.strip() for piece in pieces), logprob, ratio)


def _file_time(speech_seconds: float, spans: Sequence[tuple[int, int]]) -> float:
    """Where, in seconds from the start of the samples, the speech reaches ``speech_seconds`` (pauses not
    counted): the pipeline's pieces are placed on the speech alone."""
    remaining = round(speech_seconds * SAMPLE_RATE)
    for start, end in spans:
        if remaining < end - start:
            return (start + remaining) / SAMPLE_RATE
        remaining -= end - start
    return spans[-1][1] / SAMPLE_RATE if spans else 0.0


def _probabilities(result: list[tuple[str, float]]) -> dict[str, float]:
    """CTranslate2's detector output (``("<|en|>", 0.97), ...``) as language code -> probability."""
    return {token[2:-2]: float(probability) for token, probability in result}


class _EncoderMemo:
    """Stands in for ``WhisperModel.encode``: the output :meth:`remember` computed for a batch of features is
    returned again when the same features are encoded (see the module's docstring)."""

    def __init__(self, model: Any) -> None:
        self._encode = model.encode
        self._kept: tuple[bytes, Any] | None = None
        model.encode = self

    def __call__(self, features: np.ndarray) -> Any:
        kept = self._kept
        if kept is not None and kept[0] == _fingerprint(features):
            return kept[1]
        return self._encode(features)

    def forget(self) -> None:
        """Keep nothing."""
        self._kept = None

    def remember(self, features: np.ndarray) -> Any:
        """Encode ``features`` and keep the output for the next time they are encoded."""
        output = self._encode(features)
        self._kept = (_fingerprint(features), output)
        return output


def _fingerprint(features: np.ndarray) -> bytes:
    array = np.ascontiguousarray(features, dtype=np.float32)
    return hashlib.blake2b(array.tobytes(), digest_size=16).digest() + repr(array.shape).encode()
