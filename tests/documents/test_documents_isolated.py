"""Reading in a child process: the same result as in this process, refusals carried back, and a hostile file
stopped by the child's memory limit or the clock instead of hurting the caller."""

from __future__ import annotations

import pytest
from document_samples import encrypted_pdf, inflating_pdf, pdf_of_words, sample_docx

from documents import DocumentRefused, Limits, Reason, extract_document, extract_document_isolated


async def test_isolated_reading_gives_the_same_document(tmp_path):
    data = sample_docx()
    here = extract_document(data, "evidence.docx")
    assert await extract_document_isolated(data, "evidence.docx") == here
    path = tmp_path / "evidence.docx"
    path.write_bytes(data)
    assert await extract_document_isolated(path) == here


async def test_isolated_reading_counts_words_with_the_callers_rule():
    document = await extract_document_isolated(
        sample_docx(), "evidence.docx", count_words=lambda text: len(text.split())
    )
    assert document.word_count == len(document.text.split())


async def test_refusals_come_back_with_their_reason_and_message():
    locked = encrypted_pdf(pdf_of_words("Confidential evidence"), user_password="witness-password")
    with pytest.raises(DocumentRefused) as caught:
        await extract_document_isolated(locked, "evidence.pdf")
    assert caught.value.reason is Reason.ENCRYPTED
    assert "password" in caught.value.message
    with pytest.raises(DocumentRefused) as caught:
        await extract_document_isolated(b"x" * 2000, "evidence.txt", max_bytes=1000)
    assert caught.value.reason is Reason.TOO_LARGE


async def test_a_pdf_that_inflates_past_the_memory_limit_is_stopped():
    limits = Limits(memory_bytes=320 * 1024 * 1024)
    small = await extract_document_isolated(inflating_pdf(2 * 1024 * 1024), "evidence.pdf", limits=limits)
    assert small.text.startswith("Evidence")  # the same construction, small, reads within the limit
    bomb = inflating_pdf(448 * 1024 * 1024)
    assert len(bomb) < 2 * 1024 * 1024
    with pytest.raises(DocumentRefused) as caught:
        await extract_document_isolated(bomb, "evidence.pdf", limits=limits)
    assert caught.value.reason is Reason.TOO_COMPLEX


async def test_the_clock_stops_a_reader_that_runs_too_long():
    with pytest.raises(DocumentRefused) as caught:
        await extract_document_isolated(sample_docx(), "evidence.docx", limits=Limits(wall_seconds=0.01))
    assert caught.value.reason is Reason.TOO_COMPLEX
    assert "too long" in caught.value.message
