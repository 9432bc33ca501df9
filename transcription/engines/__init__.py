"""The Whisper engines behind one interface, each model loaded once per process."""

from __future__ import annotations

import logging
import threading
from dataclasses import replace

from ..errors import SettingsError
from ..settings import ENGINES, EngineSettings
from .base import ChunkResult, Engine, ProgressCallback
from .pipeline import ChunkedEngine, Transcriber

log = logging.getLogger(__name__)

__all__ = ["ChunkResult", "ChunkedEngine", "Engine", "ProgressCallback", "Transcriber", "clear_cache", "load_engine"]

_engines: dict[EngineSettings, ChunkedEngine] = {}
_lock = threading.Lock()


def load_engine(settings: EngineSettings) -> Engine:
    """The engine for ``settings``, loading its models on first use; later calls in this process reuse them.

    An English-only ``model`` is paired with ``settings.multilingual_model`` (when set): that model detects the
    language, and transcribes and translates the speech that is not English.
    """
    main = _load(replace(settings, multilingual_model=""))
    if not main.english_only or not settings.multilingual_model:
        return main
    helper = _load(replace(settings, model=settings.multilingual_model, multilingual_model=""))
    if helper.english_only:
        raise SettingsError(f"the multilingual model {settings.multilingual_model!r} understands English only")
    return Transcriber(english=main, multilingual=helper)


def _load(settings: EngineSettings) -> ChunkedEngine:
    with _lock:
        engine = _engines.get(settings)
        if engine is None:
            engine = _build(settings)
            _engines[settings] = engine
        return engine


def clear_cache() -> None:
    """Forget the loaded models (they are freed once no transcription holds them)."""
    with _lock:
        _engines.clear()


def _build(settings: EngineSettings) -> ChunkedEngine:
    if settings.engine == "faster-whisper":
        from .faster import FasterWhisperEngine

        return FasterWhisperEngine(
            settings.model,
            threads=settings.threads,
            compute_type=settings.compute_type,
            beam_size=settings.beam_size,
            batch_size=settings.batch_size,
            device=settings.device,
        )
    if settings.engine == "openai-whisper":
        from .reference import OpenAIWhisperEngine

        return OpenAIWhisperEngine(
            settings.model,
            threads=settings.threads,
            beam_size=settings.beam_size,
            cache_dir=settings.cache_dir,
            device=settings.device,
        )
    raise SettingsError(f"unknown engine {settings.engine!r}; use one of: {', '.join(ENGINES)}")
