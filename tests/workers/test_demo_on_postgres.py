"""``evidence-bot demo --database postgresql://...``: the whole demo on PostgreSQL, its transcriptions done by
``evidence-bot worker`` processes that the bot starts."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from pathlib import Path

import psycopg
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[2]


async def test_the_demo_runs_on_postgresql_with_worker_processes(tmp_path, fresh_postgres_database):
    out = tmp_path / "demo"
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", "import sys, bot; sys.exit(bot.main())", "--env-file", "", "demo", "--out", str(out),
        "--database", fresh_postgres_database, "--quiet",
        cwd=ROOT, env={**os.environ, "EVIDENCE_BOT_LOG_LEVEL": "INFO"},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, stderr = await asyncio.wait_for(process.communicate(), 900)
    assert process.returncode == 0, stderr.decode()[-3000:]
    names = {p.name for p in out.iterdir()}
    assert {"SCI-minutes-session-1.docx", "SCI-transcript-session-1.docx", "audit.csv"} <= names
    assert any(n.startswith("SCI-evidence-") for n in names)
    assert not (out / "evidence.db").exists()  # the record is on the server
    with psycopg.connect(fresh_postgres_database) as conn:
        states = dict(conn.execute("SELECT state, count(*) FROM transcription_jobs GROUP BY state").fetchall())
        submissions = conn.execute("SELECT count(*) FROM submissions WHERE reference IS NOT NULL").fetchone()[0]
    assert states.get("done", 0) >= 5 and set(states) <= {"done", "failed"}, states  # none queued or running
    ran = [int(n) for n in re.findall(r"worker bot-worker-\d+ stopped after (\d+) job", stderr.decode())]
    assert len(ran) == 2 and sum(ran) >= 5, ran  # the two worker processes did the transcriptions
    assert submissions >= 8
