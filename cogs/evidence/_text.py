"""What the witness reads at each step of giving written evidence."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from cogs._shared.documents import document_lines, documents_copy, part_heading
from cogs._shared.format import clip, quote, safe, when
from cogs._shared.spoken import HOW_TO_ANSWER_BY_VOICE, spoken_line
from inquiry.core.rules import count_words
from inquiry.evidence.content import EvidenceContent
from inquiry.evidence.models import CAPACITY_LABELS, PUBLICATION_LABELS, Capacity, Submission, SubmissionStatus
from inquiry.evidence.service import ChangeNotSent, proposed_words
from inquiry.inquiries.models import Inquiry, Question

HELD_LINES = 8  # documents and recordings listed on a page before "and N more"
WRONG_PLACE = "This button works only in the server that runs this inquiry: press it under the call for evidence there."


def unsent_notice(inquiry: Inquiry, submission: Submission, content: EvidenceContent | None = None) -> str:
    """What the witness is told while a change to their sent evidence is kept but not sent."""
    extra = content.extra_words if content else 0
    return "⚠️ " + str(ChangeNotSent(proposed_words(submission, extra), inquiry.word_limit))


def total_words(submission: Submission, content: EvidenceContent | None = None) -> int:
    """Every word of the evidence that counts: typed answers, documents and confirmed transcripts."""
    if content is not None:
        return content.words
    return sum(count_words(text) for text in submission.answers.values())


def _answered(inquiry: Inquiry, submission: Submission, content: EvidenceContent | None) -> int:
    if content is not None:
        return content.answered_count(q.id for q in inquiry.questions)
    return sum(1 for q in inquiry.questions if submission.answers.get(q.id))


def deadline_line(inquiry: Inquiry, now: datetime, tz: ZoneInfo) -> str:
    line = f"Closes {when(inquiry.closes_at, tz)}"
    if inquiry.is_late(now):
        line += "\n⚠️ The closing date has passed. You can still submit, but your evidence will be marked late."
    return line


def about_line(submission: Submission) -> str:
    if not submission.submitter_name:
        return "not given yet: press **Your details**"
    who = safe(submission.submitter_name)
    if submission.capacity is Capacity.ORGANISATION:
        who += f", on behalf of {safe(submission.organisation) or '(organisation not named yet)'}"
    else:
        who += ", as an individual"
    publication = PUBLICATION_LABELS.get(submission.publication, "publication choice not made yet")
    return f"{who} · {publication}"


def panel(
    inquiry: Inquiry, submission: Submission, now: datetime, tz: ZoneInfo, content: EvidenceContent | None = None
) -> str:
    """The overview of a witness's evidence: who, answers so far (typed, in documents, spoken), words, and what to
    do next."""
    answered = _answered(inquiry, submission, content)
    words = total_words(submission, content)
    head = f"**Written evidence: {safe(inquiry.title)}** ({inquiry.code})"
    if submission.status is SubmissionStatus.DRAFT:
        status = "Your draft is saved after every step: you can close Discord and come back to it at any time."
    else:
        status = f"Submitted as **{submission.reference}**. Changes you make now are saved at once."
    over = f" ⚠️ over the limit by {words - inquiry.word_limit:,}" if words > inquiry.word_limit else ""
    return "\n".join(
        [
            head,
            deadline_line(inquiry, now, tz),
            status,
            "",
            f"**1. About you:** {about_line(submission)}",
            f"**2. Your answers:** {answered} of {len(inquiry.questions)} questions answered"
            f" · {words:,} of {inquiry.word_limit:,} words{over}. You may skip any question.",
            *_held(inquiry, content),
            "You can type your answers, answer a question by voice message or video (send it to me by direct"
            " message while the question is open), or give your evidence as a document: press **Send a document**.",
            "**3. Review and submit** when you are ready.",
        ]
    )


def _held(inquiry: Inquiry, content: EvidenceContent | None) -> list[str]:
    """Lines listing the documents and recordings the evidence holds."""
    if content is None:
        return []
    labels = {q.id: q.label for q in inquiry.questions}
    lines = document_lines(inquiry, content.documents)
    lines += [spoken_line(s, where=labels.get(s.question_id, "general statement")) for s in content.spoken]
    if len(lines) > HELD_LINES:
        lines = [*lines[: HELD_LINES - 1], f"… and {len(lines) - HELD_LINES + 1} more documents and recordings."]
    return lines


def capacity_choices() -> list[tuple[str, str]]:
    return [(label, capacity.value) for capacity, label in CAPACITY_LABELS.items()]


def publication_choices() -> list[tuple[str, str]]:
    return [(label, publication.value) for publication, label in PUBLICATION_LABELS.items()]


def question_page(
    inquiry: Inquiry, submission: Submission, question: Question, content: EvidenceContent | None = None
) -> str:
    """One question, with the witness's answer so far: typed, from a document, or spoken (with its transcript's
    state), and how to answer it by voice."""
    total = len(inquiry.questions)
    lines = [f"**Question {question.position} of {total}** · {inquiry.code}", quote(question.text, 1000), ""]
    answer = submission.answers.get(question.id)
    unsent = submission.pending_answers.get(question.id)
    parts = content.parts_for(question.id) if content else []
    spoken = content.spoken_for(question.id) if content else []
    room = 600 if unsent is not None or parts or spoken else 1200
    if answer:
        lines.append(f"Your answer{' as sent' if unsent is not None else ''} ({count_words(answer):,} words):")
        lines.append(quote(answer, room))
    for part in parts:
        lines.append(f"{part_heading(part)}:")
        lines.append(quote(part.text, room))
    for item in spoken:
        lines.append(spoken_line(item))
        if item.confirmed:
            lines.append(quote(item.confirmed_text or "", room))
    answered = content.answered(question.id) if content else bool(answer)
    if not answered:
        waiting = " Your recording's transcript is not confirmed yet." if spoken else ""
        lines.append(f"Not answered yet.{waiting} Press **Write answer**, or **Skip** to leave it out.")
    if unsent is not None:
        lines.append(f"Your change, kept but not sent ({count_words(unsent):,} words):")
        lines.append(quote(unsent, room) if unsent else "> (the answer cleared)")
    lines.append(HOW_TO_ANSWER_BY_VOICE)
    lines.append(f"\nAll answers: {total_words(submission, content):,} of {inquiry.word_limit:,} words.")
    return clip("\n".join(lines), 2000)


def _question_state(question: Question, submission: Submission, content: EvidenceContent | None) -> str:
    """``120 words typed · from evidence.docx, 300 words · voice message, 12 s · transcript confirmed (45 words)``,
    or ``skipped``."""
    answer = submission.answers.get(question.id)
    if content is None:
        return f"{count_words(answer):,} words" if answer else "skipped"
    pieces = [f"{count_words(answer):,} words" + (" typed" if content.has_more_than_typing else "")] if answer else []
    for part in content.parts_for(question.id):
        pieces.append(f"from {clip(safe(part.document.filename), 40)}, {count_words(part.text):,} words")
    for item in content.spoken_for(question.id):
        pieces.append(spoken_line(item).removeprefix("🎙️ "))
    return " · ".join(pieces) or "skipped"


def review_page(
    inquiry: Inquiry, submission: Submission, now: datetime, tz: ZoneInfo, content: EvidenceContent | None = None
) -> str:
    """Everything the witness is about to send, in brief."""
    words = total_words(submission, content)
    lines = [f"**Review your evidence to {inquiry.code}**", f"**About you:** {about_line(submission)}", ""]
    for question in inquiry.questions:
        lines.append(f"**{question.label}** {_question_state(question, submission, content)}")
    if content is not None:
        statements = [d for d in content.documents if any(p.question_id is None for p in d.parts())]
        lines += document_lines(inquiry, statements, only_statements=True)
        labels = {q.id for q in inquiry.questions}
        lines += [spoken_line(s, where="General statement") for s in content.general_spoken(labels)]
    lines.append(f"\n**Total:** {words:,} of {inquiry.word_limit:,} words.")
    if words > inquiry.word_limit:
        lines.append(f"⚠️ That is {words - inquiry.word_limit:,} words over the limit: please shorten your answers.")
    if submission.status is SubmissionStatus.DRAFT:
        lines.append(deadline_line(inquiry, now, tz))
    return "\n".join(lines)


def receipt(inquiry: Inquiry, submission: Submission, tz: ZoneInfo, content: EvidenceContent | None = None) -> str:
    """The receipt: reference, 'received, not yet accepted', what it holds, and what happens next."""
    lines = [
        f"**Receipt: {submission.reference}**",
        f"Your written evidence to *{safe(inquiry.title)}* has been **received, not yet accepted**.",
        f"Received {when(submission.submitted_at, tz)} · {submission.word_count:,} words"
        f" · {PUBLICATION_LABELS[submission.publication]}.",
    ]
    if content is not None:
        answered = content.answered_count(q.id for q in inquiry.questions)
        lines.append(f"Questions answered: {answered} of {len(inquiry.questions)}.")
        lines += _held(inquiry, content)
    if submission.late:
        lines.append("It arrived after the closing date and is marked late; the secretariat will still consider it.")
    lines.append(
        "The secretariat will review it and let you know. Until it is accepted you can change or withdraw it"
        " with /my-evidence. A copy of your answers is attached."
    )
    return "\n".join(lines)


def answers_copy(inquiry: Inquiry, submission: Submission, content: EvidenceContent | None = None) -> str:
    """A plain-text copy of the evidence, for the witness's records: typed answers, the parts of documents that
    answer questions, confirmed transcripts, and documents given as statements."""
    parts = [
        f"{submission.reference}: written evidence to {inquiry.title}",
        f"From: {submission.submitter_name}"
        + (f", on behalf of {submission.organisation}" if submission.organisation else ""),
        f"Publication: {PUBLICATION_LABELS[submission.publication]}",
        "",
    ]
    for question in inquiry.questions:
        parts.append(f"{question.label}. {question.text}")
        given = [submission.answers.get(question.id) or ""] if submission.answers.get(question.id) else []
        if content is not None:
            given += [f"[From your document {p.document.filename}]\n{p.text}" for p in content.parts_for(question.id)]
            given += [
                f"[Transcript of your {s.kind_name}, {s.state.value}]\n{s.confirmed_text}"
                for s in content.spoken_for(question.id)
                if s.confirmed
            ]
        parts.append("\n\n".join(given) if given else "(skipped)")
        parts.append("")
    if content is not None:
        parts += documents_copy(content)
    return "\n".join(parts)
