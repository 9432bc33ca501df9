"""The upload page's tus server under a large file: throughput, and how much the server process's memory grows.

    python benchmarks/bench_upload.py                 # 1 GiB, sent whole, then stopped halfway and resumed
    python benchmarks/bench_upload.py --size-mb 200   # a smaller file

The server runs as in production (``web.start_web`` over a real SQLite store and the ``UploadGrantService``
ledger) in a child process of its own, so that its memory is measured alone: its resident size once started,
then its peak (``VmHWM``, reset through ``/proc/<pid>/clear_refs`` before each upload, and sampled every 50 ms as
a check). The client is ``tuspy`` (the Python tus client) in this process, sending requests of 32 MiB as the page
does. The callback hashes the file it is given (SHA-256, read in blocks) and the hash must equal the source's.

Four uploads per run, alternating: one sent whole; one stopped halfway, then taken up by a new client, which asks
the server for the offset (HEAD) and sends the rest. Timed from the creation request to the last response; the bot's
callback (the hash) is timed apart. Writes benchmarks/results/upload.md.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MIB = 1024 * 1024
CHUNK = 32 * MIB
SECRET = "a benchmark secret that is long enough to sign links"


# The server (child process) ----------------------------------------------------------------------


async def serve(folder: Path, port: int, max_bytes: int, count: int) -> None:
    """Run the upload page over a real store; print the links of ``count`` grants; stop when stdin closes."""
    from inquiry.store import Store
    from inquiry.uploads.service import UploadGrantService
    from web import UploadLinks, WebSettings, start_web

    store = await Store.open(folder / "evidence.db")
    ledger = UploadGrantService(store, lambda: datetime.now(UTC))
    inquiry_id = await store.inquiries.create(
        guild_id=1, code="SCI", title="Social connection", terms="", word_limit=3000, actor_id=1, now=datetime.now(UTC)
    )
    settings = WebSettings(
        secret=SECRET.encode(),
        port=port,
        public_url=f"http://127.0.0.1:{port}",
        upload_dir=folder / "uploads",
        max_bytes=max_bytes,
        chunk_bytes=CHUNK,
    )

    async def on_complete(grant, path: Path, filename: str, size: int) -> str:
        started = time.perf_counter()
        digest = await asyncio.to_thread(_sha256, path)
        result = {"grant": grant.id, "sha256": digest, "size": size, "hash_s": time.perf_counter() - started}
        (folder / f"result-{grant.id}.json").write_text(json.dumps(result))
        return f"Received {size} bytes"

    runner = await start_web(settings, ledger, on_complete)
    links = UploadLinks(settings)
    tokens = []
    for _ in range(count):
        grant = await ledger.grant_for_post(1, inquiry_id)
        tokens.append({"grant": grant.id, "url": links.url(grant)})
    print(json.dumps({"tokens": tokens}), flush=True)
    await asyncio.to_thread(sys.stdin.read)  # until the parent closes our stdin
    await runner.cleanup()
    await store.close()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(MIB):
            digest.update(block)
    return digest.hexdigest()


# Measuring -------------------------------------------------------------------------------------


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Sampler(threading.Thread):
    """The child's resident size every 50 ms."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self.peak_kb = max(self.peak_kb, _status_kb(self.pid, "VmRSS"))
            except (OSError, KeyError):
                return  # the server has stopped
            self.stop.wait(0.05)


