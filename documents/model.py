"""What a read document is: its format, typed blocks in reading order, its text, and facts about the original."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any


class DocumentFormat(StrEnum):
    """The formats read, named by their usual extension."""

    DOCX = "docx"
    ODT = "odt"
    RTF = "rtf"
    TXT = "txt"
    MD = "md"
    PDF = "pdf"


class BlockKind(StrEnum):
    """What a block is."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE = "table"


@dataclass(frozen=True, slots=True)
class Block:
    """One block of a document, in reading order.

    ``level`` is a heading's level (1 is the highest) or a list item's depth (0 for the outermost list).
    ``marker`` is a list item's bullet or number as the document shows it (``•``, ``1.``, ``a)``), else "".
    ``rows`` are a table's cells; its ``text`` is the rows as lines of ``cell | cell``.
    """

    kind: BlockKind
    text: str
    level: int = 0
    marker: str = ""
    rows: tuple[tuple[str, ...], ...] = ()

    @property
    def display(self) -> str:
        """The block as plain text: a list item with its marker, a table as its rows."""
        if self.kind is BlockKind.LIST_ITEM and self.marker:
            return f"{self.marker} {self.text}"
        return self.text

    def to_dict(self) -> dict[str, Any]:
        """The block as plain JSON-able data."""
        data: dict[str, Any] = {"kind": self.kind.value, "text": self.text}
        if self.level:
            data["level"] = self.level
        if self.marker:
            data["marker"] = self.marker
        if self.rows:
            data["rows"] = [list(row) for row in self.rows]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Block:
        """The block back from :meth:`to_dict`."""
        return cls(
            kind=BlockKind(data["kind"]),
            text=str(data["text"]),
            level=int(data.get("level", 0)),
            marker=str(data.get("marker", "")),
            rows=tuple(tuple(str(cell) for cell in row) for row in data.get("rows", ())),
        )


_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"})


def tidy(text: str) -> str:
    """``text`` with its runs of spaces and tabs made single spaces, its lines stripped and empty lines dropped,
    soft hyphens and zero-width characters taken out, and typographic ligatures spelt out."""
    text = text.translate(_INVISIBLE).translate(_LIGATURES)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return "\n".join(line for line in (" ".join(part.split()) for part in text.split("\n")) if line)


def table_block(rows: Iterable[Iterable[str]]) -> Block | None:
    """A table block from its rows of cell texts (each cell on one line), or None when every cell is empty."""
    cleaned = tuple(tuple(" ".join(tidy(cell).split()) for cell in row) for row in rows)
    cleaned = tuple(row for row in cleaned if any(row))
    if not cleaned:
        return None
    return Block(BlockKind.TABLE, "\n".join(" | ".join(row) for row in cleaned), rows=cleaned)


def join_blocks(blocks: Iterable[Block]) -> str:
    """The blocks' plain text, blank lines between them."""
    return "\n\n".join(block.display for block in blocks if block.display)


@dataclass(frozen=True, slots=True)
class Document:
    """A document read as written evidence.

    ``text`` is the blocks' plain text joined with blank lines. ``word_count`` is filled only when the reader
    is given a counting function (the inquiry's own rule counts words; this package does not define one).
    ``page_count`` is known for PDFs; ``pages_without_text`` lists the PDF pages (from 1) that hold no text,
    such as a scanned page inside an otherwise typed document. ``sha256`` and ``size`` are of the original bytes.
    """

    format: DocumentFormat
    blocks: tuple[Block, ...]
    text: str
    sha256: str
    size: int
    word_count: int | None = None
    page_count: int | None = None
    encoding: str | None = None
    pages_without_text: tuple[int, ...] = field(default=())

    def counted(self, count_words: Callable[[str], int]) -> Document:
        """This document with ``word_count`` set by ``count_words`` over its text."""
        return replace(self, word_count=count_words(self.text))

    def to_dict(self) -> dict[str, Any]:
        """The document as plain JSON-able data (to store it, or to pass it between processes)."""
        return {
            "format": self.format.value,
            "blocks": [block.to_dict() for block in self.blocks],
            "text": self.text,
            "sha256": self.sha256,
            "size": self.size,
            "word_count": self.word_count,
            "page_count": self.page_count,
            "encoding": self.encoding,
            "pages_without_text": list(self.pages_without_text),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        """The document back from :meth:`to_dict`."""
        return cls(
            format=DocumentFormat(data["format"]),
            blocks=tuple(Block.from_dict(block) for block in data["blocks"]),
            text=str(data["text"]),
            sha256=str(data["sha256"]),
            size=int(data["size"]),
            word_count=data.get("word_count"),
            page_count=data.get("page_count"),
            encoding=data.get("encoding"),
            pages_without_text=tuple(int(page) for page in data.get("pages_without_text", ())),
        )
