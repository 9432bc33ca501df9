"""Formal minutes of a meeting, in the form committees use: members present with the chair, apologies, then
numbered items (declarations of interest, witnesses heard, decisions, action points, other business, the next
meeting). Under the title, whether they are a draft or were agreed (committees agree minutes at a later meeting).
Only the witnesses who gave oral evidence are listed as having given it; those not called or absent are named as
such."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime

from ._docx import DocxWriter, Run, clean, lines, one_line
from ._format import by_panel, date_and_time, join, long_date, witness_line
from ._redaction import redact_minutes
from .readmodels import ExportResult, Member, MinuteItem, MinutesDoc, Witness

log = logging.getLogger(__name__)

_ALREADY_FORMAL = re.compile(r"^(ordered|resolved|agreed)\b", re.IGNORECASE)
_LOWER_AFTER_ORDERED = {"the", "a", "an", "this", "that", "these", "those", "each", "all", "any", "no"}


def build_minutes_result(doc: MinutesDoc, *, created: datetime | None = None) -> ExportResult:
    """The formal minutes as a .docx file with the personal data redacted from them (for the audit log)."""
    redacted, applied = redact_minutes(doc)
    return ExportResult(data=build_minutes(redacted, created=created), redactions=applied)


def build_minutes(doc: MinutesDoc, *, created: datetime | None = None) -> bytes:
    """The formal minutes as a .docx file. ``created`` (default: the meeting's start) is stored as the
    document's creation time, so the same minutes give the same document content."""
    doc = redact_minutes(doc)[0]  # contact details never reach the page
    writer = DocxWriter(
        title=f"Formal minutes: {doc.session_title}",
        author=doc.committee_name or doc.inquiry_title,
        subject=doc.inquiry_title,
        created=created or doc.starts_at,
        keywords="formal minutes",
    )
    _front(writer, doc)
    _members(writer, doc)
    sections: list[tuple[str, Callable[[], None]]] = [("Declarations of interest", lambda: _declarations(writer, doc))]
    if doc.witnesses:
        sections.append(("Oral evidence", lambda: _witnesses(writer, doc)))
    decisions = [item for item in doc.items if item.kind == "decision"]
    actions = [item for item in doc.items if item.kind == "action"]
    notes = [item for item in doc.items if item.kind == "note"]
    if decisions:
        sections.append(("Decisions", lambda: _decisions(writer, decisions)))
    if actions:
        sections.append(("Action points", lambda: _actions(writer, actions)))
    if notes:
        sections.append(("Other business", lambda: _notes(writer, notes)))
    sections.append(("Next meeting", lambda: _next_meeting(writer, doc)))
    for number, (title, write) in enumerate(sections, start=1):
        writer.heading(f"{number}. {title}", 1)
        write()
    log.debug("minutes of %r: %d items", doc.session_title, len(doc.items))
    return writer.to_bytes()


def ordered(text: str) -> str:
    """A decision in the committee form: ``Ordered, That the evidence be published.``"""
    text = one_line(text)
    if not text or _ALREADY_FORMAL.match(text):
        return text
    first, _, rest = text.partition(" ")
    if first.lower() in _LOWER_AFTER_ORDERED:
        first = first.lower()
    sentence = f"{first} {rest}".strip()
    return f"Ordered, That {sentence}" + ("" if sentence.endswith((".", "!", "?")) else ".")


def _front(writer: DocxWriter, doc: MinutesDoc) -> None:
    writer.paragraph(Run("Formal minutes"), style="Title")
    if doc.committee_name:
        writer.paragraph(Run(doc.committee_name), style="Subtitle")
    if doc.status == "draft":
        writer.paragraph(Run("Draft minutes — not yet agreed", bold=True))
    elif doc.status == "agreed":
        writer.paragraph(Run(f"Agreed on {long_date(doc.agreed_on)}" if doc.agreed_on else "Agreed", bold=True))
    for label, value in (
        ("Inquiry", doc.inquiry_title),
        ("Meeting", doc.session_title),
        ("Date and time", date_and_time(doc.starts_at, doc.timezone_name)),
        ("Place", clean(doc.place or "").strip() or "Online"),
    ):
        writer.paragraph(Run(f"{label}: ", bold=True), Run(value))
    writer.label("Contents")
    writer.toc()


def _member_line(member: Member) -> str:
    return f"{member.name}, {member.role_label}" if member.role_label else member.name


def _members(writer: DocxWriter, doc: MinutesDoc) -> None:
    writer.heading("Members present", 1)
    writer.paragraph(Run(f"{one_line(doc.chair.name)}, in the Chair", bold=True))
    others = [_member_line(member) for member in doc.members if member.name != doc.chair.name]
    if others:
        writer.paragraph("; ".join(others))
    if doc.apologies:
        writer.paragraph(f"Apologies were received from {join(doc.apologies)}.")
    else:
        writer.paragraph("No apologies were received.")


def _declarations(writer: DocxWriter, doc: MinutesDoc) -> None:
    declared = [line for text in doc.declarations for line in lines(text)]
    if not declared:
        writer.paragraph("No interests were declared.")
    for line in declared:
        writer.paragraph(line)


def _witnesses(writer: DocxWriter, doc: MinutesDoc) -> None:
    writer.paragraph(f"Inquiry: {doc.inquiry_title}", keep_with_next=True)
    heard = [w for w in doc.witnesses if w.attended == "gave_evidence"]
    if heard:
        writer.paragraph("The following witnesses gave oral evidence:", keep_with_next=True)
        panels = by_panel(heard)
        for panel, witnesses in panels.items():
            if len(panels) > 1:
                writer.label(f"Panel {panel}")
            for witness in witnesses:
                writer.paragraph(witness_line(witness))
    else:
        writer.paragraph("No witnesses gave oral evidence.")
    for attended, heading in (("not_called", "not called"), ("absent", "absent")):
        others = [w for w in doc.witnesses if w.attended == attended]
        if others:
            writer.paragraph(f"The following witnesses were {heading}:", keep_with_next=True)
            for witness in others:
                writer.paragraph(_on_panel(witness))


def _on_panel(witness: Witness) -> str:
    """``Priya Shah, Head of Community Hubs, Hackney Council (panel 2)``."""
    return f"{witness_line(witness)} (panel {witness.panel})"


def _decisions(writer: DocxWriter, decisions: list[MinuteItem]) -> None:
    for item in decisions:
        writer.paragraph(ordered(item.text))


def _actions(writer: DocxWriter, actions: list[MinuteItem]) -> None:
    rows = [
        [one_line(item.text), item.owner or "—", f"{item.due.day} {item.due:%B %Y}" if item.due else "—"]
        for item in actions
    ]
    writer.table(["Action", "Owner", "Due"], rows, widths_cm=[9.5, 3.5, 3.0])


def _notes(writer: DocxWriter, notes: list[MinuteItem]) -> None:
    for item in notes:
        for line in lines(item.text):
            writer.paragraph(line)


def _next_meeting(writer: DocxWriter, doc: MinutesDoc) -> None:
    if doc.next_meeting and clean(doc.next_meeting).strip():
        writer.paragraph(one_line(doc.next_meeting))
    else:
        writer.paragraph("The date of the next meeting has not been set.")
