"""PDF through pdfminer.six: the text layer's lines, put back into headings, paragraphs, list items and tables.

A PDF keeps positioned lines, not paragraphs. Lines on one baseline with wide gaps between them are a table
row; a line in a larger size than the body text (or a short bold line standing alone) is a heading; a gap
wider than the document's usual line gap, or a short line ending a sentence, ends a paragraph; a line
starting with a bullet is a list item. Lines repeated at the top or bottom of most pages (running headers,
footers) and page numbers are dropped; a paragraph that runs over a page break is joined up again.
A PDF that needs a password, or whose pages hold no text (a scan), is refused.
"""

from __future__ import annotations

import io
import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTChar, LTPage, LTTextLineHorizontal
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser

from .errors import ASK_FOR_TEXT, DocumentRefused, Reason
from .model import Block, BlockKind, table_block, tidy

BULLETS = frozenset("•‣◦▪▫■□●○◆◇➢➤►–-*\uf0b7\uf0a7\uf076\uf0d8\uf0fc")
UNMAPPED = re.compile(r"\(cid:\d+\)")
PAGE_NUMBER = re.compile(r"^(?:page\s+)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s+of\s+\d{1,4})?$", re.IGNORECASE)
NUMBER_MARKER = re.compile(r"^(\(?(?:\d{1,3}|[a-z]|[ivx]{1,5})[.)])\s+(\S.*)$")
ENDS_SENTENCE = tuple('.!?:;"”’)')
MARGIN = 0.08  # the top and bottom share of a page where running headers and footers sit


@dataclass
class _Line:
    """A run of text on one baseline, as pdfminer grouped it."""

    x0: float
    x1: float
    y0: float
    y1: float
    text: str
    size: float
    bold: bool


@dataclass
class _Row:
    """The lines that share a baseline: one line of text, or the cells of a table row."""

    cells: list[_Line]
    page: int
    top: float = field(init=False)
    bottom: float = field(init=False)

    def __post_init__(self) -> None:
        self.cells.sort(key=lambda line: line.x0)
        self.top = max(line.y1 for line in self.cells)
        self.bottom = min(line.y0 for line in self.cells)

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.cells)

    @property
    def size(self) -> float:
        return max(line.size for line in self.cells)

    @property
    def bold(self) -> bool:
        return all(line.bold for line in self.cells)

    @property
    def x0(self) -> float:
        return self.cells[0].x0

    @property
    def x1(self) -> float:
        return self.cells[-1].x1


def pdf_blocks(data: bytes) -> tuple[list[Block], int, tuple[int, ...]]:
    """The blocks of a PDF, its page count and the pages (from 1) that hold no text."""
    if b"%%EOF" not in data[-2048:]:
        raise DocumentRefused(Reason.DAMAGED, f"The PDF is incomplete: its end is missing. {ASK_FOR_TEXT}")
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)), password="")
    except PDFPasswordIncorrect as error:
        raise DocumentRefused(
            Reason.ENCRYPTED, "The PDF is protected by a password. Please remove the password and send it again."
        ) from error
    except PDFEncryptionError as error:
        raise DocumentRefused(Reason.ENCRYPTED, f"The PDF is encrypted and cannot be opened. {ASK_FOR_TEXT}") from error
    pages = _pages(document)
    if not pages:
        raise DocumentRefused(Reason.DAMAGED, f"The PDF has no pages that can be read. {ASK_FOR_TEXT}")
    empty = tuple(number for number, rows in enumerate(pages, start=1) if not any(_has_words(r.text) for r in rows))
    if len(empty) == len(pages):
        raise DocumentRefused(
            Reason.NO_TEXT_LAYER,
            "The PDF has no text layer, so its words cannot be read from it (the pages of a scanned document are "
            "pictures of text). Please send the Word document it was made from, or a version as text.",
        )
    _drop_running_lines(pages)
    return _assemble(pages), len(pages), empty


def _pages(document: PDFDocument) -> list[list[_Row]]:
    resources = PDFResourceManager()
    device = PDFPageAggregator(resources, laparams=LAParams())
    interpreter = PDFPageInterpreter(resources, device)
    pages = []
    for number, page in enumerate(PDFPage.create_pages(document)):
        interpreter.process_page(page)
        layout = device.get_result()
        pages.append(_rows(layout, number))
    return pages


def _rows(layout: LTPage, number: int) -> list[_Row]:
    lines = []
    for line in _text_lines(layout):
        chars = [char for char in line if isinstance(char, LTChar)]
        text = tidy(UNMAPPED.sub("", line.get_text()))
        if not chars or not text:
            continue
        size = statistics.median(round(char.size, 1) for char in chars)
        bold = all(_is_bold(char.fontname) for char in chars if not char.get_text().isspace())
        lines.append(_Line(line.x0, line.x1, line.y0, line.y1, text, size, bold))
    lines.sort(key=lambda line: (-line.y1, line.x0))
    rows: list[_Row] = []
    for line in lines:
        row = rows[-1] if rows else None
        middle = (line.y0 + line.y1) / 2
        if (
            row is not None
            and row.bottom <= middle <= row.top
            and all(line.x0 >= c.x1 or line.x1 <= c.x0 for c in row.cells)
        ):
            rows[-1] = _Row([*row.cells, line], number)
        else:
            rows.append(_Row([line], number))
    rows.sort(key=lambda row: -row.top)
    return rows


def _text_lines(item) -> list[LTTextLineHorizontal]:
    found = []
    for child in item:
        if isinstance(child, LTTextLineHorizontal):
            found.append(child)
        elif not isinstance(child, LTChar) and hasattr(child, "__iter__"):
            found.extend(_text_lines(child))
    return found


