"""The bot's transcription pipeline against the raw engine on the same files, and the event loop's delay meanwhile.

    python benchmarks/bench_pipeline.py              # a ~3-minute passage, one cold run and three warm ones
    python benchmarks/bench_pipeline.py --quick      # a ~1-minute passage, one cold run and one warm one

The bot is built as in production (``build_bot`` over a real SQLite file, the real worker process, the default
engine settings) and driven through SimCord: a witness of the seed inquiry starts their evidence, reaches Q1 and
sends the bot the espeak-ng passage as a voice message by direct message. Timed from the moment the message is
sent to the moment the transcript is posted back to the witness, that is everything the bot does: download,
hash and keep the original, probe it, queue rows, hand the job to the worker, progress rows, the result back and
the Discord message. The first file after start-up is "cold" (the worker process is spawned, imports the engine
and loads the model); later files are "warm" (the worker keeps the model loaded, as it does in service).

The raw engine is the same transcription with nothing around it: ``load_engine(DEFAULT)`` and
``engine.transcribe(file)`` in a fresh Python process, timed inside that process: the load, a first transcription,
then a second one of the same file (a model that has run before, as the bot's warm worker's has; the first call
pays one-off set-up costs). The cold run is compared with the load plus the first transcription, warm runs with
the second. Raw and bot runs alternate file by file so that other work on the machine affects both alike. Each
file differs from the others by a fraction of a second of trailing silence (the bot, rightly, transcribes a file
it has already seen only once). The bot's transcript must equal the raw engine's, word for word.

Two runs of the same engine on the same file differ by several per cent on a shared machine, so the script also
splits each bot run exactly: the worker records its own time on the job (probe, model load when cold,
transcription; kept with the transcript as ``compute_seconds``), and the rest of the time from the DM to the
posted transcript is the bot's work around the engine.

While the bot works, a task in its event loop sleeps 5 ms at a time and records how late it wakes: the event
loop's delay, reported as p50, p99 and maximum over every run, with an idle baseline. SimCord shares that loop,
so its own work is counted too: the figure is an upper bound for the bot alone.

Writes benchmarks/results/pipeline.md.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import discord  # noqa: E402
import simcord  # noqa: E402

from benchmarks.bench_transcription import PASSAGE, QUICK_WORDS, Config, run_child  # noqa: E402
from bot import Settings, build_bot  # noqa: E402
from demo.driver import WitnessSteps, make_world  # noqa: E402
from inquiry.store import Store  # noqa: E402
from transcription.settings import DEFAULT  # noqa: E402
from transcription.synth import ESPEAK_MISSING, espeak_available, silence, spoken_samples, word_error_rate, write_media  # noqa: E402

log = logging.getLogger(__name__)

TICK = 0.005  # the delay monitor's sleep
IDLE_SECONDS = 5.0


class LoopDelay:
    """Sleeps ``TICK`` at a time in the event loop and keeps how late each wake-up was, while recording."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self.recording = False
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._watch())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _watch(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(TICK)
            if self.recording:
                self.samples.append((time.perf_counter() - before - TICK) * 1000)

    def collect(self) -> list[float]:
        taken, self.samples = self.samples, []
        return taken


@dataclass
class Run:
    """One file through the raw engine and through the bot."""

    name: str
    cold: bool
    raw_load: float
    raw_transcribe: float
    raw_again: float
    bot_total: float
    in_worker: float  # the worker's own time on the job (probe, load when cold, transcription)
    bot_acknowledged: float
    same_text: bool
    wer: float

    @property
    def raw(self) -> float:
        return self.raw_load + self.raw_transcribe if self.cold else self.raw_again

    @property
    def overhead(self) -> float:
        return self.bot_total / self.raw - 1

    @property
    def around(self) -> float:
        """Seconds the bot spent around the engine: receiving, queueing, handing over, posting."""
        return self.bot_total - self.in_worker


@dataclass
class Results:
    audio_seconds: float
    runs: list[Run] = field(default_factory=list)
    idle_delay: list[float] = field(default_factory=list)
    busy_delay: list[float] = field(default_factory=list)


def make_files(folder: Path, count: int, words: int | None) -> tuple[list[Path], str, float]:
    """``count`` Ogg/Opus voice messages of the passage, each with a little more trailing silence than the last."""
    text = PASSAGE if words is None else " ".join(PASSAGE.split()[:words])
    speech = spoken_samples(text, folder)
    files = [
        write_media(folder / f"passage-{index}.ogg", np.concatenate([speech, silence(0.25 * (index + 1))]))
        for index in range(count)
    ]
    return files, text, len(speech) / 16000


async def raw_engine(path: Path, reference: str, cache_dir: str):
    """The default engine on ``path`` in a fresh process (a blocking subprocess, so run off the loop)."""
    config = Config(DEFAULT.engine, DEFAULT.model, DEFAULT.beam_size, DEFAULT.compute_type, DEFAULT.batch_size)
    return await asyncio.to_thread(lambda: run_child(config, path, reference, cache_dir, again=True))


async def bot_runs(files: list[Path], reference: str, work: Path, results: Results) -> None:
    """Every file through the bot, alternating with the raw engine on the same file."""
    settings = Settings(database=work / "bench.db", media_dir=work / "media")
    async with await Store.open(settings.database) as store:
        bot = build_bot(settings, store)
        async with simcord.run(bot, settle_timeout=1800) as env:
            world = await make_world(env, bot)
            await world.open_call()
            steps = WitnessSteps(world, world.witness("margaret"))
            await steps.start()
            await steps.details("Margaret Ellis", "Age Concern Eastleigh")
            await steps.click("Answer the questions")

            finished: dict[int, tuple[float, str]] = {}
            queued: list[float] = []
            arrived = asyncio.Event()

            async def done(job) -> None:  # after the cog's own listener has posted the transcript
                finished[job.id] = (time.perf_counter(), job.result or {})
                arrived.set()

            bot.transcription.on_done.append(done)
            bot.transcription.on_wake.append(lambda: queued.append(time.perf_counter()))

            delay = LoopDelay()
            delay.start()
            delay.recording = True
            await asyncio.sleep(IDLE_SECONDS)
            delay.recording = False
            results.idle_delay = delay.collect()

            for index, path in enumerate(files):
                measurement = await raw_engine(path, reference, str(work / "whisper"))
                arrived.clear()
                queued.clear()
                delay.recording = True
                sent = time.perf_counter()
                await steps.send_file("voice-message.ogg", path.read_bytes())
                await asyncio.wait_for(arrived.wait(), 1800)  # SimCord settles before returning: a safety net
                delay.recording = False
                results.busy_delay += delay.collect()
                ended, result = finished[max(finished)]
                text = result.get("text", "")
                posted = steps.dm.last_message.content
                assert posted.startswith("**Transcript of your recording for Q1"), posted
                run = Run(
                    name=path.name,
                    cold=index == 0,
                    raw_load=measurement.load_seconds,
                    raw_transcribe=measurement.transcribe_seconds,
                    raw_again=measurement.again_seconds,
                    bot_total=ended - sent,
                    in_worker=result["compute_seconds"],
                    bot_acknowledged=(queued[0] - sent) if queued else float("nan"),
                    same_text=text.split() == measurement.text.split(),
                    wer=word_error_rate(reference, text),
                )
                log.info(
                    "%s: raw %.2f s, bot %.2f s (%+.1f%%), same text: %s",
                    run.name,
                    run.raw,
                    run.bot_total,
                    100 * run.overhead,
                    run.same_text,
                )
                results.runs.append(run)
            await delay.stop()
            bot.transcription.pool.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def report(results: Results, load: tuple[float, float]) -> str:
    warm = [r for r in results.runs if not r.cold]
    lines = [
        "# The bot's transcription pipeline against the raw engine",
        "",
        f"Audio: espeak-ng reading the inquiry passage, {results.audio_seconds:.0f} s, sent as a voice message. "
        f"Default engine settings ({DEFAULT.engine} {DEFAULT.model}, {DEFAULT.compute_type}, beam {DEFAULT.beam_size},"
        f" batches of {DEFAULT.batch_size}, {DEFAULT.threads} threads) on {platform.machine()}, {os.cpu_count()} cores,"
        f" Python {platform.python_version()}. 1-minute load average {load[0]:.2f} before and {load[1]:.2f} after.",
        "",
        "| file | worker | raw engine (s) | bot: DM to transcript posted (s) | difference | of which in the worker (s)"
        " | around it (s) | acknowledged (s) | same words as raw | WER |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for r in results.runs:
        raw = f"{r.raw_load:.2f} load + {r.raw_transcribe:.2f}" if r.cold else f"{r.raw_again:.2f}"
        lines.append(
            f"| {r.name} | {'cold' if r.cold else 'warm'} | {raw} | {r.bot_total:.2f} | {100 * r.overhead:+.1f}% "
            f"| {r.in_worker:.2f} | {r.around:.2f} | {r.bot_acknowledged:.2f} | {'yes' if r.same_text else 'no'} "
            f"| {r.wer:.3f} |"
        )
    if warm:
        overhead = statistics.median(r.overhead for r in warm)
        around = statistics.median(r.around / r.in_worker for r in warm)
        lines += [
            "",
            f"Warm runs: median difference from the raw engine {100 * overhead:+.1f}%; the bot's own time around "
            f"the engine is a median {100 * around:.1f}% of the worker's (target: the pipeline within 10% of the raw "
            "engine).",
        ]
    lines += [
        "",
        "Event loop delay (how late a 5 ms sleep wakes up):",
        "",
        "| while | samples | p50 (ms) | p99 (ms) | max (ms) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label, values in (("idle", results.idle_delay), ("transcribing (every run)", results.busy_delay)):
        lines.append(
            f"| {label} | {len(values)} | {percentile(values, 0.5):.2f} | {percentile(values, 0.99):.2f} "
            f"| {max(values):.2f} |"
        )
    lines += ["", "Produced by `python benchmarks/bench_pipeline.py`."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("--quick", action="store_true", help="a ~1-minute passage, one cold and one warm run")
    cli.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "pipeline.md")
    args = cli.parse_args(argv)
    if not espeak_available():
        sys.exit(f"{cli.prog}: {ESPEAK_MISSING}")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    discord.utils.setup_logging(level=logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as folder:
        work = Path(folder)
        files, reference, seconds = make_files(work, 2 if args.quick else 4, QUICK_WORDS if args.quick else None)
        results = Results(audio_seconds=seconds)
        load_before = os.getloadavg()[0]
        asyncio.run(bot_runs(files, reference, work, results))
    text = report(results, (load_before, os.getloadavg()[0]))
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
