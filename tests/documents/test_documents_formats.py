"""Each format read from a real file into the same structure: headings, paragraphs, list items, a table.

The Word file is made by python-docx; LibreOffice turns it into OpenDocument, RTF and PDF, as a witness's
word processor would. Assertions are on text with white space normalised, never on where lines wrap."""

from __future__ import annotations

import hashlib

import pytest
from document_samples import libreoffice, long_docx, sample_docx

from documents import BlockKind, Document, DocumentFormat, extract_document


def squash(text: str) -> str:
    return " ".join(text.split())


def texts(document: Document, kind: BlockKind) -> list[str]:
    return [squash(block.text) for block in document.blocks if block.kind is kind]


def assert_sample_structure(document: Document) -> None:
    headings = texts(document, BlockKind.HEADING)
    assert "Written evidence from Northfield Age Concern" in headings
    assert {"Question 1", "Question 2", "Question 3"} <= set(headings)
    paragraphs = texts(document, BlockKind.PARAGRAPH)
    assert "Northfield Age Concern supports eleven hundred older people across West Yorkshire." in paragraphs
    assert "Fund digital inclusion schemes through local charities, not national portals." in paragraphs
    items = {squash(b.text): b.marker for b in document.blocks if b.kind is BlockKind.LIST_ITEM}
    assert items.get("Volunteer phone trees") == "•"
    assert items.get("Doorstep befriending visits") == "•"
    assert items.get("Weekly telephone calls from trained volunteers") == "1."
    assert items.get("Printed newsletters delivered by hand") == "2."
    tables = [b for b in document.blocks if b.kind is BlockKind.TABLE]
    assert len(tables) == 1
    assert [tuple(squash(cell) for cell in row) for row in tables[0].rows] == [
        ("Area", "Members"),
        ("Leeds", "1,200"),
        ("Bradford", "850"),
    ]
    assert "Leeds | 1,200" in tables[0].text
    order = [squash(b.text) for b in document.blocks]
    assert order.index("Question 1") < order.index("Volunteer phone trees") < order.index("Question 2")
    assert order.index("Question 2") < order.index(squash(tables[0].text)) < order.index("Question 3")
    assert "\n\nQuestion 1\n\n" in document.text
    assert "• Volunteer phone trees" in document.text


def test_word_document_keeps_headings_lists_and_table(tmp_path):
    data = sample_docx()
    document = extract_document(data, "evidence.docx")
    assert document.format is DocumentFormat.DOCX
    assert_sample_structure(document)
    levels = {squash(b.text): b.level for b in document.blocks if b.kind is BlockKind.HEADING}
    assert levels["Written evidence from Northfield Age Concern"] == 1
    assert levels["Question 2"] == 2
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.size == len(data)
    assert document.page_count is None
    path = tmp_path / "evidence.docx"
    path.write_bytes(data)
    assert extract_document(path) == document


def test_word_count_comes_from_the_callers_rule():
    from inquiry.core.rules import count_words

    document = extract_document(sample_docx(), "evidence.docx", count_words=count_words)
    assert document.word_count == count_words(document.text)
    assert 60 < document.word_count < 100
    assert extract_document(sample_docx(), "evidence.docx").word_count is None


def test_document_survives_a_round_trip_as_data():
    document = extract_document(sample_docx(), "evidence.docx")
    assert Document.from_dict(document.to_dict()) == document


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("formats")
    source = folder / "evidence.docx"
    source.write_bytes(sample_docx())
    files = {target: libreoffice(source, target, folder) for target in ("odt", "rtf", "pdf")}
    (folder / "resaved").mkdir()
    files["docx"] = libreoffice(files["odt"], "docx", folder / "resaved")  # Word format as LibreOffice writes it
    return files


@pytest.mark.slow
@pytest.mark.parametrize("target", ["odt", "rtf", "pdf", "docx"])
def test_libreoffice_conversions_read_to_the_same_structure(converted, target):
    document = extract_document(converted[target])
    assert document.format is DocumentFormat(target)
    assert_sample_structure(document)
    if target == "pdf":
        assert document.page_count == 1
        assert document.pages_without_text == ()


@pytest.mark.slow
def test_heading_levels_survive_odt_and_rtf(converted):
    for target in ("odt", "rtf"):
        document = extract_document(converted[target])
        levels = {squash(b.text): b.level for b in document.blocks if b.kind is BlockKind.HEADING}
        assert levels["Written evidence from Northfield Age Concern"] == 1, target
        assert levels["Question 3"] == 2, target


