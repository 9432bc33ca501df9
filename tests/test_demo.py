"""``evidence-bot demo`` runs end to end and leaves a real SQLite database behind, on a machine without speech
synthesis: the demo's recordings ship with the package, so it runs with a PATH that holds only Python and the
``evidence-bot`` command."""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from demo.recordings import FILMED_FILE, SPANISH_FILE, VOICE, VOICE_FILE, recording
from transcription.synth import word_error_rate

# tiny.en on the shipped voice message: 0.0 measured; one word in 35 is 0.03. The bound fails a transcript of
# some other recording or a garbled one, not another CPU's rounding.
WER_BOUND = 0.2


def bare_path(folder: Path) -> str:
    """A PATH of one folder holding links to Python and the ``evidence-bot`` command alone."""
    command = Path(sys.executable).parent / "evidence-bot"
    if not command.exists():
        pytest.fail(f"{command} is missing: pip install -e . (or run scripts/bootstrap.sh)", pytrace=False)
    folder.mkdir()
    for name, target in (("python", Path(sys.executable)), ("evidence-bot", command)):
        (folder / name).symlink_to(target)
    return str(folder)


def run_demo(out: Path, path: str) -> str:
    """``evidence-bot demo --out out`` in a process of its own with ``PATH=path``; what it printed."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("EVIDENCE_BOT_", "DISCORD_"))}
    done = subprocess.run(
        ["evidence-bot", "demo", "--out", str(out)],
        env={**env, "PATH": path},
        cwd=out.parent,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return " ".join(done.stdout.split())  # the account is wrapped to the terminal: white space made single spaces


def test_the_demo_runs_offline_without_speech_synthesis_and_leaves_its_database(tmp_path):
    path = bare_path(tmp_path / "bin")
    assert shutil.which("espeak-ng", path=path) is None and shutil.which("flite", path=path) is None
    out = tmp_path / "out"
    account = run_demo(out, path)
    assert "Your answers come to 3,105 words; the limit is 3,000" in account
    assert "marked late" in account
    assert "Transcript of your recording for Q1" in account
    assert "Transcript of your recording for Q2 of your evidence to SCI (language: es)" in account
    assert "English translation:" in account
    assert "I read submission.docx" in account  # a witness's evidence as a Word document, made at run time
    assert "Moved SCI oral evidence session 1" in account
    assert "declared that she is a trustee of a befriending charity" in account
    assert "Corrected. Minute 2" in account
    assert "Jo Marsh: absent" in account
    assert "Uncorrected transcript of Priya Shah's spoken answer to Q4" in account
    assert "audit rows of" in account
    assert "publication: Publish anonymously → Confidential" in account  # reached the forum post
    assert "Correction 1 approved" in account and "Redaction recorded in session 1" in account
    with sqlite3.connect(out / "evidence.db") as db:
        rows = db.execute("SELECT reference, status, late FROM submissions ORDER BY reference").fetchall()
        [(publication,)] = db.execute("SELECT publication FROM submissions WHERE reference = 'SCI0003'").fetchall()
        spoken = db.execute("SELECT kind, status, corrected, confirmed_text FROM media_items ORDER BY id").fetchall()
        questions = db.execute("SELECT number, panel FROM session_questions ORDER BY id").fetchall()
        corrections = [r[0] for r in db.execute("SELECT status FROM session_corrections")]
        oral_redactions = db.execute("SELECT passage FROM redactions WHERE session_id IS NOT NULL").fetchall()
        item_ids = [r[0] for r in db.execute("SELECT id FROM media_items ORDER BY id")]
        heard_as = db.execute(
            "SELECT item_id, json_extract(result_json, '$.language'), json_extract(result_json, '$.translation')"
            " FROM transcription_jobs WHERE state = 'done' ORDER BY item_id"
        ).fetchall()
    assert [r[0] for r in rows] == [f"SCI000{n}" for n in range(1, 9)]
    assert {r[1] for r in rows} == {"accepted", "rejected"}
    assert [r[0] for r in rows if r[2]] == ["SCI0008"]
    assert publication == "confidential"
    assert corrections == ["approved"] and oral_redactions == [("in five languages",)]
    assert [row[:3] for row in spoken[:3]] == [
        ("voice", "confirmed", 0),
        ("audio", "confirmed", 0),  # the Spanish voice message
        ("video", "confirmed", 1),
    ]
    languages = {item: (language, translation) for item, language, translation in heard_as}
    spanish_language, translation = languages[item_ids[1]]
    assert spanish_language == "es" and translation and len(translation.split()) >= 8
    assert len(questions) >= 4 and {panel for _, panel in questions} == {1, 2}
    heard = spoken[0][3]  # confirmed as transcribed
    assert word_error_rate(VOICE, heard) <= WER_BOUND, heard
    for name in (VOICE_FILE, SPANISH_FILE, FILMED_FILE):  # the recordings kept are the ones shipped with the package
        data = recording(name)
        sha = hashlib.sha256(data).hexdigest()
        assert (out / "media" / sha[:2] / f"{sha}{Path(name).suffix}").read_bytes() == data
    for kind in ("evidence", "minutes", "transcript"):
        [document] = out.glob(f"SCI-*{kind}*.docx")
        headings = [p.text for p in docx.Document(document).paragraphs if p.style.name.startswith("Heading")]
        assert headings, kind
    volume = docx.Document(next(out.glob("SCI-evidence-*.docx")))
    text = " ".join(" ".join(p.text for p in volume.paragraphs).split())  # white space made single spaces
    assert "Written evidence submitted by Leeds Older People's Forum (SCI0002)" in text
    assert "margaret.ellis@example.org" not in text
    assert "Doorbell" not in text  # rejected evidence is not in the volume
    assert "Calder Valley Age Concern supports nine hundred older people" in text  # the .docx evidence
    assert "Language: Spanish" in text and f"English translation {' '.join(translation.split())}" in text
    minutes = docx.Document(next(out.glob("SCI-minutes-*.docx")))
    said = " ".join(" ".join(p.text for p in minutes.paragraphs).split())
    cells = " ".join(cell.text for table in minutes.tables for row in table.rows for cell in row.cells)
    assert "Draft minutes" in said
    assert "trustee of a befriending charity" in said
    assert "absent: Jo Marsh" in said  # a witness who did not give evidence
    assert "DCMS and DLUHC" in cells  # the edited action point
    transcript = docx.Document(next(out.glob("SCI-transcript-*.docx")))
    oral = " ".join(" ".join(p.text for p in transcript.paragraphs).split())
    assert "voice notes [redacted] and shared" in oral and "in five languages" not in oral
    with (out / "audit.csv").open(newline="", encoding="utf-8") as file:
        actions = {row["action"] for row in csv.DictReader(file)}
    assert {"session rescheduled", "interest declared", "minute edited", "witness attendance"} <= actions
