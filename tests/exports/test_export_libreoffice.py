"""The exports opened by a real Word-format reader: LibreOffice converts each to PDF, and the PDF's text and
pages are checked. One LibreOffice run converts all three documents (each start costs seconds)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from export_samples import CREATED, minutes_doc, transcript_doc, volume_doc

from exports import build_evidence_volume, build_minutes, build_transcript

pytestmark = pytest.mark.slow


def _require(tool: str, package: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} is not installed: apt-get install {package} (or run scripts/bootstrap.sh)", pytrace=False)
    return path


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    soffice = _require("soffice", "libreoffice-writer-nogui")
    _require("pdftotext", "poppler-utils")
    folder = tmp_path_factory.mktemp("exports")
    documents = {
        "minutes": build_minutes(minutes_doc(), created=CREATED),
        "transcript": build_transcript(transcript_doc(), created=CREATED),
        "evidence": build_evidence_volume(volume_doc(), created=CREATED).data,
    }
    for name, data in documents.items():
        (folder / f"{name}.docx").write_bytes(data)
    profile = folder / "profile"  # a profile of its own, so parallel runs do not share LibreOffice's lock
    command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf"]
    command += ["--outdir", str(folder), *(str(folder / f"{name}.docx") for name in documents)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    converted = {name: folder / f"{name}.pdf" for name in documents}
    missing = [name for name, path in converted.items() if not path.exists()]
    assert not missing, f"LibreOffice did not convert {missing}: {done.stdout} {done.stderr}"
    return converted


def _text(pdf: Path, *, page: int | None = None) -> str:
    """The PDF's text (or one page's) with its line breaks and runs of spaces made single spaces: where lines
    wrap depends on the fonts of the machine, so no check relies on it."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    command = ["pdftotext", *pages, str(pdf), "-"]
    out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=60)
    return " ".join(out.stdout.split())


def _pages(pdf: Path) -> tuple[int, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True, timeout=60).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))
    size = re.search(r"^Page size:\s+(.*)$", out, re.M).group(1)
    return pages, size


def test_minutes_read_as_formal_minutes(pdfs):
    text = _text(pdfs["minutes"])
    assert "Formal minutes" in text
    assert "Holly Lynch MP, in the Chair" in text
    assert "1. Declarations of interest" in text
    assert "Ordered, That the written evidence accepted by the secretariat be published." in text
    assert "Write to DCMS about funding for digital inclusion schemes British Future 29 April 2020" in text
    assert "Wednesday 22 April 2020 at 2.00 pm" in text
    assert "Page 1 of" in text


def test_transcript_reads_in_committee_layout(pdfs):
    text = _text(pdfs["transcript"])
    assert "Oral evidence: Social connection during the lockdown" in text
    assert "Members present: Holly Lynch MP (Chair); Member MP; Baroness Example." in text
    assert "Questions 14–16" in text
    assert "Q14 Chair: Welcome." in text
    assert "Sam Okafor: Loneliness first of all." in text
    assert "Margaret Ellis: [uncorrected transcript] We set up a phone tree in the village" in text
    assert "Q15 was struck from the record: asked twice" in text
    assert "A question put in error" not in text


def test_evidence_volume_reads_with_its_index_and_redactions(pdfs):
    text = _text(pdfs["evidence"])
    assert "Written evidence submitted by British Future (SCI0001)" in text
    assert "Written evidence submitted by an individual (SCI0007)" in text
    assert "SCI0001 British Future Organisation No" in text
    assert "1. Isolation has deepened for older people." in text
    assert "[email address redacted]" in text
    for secret in ("rhys.evans@example.org", "07700 900123", "Jane Bloggs", "LS6 2AB", "SCI0009", "Hidden Witness"):
        assert secret not in text


def test_pages_are_a4_and_each_piece_of_evidence_starts_a_page(pdfs):
    for pdf in pdfs.values():
        assert "(A4)" in _pages(pdf)[1]
    pages, _ = _pages(pdfs["evidence"])
    assert pages >= 6  # title page, contents, index, and three pieces each on a page of their own
    last_page = _text(pdfs["evidence"], page=pages)
    assert "Written evidence submitted by an individual (SCI0007)" in last_page
    assert f"Page {pages} of {pages}" in last_page
