"""Which engine, model and settings to transcribe with; the defaults are chosen by measurement
(benchmarks/bench_transcription.py and benchmarks/bench_languages.py, results in benchmarks/results/).

The default is faster-whisper with the multilingual ``base`` model, int8 weights, beam search of 5, speech decoded
in batches of 8, on 2 threads. base first detects the language (see :mod:`transcription.detect`), then transcribes
in it, and translates into English what is not English. It is also the model for English: on ten synthetic English
voices its mean word error rate was 0.071 (worst file 0.195) against tiny.en's 0.084 (worst 0.317), and on a
held-back set of English speech (synthetic and LibriVox) 0.088 against 0.111. It ran at 15x real time on 2 cores
with detection, which added 3-7% to base's time (the detector hears the pieces the pipeline then decodes, and their
encoder output is reused). Sending English to tiny.en after base has detected it was only a little faster (17-20x:
another model cannot reuse the detection) and less accurate, so it is not the default. With an English-only ``model``
(tiny.en), ``multilingual_model`` (base) still detects the language and takes the speech that is not English.

Measured before (benchmarks/results/transcription.md): int8 was both faster and at least as accurate as float32
and needs less memory; beam 5 batched beat greedy decoding and window-after-window decoding; openai-whisper with
beam 5 on the same weights was 5-6 times slower (2x real time for base). The price of batching is coarser timing:
a segment is a stretch of speech of up to 30 s as found by the voice filter, not a sentence. ``batch_size=0``
gives Whisper's sentence-level timestamps at about a third of the speed.
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
    """How to transcribe: engine name, model name or path, the multilingual model that detects the language,
    transcribes and translates speech that is not English when ``model`` is English-only ("" for none: every
    recording is then taken to be English), CPU threads, weight precision (faster-whisper),
    beam size (1 is greedy decoding), batch size (faster-whisper: pieces of speech decoded at once, 0 for one
    window after another), where converted checkpoints are cached (openai-whisper; None for the default
    folder), and the device the model runs on (``cpu``, or ``cuda`` for an NVIDIA GPU). Plain values only: it is
    hashable (the model cache's key) and picklable."""

    engine: str = "faster-whisper"
    model: str = "base"
    multilingual_model: str = "base"
    threads: int = 2
    compute_type: str = "int8"
    beam_size: int = 5
    batch_size: int = 8
    cache_dir: str | None = None
    device: str = "cpu"

    def with_(self, **changes: object) -> EngineSettings:
        """A copy with some fields changed (None values are ignored)."""
        return replace(self, **{key: value for key, value in changes.items() if value is not None})


DEFAULT = EngineSettings()
