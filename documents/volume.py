"""A document's blocks as the evidence volume prints them: paragraphs numbered 1, 2, 3 (committee style),
headings, list items and tables unnumbered.

Top-level list items numbered 1, 2, 3 are how Word makes numbered paragraphs, so they are numbered as
paragraphs (their own number set aside); bulleted and nested items keep their markers. A paragraph that starts
with the very number it is given (``4. ...`` typed as paragraph 4) loses the typed copy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Block, BlockKind, Document

OWN_NUMBER = re.compile(r"^\s*\(?(\d{1,4})[.)]\s+")
DECIMAL_MARKER = re.compile(r"^\d{1,4}[.)]?$")


@dataclass(frozen=True, slots=True)
class NumberedParagraph:
    """One printed block: ``number`` for a numbered paragraph, None for a heading, list item or table row."""

    number: int | None
    kind: BlockKind
    text: str
    level: int = 0


def numbered_paragraphs(blocks: Document | Iterable[Block], start: int = 1) -> list[NumberedParagraph]:
    """The blocks numbered from ``start`` as the volume prints them (see the module's docstring); a table gives
    one unnumbered entry per row, its cells joined by `` | ``."""
    source = blocks.blocks if isinstance(blocks, Document) else blocks
    out: list[NumberedParagraph] = []
    number = start
    for block in source:
        numbered_item = block.kind is BlockKind.LIST_ITEM and block.level == 0 and DECIMAL_MARKER.match(block.marker)
        if block.kind is BlockKind.PARAGRAPH or numbered_item:
            text = block.text
            own = OWN_NUMBER.match(text)
            if own and int(own[1]) == number:
                text = text[own.end() :]
            out.append(NumberedParagraph(number, BlockKind.PARAGRAPH, text))
            number += 1
        elif block.kind is BlockKind.HEADING:
            out.append(NumberedParagraph(None, BlockKind.HEADING, block.text, block.level))
        elif block.kind is BlockKind.LIST_ITEM:
            out.append(NumberedParagraph(None, BlockKind.LIST_ITEM, block.display, block.level))
        else:
            out.extend(NumberedParagraph(None, BlockKind.TABLE, " | ".join(row)) for row in block.rows)
    return out


def render_numbered(blocks: Document | Iterable[Block], start: int = 1) -> str:
    """The numbered paragraphs as plain text (for a preview): ``1. text``, headings as they are, list items
    indented by depth, table rows as ``cell | cell``; blank lines between."""
    lines = []
    for item in numbered_paragraphs(blocks, start):
        if item.number is not None:
            lines.append(f"{item.number}. {item.text}")
        elif item.kind is BlockKind.LIST_ITEM:
            lines.append("    " * item.level + item.text)
        else:
            lines.append(item.text)
    return "\n\n".join(lines)
