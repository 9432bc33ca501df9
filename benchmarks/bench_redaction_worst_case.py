"""Redaction at its worst, and whether the bot stays responsive meanwhile.

    python benchmarks/bench_redaction_worst_case.py [--submissions 1000] [--answer-chars 2000]

A written evidence volume of 1,000 submissions whose answers are each one of the worst cases for the patterns
that find personal data (tests/exports/pii_worst_cases.py: long runs of capitals between a street and a
postcode, of digits, spaces, @ and dots, +, brackets, postcode-like tokens, look-alike letters, invisible
characters, and an anonymous author's name), every fifth submission anonymous (its author named Jane Bloggs,
whose name the name cases repeat) and every seventh with a secretariat redaction of a passage that is in the
text in disguise.

The volume is exported as the bot exports it, through exports.isolated.run_isolated (a process of its own),
while a task in the event loop sleeps 5 ms at a time and records how late each wake-up is: the loop's longest
stall. For comparison the same export is run in a thread (asyncio.to_thread), and in this process with nothing
else running (the build alone); and a builder stuck in a backtracking pattern is run both ways.
Targets: the isolated export under 10 s, the loop's longest stall under 100 ms.
Prints a Markdown table and writes it to benchmarks/results/redaction_worst_case.md.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import re
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "exports"))

from pii_worst_cases import NAME_WORST_CASES, WORST_CASES, worst_case_answer  # noqa: E402

from exports import (  # noqa: E402
    EvidenceAnswer,
    EvidenceVolumeDoc,
    Redaction,
    Submission,
    build_evidence_volume,
)
from exports.isolated import ExportTimeout, run_isolated  # noqa: E402

log = logging.getLogger(__name__)

RESULTS = ROOT / "benchmarks" / "results" / "redaction_worst_case.md"
TARGET_SECONDS, TARGET_STALL_MS = 10.0, 100.0
TICK = 0.005
# A builder stuck in catastrophic backtracking: place names with nested repeats, against a run of capitals.
STUCK = (r"^,?\s*(?:[A-Z][A-Za-z'-]+(?:\s+[A-Z][A-Za-z'-]+)*,?\s*){0,3}$", "A" * 800 + "1")
STUCK_LIMIT = 1.0


def worst_case_doc(count: int, answer_chars: int) -> EvidenceVolumeDoc:
    """``count`` submissions of five answers, each answer the next worst case in turn."""
    submissions = []
    for n in range(1, count + 1):
        texts = [worst_case_answer(answer_chars, (n - 1) * 5 + q) for q in range(5)]
        redactions = []
        if n % 7 == 0:  # the passage is in the text disguised: an invisible space and a Cyrillic В
            texts[0] += "\nMr\u200b Вrown  refused to help."
            redactions = [Redaction(None, "Mr Brown refused to help", "third party")]
        answers = [EvidenceAnswer(q, f"Question {q}", text) for q, text in enumerate(texts, start=1)]
        anonymous = n % 5 == 3
        submissions.append(
            Submission(
                reference=f"SCI{n:04d}",
                submitter_name="Jane Bloggs" if anonymous else f"Witness {n}",
                organisation=None,
                capacity="individual",
                publication="anonymous" if anonymous else "named",
                late=False,
                submitted_at=datetime(2020, 4, 1, tzinfo=UTC) + timedelta(minutes=n),
                answers=answers,
                redactions=redactions,
            )
        )
    return EvidenceVolumeDoc("Worst cases for redaction", "SCI", "Terms of reference.", None, submissions)


async def _while_ticking(work) -> dict:
    """Await ``work()`` while a task sleeps 5 ms at a time; the work's time and how late the wake-ups were."""
    lateness: list[float] = []
    done = asyncio.Event()

    async def tick() -> None:
        while not done.is_set():
            before = time.perf_counter()
            await asyncio.sleep(TICK)
            lateness.append(time.perf_counter() - before - TICK)

    ticker = asyncio.create_task(tick())
    await asyncio.sleep(0.05)  # the ticker is running before the export starts
    started = time.perf_counter()
    killed = False
    try:
        result = await work()
    except ExportTimeout:
        result, killed = None, True
    seconds = time.perf_counter() - started
    done.set()
    await ticker
    ordered = sorted(lateness)
    return {
        "seconds": seconds,
        "stall_ms": ordered[-1] * 1000,
        "p99_ms": ordered[int(len(ordered) * 0.99)] * 1000,
        "median_ms": statistics.median(ordered) * 1000,
        "ticks": len(ordered),
        "redactions": f"{len(result.redactions):,}" if result else "–",
        "docx_mb": f"{len(result.data) / 1e6:.1f}" if result else ("killed" if killed else "–"),
    }


