"""The transcript of an oral evidence session in the UK committee layout: the inquiry, ``Oral evidence:``
and the session's title, its date, members present (the chair first), ``Questions n–m``, the witnesses by
panel; then each panel's examination, question by question (``Q14 Chair: ...``) with every answer
attributed in bold to the witness who gave it. What was said before the first question (the chair's opening,
heard on a recording) comes first, under the first panel. Answers are marked ``[uncorrected transcript]`` when
spoken and not yet corrected, and ``[typed in the session thread]`` when typed in a session whose speech is also
given. The secretariat's redactions of each answer and personal data anywhere are taken out first
(:func:`exports._redaction.redact_transcript`)."""

from __future__ import annotations

import logging
from datetime import datetime

from ._docx import DocxWriter, Run, lines, one_line
from ._format import by_panel, date_and_time, join, witness_line
from ._redaction import redact_transcript
from .readmodels import Answer, ExportResult, Member, QuestionRecord, TranscriptDoc

log = logging.getLogger(__name__)

UNCORRECTED = "[uncorrected transcript]"
UNCORRECTED_NOTICE = (
    f"Answers marked {UNCORRECTED} were spoken and transcribed automatically; the witness has not yet "
    "corrected the transcription. Neither witnesses nor members have had the opportunity to correct the record."
)
TYPED = "[typed in the session thread]"
TYPED_NOTICE = f"Answers marked {TYPED} were typed in the session's thread while it was heard, not spoken."
_ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def build_transcript(doc: TranscriptDoc, *, created: datetime | None = None) -> bytes:
    """The oral evidence transcript as a .docx file. ``created`` (default: the session's start) is stored as
    the document's creation time, so the same record gives the same document content."""
    return build_transcript_result(doc, created=created).data


def build_transcript_result(doc: TranscriptDoc, *, created: datetime | None = None) -> ExportResult:
    """The transcript as a .docx file with what was redacted from it (for the audit log) and the secretariat's
    redactions whose passage was found nowhere."""
    doc, applied, unapplied = redact_transcript(doc)
    return ExportResult(data=_write(doc, created), redactions=applied, unapplied=unapplied)


def _write(doc: TranscriptDoc, created: datetime | None) -> bytes:
    writer = DocxWriter(
        title=f"Oral evidence: {doc.session_title}",
        author=doc.committee_name or doc.inquiry_title,
        subject=doc.inquiry_title,
        created=created or doc.starts_at,
        keywords="oral evidence, transcript",
    )
    questions = sorted(doc.questions, key=lambda q: q.number)
    _front(writer, doc, questions)
    chair = _chair(doc.members)
    panels = by_panel(doc.witnesses)
    current_panel: int | None = None
    if doc.opening:  # the chair's opening, heard before the first question, under the first panel
        current_panel = questions[0].panel if questions else 1
        _panel_heading(writer, current_panel, panels.get(current_panel, []))
        for answer in doc.opening:
            _answer(writer, answer, chair)
    for question in questions:
        if question.panel != current_panel:
            current_panel = question.panel
            _panel_heading(writer, current_panel, panels.get(current_panel, []))
        _question(writer, question, chair)
    log.debug("transcript of %r: %d questions", doc.session_title, len(questions))
    return writer.to_bytes()


def question_range(numbers: list[int]) -> str:
    """``Questions 1–24`` (with an en dash), ``Question 7``, or an empty string when there are none."""
    if not numbers:
        return ""
    low, high = min(numbers), max(numbers)
    return f"Question {low}" if low == high else f"Questions {low}–{high}"


def roman(number: int) -> str:
    """Panel numbers as committees write them: ``I``, ``II``..."""
    return _ROMAN[number] if 0 < number < len(_ROMAN) else str(number)


def _chair(members: list[Member]) -> Member | None:
    return next((member for member in members if member.chair), None)


def _members_present(members: list[Member]) -> str:
    """``Holly Lynch MP (Chair); Jane Doe MP; John Roe MP.`` The chair first."""
    ordered = sorted(members, key=lambda member: not member.chair)
    names = [f"{one_line(m.name)} (Chair)" if m.chair else one_line(m.name) for m in ordered]
    return "; ".join(names) + "." if names else "None recorded."


def _front(writer: DocxWriter, doc: TranscriptDoc, questions: list[QuestionRecord]) -> None:
    if doc.committee_name:
        writer.paragraph(Run(doc.committee_name), style="Subtitle")
    writer.paragraph(Run(doc.inquiry_title), style="Title")
    writer.heading(f"Oral evidence: {doc.session_title}", 1)
    writer.paragraph(date_and_time(doc.starts_at, doc.timezone_name))
    writer.paragraph(Run("Members present: ", bold=True), Run(_members_present(doc.members)))
    writer.paragraph(Run(question_range([q.number for q in questions]) or "No questions were put.", bold=True))
    said = [*doc.opening, *(a for q in questions for a in q.answers)]
    if any(a.spoken and not a.corrected and not a.struck for a in said):
        writer.note(UNCORRECTED_NOTICE)
    if any(a.typed and not a.struck for a in said):
        writer.note(TYPED_NOTICE)
    writer.label("Contents")
    writer.toc()
    writer.heading("Witnesses", 2)
    panels = by_panel(doc.witnesses)
    if not panels:
        writer.paragraph("No witnesses were recorded.")
    for panel, witnesses in panels.items():
        writer.paragraph(Run(f"{roman(panel)}: ", bold=True), Run("; ".join(witness_line(w) for w in witnesses) + "."))


def _panel_heading(writer: DocxWriter, panel: int, witnesses: list) -> None:
    writer.heading(f"Panel {roman(panel)}: examination of witnesses", 2)
    if witnesses:
        writer.paragraph(Run("Witnesses: ", bold=True), Run(join(w.name for w in witnesses) + "."))


def _asker(asked_by: str, chair: Member | None) -> str:
    name = one_line(asked_by)
    if chair is not None and name.casefold() == one_line(chair.name).casefold():
        return "Chair"
    return name


def _question(writer: DocxWriter, question: QuestionRecord, chair: Member | None) -> None:
    if question.struck:
        writer.note(_struck(f"Q{question.number} was struck from the record", question.strike_reason))
        return
    text = lines(question.text) or [""]
    writer.paragraph(
        Run(f"Q{question.number} ", bold=True),
        Run(f"{_asker(question.asked_by, chair)}:", bold=True),
        Run(f" {text[0]}"),
    )
    for line in text[1:]:
        writer.paragraph(line)
    for answer in question.answers:
        _answer(writer, answer, chair)


def _answer(writer: DocxWriter, answer: Answer, chair: Member | None = None) -> None:
    name = _asker(answer.witness_name, chair)
    if answer.struck:
        writer.note(_struck(f"An answer from {name} was struck from the record", answer.strike_reason))
        return
    text = lines(answer.text)
    first = [Run(f"{name}:", bold=True)]
    if answer.spoken and not answer.corrected:
        first.append(Run(f" {UNCORRECTED}", italic=True))
    elif answer.typed:
        first.append(Run(f" {TYPED}", italic=True))
    writer.paragraph(*first, Run(f" {text[0]}" if text else ""))
    for line in text[1:]:
        writer.paragraph(line)


def _struck(what: str, reason: str | None) -> str:
    reason = one_line(reason or "")
    return f"{what}: {reason}" if reason else f"{what}."
