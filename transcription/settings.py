"""Which engine, model and settings to transcribe with; the default is chosen by measurement
(benchmarks/bench_transcription.py, results in benchmarks/README_transcription.md).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, replace
from pathlib import Path

log = logging.getLogger(__name__)

ENGINES = ("faster-whisper", "openai-whisper")


def default_cache_dir() -> Path:
    """Where converted openai-whisper checkpoints are kept: ``$EVIDENCE_BOT_WHISPER_CACHE``, else
    ``$XDG_CACHE_HOME/evidence-bot/whisper``, else ``~/.cache/evidence-bot/whisper``."""
    configured = os.environ.get("EVIDENCE_BOT_WHISPER_CACHE")
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "evidence-bot" / "whisper"


@dataclass(frozen=True, slots=True)
class EngineSettings:
    """How to transcribe: engine name, model name or path, CPU threads, weight precision, beam size
    (1 is greedy decoding), and where converted checkpoints are cached (openai-whisper only; None for the
    default folder). Plain values only: it is hashable (the model cache's key) and picklable."""

    engine: str = "faster-whisper"
    model: str = "tiny.en"
    threads: int = 2
    compute_type: str = "int8"
    beam_size: int = 1
    cache_dir: str | None = None

    def with_(self, **changes: object) -> EngineSettings:
        """A copy with some fields changed (None values are ignored)."""
        return replace(self, **{key: value for key, value in changes.items() if value is not None})


DEFAULT = EngineSettings()
