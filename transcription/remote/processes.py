"""Starting and stopping ``evidence-bot worker`` processes on this machine (for the demo, benchmarks and tests:
in production each worker is started by its machine's service manager)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class WorkerProcess:
    """One ``evidence-bot worker`` process, with its own working folder and log file (None: it logs to this
    process's standard error)."""

    process: subprocess.Popen
    work_dir: Path
    log_path: Path | None

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def log(self) -> str:
        """What the worker has logged so far."""
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def kill(self) -> None:
        """Kill it outright (SIGKILL): its job is noticed by its silence and given to another worker."""
        if self.alive():
            self.process.kill()
        self.process.wait()

    def stop(self, *, now: bool = False, timeout: float = 60.0) -> int:
        """Ask it to stop (SIGTERM): after the job in progress, or ``now`` (a second SIGTERM: the job goes back to
        the queue). Killed if it has not stopped within ``timeout`` seconds. Its exit code."""
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            if now:
                try:
                    return self.process.wait(timeout=1.0)
                except subprocess.TimeoutExpired:
                    self.process.send_signal(signal.SIGTERM)
            try:
                return self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
        return self.process.wait()


@dataclass
class WorkerProcesses:
    """Worker processes started on this machine, stopped together (``with`` or :meth:`stop_all`). Each has a
    working folder under ``root``, and a log file there too unless ``log_files`` is False (they then log to this
    process's standard error)."""

    database: str
    media: str
    root: Path
    threads: int = 1
    stalled_after: int | None = None
    max_mb: int | None = None
    max_minutes: int | None = None
    log_files: bool = True
    env: dict[str, str] = field(default_factory=dict)
    started: list[WorkerProcess] = field(default_factory=list)

    def start(self, name: str | None = None) -> WorkerProcess:
        """Start one more worker, in a working folder of its own under ``root``."""
        number = len(self.started) + 1
        name = name or f"worker-{number}"
        work_dir = self.root / name
        work_dir.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable,
            "-m",
            "bot",
            "worker",
            "--database",
            self.database,
            "--media",
            self.media,
            "--threads",
            str(self.threads),
            "--work-dir",
            str(work_dir),
            "--name",
            name,
            "--exit-with-parent",  # none is left behind, whatever becomes of this process
        ]
        for option, value in (
            ("--stalled-after", self.stalled_after),
            ("--max-mb", self.max_mb),
            ("--max-minutes", self.max_minutes),
        ):
            if value is not None:
                command += [option, str(value)]
        log_path = self.root / f"{name}.log" if self.log_files else None
        with log_path.open("ab") if log_path else contextlib.nullcontext() as log_file:
            process = subprocess.Popen(
                command,
                cwd=work_dir,
                stdin=subprocess.DEVNULL,
                stdout=log_file or subprocess.DEVNULL,
                stderr=subprocess.STDOUT if log_file else None,
                env={**os.environ, "PYTHONPATH": _import_path(), **self.env},
            )
        worker = WorkerProcess(process, work_dir, log_path)
        self.started.append(worker)
        return worker

    def stop_all(self) -> None:
        """Stop every worker now (their jobs in progress go back to the queue)."""
        for worker in self.started:
            worker.stop(now=True)

    def __enter__(self) -> WorkerProcesses:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop_all()


def _import_path() -> str:
    """This checkout first, so that ``python -m bot`` finds the same code from a worker's own folder."""
    here = str(Path(__file__).resolve().parents[2])
    return os.pathsep.join(p for p in (here, os.environ.get("PYTHONPATH", "")) if p)
