"""Reading a document in this process: size, content sniffing, the format's reader, then the checks on its text.

Use :func:`extract_document` where the process is itself the sandbox (the isolated worker, tests); the bot
uses :func:`documents.isolated.extract_document_isolated`, which runs it in a child process with limits.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable

from .errors import ASK_FOR_TEXT, DocumentRefused, Reason
from .model import Block, Document, DocumentFormat, join_blocks
from .sniff import DEFAULT_MAX_BYTES, read_source, sniff

log = logging.getLogger(__name__)

Source = bytes | bytearray | memoryview | str | os.PathLike


def extract_document(
    source: Source,
    filename: str | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    count_words: Callable[[str], int] | None = None,
) -> Document:
    """Read ``source`` (the file's bytes, or a path) sent as written evidence.

    ``filename`` is the name the witness gave it (for a path, default: the path's name); its extension must be
    one of the formats read, but the content decides the format. ``count_words`` (the inquiry's own counting
    rule) fills ``word_count``; without it ``word_count`` is None and the caller counts ``text`` itself.

    Raises :class:`DocumentRefused` with a reason code and a message for the witness.
    """
    if filename is None and not isinstance(source, bytes | bytearray | memoryview):
        filename = os.fspath(source)
    data = read_source(source, max_bytes)
    found = sniff(data, filename)
    page_count: int | None = None
    empty_pages: tuple[int, ...] = ()
    encoding: str | None = None
    try:
        if found is DocumentFormat.PDF:
            from ._pdf import pdf_blocks

            blocks, page_count, empty_pages = pdf_blocks(data)
        else:
            blocks, encoding = _read(found, data)
    except DocumentRefused:
        raise
    except (MemoryError, RecursionError) as error:
        log.warning("%s document too complex to read: %s", found.value, type(error).__name__)
        raise DocumentRefused(Reason.TOO_COMPLEX, f"The document is too complex to read. {ASK_FOR_TEXT}") from error
    except Exception as error:  # each library fails in its own way on a damaged file
        log.info("%s document could not be read: %s: %s", found.value, type(error).__name__, str(error)[:200])
        raise DocumentRefused(Reason.DAMAGED, f"The file is damaged and cannot be read. {ASK_FOR_TEXT}") from error
    text = join_blocks(blocks)
    document = Document(
        format=found,
        blocks=tuple(blocks),
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        page_count=page_count,
        encoding=encoding,
        pages_without_text=empty_pages,
    )
    if count_words is not None:
        document = document.counted(count_words)
    if not any(char.isalnum() for char in text) or document.word_count == 0:
        raise DocumentRefused(Reason.EMPTY, "The document has no words in it. Please check you sent the right file.")
    log.info("read a %s document: %d bytes, %d blocks, %d characters", found.value, len(data), len(blocks), len(text))
    return document


def _read(found: DocumentFormat, data: bytes) -> tuple[list[Block], str | None]:
    if found is DocumentFormat.DOCX:
        from ._docx import docx_blocks

        return docx_blocks(data), None
    if found is DocumentFormat.ODT:
        from ._odt import odt_blocks

        return odt_blocks(data), None
    if found is DocumentFormat.RTF:
        from ._rtf import rtf_blocks

        return rtf_blocks(data), None
    from ._text import decode_text, markdown_blocks, text_blocks

    text, encoding = decode_text(data)
    return (markdown_blocks(text) if found is DocumentFormat.MD else text_blocks(text)), encoding
