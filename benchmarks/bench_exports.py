"""How long the Word exports take, and how much memory, at the sizes a real inquiry reaches.

    python benchmarks/bench_exports.py [--repeat 3]

Cases: a written evidence volume of 1,000 submissions (5 answers of about 300 words each, with some personal
data to redact and some video transcripts) and the transcript of a three-hour oral evidence session (180
questions, two answers of about 150 words each). Each run is a fresh Python process, so its peak resident
memory (what the operating system reports, which counts lxml's C allocations that tracemalloc misses) is
that of one export. The time is that of the export alone; building the read-models is not counted.
Prints a Markdown table and writes it to benchmarks/results/exports.md.
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from exports import (  # noqa: E402
    Answer,
    EvidenceAnswer,
    EvidenceVolumeDoc,
    MediaTranscript,
    Member,
    QuestionRecord,
    Submission,
    TranscriptDoc,
    Witness,
    build_evidence_volume,
    build_transcript,
)

log = logging.getLogger(__name__)

RESULTS = ROOT / "benchmarks" / "results" / "exports.md"
TARGET_SECONDS, TARGET_MB = 10.0, 300.0
QUESTIONS = [
    "What issues has the COVID-19 crisis raised for socially isolated groups?",
    "How are you/your organisation responding to these challenges to reach these groups?",
    "What barriers and challenges have you encountered in your work to reach and support socially isolated groups?",
    "Is there best practice you would like to share with others working in similar situations?",
    "What should the Government be doing to support you in your work to reach and support socially isolated groups?",
]
SAMPLE = (
    "the older people we support live alone and many have no family nearby so our volunteers telephone them "
    "every week during the lockdown digital exclusion was the largest barrier because libraries closed and data "
    "costs money councils worked with food banks mutual aid groups and faith groups to reach residents who were "
    "shielding we recommend funding for befriending schemes and digital champions in every area social "
    "connection matters for health and wellbeing and the crisis showed how quickly communities can respond"
)
WORDS = SAMPLE.split()
ONSETS = ("b", "c", "d", "f", "g", "h", "l", "m", "n", "p", "r", "s", "t", "w", "br", "cl", "st", "th", "pr", "tr")
VOWELS = ("a", "e", "i", "o", "u", "ea", "oo", "ai")
CODAS = ("n", "r", "s", "l", "nd", "st", "ng", "ck")
RUDE = ("shit", "cock", "tit", "cunt", "fuc", "dick", "piss", "cum", "twat", "wank", "slut", "fag", "nig")
CASES = {
    "evidence": "Evidence volume: 1,000 submissions × 5 answers × ~300 words",
    "transcript": "Transcript: 3-hour session, 180 questions × 2 answers × ~150 words",
}


def _vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    """The words above and made-up words of English-like syllables, so that the text compresses as prose does."""
    made = set()
    while len(made) < size:
        syllables = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) for _ in range(rng.randint(1, 3)))
        word = syllables + rng.choice(CODAS)
        if not any(rude in word for rude in RUDE):
            made.add(word)
    return WORDS + sorted(made)


def _number(rng: random.Random) -> str:
    """The numbers evidence is full of: years, percentages, counts."""
    choices = (
        f"in {rng.choice(['2019', '2020'])}",
        f"{rng.randint(2, 95)} per cent",
        f"{rng.randint(1, 9)},{rng.randint(0, 999):03d} people",
        "COVID-19",
        f"{rng.randint(2, 60)} volunteers",
    )
    return rng.choice(choices)


def prose(rng: random.Random, words: int) -> str:
    """About ``words`` words of sentences (a third of them with a number) in paragraphs of three to five."""
    vocabulary = _VOCABULARY or _VOCABULARY.extend(_vocabulary(random.Random(1))) or _VOCABULARY
    weights = _WEIGHTS or _WEIGHTS.extend(1 / rank for rank in range(1, len(vocabulary) + 1)) or _WEIGHTS
    paragraphs, sentences, count = [], [], 0
    while count < words:
        length = rng.randint(12, 25)
        chosen = rng.choices(vocabulary, weights, k=length)
        if rng.random() < 0.33:
            chosen.insert(rng.randint(1, length - 1), _number(rng))
        sentence = " ".join(chosen)
        sentences.append(sentence[0].upper() + sentence[1:] + ".")
        count += length
        if len(sentences) >= rng.randint(3, 5):
            paragraphs.append(" ".join(sentences))
            sentences = []
    if sentences:
        paragraphs.append(" ".join(sentences))
    return "\n".join(paragraphs)


_VOCABULARY: list[str] = []
_WEIGHTS: list[float] = []  # Zipf's law: the n-th commonest word is used 1/n as often as the commonest


def evidence_doc(count: int = 1000) -> EvidenceVolumeDoc:
    """A volume of ``count`` submissions; one in ten gives contact details, one in twenty a video."""
    rng = random.Random(2020)
    submissions = []
    for n in range(1, count + 1):
        answers = [EvidenceAnswer(q, QUESTIONS[q - 1], prose(rng, 300)) for q in range(1, 6)]
        if n % 10 == 0:
            text = answers[0].text + f"\nContact me on 07700 900{n % 1000:03d} or at witness{n}@example.org."
            answers[0] = EvidenceAnswer(1, QUESTIONS[0], text)
        media = [MediaTranscript("video", f"v{n}.mp4", "en", prose(rng, 200), None, n % 40 == 0)] if n % 20 == 0 else []
        submissions.append(
            Submission(
                reference=f"SCI{n:04d}",
                submitter_name=f"Witness {n}",
                organisation=f"Organisation {n}" if n % 3 == 0 else None,
                capacity="organisation" if n % 3 == 0 else "individual",
                publication=("named", "named", "named", "anonymous", "confidential")[n % 5],
                late=n % 17 == 0,
                submitted_at=datetime(2020, 4, 1, tzinfo=UTC) + timedelta(minutes=n),
                answers=answers,
                media=media,
            )
        )
    return EvidenceVolumeDoc("Social connection with isolated groups", "SCI", prose(rng, 120), None, submissions)


def transcript_doc(questions: int = 180) -> TranscriptDoc:
    """A three-hour session: two panels, questions from the chair and two members, two answers each."""
    rng = random.Random(2021)
    witnesses = [Witness(f"Witness {i}", "Chief Executive", f"Charity {i}", 1 if i <= 3 else 2) for i in range(1, 7)]
    askers = ["Holly Lynch MP", "Member MP", "Baroness Example"]
    records = []
    for n in range(1, questions + 1):
        panel = 1 if n <= questions // 2 else 2
        speakers = [w.name for w in witnesses if w.panel == panel]
        answers = [
            Answer(rng.choice(speakers), prose(rng, 150), spoken=n % 4 == 0, corrected=n % 8 == 0) for _ in range(2)
        ]
        records.append(QuestionRecord(n, askers[n % 3], prose(rng, 30), answers, panel=panel))
    members = [Member("Holly Lynch MP", chair=True), Member("Member MP"), Member("Baroness Example")]
    start = datetime(2020, 4, 15, 13, 0, tzinfo=UTC)
    return TranscriptDoc("Social connection with isolated groups", "Three-hour session", start, "Europe/London",
                         members, witnesses, records)  # fmt: skip


def run_case(case: str) -> dict:
    """Build one document in this process; report time, size and peak memory."""
    doc = evidence_doc() if case == "evidence" else transcript_doc()
    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    data = build_evidence_volume(doc).data if case == "evidence" else build_transcript(doc)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak_mb, "inputs_mb": before_mb, "docx_mb": len(data) / 1e6}


def measure(case: str, repeat: int) -> dict:
    """``repeat`` fresh processes for one case: the median time, the largest peak."""
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, __file__, "--case", case], capture_output=True, text=True, check=True, timeout=600
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {
        "seconds": statistics.median(r["seconds"] for r in runs),
        "peak_mb": max(r["peak_mb"] for r in runs),
        "inputs_mb": max(r["inputs_mb"] for r in runs),
        "docx_mb": runs[0]["docx_mb"],
    }


def table(results: dict[str, dict], repeat: int) -> str:
    """The results as a Markdown table, with the machine they were measured on."""
    import docx
    import lxml.etree

    rows = [
        "| Case | Export time (s, median) | Peak RSS (MB) | of which read-models and imports (MB) | .docx size (MB) | "
        "Target (< 10 s, < 300 MB) |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for case, r in results.items():
        met = "met" if r["seconds"] < TARGET_SECONDS and r["peak_mb"] < TARGET_MB else "**missed**"
        rows.append(
            f"| {CASES[case]} | {r['seconds']:.2f} | {r['peak_mb']:.0f} | {r['inputs_mb']:.0f} | "
            f"{r['docx_mb']:.1f} | {met} |"
        )
    cpus = len(__import__("os").sched_getaffinity(0))
    rows.append("")
    rows.append(
        f"Measured {datetime.now(UTC):%Y-%m-%d} on {platform.machine()} with {cpus} CPUs, Python "
        f"{platform.python_version()}, python-docx {docx.__version__}, lxml {lxml.etree.__version__}; "
        f"{repeat} fresh processes per case. Peak RSS is the process's whole peak (ru_maxrss)."
    )
    return "\n".join(rows) + "\n"


def main() -> int:
    """Run every case in fresh processes, print the table and write it to benchmarks/results/exports.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="fresh processes per case (default 3)")
    parser.add_argument("--case", choices=sorted(CASES), help=argparse.SUPPRESS)  # one run, in a child process
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case)))
        return 0
    results = {case: measure(case, args.repeat) for case in CASES}
    markdown = table(results, args.repeat)
    print(markdown)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("# Word exports\n\n" + markdown, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
