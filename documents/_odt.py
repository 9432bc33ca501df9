"""OpenDocument text (.odt) through odfdo: the body in reading order, list numbers worked out from list styles.

Sections are read through; indexes (tables of contents), frames (text boxes, pictures), notes and comments are
not. Tracked deletions are left out, as they are in the document as shown.
"""

from __future__ import annotations

import io
import re

from odfdo import Document as OdfDocument
from odfdo import Element
from odfdo.security import SecurityError

from ._numbers import bullet_glyph, format_number
from .errors import ASK_FOR_TEXT, DocumentRefused, Reason
from .model import Block, BlockKind, table_block, tidy

SKIPPED = frozenset(
    {
        "text:note",
        "office:annotation",
        "office:annotation-end",
        "text:tracked-changes",
        "draw:frame",
        "draw:custom-shape",
        "draw:a",
        "text:soft-page-break",
    }
)
READ_THROUGH = frozenset({"text:section", "text:numbered-paragraph", "office:forms"})
ODF_FORMATS = {"1": "decimal", "a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman"}
TITLE_STYLE = re.compile(r"^title$", re.IGNORECASE)
MAX_SPACES = 1000  # text:s repeats a space; a hostile count must not build a huge string


def odt_blocks(data: bytes) -> list[Block]:
    """The blocks of an .odt document's body."""
    try:
        document = OdfDocument(io.BytesIO(data))
    except SecurityError as error:
        raise DocumentRefused(
            Reason.ZIP_BOMB, f"The file unpacks to far more than a document could hold. {ASK_FOR_TEXT}"
        ) from error
    reader = _Reader(document)
    reader.read(document.body)
    return reader.blocks


class _Reader:
    def __init__(self, document: OdfDocument) -> None:
        self.document = document
        self.blocks: list[Block] = []
        self.counters: dict[str, list[int | None]] = {}

    def read(self, container: Element) -> None:
        for child in container.children:
            tag = child.tag
            if tag == "text:h":
                self._add(
                    BlockKind.HEADING, element_text(child), level=_int(child.get_attribute("text:outline-level"), 1)
                )
            elif tag == "text:p":
                style = str(child.get_attribute("text:style-name") or "")
                kind = BlockKind.HEADING if self._is_title(style) else BlockKind.PARAGRAPH
                self._add(kind, element_text(child), level=1 if kind is BlockKind.HEADING else 0)
            elif tag == "text:list":
                self._list(child, str(child.get_attribute("text:style-name") or ""), 0)
            elif tag == "table:table":
                block = table_block(_table_rows(child))
                if block:
                    self.blocks.append(block)
            elif tag in READ_THROUGH:
                self.read(child)

    def _add(self, kind: BlockKind, text: str, level: int = 0, marker: str = "") -> None:
        text = tidy(text)
        if text:
            self.blocks.append(Block(kind, text, level=level, marker=marker))

    def _list(self, element: Element, style: str, depth: int) -> None:
        style = str(element.get_attribute("text:style-name") or style)
        counters = self.counters.setdefault(style, [None] * 10)
        continues = element.get_attribute("text:continue-numbering") in (True, "true")
        if depth == 0 and not continues and not element.get_attribute("text:continue-list"):
            counters[:] = [None] * 10
        for item in element.children:
            if item.tag not in ("text:list-item", "text:list-header"):
                continue
            marker = self._marker(style, depth, item) if item.tag == "text:list-item" else ""
            for child in item.children:
                if child.tag == "text:list":
                    self._list(child, style, depth + 1)
                elif child.tag in ("text:p", "text:h"):
                    self._add(BlockKind.LIST_ITEM, element_text(child), level=depth, marker=marker)
                    marker = ""  # a second paragraph in the same item carries no marker of its own
                elif child.tag == "table:table":
                    block = table_block(_table_rows(child))
                    if block:
                        self.blocks.append(block)

    def _marker(self, style: str, depth: int, item: Element) -> str:
        level_style = self._level_style(style, depth + 1)
        if level_style is None or level_style.tag == "text:list-level-style-bullet":
            char = level_style.get_attribute("text:bullet-char") if level_style is not None else None
            return bullet_glyph(str(char or "•"))
        if level_style.tag != "text:list-level-style-number":
            return "•"
        counters = self.counters[style]
        start = _int(level_style.get_attribute("text:start-value"), 1)
        override = item.get_attribute("text:start-value")
        if override is not None:
            counters[depth] = _int(override, 1) - 1
        counters[depth] = start if counters[depth] is None else counters[depth] + 1
        for deeper in range(depth + 1, 10):
            counters[deeper] = None
        shown = _int(level_style.get_attribute("text:display-levels"), 1)
        parts = []
        for level in range(max(0, depth - shown + 1), depth + 1):
            this = self._level_style(style, level + 1) if level != depth else level_style
            fmt = str(this.get_attribute("style:num-format") or "") if this is not None else "1"
            if fmt:
                parts.append(format_number(counters[level], ODF_FORMATS.get(fmt, "decimal")))
        prefix = str(level_style.get_attribute("style:num-prefix") or "")
        suffix = str(level_style.get_attribute("style:num-suffix") or "")
        return f"{prefix}{'.'.join(parts)}{suffix}".strip() if parts else ""

    def _level_style(self, style: str, level: int) -> Element | None:
        if not style:
            return None
        list_style = self.document.get_style("list", style)
        return list_style.get_level_style(level) if list_style is not None else None

    def _is_title(self, style: str) -> bool:
        """Whether a paragraph style is the Title style, or an automatic style made from it."""
        if TITLE_STYLE.match(style):
            return True
        found = self.document.get_style("paragraph", style) if style else None
        parent = found.get_attribute("style:parent-style-name") if found is not None else None
        return bool(parent and TITLE_STYLE.match(str(parent)))


def element_text(element: Element) -> str:
    """The text of a paragraph or heading: spaces, tabs and line breaks as written; notes and frames left out."""
    out: list[str] = []
    _collect(element, out)
    return "".join(out)


def _collect(element: Element, out: list[str]) -> None:
    out.append(element.text or "")
    for child in element.children:
        tag = child.tag
        if tag == "text:s":
            out.append(" " * min(max(_int(child.get_attribute("text:c"), 1), 0), MAX_SPACES))
        elif tag == "text:tab":
            out.append("\t")
        elif tag == "text:line-break":
            out.append("\n")
        elif tag not in SKIPPED:
            _collect(child, out)
        out.append(child.tail or "")


def _table_rows(table: Element) -> list[list[str]]:
    rows = []
    depth = len(table.get_elements("ancestor::table:table")) + 1
    for row in table.get_elements("descendant::table:table-row"):
        if len(row.get_elements("ancestor::table:table")) != depth:
            continue  # a nested table's rows belong to its cell
        cells = []
        for cell in row.children:
            if cell.tag == "table:table-cell":
                texts = [tidy(element_text(p)) for p in cell.get_elements("descendant::text:p|descendant::text:h")]
                cells.append(" ".join(text for text in texts if text))
            elif cell.tag == "table:covered-table-cell":
                cells.append("")
        rows.append(cells)
    return rows


def _int(value: object, default: int) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return default
