"""The one refusal the documents package raises: a reason code for programs and a message for the witness."""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    """Why a document was refused (stable codes: store them, branch on them, count them)."""

    WRONG_TYPE = "wrong_type"  # not one of the formats read, whatever its name says
    OLD_FORMAT = "old_format"  # a Word 97-2003 .doc or another format to re-save
    TOO_LARGE = "too_large"  # over the size limit
    ENCRYPTED = "encrypted"  # needs a password to open
    MACROS = "macros"  # a macro-enabled Word file (.docm) or any document carrying macros
    DAMAGED = "damaged"  # truncated or corrupt
    ZIP_BOMB = "zip_bomb"  # its parts expand to far more than is plausible
    NO_TEXT_LAYER = "no_text_layer"  # a PDF of scanned pages: pictures of text, no text
    EMPTY = "empty"  # no words
    ENCODING = "encoding"  # a text file in no encoding that can be read with confidence
    TOO_COMPLEX = "too_complex"  # reading it went past the time or memory allowed


class DocumentRefused(Exception):
    """A document that cannot be taken as written evidence. ``str(error)`` is the message for the witness."""

    def __init__(self, reason: Reason, message: str) -> None:
        super().__init__(message)
        self.reason = Reason(reason)
        self.message = message

    def __repr__(self) -> str:
        return f"DocumentRefused({self.reason.value!r}, {self.message!r})"


ACCEPTED = "a Word document (.docx), an OpenDocument text (.odt), rich text (.rtf), plain text (.txt, .md) or a PDF"
ASK_FOR_TEXT = "Please send it as a Word document (.docx) or as plain text."
