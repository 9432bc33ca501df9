"""How long reading written evidence documents takes, and how much memory the isolated reader's child uses.

    python benchmarks/bench_documents.py

Cases: a short Word submission (one page), a long one (about 6,000 words, 300 paragraphs), and the long one as
ODT, RTF and PDF made by LibreOffice (which must be installed). Each case is read once in this process (the
parse alone) and once through ``extract_document_isolated`` (a fresh child interpreter with its limits: start-up,
imports and the parse), each in a fresh benchmark process so that the child's peak resident memory is its own.
Prints a Markdown table and writes it to benchmarks/results/documents.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402

from documents import extract_document, extract_document_isolated  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "documents.md"
SAMPLE = (
    "the older people we support live alone and many have no family nearby so our volunteers telephone them "
    "every week during the lockdown digital exclusion was the largest barrier because libraries closed"
)
WORDS = SAMPLE.split(" ")


def _submission(paragraphs: int) -> bytes:
    document = docx.Document()
    document.add_heading("Written evidence from a charity", 1)
    for number in range(paragraphs):
        if number % 25 == 0:
            document.add_heading(f"Question {number // 25 + 1}", 2)
        words = [WORDS[(number * 7 + k * 3) % len(WORDS)] for k in range(20)]
        document.add_paragraph(" ".join(words).capitalize() + ".")
    path = Path(tempfile.mkdtemp()) / "submission.docx"
    document.save(path)
    return path.read_bytes()


def _make(folder: Path) -> dict[str, Path]:
    short = folder / "short.docx"
    short.write_bytes(_submission(12))
    long = folder / "long.docx"
    long.write_bytes(_submission(300))
    files = {"short.docx": short, "long.docx": long}
    soffice = shutil.which("soffice")
    if soffice:
        for target in ("odt", "rtf", "pdf"):
            profile = (folder / f"profile-{target}").as_uri()
            command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", target]
            subprocess.run(
                [*command, "--outdir", str(folder), str(long)],
                capture_output=True,
                check=True,
                timeout=300,
            )
            files[f"long.{target}"] = folder / f"long.{target}"
    return files


def _measure(path: Path) -> dict:
    """One case, in this process: the in-process parse, then the isolated read and its child's peak memory."""
    start = time.perf_counter()
    document = extract_document(path)
    parse = time.perf_counter() - start
    start = time.perf_counter()
    asyncio.run(extract_document_isolated(path))
    isolated = time.perf_counter() - start
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "blocks": len(document.blocks),
        "pages": document.page_count,
        "kb": path.stat().st_size / 1024,
        "parse": parse,
        "isolated": isolated,
        "child_mb": child_kb / 1024,
    }


def main() -> None:
    """Run the cases (or, with ``--one``, one case) and print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--one", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.one:
        print(json.dumps(_measure(Path(arguments.one))))
        return
    folder = Path(tempfile.mkdtemp())
    rows = [
        "| File | Size | Blocks | Pages | Parse | Isolated read | Child peak RSS |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, path in _make(folder).items():
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(path)], capture_output=True, text=True, check=True, timeout=600
        )
        result = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append(
            f"| {name} | {result['kb']:.0f} KB | {result['blocks']} | {result['pages'] or ''} | "
            f"{result['parse']:.2f} s | {result['isolated']:.2f} s | {result['child_mb']:.0f} MB |"
        )
    table = "\n".join(rows)
    header = f"Machine: {platform.machine()}, {platform.python_version()}, {time.strftime('%Y-%m-%d')}\n\n"
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text("# Reading written evidence documents\n\n" + header + table + "\n")
    print(table)


if __name__ == "__main__":
    main()
