"""Word (.docx) documents through python-docx: the body in reading order, with Word's own numbering worked out.

Headings are paragraphs in a heading style (or one based on it, or with an outline level); list items are
numbered or bulleted paragraphs, their markers computed from the numbering definitions as Word shows them.
Tracked insertions are read and deletions left out (the document as it would read with changes accepted).
Content controls are read through; tables of contents, text boxes, comments, headers and footers are not.
"""

from __future__ import annotations

import io
import re

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.styles.style import BaseStyle

from ._numbers import bullet_glyph, format_number
from .model import Block, BlockKind, table_block, tidy

W_P, W_TBL, W_SDT, W_SDT_CONTENT, W_CUSTOM_XML = (
    qn(t) for t in ("w:p", "w:tbl", "w:sdt", "w:sdtContent", "w:customXml")
)
W_T, W_TAB, W_BR, W_CR, W_NBH = (qn(t) for t in ("w:t", "w:tab", "w:br", "w:cr", "w:noBreakHyphen"))
W_TR, W_TC, W_VAL = qn("w:tr"), qn("w:tc"), qn("w:val")
SKIPPED = frozenset(
    qn(t) for t in ("w:del", "w:pPr", "w:rPr", "w:txbxContent", "w:instrText", "w:delText", "w:footnoteReference")
) | {"{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"}
HEADING_STYLE = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)
LIST_STYLE_DEPTH = re.compile(r"^list (?:bullet|number|continue|paragraph)?\s*([2-9])$", re.IGNORECASE)


def docx_blocks(data: bytes) -> list[Block]:
    """The blocks of a .docx document's body."""
    document = docx.Document(io.BytesIO(data))
    reader = _Reader(document)
    reader.read(document.element.body)
    return reader.blocks


class _Reader:
    def __init__(self, document) -> None:
        self.part = document.part
        self.numbering = _Numbering(document.part)
        self.blocks: list[Block] = []

    def read(self, container) -> None:
        for child in container.iterchildren():
            if child.tag == W_P:
                self._paragraph(child)
            elif child.tag == W_TBL:
                block = table_block(_table_rows(child))
                if block:
                    self.blocks.append(block)
            elif child.tag == W_SDT:
                for content in child.iterchildren(W_SDT_CONTENT):
                    self.read(content)
            elif child.tag == W_CUSTOM_XML:
                self.read(child)

    def _paragraph(self, p) -> None:
        text = tidy(paragraph_text(p))
        style = self._style(p)
        names = [s.name or "" for s in _style_chain(style)]
        if any(name.lower().startswith("toc") for name in names):
            return  # a table of contents repeats the headings
        numbered = self.numbering.marker(p, style, names)
        if not text:
            return
        level = _heading_level(p, style, names)
        if level:
            prefix = numbered[0] if numbered and numbered[0] not in ("•", "◦", "▪") else ""
            self.blocks.append(Block(BlockKind.HEADING, f"{prefix} {text}".strip(), level=level))
        elif numbered:
            self.blocks.append(Block(BlockKind.LIST_ITEM, text, level=numbered[1], marker=numbered[0]))
        else:
            self.blocks.append(Block(BlockKind.PARAGRAPH, text))

    def _style(self, p) -> BaseStyle | None:
        style_id = p.pPr.style if p.pPr is not None else None
        try:
            return self.part.get_style(style_id, WD_STYLE_TYPE.PARAGRAPH)
        except (KeyError, ValueError):
            return None


def paragraph_text(element) -> str:
    """The text of a paragraph (or any run container) as Word shows it with changes accepted."""
    out: list[str] = []
    _collect(element, out)
    return "".join(out)


def _collect(element, out: list[str]) -> None:
    for child in element.iterchildren():
        tag = child.tag
        if tag == W_T:
            out.append(child.text or "")
        elif tag == W_TAB:
            out.append("\t")
        elif tag in (W_BR, W_CR):
            out.append(" " if child.get(qn("w:type")) == "page" else "\n")
        elif tag == W_NBH:
            out.append("-")
        elif tag not in SKIPPED and isinstance(tag, str):
            _collect(child, out)


def _table_rows(table) -> list[list[str]]:
    rows = []
    for row in table.iter(W_TR):
        if next(row.iterancestors(W_TBL)) is not table:
            continue  # a nested table's rows belong to its cell
        cells = []
        for cell in row.iterchildren(W_TC):
            cells.append(" ".join(tidy(paragraph_text(p)) for p in cell.iter(W_P)).strip())
        rows.append(cells)
    return rows


