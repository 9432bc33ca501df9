"""Written evidence sent as a document file: .docx, .odt, .rtf, .txt, .md or a PDF with a text layer, read
into typed blocks and text, or refused with a reason and a message for the witness.

The bot reads with :func:`extract_document_isolated` (a child process with limits); :func:`extract_document`
reads in this process. :func:`split_by_questions` splits a document that answers the questions by number;
:func:`numbered_paragraphs` gives the blocks as the evidence volume prints them.
"""

from .errors import DocumentRefused, Reason
from .extract import extract_document
from .isolated import Limits, extract_document_isolated
from .model import Block, BlockKind, Document, DocumentFormat
from .questions import QuestionSplit, split_by_questions
from .sniff import DEFAULT_MAX_BYTES
from .volume import NumberedParagraph, numbered_paragraphs, render_numbered

__all__ = [
    "DEFAULT_MAX_BYTES",
    "Block",
    "BlockKind",
    "Document",
    "DocumentFormat",
    "DocumentRefused",
    "Limits",
    "NumberedParagraph",
    "QuestionSplit",
    "Reason",
    "extract_document",
    "extract_document_isolated",
    "numbered_paragraphs",
    "render_numbered",
    "split_by_questions",
]
