"""The written evidence volume: a title page, the contents, an index of the evidence, then each piece
(``Written evidence submitted by X (SCI0001)``) with its answers under their questions in numbered
paragraphs (typed, from documents, and the transcripts of spoken answers, each marked as such), then documents
given as statements, then the transcripts of voice and video evidence given as general statements.

Evidence given in confidence is left out entirely; anonymous evidence appears without its author's name;
the secretariat's redactions and personal contact details are taken out (see :mod:`exports._redaction`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ._docx import DocxWriter, Run, clean, lines, one_line
from ._format import date_and_time, language_name
from ._redaction import SubmissionRedactor
from .readmodels import EvidenceDocument, EvidenceVolumeDoc, ExportResult, MediaTranscript, Redaction, Submission

log = logging.getLogger(__name__)

MEDIA_HEADINGS = {
    "voice": "Transcript of a voice message",
    "audio": "Transcript of audio evidence",
    "video": "Transcript of video evidence",
}
PRIVACY_NOTE = (
    "Personal contact details (email addresses, telephone numbers and postal addresses) have been removed. "
    "Evidence submitted anonymously is published without its author's name; evidence given in confidence "
    "is not published."
)
UNCORRECTED = "[uncorrected transcript]"
STATEMENT_HEADING = "Written statement"


@dataclass
class _Block:
    """One thing to write for a submission: a question label, a numbered paragraph, a media heading..."""

    kind: str  # "label" | "numbered" | "heading" | "note" | "plain"
    text: str
    number: int = 0


@dataclass
class _Piece:
    """A submission made ready for publication."""

    submission: Submission
    blocks: list[_Block] = field(default_factory=list)


def build_evidence_volume(doc: EvidenceVolumeDoc, *, created: datetime | None = None) -> ExportResult:
    """The written evidence volume as a .docx file, with every redaction it made.

    ``created`` (default: the latest submission's time, else the call's closing time) is stored as the
    document's creation time, so the same evidence gives the same document content.
    """
    published = sorted((s for s in doc.submissions if s.publication != "confidential"), key=lambda s: s.reference)
    result = ExportResult(data=b"")
    pieces = [_prepare(submission, result) for submission in published]
    when = created or max((s.submitted_at for s in published), default=None) or doc.call_closes_at
    writer = DocxWriter(
        title=f"Written evidence: {doc.inquiry_title}",
        author=doc.committee_name or doc.inquiry_title,
        subject=f"{doc.inquiry_code}: written evidence",
        created=when or datetime.now(UTC),
        keywords="written evidence",
    )
    _title_page(writer, doc, len(published))
    _index(writer, published)
    for piece in pieces:
        _write_piece(writer, piece)
    log.info(
        "evidence volume %s: %d published, %d left out in confidence, %d redactions",
        doc.inquiry_code,
        len(published),
        len(doc.submissions) - len(published),
        len(result.redactions),
    )
    return ExportResult(data=writer.to_bytes(), redactions=result.redactions, unapplied=result.unapplied)


def public_name(submission: Submission) -> str:
    """Who the evidence is from, as published: the organisation's name for organisations, the author's for
    individuals, ``an individual`` / ``an organisation`` when anonymous."""
    organisation = submission.capacity == "organisation"
    if submission.publication != "named":
        return "an organisation" if organisation else "an individual"
    name = submission.organisation if organisation and submission.organisation else submission.submitter_name
    return one_line(name) or ("an organisation" if organisation else "an individual")


def heading_for(submission: Submission) -> str:
    """``Written evidence submitted by British Future (SCI0001)``."""
    return f"Written evidence submitted by {public_name(submission)} ({submission.reference})"


def _prepare(submission: Submission, result: ExportResult) -> _Piece:
    redactor = SubmissionRedactor(submission)
    piece = _Piece(submission)
    number = 0
    texts = {a.question_number: a.question_text for a in submission.answers}
    numbers = set(texts) | {d.question_number for d in submission.documents}
    numbers |= {m.question_number for m in submission.media}
    for question in sorted(n for n in numbers if n is not None):
        number = _prepare_question(piece, redactor, question, texts.get(question, ""), number)
    statements = [d for d in submission.documents if d.question_number is None]
    for document in statements:
        piece.blocks.append(_Block("heading", STATEMENT_HEADING))
        number = _prepare_document(piece, redactor, document, "statement", number)
    general = [m for m in submission.media if m.question_number is None]
    for index, media in enumerate(general, start=1):
        number = _prepare_media(piece, redactor, media, index, number, len(general))
    result.redactions.extend(redactor.applied)
    result.unapplied.extend((submission.reference, r) for r in redactor.unapplied())
    for redaction in redactor.unapplied():
        _warn_unapplied(submission.reference, redaction)
    return piece


def _prepare_question(piece: _Piece, redactor: SubmissionRedactor, question: int, text: str, number: int) -> int:
    """Everything given under one question: the typed answer, the parts of documents that answer it, and the
    transcripts of recordings that answer it (each marked as a transcript). Nothing at all: no label either."""
    submission = piece.submission
    label = _Block("label", f"Q{question}. {one_line(text)}" if text.strip() else f"Q{question}.")
    before = len(piece.blocks)
    piece.blocks.append(label)
    for answer in (a for a in submission.answers if a.question_number == question):
        for paragraph in lines(redactor.apply(answer.text, f"Q{question}", question)):
            number += 1
            piece.blocks.append(_Block("numbered", paragraph, number))
    for document in (d for d in submission.documents if d.question_number == question):
        number = _prepare_document(piece, redactor, document, f"Q{question} document", number)
    spoken = [m for m in submission.media if m.question_number == question]
    for index, media in enumerate(spoken, start=1):
        where = f"Q{question} {media.kind}" + (f" {index}" if len(spoken) > 1 else "")
        piece.blocks.append(_Block("note", f"{_transcript_note(media)} Language: {language_name(media.language)}."))
        number = _transcript_paragraphs(piece, redactor, media, where, number)
    if len(piece.blocks) == before + 1:
        piece.blocks.pop()
    return number


def _transcript_note(media: MediaTranscript) -> str:
    """``Transcript of a voice message, corrected by the witness.``"""
    kind = MEDIA_HEADINGS.get(media.kind, "Transcript of recorded evidence")
    if not media.corrected:
        return f"{kind} {UNCORRECTED}."
    return f"{kind}, {'corrected by the witness' if media.edited else 'as transcribed, confirmed by the witness'}."


def _transcript_paragraphs(
    piece: _Piece, redactor: SubmissionRedactor, media: MediaTranscript, where: str, number: int
) -> int:
    target = media.key or None
    for paragraph in lines(redactor.apply(media.text, f"{where} transcript", target=target)):
        number += 1
        piece.blocks.append(_Block("numbered", paragraph, number))
    if media.translation and media.translation.strip():
        piece.blocks.append(_Block("label", "English translation"))
        for paragraph in lines(redactor.apply(media.translation, f"{where} translation", target=target)):
            piece.blocks.append(_Block("plain", paragraph))
    return number


def _prepare_document(
    piece: _Piece, redactor: SubmissionRedactor, document: EvidenceDocument, where: str, number: int
) -> int:
    """A document's blocks: paragraphs numbered on from the piece's last, headings in bold, list items and table
    rows as they are; each redacted like any other text of the evidence."""
    target = document.key or None
    for block in document.blocks:
        text = " ".join(lines(redactor.apply(block.text, where, target=target)))
        if not text:
            continue
        if block.numbered:
            number += 1
            piece.blocks.append(_Block("numbered", text, number))
        elif block.kind == "heading":
            piece.blocks.append(_Block("label", text))
        elif block.kind == "list_item":
            piece.blocks.append(_Block("item", text, block.level))
        else:
            piece.blocks.append(_Block("plain", text))
    return number


def _prepare_media(
    piece: _Piece, redactor: SubmissionRedactor, media: MediaTranscript, index: int, number: int, count: int = 0
) -> int:
    where = f"{media.kind} {index}" if (count or len(piece.submission.media)) > 1 else media.kind
    piece.blocks.append(_Block("heading", MEDIA_HEADINGS.get(media.kind, "Transcript of recorded evidence")))
    status = "" if media.corrected else f" {UNCORRECTED}"
    piece.blocks.append(_Block("note", f"Language: {language_name(media.language)}.{status}"))
    target = media.key or None
    text = redactor.apply(media.text, f"{where} transcript", target=target)
    for paragraph in lines(text) or ["(No speech was transcribed.)"]:
        number += 1
        piece.blocks.append(_Block("numbered", paragraph, number))
    if media.translation and media.translation.strip():
        piece.blocks.append(_Block("label", "English translation"))
        for paragraph in lines(redactor.apply(media.translation, f"{where} translation", target=target)):
            piece.blocks.append(_Block("plain", paragraph))
    return number


def _warn_unapplied(reference: str, redaction: Redaction) -> None:
    where = f"Q{redaction.question_number}" if redaction.question_number is not None else "any answer"
    log.warning(
        "%s: the redacted passage was not found in %s (%d characters)", clean(reference), where, len(redaction.passage)
    )


def _title_page(writer: DocxWriter, doc: EvidenceVolumeDoc, count: int) -> None:
    if doc.committee_name:
        writer.paragraph(Run(doc.committee_name), style="Subtitle")
    writer.paragraph(Run(doc.inquiry_title), style="Title")
    writer.paragraph(Run("Written evidence"), style="Subtitle")
    writer.paragraph(Run("Inquiry reference: ", bold=True), Run(doc.inquiry_code))
    if doc.call_closes_at:
        closed = date_and_time(doc.call_closes_at, doc.timezone_name)
        writer.paragraph(Run("Call for evidence closed: ", bold=True), Run(closed))
    pieces = "piece" if count == 1 else "pieces"
    writer.paragraph(f"This volume contains {count:,} {pieces} of written evidence, in order of reference.")
    writer.paragraph(PRIVACY_NOTE)
    if doc.terms_of_reference and doc.terms_of_reference.strip():
        writer.label("Terms of reference")
        for paragraph in lines(doc.terms_of_reference):
            writer.paragraph(paragraph)
    writer.page_break()
    writer.label("Contents")
    writer.toc()


def _index(writer: DocxWriter, published: list[Submission]) -> None:
    writer.heading("Index of written evidence", 1, page_break_before=True)
    if not published:
        writer.paragraph("No written evidence has been published.")
        return
    rows = [
        [
            s.reference,
            public_name(s) if s.publication == "named" else "Anonymous",
            "Organisation" if s.capacity == "organisation" else "Individual",
            "Yes" if s.late else "No",
        ]
        for s in published
    ]
    writer.table(["Reference", "Submitted by", "Individual or organisation", "Late"], rows, [2.6, 7.4, 4.0, 1.6])


def _write_piece(writer: DocxWriter, piece: _Piece) -> None:
    writer.heading(heading_for(piece.submission), 1, page_break_before=True)
    if not piece.blocks:
        writer.note("No answers were given.")
    for block in piece.blocks:
        if block.kind == "label":
            writer.label(block.text)
        elif block.kind == "numbered":
            writer.numbered(block.number, block.text)
        elif block.kind == "heading":
            writer.heading(block.text, 2)
        elif block.kind == "note":
            writer.note(block.text)
        elif block.kind == "item":
            writer.paragraph(("\u2003" * block.number) + block.text)
        else:
            writer.paragraph(block.text)
