"""Rich text (.rtf) through striprtf, with headings kept.

striprtf gives the text: paragraphs as lines, list items after their marker and a tab, table cells ended by
``|``. RTF keeps headings only as references to numbered styles (``\\s1``) or outline levels, so before
striprtf reads the file each such reference is followed by a private-use character naming the heading's level;
lines that start with one are headings.
"""

from __future__ import annotations

import re

from striprtf.striprtf import rtf_to_text

from ._numbers import bullet_glyph
from .errors import ASK_FOR_TEXT, DocumentRefused, Reason
from .model import Block, BlockKind, table_block, tidy

HEADING_MARK = 0xE000  # U+E001..U+E009: a heading of level 1..9 starts here
STYLE_ENTRY = re.compile(r"\{(?:\\\*)?\\s(\d+)(?![0-9])([^{}]*?);\s*\}")
STYLE_USE = re.compile(r"\\s(\d+)(?![0-9a-zA-Z])")
OUTLINE_USE = re.compile(r"\\outlinelevel([0-8])(?![0-9])")
CONTROL_WORD = re.compile(r"\\[a-zA-Z]+-?\d* ?")
HEADING_NAME = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)
LIST_LINE = re.compile(r"^\s*(?P<marker>[^\s\t]{1,8})\t(?P<text>.*)$")
ORDERED = re.compile(r"^\(?(?:\d{1,3}|[a-zA-Z]|[ivxlcIVXLC]{1,6})[.)]?\)?$")


def rtf_blocks(data: bytes) -> list[Block]:
    """The blocks of an RTF document."""
    source = data.decode("latin-1")
    if not _balanced(source):
        raise DocumentRefused(Reason.DAMAGED, f"The file is damaged or incomplete. {ASK_FOR_TEXT}")
    text = rtf_to_text(_mark_headings(source), encoding="cp1252", errors="replace")
    return _blocks(text)


def _balanced(source: str) -> bool:
    """Whether every group opened is closed (a cut-short file leaves groups open)."""
    plain = source.replace("\\\\", "").replace("\\{", "").replace("\\}", "")
    depth = 0
    for char in plain:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0 and plain.lstrip().startswith("{")


def _heading_styles(source: str) -> dict[str, int]:
    start = source.find("{\\stylesheet")
    if start < 0:
        return {}
    levels = {}
    for match in STYLE_ENTRY.finditer(source, start, start + 200_000):
        name = CONTROL_WORD.sub("", match[2]).strip()
        heading = HEADING_NAME.match(name)
        if heading:
            levels[match[1]] = int(heading[1])
        elif name.lower() == "title":
            levels[match[1]] = 1
    return levels


def _mark_headings(source: str) -> str:
    """``source`` with a level character after each use of a heading style or outline level."""
    levels = _heading_styles(source)

    def mark(level: int) -> str:
        return f"{{\\uc1\\u{HEADING_MARK + level - 0x10000}?}}"

    def style(match: re.Match) -> str:
        level = levels.get(match[1])
        return match[0] + mark(level) if level else match[0]

    marked = STYLE_USE.sub(style, source) if levels else source
    return OUTLINE_USE.sub(lambda m: m[0] + mark(int(m[1]) + 1), marked)


def _blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    rows: list[list[str]] = []
    for raw in text.split("\n"):
        if raw.rstrip().endswith("|"):
            rows.append(raw.rstrip()[:-1].split("|"))
            continue
        if rows:
            block = table_block(rows)
            if block:
                blocks.append(block)
            rows = []
        blocks.extend(_line_block(raw))
    if rows and (block := table_block(rows)):
        blocks.append(block)
    return blocks


def _line_block(raw: str) -> list[Block]:
    level = 0
    stripped = raw.lstrip()
    while stripped and HEADING_MARK < ord(stripped[0]) <= HEADING_MARK + 9:
        level = level or ord(stripped[0]) - HEADING_MARK
        stripped = stripped[1:]
    stripped = "".join(c for c in stripped if not HEADING_MARK < ord(c) <= HEADING_MARK + 9)
    listed = LIST_LINE.match(stripped)
    if level:
        text = tidy(stripped)
        return [Block(BlockKind.HEADING, text, level=level)] if text else []
    if listed and (ORDERED.match(listed["marker"]) or len(listed["marker"]) == 1):
        text = tidy(listed["text"])
        marker = listed["marker"] if ORDERED.match(listed["marker"]) else bullet_glyph(listed["marker"])
        return [Block(BlockKind.LIST_ITEM, text, marker=marker)] if text else []
    text = tidy(stripped)
    return [Block(BlockKind.PARAGRAPH, text)] if text else []