@pytest.mark.slow
def test_pdf_headings_are_ranked_by_size(converted):
    document = extract_document(converted["pdf"])
    levels = {squash(b.text): b.level for b in document.blocks if b.kind is BlockKind.HEADING}
    assert levels["Written evidence from Northfield Age Concern"] < levels["Question 1"]


@pytest.mark.slow
def test_pdf_over_several_pages_keeps_its_paragraphs_whole(tmp_path):
    data, paragraphs = long_docx()
    source = tmp_path / "long.docx"
    source.write_bytes(data)
    document = extract_document(libreoffice(source, "pdf", tmp_path))
    assert document.page_count >= 3
    assert texts(document, BlockKind.HEADING) == ["A long submission"]
    assert texts(document, BlockKind.PARAGRAPH) == paragraphs  # joined again across page breaks
    assert "Social connection inquiry" not in document.text  # running header
    assert "written evidence" not in document.text  # running footer


MARKDOWN = """# Evidence from Leeds Tenants

Our members live in **council housing** across the city.
This line wraps in the file but is the same paragraph.

## Question 1

- Lifts broken for *months*
- Community rooms closed
  - Even the laundry

1. Reopen the rooms
2. Fix the lifts

| Estate | Flats |
| ------ | ----- |
| Lincoln Green | 640 |

See [our report](https://example.org/report) for more.
"""


def test_markdown_is_read_without_its_markup():
    document = extract_document(MARKDOWN.encode(), "evidence.md")
    assert document.format is DocumentFormat.MD
    assert texts(document, BlockKind.HEADING) == ["Evidence from Leeds Tenants", "Question 1"]
    assert [b.level for b in document.blocks if b.kind is BlockKind.HEADING] == [1, 2]
    assert texts(document, BlockKind.PARAGRAPH)[0] == (
        "Our members live in council housing across the city. This line wraps in the file but is the same paragraph."
    )
    items = [(b.marker, b.level, b.text) for b in document.blocks if b.kind is BlockKind.LIST_ITEM]
    assert items == [
        ("•", 0, "Lifts broken for months"),
        ("•", 0, "Community rooms closed"),
        ("•", 1, "Even the laundry"),
        ("1.", 0, "Reopen the rooms"),
        ("2.", 0, "Fix the lifts"),
    ]
    assert texts(document, BlockKind.TABLE) == [squash("Estate | Flats\nLincoln Green | 640")]
    assert "See our report (https://example.org/report) for more." in document.text


def test_plain_text_paragraphs_and_bullets():
    text = (
        "Evidence from a resident of Harehills\r\n\r\n"
        "I have lived here for thirty years and the lockdown\r\n"
        "was the loneliest time of my life.\r\n\r\n"
        "- the library closed\r\n"
        "- the bus was cut\r\n\r\n"
        "1. Please keep the library open.\r\n"
        "2. Please restore the bus.\r\n"
    )
    document = extract_document(text.encode(), "evidence.txt")
    assert document.format is DocumentFormat.TXT
    assert document.encoding == "utf-8"
    assert texts(document, BlockKind.PARAGRAPH) == [
        "Evidence from a resident of Harehills",
        "I have lived here for thirty years and the lockdown was the loneliest time of my life.",
        "1. Please keep the library open.",
        "2. Please restore the bus.",
    ]
    assert texts(document, BlockKind.LIST_ITEM) == ["the library closed", "the bus was cut"]


def test_plain_text_without_blank_lines_has_a_paragraph_per_line():
    document = extract_document(b"First point about buses.\nSecond point about libraries.\n", "notes.txt")
    assert texts(document, BlockKind.PARAGRAPH) == ["First point about buses.", "Second point about libraries."]


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        ("£5 a week – “too much”".encode("utf-8-sig"), "utf-8-sig"),
        ("£5 a week – “too much”".encode("utf-16"), "utf-16"),
        ("£5 a week – “too much”".encode("utf-16-le"), "utf-16-le"),
        ("£5 a week – “too much”".encode("cp1252"), "cp1252"),
        ("£5 a week – “too much”".encode("utf-32"), "utf-32"),
    ],
)
def test_text_encodings(encoded, encoding):
    document = extract_document(encoded, "evidence.txt")
    assert document.text == "£5 a week – “too much”"
    assert document.encoding == encoding
