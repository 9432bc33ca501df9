"""openai-whisper (PyTorch on CPU): the reference engine.

The offline models are CTranslate2 weights, converted once into an openai-whisper checkpoint (see
:mod:`transcription.convert`). With internet, any openai-whisper model name works too (downloaded by
openai-whisper into the cache folder).

Whisper invents words in silence (" you", "Thank you.") and in steady tones. Besides openai-whisper's own rule
(a window is skipped when ``no_speech_prob`` is above 0.6 and the average log-probability below -1), this engine
guards against it cheaply: a chunk whose loudest 30 ms frame is below -50 dBFS is not sent to the model at all,
and a segment is dropped when the audio under it is that quiet, or when every temperature fallback failed (still
below the log-probability threshold at the last temperature: the text is then a guess, as a 1 kHz tone showed:
"Deborah and Tim Smith"). ``no_speech_prob`` alone is not trusted: tiny.en gives 0.7-0.85 on clear speech. The
sampling used by the fallbacks is seeded, so the same file always gives the same transcript.

The translation pass decodes at temperature 0 only. A translation's log-probability is often below Whisper's
threshold even when it is right (base on Spanish: -1.2 for "The government should support the volunteers..."),
and openai-whisper then keeps its last, sampled attempt, which is noise; faster-whisper keeps the best attempt
instead. Loops (compression ratio above 2.4) are dropped in both passes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ..decode import SAMPLE_RATE
from ..detect import SCORING_TOKENS, Reading
from ..errors import SettingsError, TranscriptionError
from ..models import Segment
from ..settings import default_cache_dir
from ..weights import BUNDLED_MODELS, is_local_path, resolve_ct2
from .base import ChunkResult
from .pipeline import ChunkedEngine

log = logging.getLogger(__name__)

SILENCE_DBFS = -50.0
NO_SPEECH_PROBABILITY = 0.6
TEMPERATURES = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)  # openai-whisper's defaults, named to test the last one
LOGPROB_THRESHOLD = -1.0
COMPRESSION_RATIO_THRESHOLD = 2.4
_FRAME = int(0.03 * SAMPLE_RATE)


def loudest_frame_dbfs(samples: np.ndarray) -> float:
    """The level of the loudest 30 ms frame, in dB relative to full scale (-inf for digital silence)."""
    usable = (len(samples) // _FRAME) * _FRAME
    if usable == 0:
        return float("-inf")
    rms = np.sqrt(np.square(samples[:usable].reshape(-1, _FRAME), dtype=np.float64).mean(axis=1)).max()
    return float(20 * np.log10(rms)) if rms > 0 else float("-inf")


class OpenAIWhisperEngine(ChunkedEngine):
    """openai-whisper with ``threads`` torch threads and ``beam_size`` 1 (greedy) or more (beam search)."""

    name = "openai-whisper"
    chunk_seconds = 120.0  # openai-whisper reports no progress inside a call: smaller chunks, finer progress

    def __init__(
        self, model: str, *, threads: int = 2, beam_size: int = 1, cache_dir: str | None = None, device: str = "cpu"
    ) -> None:
        import torch
        import whisper

        torch.set_num_threads(max(1, threads))
        folder = Path(cache_dir).expanduser() if cache_dir else default_cache_dir()
        checkpoint = _checkpoint_for(model, folder)
        try:
            self._model = whisper.load_model(checkpoint, device=device, download_root=str(folder))
        except Exception as error:  # network, a damaged checkpoint, an unknown name: say which, in one line
            raise TranscriptionError(f"could not load the openai-whisper model {model}: {error}") from error
        super().__init__(model, english_only=not self._model.is_multilingual)
        self.beam_size = max(1, beam_size)
        log.info("openai-whisper %s loaded (%d threads, beam %d)", model, threads, self.beam_size)

    def transcribe_chunk(
        self,
        samples: np.ndarray,
        *,
        language: str | None,
        task: str,
        on_segment: Callable[[float], None],
    ) -> ChunkResult:
        """Transcribe or translate one chunk; silent chunks and non-speech segments yield nothing."""
        if loudest_frame_dbfs(samples) < SILENCE_DBFS:
            return ChunkResult(language=language)
        import torch
        import whisper

        torch.manual_seed(0)
        temperatures = TEMPERATURES if task == "transcribe" else (0.0,)
        result = whisper.transcribe(
            self._model,
            samples,
            language=language,
            task=task,
            temperature=temperatures,
            logprob_threshold=LOGPROB_THRESHOLD,
            no_speech_threshold=NO_SPEECH_PROBABILITY,
            fp16=False,
            beam_size=self.beam_size if self.beam_size > 1 else None,
            verbose=None,
        )
        segments = []
        for piece in result["segments"]:
            on_segment(float(piece["end"]))
            if _is_speech(samples, piece, temperatures):
                segments.append(
                    Segment(
                        float(piece["start"]),
                        float(piece["end"]),
                        str(piece["text"]),
                        avg_logprob=_float(piece.get("avg_logprob")),
                        compression_ratio=_float(piece.get("compression_ratio")),
                        no_speech_prob=_float(piece.get("no_speech_prob")),
                    )
                )
        return ChunkResult(segments=segments, language=result.get("language") or language)

    def language_probabilities(self, samples: np.ndarray) -> dict[str, float]:
        """The detector's probability of each language for up to 30 s of speech (one encoder pass)."""
        if self.english_only:
            return super().language_probabilities(samples)
        _, probabilities = self._model.detect_language(self._mel(samples))
        return {code: float(p) for code, p in probabilities.items()}

    def score_language(self, samples: np.ndarray, language: str) -> Reading:
        """Up to 30 s of speech read as ``language``: greedy, temperature 0, no timestamps."""
        if self.english_only:
            return super().score_language(samples, language)
        import whisper

        options = whisper.DecodingOptions(
            task="transcribe",
            language=language,
            temperature=0.0,
            without_timestamps=True,
            fp16=False,
            sample_len=SCORING_TOKENS,
        )
        result = whisper.decode(self._model, self._mel(samples), options)
        return Reading(result.text, float(result.avg_logprob), float(result.compression_ratio))

    def _mel(self, samples: np.ndarray):
        import torch
        import whisper

        window = whisper.pad_or_trim(torch.from_numpy(np.ascontiguousarray(samples, dtype=np.float32)))
        return whisper.log_mel_spectrogram(window, n_mels=self._model.dims.n_mels)