def _is_bold(fontname: str) -> bool:
    name = fontname.lower()
    return any(weight in name for weight in ("bold", "black", "heavy", "semibold", ",b"))


def _has_words(text: str) -> bool:
    return any(char.isalnum() for char in text)


def _drop_running_lines(pages: list[list[_Row]]) -> None:
    """Take out page numbers and the lines repeated in the top or bottom margin of most pages."""
    heights = [max((r.top for r in rows), default=0) for rows in pages]
    top = max(heights) if heights else 0

    def in_margin(row: _Row) -> bool:
        return row.top > top * (1 - MARGIN) or row.bottom < top * MARGIN

    def shape(row: _Row) -> str:
        return re.sub(r"\d+", "#", row.text.lower())

    seen = Counter(shape(row) for rows in pages for row in {shape(r): r for r in rows if in_margin(r)}.values())
    repeated = {text for text, count in seen.items() if len(pages) > 1 and count >= max(2, len(pages) / 2)}
    for rows in pages:
        rows[:] = [r for r in rows if not (in_margin(r) and (shape(r) in repeated or PAGE_NUMBER.match(r.text)))]


def _assemble(pages: list[list[_Row]]) -> list[Block]:
    rows = [row for page in pages for row in page]
    body = _body_size(rows)
    heading_sizes = sorted({r.size for r in rows if r.size >= body + 1 and len(r.text) < 200}, reverse=True)
    gaps = [a.bottom - b.top for a, b in itertools.pairwise(rows) if a.page == b.page and a.size == b.size]
    line_gap = _percentile([g for g in gaps if g >= -1], 0.25) if gaps else 0.0
    left = min((r.x0 for r in rows), default=0.0)
    right = max((r.x1 for r in rows), default=0.0)
    blocks: list[Block] = []
    table: list[list[str]] = []
    previous: _Row | None = None
    for row in rows:
        cells = row.cells
        if len(cells) > 1 and not _is_marker(cells[0].text):
            table.append([c.text for c in cells])
            previous = row
            continue
        if table:
            if block := table_block(table):
                blocks.append(block)
            table = []
            previous = None
        text = row.text
        level = heading_sizes.index(row.size) + 1 if row.size in heading_sizes else 0
        marker, rest = _split_marker(text)
        starts = previous is None or _starts_block(previous, row, body, line_gap, left, right)
        last = blocks[-1] if blocks else None
        if level:
            if not starts and last is not None and last.kind is BlockKind.HEADING and last.level == level:
                blocks[-1] = Block(BlockKind.HEADING, f"{last.text} {text}", level=level)
            else:
                blocks.append(Block(BlockKind.HEADING, text, level=level))
        elif marker:
            blocks.append(Block(BlockKind.LIST_ITEM, rest, marker=marker))
        elif starts or last is None or last.kind is BlockKind.HEADING:
            if previous is not None and previous.page != row.page and _runs_on(last):
                blocks[-1] = Block(last.kind, f"{last.text} {text}", level=last.level, marker=last.marker)
            else:
                blocks.append(Block(BlockKind.PARAGRAPH, text))
        else:
            blocks[-1] = Block(last.kind, f"{last.text} {text}", level=last.level, marker=last.marker)
        previous = row
    if table and (block := table_block(table)):
        blocks.append(block)
    return _bold_headings(blocks, rows, len(heading_sizes) + 1)


def _body_size(rows: list[_Row]) -> float:
    sizes: Counter[float] = Counter()
    for row in rows:
        sizes[row.size] += len(row.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else 0.0


def _starts_block(previous: _Row, row: _Row, body: float, line_gap: float, left: float, right: float) -> bool:
    """Whether ``row`` starts a new block rather than carrying on the one above it."""
    if previous.page != row.page or previous.size != row.size:
        return True
    if previous.bottom - row.top > line_gap + 0.4 * body:
        return True
    short = previous.x1 < left + 0.8 * (right - left)
    if short and previous.text.endswith(ENDS_SENTENCE):
        return True
    return row.x0 > previous.x0 + 0.8 * body and previous.text.endswith(ENDS_SENTENCE)


def _runs_on(last: Block | None) -> bool:
    """Whether a paragraph ending a page mid-sentence runs on at the top of the next."""
    return last is not None and last.kind is BlockKind.PARAGRAPH and not last.text.endswith(ENDS_SENTENCE)


def _is_marker(text: str) -> bool:
    return len(text) <= 2 and bool(text) and text[0] in BULLETS


def _split_marker(text: str) -> tuple[str, str]:
    """A list item's bullet or number and its text, or ("", text)."""
    if len(text) > 2 and text[0] in BULLETS and text[1] == " ":
        return "•" if text[0] not in "–-*" else text[0], text[2:].strip()
    numbered = NUMBER_MARKER.match(text)
    if numbered:
        return numbered[1], numbered[2]
    return "", text


def _bold_headings(blocks: list[Block], rows: list[_Row], level: int) -> list[Block]:
    """Short paragraphs set wholly in bold, standing alone, are headings too (a common way of marking them)."""
    bold = {row.text for row in rows if row.bold}
    out = []
    for block in blocks:
        if (
            block.kind is BlockKind.PARAGRAPH
            and block.text in bold
            and len(block.text) < 150
            and not block.text.endswith(".")
        ):
            out.append(Block(BlockKind.HEADING, block.text, level=min(level, 6)))
        else:
            out.append(block)
    return out