def upload(pid: int, url: str, source: Path, folder: Path, grant_id: str, *, resume: bool) -> dict:
    """Send the file with tuspy (stopping halfway and resuming with a new client if asked); measure the server."""
    from tusclient.client import TusClient

    os.sync()  # write back the files of earlier steps first, so that their writeback does not slow this upload
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # reset the peak resident size
    base_kb = _status_kb(pid, "VmRSS")
    cpu_before = _cpu_s(pid)
    sampler = Sampler(pid)
    sampler.start()
    endpoint = url + "/files"
    size = source.stat().st_size
    started = time.perf_counter()
    client = TusClient(endpoint)
    uploader = client.uploader(file_path=str(source), chunk_size=CHUNK, metadata={"filename": source.name})
    if resume:
        uploader.upload(stop_at=size // 2)
        # A new client (as after a dropped connection or a reload) asks the server where the upload stands.
        uploader = TusClient(endpoint).uploader(file_path=str(source), chunk_size=CHUNK, url=uploader.url)
        resumed_from = uploader.offset
    uploader.upload()
    elapsed = time.perf_counter() - started
    result_path = folder / f"result-{grant_id}.json"
    while not result_path.exists():
        time.sleep(0.05)
    sampler.stop.set()
    sampler.join()
    peak_kb = max(_status_kb(pid, "VmHWM"), sampler.peak_kb)
    result = json.loads(result_path.read_text())
    return {
        "case": "stopped halfway, resumed by a new client" if resume else "sent whole",
        "resumed_from": resumed_from if resume else None,
        "seconds": elapsed,
        "mib_s": size / MIB / elapsed,
        "base_mb": base_kb / 1024,
        "peak_mb": peak_kb / 1024,
        "growth_mb": (peak_kb - base_kb) / 1024,
        "server_cpu_s": _cpu_s(pid) - cpu_before,
        "hash_s": result["hash_s"],
        "hash_ok": result["sha256"] == _sha256(source) and result["size"] == size,
    }


def write_report(size: int, rows: list[dict], out: Path, loads: tuple[float, float]) -> None:
    lines = [
        "# Uploading a large file through the upload page",
        "",
        f"File: {size / MIB:,.0f} MiB of random bytes; client: tuspy 1.1.0 sending 32 MiB requests over loopback; "
        f"server: `web.start_web` in its own process over a real SQLite store. {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {datetime.now(UTC):%Y-%m-%d}. 1-minute load "
        f"average {loads[0]:.2f} before and {loads[1]:.2f} after (other work on the machine slows both rows).",
        "",
        "| upload | time (s) | throughput (MiB/s) | server RSS before (MB) | server peak (MB) | growth (MB) "
        "| server CPU (s) | callback hash (s) | SHA-256 equal |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        case = row["case"] + (f" (from byte {row['resumed_from']:,})" if row["resumed_from"] else "")
        lines.append(
            f"| {case} | {row['seconds']:.1f} | {row['mib_s']:.0f} | {row['base_mb']:.1f} | {row['peak_mb']:.1f} "
            f"| {row['growth_mb']:.1f} | {row['server_cpu_s']:.1f} | {row['hash_s']:.1f} "
            f"| {'yes' if row['hash_ok'] else 'NO'} |"
        )
    worst = max(row["growth_mb"] for row in rows)
    overall = max(row["peak_mb"] for row in rows) - rows[0]["base_mb"]
    command = "python benchmarks/bench_upload.py" + (f" --size-mb {size // MIB}" if size != 1024 * MIB else "")
    lines += [
        "",
        f"Largest growth of the server's resident memory during an upload: {worst:.1f} MB "
        f"(target: under 50 MB, {'met' if worst < 50 else 'NOT met'}). Growth is the peak resident size (VmHWM, "
        "reset before each upload, checked against 50 ms samples) less the resident size before the upload. "
        f"Over all {len(rows)} uploads, from the first one's start to the highest peak: {overall:.1f} MB "
        "(it levels off: see `--uploads 10`). The callback hashes the file in 1 MiB blocks from a worker thread; "
        "with 4 MiB blocks the process kept more between uploads (seen with `--size-mb 256 --uploads 10`: 38 MB "
        "above its start after ten uploads, against 12 MB with 1 MiB blocks).",
        "",
        f"Produced by `{command}`.",
        "",
    ]
    out.write_text("\n".join(lines), encoding="utf-8")


def main() -> int:
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("--size-mb", type=int, default=1024)
    cli.add_argument("--uploads", type=int, default=4, help="uploads in turn, whole and resumed (default 4)")
    cli.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    cli.add_argument("--port", type=int, help=argparse.SUPPRESS)
    cli.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "upload.md")
    args = cli.parse_args()
    size = args.size_mb * MIB
    if args.serve:
        asyncio.run(serve(args.serve, args.port, size, args.uploads))
        return 0

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-upload-") as tmp:
        folder = Path(tmp)
        source = folder / "session recording.bin"
        with open(source, "wb") as handle:
            for _ in range(args.size_mb):
                handle.write(os.urandom(MIB))
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        serve_args = ["--serve", str(folder), "--port", str(port), "--size-mb", str(args.size_mb)]
        child = subprocess.Popen(
            [sys.executable, __file__, *serve_args, "--uploads", str(args.uploads)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        try:
            tokens = json.loads(child.stdout.readline())["tokens"]
            rows = [
                upload(child.pid, token["url"], source, folder, token["grant"], resume=bool(index % 2))
                for index, token in enumerate(tokens)
            ]
        finally:
            child.stdin.close()
            child.wait(timeout=60)
    for row in rows:
        print(json.dumps(row))
    write_report(size, rows, args.out, (load_before, os.getloadavg()[0]))
    print(f"wrote {args.out}")
    return 0 if all(row["hash_ok"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
