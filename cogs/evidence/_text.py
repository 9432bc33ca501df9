"""What the witness reads at each step of giving written evidence."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from cogs._shared.format import quote, safe, when
from inquiry.core.rules import count_words
from inquiry.evidence.models import CAPACITY_LABELS, PUBLICATION_LABELS, Capacity, Submission, SubmissionStatus
from inquiry.inquiries.models import Inquiry, Question


def total_words(submission: Submission) -> int:
    return sum(count_words(text) for text in submission.answers.values())


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


def panel(inquiry: Inquiry, submission: Submission, now: datetime, tz: ZoneInfo) -> str:
    """The overview of a witness's evidence: who, answers so far, words, and what to do next."""
    answered = sum(1 for q in inquiry.questions if submission.answers.get(q.id))
    words = total_words(submission)
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
            "**3. Review and submit** when you are ready.",
        ]
    )


def capacity_choices() -> list[tuple[str, str]]:
    return [(label, capacity.value) for capacity, label in CAPACITY_LABELS.items()]


def publication_choices() -> list[tuple[str, str]]:
    return [(label, publication.value) for publication, label in PUBLICATION_LABELS.items()]


def question_page(inquiry: Inquiry, submission: Submission, question: Question) -> str:
    """One question, with the witness's answer so far."""
    total = len(inquiry.questions)
    lines = [f"**Question {question.position} of {total}** · {inquiry.code}", quote(question.text, 1000), ""]
    answer = submission.answers.get(question.id)
    if answer:
        lines.append(f"Your answer ({count_words(answer):,} words):")
        lines.append(quote(answer, 1200))
    else:
        lines.append("Not answered yet. Press **Write answer**, or **Skip** to leave it out.")
    lines.append(f"\nAll answers: {total_words(submission):,} of {inquiry.word_limit:,} words.")
    return "\n".join(lines)


def review_page(inquiry: Inquiry, submission: Submission, now: datetime, tz: ZoneInfo) -> str:
    """Everything the witness is about to send, in brief."""
    words = total_words(submission)
    lines = [f"**Review your evidence to {inquiry.code}**", f"**About you:** {about_line(submission)}", ""]
    for question in inquiry.questions:
        answer = submission.answers.get(question.id)
        state = f"{count_words(answer):,} words" if answer else "skipped"
        lines.append(f"**{question.label}** {state}")
    lines.append(f"\n**Total:** {words:,} of {inquiry.word_limit:,} words.")
    if words > inquiry.word_limit:
        lines.append(f"⚠️ That is {words - inquiry.word_limit:,} words over the limit: please shorten your answers.")
    if submission.status is SubmissionStatus.DRAFT:
        lines.append(deadline_line(inquiry, now, tz))
    return "\n".join(lines)


def receipt(inquiry: Inquiry, submission: Submission, tz: ZoneInfo) -> str:
    """The receipt: reference, 'received, not yet accepted', and what happens next."""
    lines = [
        f"**Receipt: {submission.reference}**",
        f"Your written evidence to *{safe(inquiry.title)}* has been **received, not yet accepted**.",
        f"Received {when(submission.submitted_at, tz)} · {submission.word_count:,} words"
        f" · {PUBLICATION_LABELS[submission.publication]}.",
    ]
    if submission.late:
        lines.append("It arrived after the closing date and is marked late; the secretariat will still consider it.")
    lines.append(
        "The secretariat will review it and let you know. Until it is accepted you can change or withdraw it"
        " with /my-evidence. A copy of your answers is attached."
    )
    return "\n".join(lines)


def answers_copy(inquiry: Inquiry, submission: Submission) -> str:
    """A plain-text copy of the evidence, for the witness's records."""
    parts = [
        f"{submission.reference}: written evidence to {inquiry.title}",
        f"From: {submission.submitter_name}"
        + (f", on behalf of {submission.organisation}" if submission.organisation else ""),
        f"Publication: {PUBLICATION_LABELS[submission.publication]}",
        "",
    ]
    for question in inquiry.questions:
        parts.append(f"{question.label}. {question.text}")
        parts.append(submission.answers.get(question.id) or "(skipped)")
        parts.append("")
    return "\n".join(parts)