def _style_chain(style: BaseStyle | None) -> list[BaseStyle]:
    chain: list[BaseStyle] = []
    while style is not None and style not in chain and len(chain) < 20:
        chain.append(style)
        style = style.base_style
    return chain


def _heading_level(p, style: BaseStyle | None, names: list[str]) -> int:
    for name in names:
        if name.lower() == "title":
            return 1
        match = HEADING_STYLE.match(name)
        if match:
            return int(match[1])
    for element in [p, *(s.element for s in _style_chain(style))]:
        ppr = element.find(qn("w:pPr"))
        outline = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
        if outline is not None and (outline.get(W_VAL) or "9").isdigit() and int(outline.get(W_VAL)) < 9:
            return int(outline.get(W_VAL)) + 1
    return 0


class _Numbering:
    """Word's list numbering, worked out as it shows it: counters per list definition and level."""

    def __init__(self, part) -> None:
        try:
            self.root = part.numbering_part.element
        except (KeyError, NotImplementedError):
            self.root = None
        self.counters: dict[str, list[int | None]] = {}
        self.overridden: set[str] = set()

    def marker(self, p, style: BaseStyle | None, names: list[str]) -> tuple[str, int] | None:
        """The marker and depth of a numbered or bulleted paragraph, else None."""
        num_id, ilvl = _num_props(p, style)
        if not num_id or num_id == "0":
            return None
        depth = ilvl
        if not depth:
            for name in names:
                match = LIST_STYLE_DEPTH.match(name)
                if match:
                    depth = int(match[1]) - 1
                    break
        level = self._level(num_id, ilvl)
        if level is None:
            return "•", depth
        abstract, lvl = level
        fmt = _val(lvl, "w:numFmt") or "decimal"
        text = _val(lvl, "w:lvlText")
        if fmt == "bullet":
            return bullet_glyph(text or "•"), depth
        counters = self.counters.setdefault(abstract, [None] * 9)
        start = int(_val(lvl, "w:start") or 1) if (_val(lvl, "w:start") or "1").lstrip("-").isdigit() else 1
        restart = self._start_override(num_id, ilvl)
        if restart is not None:
            start, counters[ilvl] = restart, None
        counters[ilvl] = start if counters[ilvl] is None else counters[ilvl] + 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = None
        if fmt == "none":
            return "", depth
        shown = re.sub(r"%([1-9])", lambda m: format_number(counters[int(m[1]) - 1], fmt), text or f"%{ilvl + 1}.")
        return shown.strip() or "•", depth

    def _level(self, num_id: str, ilvl: int):
        if self.root is None:
            return None
        for num in self.root.iterchildren(qn("w:num")):
            if num.get(qn("w:numId")) == num_id:
                abstract = _val(num, "w:abstractNumId")
                for lvl in self._abstract_levels(abstract):
                    if lvl.get(qn("w:ilvl")) == str(ilvl):
                        return abstract, lvl
        return None

    def _abstract_levels(self, abstract_id: str | None) -> list:
        for abstract in self.root.iterchildren(qn("w:abstractNum")):
            if abstract.get(qn("w:abstractNumId")) == abstract_id:
                return list(abstract.iterchildren(qn("w:lvl")))
        return []

    def _start_override(self, num_id: str, ilvl: int) -> int | None:
        key = f"{num_id}:{ilvl}"
        if key in self.overridden:
            return None
        for num in self.root.iterchildren(qn("w:num")):
            if num.get(qn("w:numId")) != num_id:
                continue
            for override in num.iterchildren(qn("w:lvlOverride")):
                start = _val(override, "w:startOverride")
                if override.get(qn("w:ilvl")) == str(ilvl) and start and start.isdigit():
                    self.overridden.add(key)
                    return int(start)
        return None


def _num_props(p, style: BaseStyle | None) -> tuple[str | None, int]:
    for element in [p, *(s.element for s in _style_chain(style))]:
        ppr = element.find(qn("w:pPr"))
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if num_pr is not None and num_pr.find(qn("w:numId")) is not None:
            ilvl = _val(num_pr, "w:ilvl") or "0"
            return _val(num_pr, "w:numId"), min(int(ilvl), 8) if ilvl.isdigit() else 0
    return None, 0


def _val(element, tag: str) -> str | None:
    child = element.find(qn(tag))
    return child.get(W_VAL) if child is not None else None
