"""The offline demo runs end to end and leaves a real SQLite database behind."""

from __future__ import annotations

import sqlite3

import docx

from bot import main


def test_the_demo_runs_offline_and_leaves_its_database(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path)]) == 0
    account = capsys.readouterr().out
    assert "Your answers come to 3,105 words; the limit is 3,000" in account
    assert "marked late" in account
    with sqlite3.connect(tmp_path / "evidence.db") as db:
        rows = db.execute("SELECT reference, status, late FROM submissions ORDER BY reference").fetchall()
    assert [r[0] for r in rows] == [f"SCI000{n}" for n in range(1, 8)]
    assert {r[1] for r in rows} == {"accepted", "rejected"}
    assert [r[0] for r in rows if r[2]] == ["SCI0007"]
    with sqlite3.connect(tmp_path / "evidence.db") as db:
        spoken = db.execute("SELECT kind, status, corrected FROM media_items ORDER BY id").fetchall()
    assert spoken == [("voice", "confirmed", 0), ("video", "confirmed", 1)]
    assert "Transcript of your recording for Q1" in account
    for kind in ("evidence", "minutes", "transcript"):
        [document] = tmp_path.glob(f"SCI-*{kind}*.docx")
        headings = [p.text for p in docx.Document(document).paragraphs if p.style.name.startswith("Heading")]
        assert headings, kind
    volume = docx.Document(next(tmp_path.glob("SCI-evidence-*.docx")))
    text = "\n".join(p.text for p in volume.paragraphs)
    assert "Written evidence submitted by Leeds Older People's Forum (SCI0002)" in text
    assert "margaret.ellis@example.org" not in text
    assert "Doorbell" not in text  # rejected evidence is not in the volume