async def measure(doc: EvidenceVolumeDoc) -> dict[str, dict]:
    """The isolated export and the threaded one, then a stuck builder both ways, each with the loop's lateness
    meanwhile."""
    return {
        "isolated": await _while_ticking(lambda: run_isolated(build_evidence_volume, doc, time_limit=600)),
        "thread": await _while_ticking(lambda: asyncio.to_thread(build_evidence_volume, doc)),
        "stuck isolated": await _while_ticking(lambda: run_isolated(re.fullmatch, *STUCK, time_limit=STUCK_LIMIT)),
        "stuck thread": await _while_ticking(lambda: asyncio.to_thread(re.fullmatch, *STUCK)),
    }


def table(results: dict[str, dict], alone: float, args: argparse.Namespace, text_mb: float) -> str:
    """The results as Markdown, with the machine and the command."""
    import docx
    import lxml.etree

    rows = [
        "| How the volume is built | Export time (s) | Loop's longest stall (ms) | 99th percentile (ms) | "
        "Median lateness (ms) | Wake-ups | Redactions | .docx (MB) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    labels = {
        "isolated": "Own process (exports.isolated), as the bot does",
        "thread": "Thread (asyncio.to_thread)",
        "stuck isolated": f"A stuck builder in its own process, {STUCK_LIMIT:g} s limit",
        "stuck thread": "The same stuck builder in a thread",
    }
    for mode, r in results.items():
        rows.append(
            f"| {labels[mode]} | {r['seconds']:.2f} | {r['stall_ms']:.1f} | {r['p99_ms']:.1f} | {r['median_ms']:.2f} | "
            f"{r['ticks']:,} | {r['redactions']} | {r['docx_mb']} |"
        )
    rows.append(
        f"| The volume in this process, nothing else running (the build alone) | {alone:.2f} | – | – | – | – | – | – |"
    )
    isolated = results["isolated"]
    met_time = "met" if isolated["seconds"] < TARGET_SECONDS else "**missed**"
    met_stall = "met" if isolated["stall_ms"] < TARGET_STALL_MS else "**missed**"
    cases = len(WORST_CASES) + len(NAME_WORST_CASES)
    rows += [
        "",
        f"Targets (own process): export under {TARGET_SECONDS:.0f} s: {met_time}; loop's longest stall under "
        f"{TARGET_STALL_MS:.0f} ms: {met_stall}.",
        "",
        f"Volume: {args.submissions:,} submissions × 5 answers of {args.answer_chars:,} characters "
        f"({text_mb:.1f} MB of text), each answer one of {cases} worst cases in turn; every fifth submission "
        "anonymous, every seventh with a secretariat redaction. Stall: how late a task sleeping 5 ms in the "
        "event loop woke up, at worst, while the export ran. The stuck builder is a pattern with nested repeats "
        f"of capitalised words matched against {len(STUCK[1]) - 1:,} capitals (it backtracks for seconds in one "
        "call, holding the GIL): in its own process it is killed at its limit while the loop carries on; in a "
        "thread the loop stops until it gives up.",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d} on {platform.machine()} with {len(os.sched_getaffinity(0))} CPUs "
        f"(shared), Python {platform.python_version()}, python-docx {docx.__version__}, "
        f"lxml {lxml.etree.__version__}.",
        "",
        "Reproduce: `.venv/bin/python benchmarks/bench_redaction_worst_case.py"
        f" --submissions {args.submissions} --answer-chars {args.answer_chars}`",
    ]
    return "\n".join(rows) + "\n"


def main() -> int:
    """Build the worst-case volume, measure, print the table and write it to benchmarks/results/."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--answer-chars", type=int, default=2000)
    args = parser.parse_args()
    doc = worst_case_doc(args.submissions, args.answer_chars)
    text_mb = sum(len(a.text) for s in doc.submissions for a in s.answers) / 1e6
    results = asyncio.run(measure(doc))
    started = time.perf_counter()
    build_evidence_volume(doc)
    alone = time.perf_counter() - started
    markdown = table(results, alone, args, text_mb)
    print(markdown)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("# Redaction at its worst, and the event loop meanwhile\n\n" + markdown, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
