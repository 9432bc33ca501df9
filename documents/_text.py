"""Plain text and Markdown: decoding the bytes with care, then blocks.

Encodings, in order: a byte order mark (UTF-8, UTF-16 or UTF-32) decides; else UTF-8; else UTF-16 without a
mark when its zero bytes show it plainly; else Windows-1252, what Notepad saved as "ANSI" on British and other
Western Windows (``£`` as 0xA3, curly quotes as 0x91-0x94). A file that is none of these, or that holds control
characters no text has, is refused rather than read as nonsense.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .errors import ASK_FOR_TEXT, DocumentRefused, Reason
from .model import Block, BlockKind, table_block

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
BULLET = re.compile(r"^(?P<indent>\s*)(?P<marker>[-*+•‣◦▪·–])\s+(?P<text>\S.*)$")
NUMBERED = re.compile(r"^\s*(?:\(?\d{1,3}[.)]|[A-Za-z][.)]|(?:Q|Question)\s*\d{1,3}\b)\s*")


def decode_text(data: bytes) -> tuple[str, str]:
    """``data`` as text and the name of the encoding it was read in; refuses binary data and unknown encodings."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding)), encoding
            except UnicodeDecodeError as error:
                raise DocumentRefused(
                    Reason.ENCODING, f"The text file is marked as {encoding.upper()} but is not. {ASK_FOR_TEXT}"
                ) from error
    if b"\x00" in data:
        encoding = _utf16_without_bom(data)
        try:
            return _checked(data.decode(encoding)), encoding
        except UnicodeDecodeError as error:
            raise DocumentRefused(Reason.WRONG_TYPE, "This file is not text.") from error
    try:
        return _checked(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data" and error.start >= len(data) - 3:
            return _checked(data[: error.start].decode("utf-8")), "utf-8"  # a last character cut in half
    try:
        return _checked(data.decode("cp1252")), "cp1252"
    except UnicodeDecodeError as error:
        raise DocumentRefused(
            Reason.ENCODING,
            "The text file is not in UTF-8 or another encoding that can be read with confidence. "
            "Please save it as UTF-8 text, or send a Word document (.docx).",
        ) from error


def _utf16_without_bom(data: bytes) -> str:
    """UTF-16 LE or BE when the zero bytes of mostly-Latin text fall on one side; else refuse as not text."""
    sample = data[:4096]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2 or 1
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    raise DocumentRefused(Reason.WRONG_TYPE, "This file is not text.")


def _checked(text: str) -> str:
    """``text`` unless it holds control characters that only binary data has."""
    controls = sum(1 for char in text if unicodedata.category(char) == "Cc" and char not in _ALLOWED_CONTROLS)
    if controls > max(2, len(text) // 1000):
        raise DocumentRefused(Reason.WRONG_TYPE, "This file is not text.")
    return text


def text_blocks(text: str) -> list[Block]:
    """Blocks of a plain text file: paragraphs are separated by blank lines (their wrapped lines joined), or are
    single lines when the file has no blank lines; bulleted lines are list items; a line starting with a number
    (``1.``, ``Q2``) starts a paragraph of its own."""
    lines = text.splitlines()
    one_per_line = not any(not line.strip() for line in lines)
    blocks: list[Block] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            blocks.append(Block(BlockKind.PARAGRAPH, " ".join(current)))
            current.clear()

    for line in lines:
        stripped = line.strip()
        bullet = BULLET.match(line)
        if not stripped:
            flush()
        elif bullet:
            flush()
            level = 1 if len(bullet["indent"].expandtabs(4)) >= 2 else 0
            blocks.append(Block(BlockKind.LIST_ITEM, bullet["text"].strip(), level=level, marker=bullet["marker"]))
        elif one_per_line or NUMBERED.match(stripped):
            flush()
            current.append(stripped)
        elif blocks and not current and blocks[-1].kind is BlockKind.LIST_ITEM and line[:1].isspace():
            item = blocks.pop()  # an indented line carries on the list item above it
            blocks.append(Block(BlockKind.LIST_ITEM, f"{item.text} {stripped}", item.level, item.marker))
        else:
            current.append(stripped)
    flush()
    return blocks


def markdown_blocks(text: str) -> list[Block]:
    """Blocks of a Markdown file (CommonMark with tables), its markup taken out of the text."""
    tokens = MarkdownIt("commonmark", {"html": False}).enable("table").parse(text)
    return _MarkdownWalk().walk(tokens)


class _MarkdownWalk:
    """Turns markdown-it's flat token stream into blocks."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.lists: list[list[int | str]] = []  # per open list: [next number or bullet, delimiter]
        self.item: dict | None = None
        self.rows: list[list[str]] = []

    def walk(self, tokens: list[Token]) -> list[Block]:
        for index, token in enumerate(tokens):
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            self._token(token, following)
        self._flush_item()
        return self.blocks

    def _token(self, token: Token, following: Token | None) -> None:
        kind = token.type
        inline = _inline_text(following) if following is not None and following.type == "inline" else ""
        if kind == "heading_open":
            self._add(Block(BlockKind.HEADING, inline, level=int(token.tag[1:])))
        elif kind == "paragraph_open":
            if self.item is not None:
                self.item["parts"].append(inline)
            else:
                self._add(Block(BlockKind.PARAGRAPH, inline))
        elif kind in ("bullet_list_open", "ordered_list_open"):
            self._flush_item()
            start = int(token.attrGet("start") or 1) if kind == "ordered_list_open" else "•"
            self.lists.append([start, token.markup])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self._flush_item()
            self.lists.pop()
        elif kind == "list_item_open":
            self._flush_item()
            state = self.lists[-1]
            marker = f"{state[0]}{token.markup}" if isinstance(state[0], int) else "•"
            if isinstance(state[0], int):
                state[0] += 1
            self.item = {"marker": marker, "level": len(self.lists) - 1, "parts": []}
        elif kind == "list_item_close":
            self._flush_item()
        elif kind == "tr_open":
            self.rows.append([])
        elif kind in ("th_open", "td_open"):
            self.rows[-1].append(inline)
        elif kind == "table_close":
            block = table_block(self.rows)
            self.rows = []
            if block:
                self._add(block)
        elif kind in ("fence", "code_block"):
            self._add(Block(BlockKind.PARAGRAPH, token.content.strip("\n")))

    def _add(self, block: Block) -> None:
        if block.text.strip():
            self.blocks.append(block)

    def _flush_item(self) -> None:
        if self.item is not None:
            text = " ".join(part for part in self.item["parts"] if part)
            self._add(Block(BlockKind.LIST_ITEM, text, level=self.item["level"], marker=self.item["marker"]))
            self.item = None


def _inline_text(token: Token) -> str:
    """An inline token's text without its markup; a link's address follows its words when they differ."""
    out: list[str] = []
    href = ""
    for child in token.children or ():
        if child.type in ("text", "code_inline", "html_inline"):
            out.append(child.content)
        elif child.type == "softbreak":
            out.append(" ")
        elif child.type == "hardbreak":
            out.append("\n")
        elif child.type == "image":
            out.append(child.content)
        elif child.type == "link_open":
            href = str(child.attrGet("href") or "")
            out.append("\x00")
        elif child.type == "link_close":
            start = len(out) - 1 - out[::-1].index("\x00")
            words = "".join(out[start + 1 :])
            out[start:] = [words if not href or href in (words, f"mailto:{words}") else f"{words} ({href})"]
    return "".join(out).strip()
