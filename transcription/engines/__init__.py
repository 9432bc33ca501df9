"""The Whisper engines behind one interface, each model loaded once per process."""

from __future__ import annotations

import logging
import threading

from ..errors import SettingsError
from ..settings import ENGINES, EngineSettings
from .base import ChunkedEngine, ChunkResult, Engine, ProgressCallback

log = logging.getLogger(__name__)

__all__ = ["ChunkResult", "ChunkedEngine", "Engine", "ProgressCallback", "clear_cache", "load_engine"]

_engines: dict[EngineSettings, Engine] = {}
_lock = threading.Lock()


def load_engine(settings: EngineSettings) -> Engine:
    """The engine for ``settings``, loading its model on first use; later calls in this process reuse it."""
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


def _build(settings: EngineSettings) -> Engine:
    if settings.engine == "faster-whisper":
        from .faster import FasterWhisperEngine

        return FasterWhisperEngine(
            settings.model,
            threads=settings.threads,
            compute_type=settings.compute_type,
            beam_size=settings.beam_size,
            batch_size=settings.batch_size,
        )
    if settings.engine == "openai-whisper":
        from .reference import OpenAIWhisperEngine

        return OpenAIWhisperEngine(
            settings.model,
            threads=settings.threads,
            beam_size=settings.beam_size,
            cache_dir=settings.cache_dir,
        )
    raise SettingsError(f"unknown engine {settings.engine!r}; use one of: {', '.join(ENGINES)}")