def _float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def _is_speech(samples: np.ndarray, piece: dict, temperatures: tuple[float, ...]) -> bool:
    """False for a segment that is most likely invented (see the module's docstring)."""
    if float(piece.get("compression_ratio", 0.0)) > COMPRESSION_RATIO_THRESHOLD:
        return False
    gave_up = len(temperatures) > 1 and float(piece.get("temperature", 0.0)) >= temperatures[-1]
    if gave_up and float(piece.get("avg_logprob", 0.0)) < LOGPROB_THRESHOLD:
        return False
    start, end = int(piece["start"] * SAMPLE_RATE), int(piece["end"] * SAMPLE_RATE)
    return loudest_frame_dbfs(samples[start:end]) >= SILENCE_DBFS


def _checkpoint_for(model: str, cache_dir: Path) -> str:
    """What to give ``whisper.load_model``: a checkpoint path (converted from our CTranslate2 weights when
    needed), or, for a model that is not bundled, its name for openai-whisper to download."""
    from ..convert import ensure_checkpoint

    if model in BUNDLED_MODELS:
        return str(ensure_checkpoint(resolve_ct2(model), cache_dir))
    path = Path(model).expanduser()
    if path.is_file():
        return str(path)
    if path.is_dir():
        return str(ensure_checkpoint(resolve_ct2(model), cache_dir))
    if is_local_path(model):
        raise SettingsError(f"{model} is neither an openai-whisper checkpoint nor a CTranslate2 model folder")
    import whisper

    if model not in whisper.available_models():
        names = ", ".join([*BUNDLED_MODELS, *whisper.available_models()])
        raise SettingsError(f"unknown openai-whisper model {model!r}; use one of: {names}")
    log.warning("the %s model is not bundled (offline: %s); openai-whisper will download it", model, BUNDLED_MODELS)
    return model
