"""What the media limits cost, and how fast a file that lies about its length is refused.

    python benchmarks/bench_media_limits.py

Files (made with :mod:`transcription.hostile`, Opus in WebM): a 30 s voice message; two hours of speech; and ten
hours of quiet Opus in 6 MB whose header says 2 seconds. For each: the probe in the bot's process
(``inspect_media``), the probe in a separate limited process as the bot now runs it (``probe_media``, blocking,
and ``probe_file_isolated``, awaited), counting every packet (``counted_seconds``) and decoding the whole sound
track (``decode_audio``). The lying file is also probed under a 10-second limit, as a witness's upload would be.
Each figure is the median of five runs, in seconds.

Writes benchmarks/results/media_limits.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from transcription.decode import decode_audio
from transcription.errors import MediaError
from transcription.hostile import declare_webm_duration, encode_short, repeat_packets
from transcription.probe import counted_seconds, inspect_media
from transcription.sandbox import probe_file_isolated, probe_media
from transcription.synth import espeak_available, silence, spoken_samples

RESULTS = Path(__file__).parent / "results" / "media_limits.md"
NO_LIMIT = {"max_bytes": 1 << 40, "max_seconds": 1e9}
RUNS = 5
TEXT = (
    "What issues has the COVID-19 crisis raised for socially isolated groups? "
    "How are you and your organisation responding to these challenges to reach these groups?"
)


def _median(action: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        with contextlib.suppress(MediaError):
            action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _files(folder: Path) -> dict[str, Path]:
    speech = spoken_samples(TEXT, folder)
    short = encode_short(folder / "passage.webm", np.concatenate([speech, silence(1.0)]))
    quiet = encode_short(folder / "quiet.webm", silence(2.0))
    files = {
        "voice message, 30 s": repeat_packets(short, folder / "voice.webm", 30.0),
        "speech, 2 hours": repeat_packets(short, folder / "two-hours.webm", 7200.0),
        "says 2 s, holds 10 hours": repeat_packets(quiet, folder / "ten-hours.webm", 36_000.0),
    }
    declare_webm_duration(files["says 2 s, holds 10 hours"], 2.0)
    return files


def main() -> int:
    """Measure and write the results table."""
    if not espeak_available():
        print("espeak-ng is needed", file=sys.stderr)
        return 1
    rows = []
    with tempfile.TemporaryDirectory() as workdir:
        for name, path in _files(Path(workdir)).items():
            size = path.stat().st_size / (1024 * 1024)
            in_process = _median(lambda p=path: inspect_media(p, **NO_LIMIT))
            isolated = _median(lambda p=path: probe_media(p, **NO_LIMIT))
            awaited = _median(lambda p=path: asyncio.run(probe_file_isolated(p, **NO_LIMIT)))
            refused = _median(lambda p=path: probe_media(p, max_bytes=1 << 40, max_seconds=10))
            counting = _median(lambda p=path: counted_seconds(p))
            decoding = _median(lambda p=path: decode_audio(p), runs=1)
            rows.append((name, size, in_process, isolated, awaited, refused, counting, decoding))
            print(rows[-1], flush=True)
    lines = [
        "# Media limits: cost of the probe, and refusing a file that lies about its length",
        "",
        f"`python benchmarks/bench_media_limits.py` on {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; median of {RUNS} runs (decoding: one run), seconds.",
        "",
        "| file | MB | probe in process | probe isolated | probe isolated (async) | probe, 10 s limit "
        "| count all packets | decode all |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, size, *times in rows:
        lines.append(f"| {name} | {size:.1f} | " + " | ".join(f"{t:.3f}" for t in times) + " |")
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
