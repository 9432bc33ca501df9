"""Files transcribed per hour on PostgreSQL with 1 and with 2 `evidence-bot worker` processes of one thread each.

The bot's side of the queue (the store, the transcription service and its remote runner, as ``build_services``
makes them on PostgreSQL, with no worker of its own) runs in this process over a fresh database; the workers are
real ``evidence-bot worker`` processes (tiny.en, one thread, their own working folders), started with
:class:`transcription.remote.processes.WorkerProcesses`. The recordings are short real speech made here:
different sentences spoken by espeak-ng's English voices (every file different, so none reuses another's result).

Each worker first transcribes one warm-up file (the child process starts and the models load once per worker);
then N files are queued at once and timed from the moment they are handed to the queue until the bot has announced
the last one. Checked: every file done, each taken once (one attempt), its words close to what was said.

    python benchmarks/bench_workers.py --files 16 --workers 1 2

With ``--postgres`` a superuser's URL (default: EVIDENCE_BOT_TEST_POSTGRES) names the server; otherwise a throwaway
local cluster is started with ``scripts/servers.py`` (the Debian ``postgresql`` package) and stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import io
import os
import re
import sys
import tempfile
import time
import uuid
import wave
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402

from inquiry.store import Store  # noqa: E402
from inquiry.store._queue import QueueRepo  # noqa: E402
from transcription.queue import TranscriptionService, TranscriptionSettings  # noqa: E402
from transcription.remote.processes import WorkerProcesses  # noqa: E402
from transcription.remote.runner import RemoteRunner  # noqa: E402
from transcription.synth import speak, word_error_rate  # noqa: E402

SENTENCES = (
    "We found that digital exclusion was the biggest barrier for the people we support.",
    "Volunteers telephoned older residents every week during the first lockdown.",
    "The youth club moved its meetings online and lost half of its members.",
    "Local councils should fund community spaces that stay open in the evenings.",
    "What should the Government be doing to support you in your work to reach isolated groups?",
    "Many carers told us they felt invisible and exhausted by the end of the year.",
    "People living alone were the hardest to reach during the pandemic.",
    "Our lunch club delivered hot meals to two hundred people every day.",
)
VOICES = ("en", "en-us", "en-gb-scotland", "en-gb-x-rp")
WER_BOUND = 0.5  # a sanity bound across voices: fails a transcript of other speech or none
DONE = re.compile(r"transcription job (\d+): done")


def recordings(folder: Path, count: int) -> list[tuple[str, bytes]]:
    """``count`` different recordings: (what was said, WAV bytes)."""
    made = []
    for index in range(count):
        text = SENTENCES[index % len(SENTENCES)]
        voice = VOICES[(index // len(SENTENCES)) % len(VOICES)]
        wav = speak(text, folder / f"r{index}.wav", voice=voice, words_per_minute=150 + 10 * (index % 3))
        made.append((text, wav.read_bytes()))
    return made


async def run(database: str, workers: int, files: list[tuple[str, bytes]], warmups: list[tuple[str, bytes]]):
    """Transcribe ``files`` with ``workers`` one-thread workers; the measurements."""
    root = Path(tempfile.mkdtemp(prefix="bench-workers-"))
    store = await Store.open(database)
    announced: list = []

    async def told(job) -> None:
        announced.append(job)

    service = TranscriptionService(
        store=store,
        media_dir=root / "media",
        clock=lambda: datetime.now(UTC),
        settings=TranscriptionSettings(model="tiny.en", threads=1),
        runner=RemoteRunner(database, QueueRepo(store.db), workers=0, stalled_after=timedelta(seconds=10)),
        on_done=[told],
        on_failed=[told],
    )
    message = iter(range(1, 1_000_000))
    try:
        await service.recover()
        with WorkerProcesses(database, str(root / "media"), root / "workers", threads=1, stalled_after=10) as started:
            for _ in range(workers):
                started.start()
            # warm-up: each worker transcribes a file before the timed batch (its child process starts and its
            # models load once); a worker that took none gets another
            pool = list(warmups)
            while not all(DONE.search(w.log()) for w in started.started):
                batch = [pool.pop() for _ in range(min(workers, len(pool)))]
                if not batch:
                    raise RuntimeError("a worker took no warm-up file")
                for _, wav in batch:
                    await service.receive(wav, "warm.wav", "audio/wav", message_id=next(message), user_id=1)
                service.wake()
                expected = len(announced) + len(batch)
                await _until(lambda expected=expected: len(announced) == expected, 600)
            warm = len(announced)

            ids = []
            for index, (text, wav) in enumerate(files):
                received = await service.receive(
                    wav, f"f{index}.wav", "audio/wav", message_id=next(message), user_id=100 + index
                )
                ids.append((received.job.id, text))
            load = os.getloadavg()[0]
            started_at = time.perf_counter()
            service.wake()
            await _until(lambda: len(announced) == warm + len(files), 3600)
            elapsed = time.perf_counter() - started_at
            runs = [int(m) for w in started.started for m in re.findall(r"transcribing job (\d+) ", w.log())]
        errors = []
        for job_id, text in ids:
            job = await store.media.job(job_id)
            assert job.state == "done" and job.attempts == 1, (job.id, job.state, job.attempts, job.error)
            assert runs.count(job_id) == 1, (job_id, runs)
            errors.append(word_error_rate(text, job.result["text"]))
            assert errors[-1] <= WER_BOUND, (text, job.result["text"])
        seconds = sum(_duration(wav) for _, wav in files)
        return {
            "workers": workers,
            "files": len(files),
            "audio_seconds": seconds,
            "elapsed": elapsed,
            "per_hour": len(files) / elapsed * 3600,
            "mean_wer": sum(errors) / len(errors),
            "load": load,
        }
    finally:
        await service.close()
        await store.close()


def _duration(wav: bytes) -> float:
    with wave.open(io.BytesIO(wav)) as sound:
        return sound.getnframes() / sound.getframerate()


async def _until(condition, within: float) -> None:
    end = time.monotonic() + within
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError(f"not done within {within} s")
        await asyncio.sleep(0.1)


@contextlib.contextmanager
def throwaway_postgres():
    """A local PostgreSQL cluster for the run (scripts/servers.py), stopped afterwards; its superuser's URL."""
    spec = importlib.util.spec_from_file_location("evidence_servers", ROOT / "scripts" / "servers.py")
    servers = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(servers)
    with tempfile.TemporaryDirectory() as folder:
        info = servers.start_postgres(Path(folder))
        try:
            yield info["url"]
        finally:
            servers.stop_postgres(info)


