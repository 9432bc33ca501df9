"""Transcription benchmark: speed, memory and accuracy of each engine, model and setting on 2 CPU threads.

    python benchmarks/bench_transcription.py            # a ~3-minute passage, every configuration
    python benchmarks/bench_transcription.py --quick    # a ~1-minute passage, fewer configurations

espeak-ng reads a passage from the inquiry's call for evidence and report; each configuration then runs in a
fresh subprocess (so that its peak RSS is its own and nothing is cached between runs) and reports: model load
time, transcription time, real-time factor (seconds of compute per second of audio) and its inverse ("x real
time"), peak resident memory, and the word error rate against the text read. openai-whisper's checkpoints are
converted before timing starts. Prints a Markdown table and writes it to benchmarks/results/transcription.md.

:func:`make_passage` is reusable by other benchmarks that need a few minutes of known speech.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from transcription.synth import ESPEAK_MISSING, espeak_available, spoken_samples, word_error_rate, write_media  # noqa: E402

log = logging.getLogger(__name__)

# From the inquiry's call for evidence and the summary of its report (copied, not read at run time).
PASSAGE = (
    "The COVID-19 crisis has already seen many examples of civic contribution and local solidarity. "
    "It has also shone a light on the challenges of social isolation. People are being asked to socially "
    "distance, which is important for public health, but at the same time we need to avoid social isolation. "
    "Concern has been expressed about older people, those in sparsely populated rural areas, homeless people "
    "and some minority ethnic and migrant groups, who may be vulnerable due to such isolation. Public health "
    "information may not reach them, and they may not have friends and family who can support them in "
    "situations of self-isolation. Long-term isolation may exacerbate loneliness and damage wellbeing and "
    "mental health. "
    "Despite these concerns, there is a growing number of initiatives that are already reaching out to these "
    "groups. In the current situation it is important that we share good practice in reaching out to socially "
    "isolated groups. The Social Integration All Party Parliamentary Group has decided to run a short inquiry "
    "that focuses on what we can learn from the crisis about social connection with isolated groups. "
    "We would like to hear both from organisations who have been working in this area for some time and also "
    "from people or new groups who have got involved by taking action in response to the crisis. We wish to "
    "hear about positive examples of good practice and the challenges that they have faced and how such "
    "difficulties have been overcome. We are also keen to hear from businesses and public services such as "
    "councils, too. "
    "A consideration of social connection and social isolation should be embedded into the Government's "
    "overall response to the crisis, the work of Local Resilience Forums, as well as into the day-to-day "
    "activities of organisations delivering food and medicines to isolated individuals. During the crisis "
    "period, all councils should have a Cabinet lead whose remit covers social isolation and volunteering. "
    "It is essential that learning from initiatives to reach socially isolated people is evaluated and shared. "
    "Digital champion schemes, where volunteers support those who lack digital skills and confidence, should "
    "be extended, using some of those who have offered themselves as NHS volunteers. "
    "With public libraries closed, people living in asylum or homelessness accommodation should have access "
    "to wifi, to enable them to go online without the need to use expensive data. "
    "The crisis has seen hundreds of thousands of volunteers coming forward to offer practical and social "
    "support to vulnerable and isolated people. Organisations who are recruiting volunteers, as well as the "
    "Government, need to start planning to harness this legacy now. "
    "The crisis has exposed a huge digital divide in the country. It is essential that, when the current "
    "crisis period ends, there is long-term commitment from the Government, educational institutions, "
    "employers and civil society to reduce digital exclusion."
)
QUICK_WORDS = 150  # about a minute at 150 words a minute
# Other people's CPU work skews timings; the table records the load average seen before and after.
THREADS = 2


@dataclass(frozen=True)
class Config:
    """One row of the table."""

    engine: str
    model: str
    beam_size: int
    compute_type: str
    batch_size: int = 0


@dataclass
class Measurement:
    config: Config
    audio_seconds: float
    load_seconds: float
    transcribe_seconds: float
    peak_rss_mb: float
    wer: float
    text: str = ""
    again_seconds: float | None = None  # a second transcription of the same file by the loaded model

    @property
    def rtf(self) -> float:
        return self.transcribe_seconds / self.audio_seconds

    def row(self) -> str:
        c = self.config
        decoding = "greedy" if c.beam_size == 1 else f"beam {c.beam_size}"
        precision = c.compute_type if c.engine == "faster-whisper" else "float32 (torch)"
        batch = f"batched {c.batch_size}" if c.batch_size else "sequential"
        return (
            f"| {c.engine} | {c.model} | {decoding} | {precision} | {batch} | {self.rtf:.3f} | {1 / self.rtf:.1f}x "
            f"| {self.load_seconds:.2f} s | {self.peak_rss_mb:.0f} MB | {self.wer:.3f} |"
        )


def make_passage(
    path: str | os.PathLike[str], *, words: int | None = None, words_per_minute: int = 150
) -> tuple[Path, str]:
    """Write the inquiry passage spoken by espeak-ng (about 3 minutes; fewer with ``words``) to ``path``; the
    container follows the extension (.wav, .ogg, .mp3, ...). Returns the file and the text that was read."""
    text = PASSAGE if words is None else " ".join(PASSAGE.split()[:words])
    path = Path(path)
    with tempfile.TemporaryDirectory() as scratch:
        samples = spoken_samples(text, scratch, words_per_minute=words_per_minute)
    return write_media(path, samples), text


def configurations(quick: bool) -> list[Config]:
    """Every engine, model and setting worth comparing (fewer with ``quick``)."""
    beams = (1,) if quick else (1, 5)
    rows = [
        Config("faster-whisper", model, beam, compute, batch)
        for model in ("tiny.en", "base")
        for beam in (1, 5)
        for compute in (("int8",) if quick else ("int8", "float32"))
        for batch in (0, 8)
    ]
    rows += [Config("openai-whisper", model, beam, "float32") for model in ("tiny.en", "base") for beam in beams]
    return rows


def run_child(config: Config, audio: Path, reference: str, cache_dir: str, *, again: bool = False) -> Measurement:
    """Measure one configuration in a fresh Python process (``again``: then transcribe the file a second time)."""
    request = json.dumps({**asdict(config), "audio": str(audio), "cache_dir": cache_dir, "again": again})
    done = subprocess.run(
        [sys.executable, __file__, "--child", request], capture_output=True, text=True, check=False, cwd=ROOT
    )
    if done.returncode != 0:
        raise RuntimeError(f"{config} failed:\n{done.stderr[-2000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return Measurement(
        config=config,
        audio_seconds=result["duration"],
        load_seconds=result["load"],
        transcribe_seconds=result["transcribe"],
        peak_rss_mb=result["peak_rss_kb"] / 1024,
        wer=word_error_rate(reference, result["text"]),
        text=result["text"],
        again_seconds=result.get("again"),
    )


def child(request: str) -> None:
    """The subprocess: load the model, transcribe, print timings and the text as one JSON line."""
    from transcription.engines import load_engine
    from transcription.settings import EngineSettings

    spec = json.loads(request)
    settings = EngineSettings(
        engine=spec["engine"],
        model=spec["model"],
        threads=THREADS,
        compute_type=spec["compute_type"],
        beam_size=spec["beam_size"],
        batch_size=spec["batch_size"],
        cache_dir=spec["cache_dir"],
    )
    started = time.perf_counter()
    engine = load_engine(settings)
    loaded = time.perf_counter()
    transcript = engine.transcribe(spec["audio"])
    finished = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    again = None
    if spec.get("again"):
        engine.transcribe(spec["audio"])
        again = time.perf_counter() - finished
    print(
        json.dumps(
            {
                "load": loaded - started,
                "transcribe": finished - loaded,
                "again": again,
                "duration": transcript.duration,
                "peak_rss_kb": peak,
                "text": transcript.text,
            }
        )
    )


def table(measurements: list[Measurement], audio_seconds: float, load: tuple[float, float]) -> str:
    """The results as Markdown, with the conditions they were measured in."""
    lines = [
        f"Audio: espeak-ng reading the inquiry passage, {audio_seconds:.0f} s, Ogg/Opus voice message. "
        f"{THREADS} CPU threads on {platform.machine()} ({os.cpu_count()} cores visible), Python "
        f"{platform.python_version()}. RTF = compute seconds per audio second (lower is faster); load = model "
        "load in a fresh process (openai-whisper checkpoints already converted); peak RSS of the whole process. "
        f"1-minute load average {load[0]:.2f} before the runs and {load[1]:.2f} after (other work on the machine "
        "slows every row alike).",
        "",
        "| engine | model | decoding | precision | batching | RTF | speed | load | peak RSS | WER |",
        "| --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: |",
        *(m.row() for m in measurements),
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print and write the table."""
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("--quick", action="store_true", help="a ~1-minute passage and fewer configurations")
    cli.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "transcription.md")
    cli.add_argument("--child", help=argparse.SUPPRESS)
    args = cli.parse_args(argv)
    if args.child:
        child(args.child)
        return 0
    if not espeak_available():
        sys.exit(f"{cli.prog}: {ESPEAK_MISSING}")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    with tempfile.TemporaryDirectory(prefix="bench-transcription-") as work:
        audio, reference = make_passage(Path(work) / "passage.ogg", words=QUICK_WORDS if args.quick else None)
        cache_dir = str(Path(work) / "whisper")
        _convert_first(cache_dir)
        load_before = os.getloadavg()[0]
        measurements = []
        for config in configurations(args.quick):
            measurement = run_child(config, audio, reference, cache_dir)
            log.info("%s", measurement.row())
            measurements.append(measurement)
    result = table(measurements, measurements[0].audio_seconds, (load_before, os.getloadavg()[0]))
    print(result)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(result, encoding="utf-8")
    return 0


def _convert_first(cache_dir: str) -> None:
    from transcription.convert import ensure_checkpoint
    from transcription.weights import resolve_ct2

    for model in ("tiny.en", "base"):
        started = time.perf_counter()
        ensure_checkpoint(resolve_ct2(model), cache_dir)
        log.info("converted %s for openai-whisper in %.1f s", model, time.perf_counter() - started)


if __name__ == "__main__":
    sys.exit(main())
