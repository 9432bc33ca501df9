"""What witnesses and the secretariat read about documents given as evidence: what was read from a file, how it
stands in the evidence, and the choice between using it as answers and keeping it as one statement."""

from __future__ import annotations

from collections.abc import Iterable

from cogs._shared.format import clip, quote, safe
from documents import render_numbered
from inquiry.core.rules import count_words
from inquiry.evidence.content import DocumentPart, DocumentUse, EvidenceContent, EvidenceDocument
from inquiry.evidence.documents import numbers_of
from inquiry.inquiries.models import Inquiry

ACCEPTED_FILES = "Word (.docx), OpenDocument (.odt), rich text (.rtf), plain text (.txt, .md) or a PDF with text in it"
PREVIEW_CHARS = 900
HOW_TO_SEND = (
    f"Send your evidence as a file: {ACCEPTED_FILES}, up to 25 MB. You can also send it to me by direct message while"
    " your draft is open."
)


def question_range(numbers: list[int]) -> str:
    """``Q1-Q5`` for a run, ``Q1, Q3`` otherwise."""
    if len(numbers) > 2 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"Q{numbers[0]}–Q{numbers[-1]}"
    return ", ".join(f"Q{n}" for n in numbers)


def use_words(inquiry: Inquiry, document: EvidenceDocument) -> str:
    """``as answers to Q1–Q5`` or ``as one statement``."""
    if document.use is DocumentUse.ANSWERS:
        return "as answers to " + question_range(numbers_of(inquiry, document.split_question_ids))
    return "as one statement"


def describe(document: EvidenceDocument) -> str:
    """``statement.docx (Word document, 3 pages, 1,234 words)``."""
    facts = [document.format_name]
    if document.page_count:
        facts.append(f"{document.page_count} page{'s' if document.page_count != 1 else ''}")
    facts.append(f"{document.words:,} words")
    return f"{safe(document.filename)} ({', '.join(facts)})"


def document_lines(
    inquiry: Inquiry, documents: Iterable[EvidenceDocument], *, only_statements: bool = False
) -> list[str]:
    """One line per document: ``📄 Document: statement.docx (Word document, 1,234 words), as one statement``."""
    lines = []
    for document in documents:
        how = use_words(inquiry, document)
        if only_statements and document.use is DocumentUse.ANSWERS:
            how = "its opening as a statement"
        lines.append(f"📄 Document: {describe(document)}, {how}")
    return lines


def part_heading(part: DocumentPart) -> str:
    """``📄 From your document statement.docx (250 words)``."""
    return f"📄 From your document {safe(part.document.filename)} ({count_words(part.text):,} words)"


def split_offer(inquiry: Inquiry, document: EvidenceDocument) -> str | None:
    """The choice offered when a document answers the questions by their numbers."""
    numbers = numbers_of(inquiry, document.split_question_ids)
    if not numbers:
        return None
    which = question_range(numbers)
    return (
        f"It seems to answer {which} by their numbers. Press **Use as answers to {which}** to put each part under its"
        " question, or **Keep as one statement** to leave it whole."
    )


def preview(document: EvidenceDocument, limit: int = PREVIEW_CHARS) -> str:
    """The start of the document as it will be printed (paragraphs numbered), quoted."""
    return quote(render_numbered(document.content), limit)


def document_page(inquiry: Inquiry, document: EvidenceDocument, *, notice: str | None = None) -> str:
    """A document the witness gave: what was read, how it stands, the choice, and the start of its text."""
    lines = [notice] if notice else []
    lines += [
        f"**Your document: {describe(document)}**",
        f"It is part of your evidence {use_words(inquiry, document)}.",
    ]
    if document.content.pages_without_text:
        pages = ", ".join(str(p) for p in document.content.pages_without_text)
        lines.append(f"⚠️ Pages {pages} hold no text (pictures of text cannot be read); only the text is taken.")
    offer = split_offer(inquiry, document)
    if offer:
        lines.append(offer)
    lines += ["", preview(document), "", "Its words count toward the word limit. The original file is kept as sent."]
    return clip("\n".join(lines), 2000)


def received_reply(inquiry: Inquiry, document: EvidenceDocument, *, duplicate: bool = False) -> str:
    """The answer to a document sent by direct message."""
    if duplicate:
        head = f"You sent {safe(document.filename)} before: it is already part of your evidence to {inquiry.code}."
    else:
        head = f"Got your document. I read it and added it to your evidence to {inquiry.code}."
    return document_page(inquiry, document, notice=head)


def documents_copy(content: EvidenceContent) -> list[str]:
    """The statements among the documents, in full, for the witness's copy of their evidence."""
    lines = []
    for document in content.documents:
        for part in document.parts():
            if part.question_id is None and part.text.strip():
                lines += [f"Document {document.filename} (as a statement)", part.text, ""]
    return lines