def fresh_database(admin: str) -> str:
    name = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin.rsplit("/", 1)[0] + f"/{name}"


def drop_database(admin: str, database: str) -> None:
    name = database.rsplit("/", 1)[1]
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def table(rows: list[dict]) -> str:
    base = rows[0]["per_hour"]
    lines = [
        "| workers (1 thread each) | files | speech (s) | wall clock (s) | files per hour | vs 1 worker | mean WER"
        " | load before |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['workers']} | {r['files']} | {r['audio_seconds']:.0f} | {r['elapsed']:.1f} | {r['per_hour']:.0f}"
            f" | {r['per_hour'] / base:.2f}x | {r['mean_wer']:.3f} | {r['load']:.2f} |"
        )
    return "\n".join(lines)


def main() -> int:
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("--files", type=int, default=16)
    cli.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    cli.add_argument("--postgres", default=os.environ.get("EVIDENCE_BOT_TEST_POSTGRES"), help="a superuser's URL")
    cli.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "workers.md"))
    args = cli.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-speech-"))
    made = recordings(folder, args.files + 4)
    files, warmups = made[: args.files], made[args.files :]
    rows = []
    with contextlib.ExitStack() as stack:
        admin = args.postgres or stack.enter_context(throwaway_postgres())
        for workers in args.workers:
            database = fresh_database(admin)
            try:
                rows.append(asyncio.run(run(database, workers, files, warmups)))
            finally:
                drop_database(admin, database)
            print(table(rows), flush=True)
    text = table(rows)
    Path(args.out).write_text(
        "# Transcription workers on PostgreSQL\n\n" + text + "\n\n"
        f"{os.cpu_count()} CPU cores shared by the workers, the bot's side of the queue and PostgreSQL; tiny.en (with"
        " base detecting the language), int8, one thread per worker; short espeak-ng recordings, each different;"
        ' after one warm-up file per worker. "load before" is the machine\'s one-minute load average when the timed'
        " batch began: it counts the warm-up just done, and any other work sharing the cores."
        " Produced by `python benchmarks/bench_workers.py`.\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
