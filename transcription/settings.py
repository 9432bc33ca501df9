"""Which engine, model and settings to transcribe with; the default is chosen by measurement
(benchmarks/bench_transcription.py, results in benchmarks/results/transcription.md).

The default is faster-whisper, tiny.en, int8 weights, beam search of 5, speech decoded in batches of 8, on 2
threads. On a 194 s passage on 2 cores it ran at 26x real time with a word error rate of 0.085, better than
faster-whisper's own beam-search setting (beam 5, window after window: 11x real time, WER 0.101) and than greedy
decoding (18x, WER 0.156). int8 was both faster and at least as accurate as float32 (float32 beam 5 batched:
23x, WER 0.091), and needs less memory. openai-whisper with beam 5 on the same weights was 5-6 times slower (5x
real time for tiny.en, 2x for base). The base model (needed for other languages and translation) runs at 12x real
time with the same settings.

The price of batching is coarser timing: a segment is a stretch of speech of up to 30 s as found by the voice
filter, not a sentence. ``batch_size=0`` gives Whisper's sentence-level timestamps at about 10x real time.
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
    """How to transcribe: engine name, model name or path, CPU threads, weight precision (faster-whisper),
    beam size (1 is greedy decoding), batch size (faster-whisper: pieces of speech decoded at once, 0 for one
    window after another), and where converted checkpoints are cached (openai-whisper; None for the default
    folder). Plain values only: it is hashable (the model cache's key) and picklable."""

    engine: str = "faster-whisper"
    model: str = "tiny.en"
    threads: int = 2
    compute_type: str = "int8"
    beam_size: int = 5
    batch_size: int = 8
    cache_dir: str | None = None

    def with_(self, **changes: object) -> EngineSettings:
        """A copy with some fields changed (None values are ignored)."""
        return replace(self, **{key: value for key, value in changes.items() if value is not None})


DEFAULT = EngineSettings()
