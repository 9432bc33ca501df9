"""Components of the witness's flow. Every one carries its state in its custom_id, so the flow keeps
working after a restart of the bot: nothing lives only in memory."""

from __future__ import annotations

import re

import discord

from cogs._shared.documents import ACCEPTED_FILES, question_range
from cogs._shared.format import clip
from cogs.evidence._text import capacity_choices, publication_choices
from inquiry.evidence.content import DocumentUse, EvidenceDocument
from inquiry.evidence.documents import numbers_of
from inquiry.evidence.models import Submission, SubmissionStatus
from inquiry.inquiries.models import Inquiry, Question

MODAL_PREFIX = "evidence:m:"
ANSWER_PARTS = 5
PART_CHARS = 4000


class SubmitEvidenceButton(discord.ui.DynamicItem[discord.ui.Button], template=r"evidence:submit:(?P<inquiry_id>\d+)"):
    """The public 'Submit evidence' button under a call for evidence."""

    def __init__(self, inquiry_id: int, *, closed: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label="Call closed" if closed else "Submit evidence",
                emoji=None if closed else "📝",
                style=discord.ButtonStyle.secondary if closed else discord.ButtonStyle.primary,
                custom_id=f"evidence:submit:{inquiry_id}",
                disabled=closed,
            )
        )
        self.inquiry_id = inquiry_id

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]):
        return cls(int(match["inquiry_id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.client.get_cog("CallCog").flow.start(interaction, self.inquiry_id)


class WitnessButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=(
        r"evidence:(?P<action>nav|answer|details|send|edit|withdraw|withdrawok|push|drop|doc|docsplit|docwhole|docdel)"
        r":(?P<sid>\d+):(?P<arg>[a-z0-9]*)"
    ),
):
    """A button in a witness's private flow: what to do, to which submission, with one argument."""

    def __init__(
        self,
        action: str,
        submission_id: int,
        arg: str = "",
        *,
        label: str = "…",
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
        disabled: bool = False,
        row: int | None = None,
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=style,
                disabled=disabled,
                custom_id=f"evidence:{action}:{submission_id}:{arg}",
            ),
            row=row,
        )
        self.action, self.submission_id, self.arg = action, submission_id, arg

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]):
        return cls(match["action"], int(match["sid"]), match["arg"])

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.client.get_cog("CallCog").flow.button(interaction, self.action, self.submission_id, self.arg)


class WitnessSelect(discord.ui.DynamicItem[discord.ui.Select], template=r"evidence:(?P<field>cap|pub):(?P<sid>\d+)"):
    """The capacity and publication choices."""

    def __init__(self, field: str, submission_id: int, current: str | None = None, row: int | None = None) -> None:
        choices = capacity_choices() if field == "cap" else publication_choices()
        placeholder = (
            "Are you giving evidence as an individual or for an organisation?"
            if field == "cap"
            else "How may we publish your evidence?"
        )
        options = [discord.SelectOption(label=label, value=value, default=value == current) for label, value in choices]
        super().__init__(
            discord.ui.Select(custom_id=f"evidence:{field}:{submission_id}", placeholder=placeholder, options=options),
            row=row,
        )
        self.field, self.submission_id = field, submission_id

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]):
        return cls(match["field"], int(match["sid"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        value = interaction.data.get("values", [""])[0]
        await interaction.client.get_cog("CallCog").flow.select(interaction, self.field, self.submission_id, value)


DYNAMIC_ITEMS = (SubmitEvidenceButton, WitnessButton, WitnessSelect)


def _stateless(view: discord.ui.View) -> discord.ui.View:
    """Every item here is dispatched by its custom_id alone, so the view need not be kept in memory (nor timed:
    discord.py would otherwise keep a 15-minute timer alive for each private message)."""
    view.stop()
    return view


def call_view(inquiry: Inquiry, *, closed: bool) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(SubmitEvidenceButton(inquiry.id, closed=closed))
    return view


def panel_view(
    inquiry: Inquiry, submission: Submission, documents: tuple[EvidenceDocument, ...] | list = ()
) -> discord.ui.View:
    sid = submission.id
    view = discord.ui.View(timeout=None)
    view.add_item(WitnessSelect("cap", sid, submission.capacity and submission.capacity.value, row=0))
    view.add_item(WitnessSelect("pub", sid, submission.publication and submission.publication.value, row=1))
    view.add_item(WitnessButton("details", sid, label="Your details", row=2))
    next_q = _next_question(inquiry, submission)
    label = "Answer the questions" if not submission.answers else f"Continue (Q{next_q})"
    view.add_item(WitnessButton("nav", sid, f"q{next_q}", label=label, style=discord.ButtonStyle.primary, row=2))
    view.add_item(WitnessButton("nav", sid, "review", label="Review and submit", row=2))
    view.add_item(WitnessButton("doc", sid, label="Send a document", row=2))
    _add_unsent_buttons(view, submission, row=3)
    for document in list(documents)[:5]:
        view.add_item(WitnessButton("nav", sid, f"d{document.id}", label=clip(f"📄 {document.filename}", 80), row=4))
    return _stateless(view)


def split_label(inquiry: Inquiry, document: EvidenceDocument) -> str:
    """``Use as answers to Q1–Q5``."""
    return clip(f"Use as answers to {question_range(numbers_of(inquiry, document.split_question_ids))}", 80)


def document_view(
    inquiry: Inquiry, submission: Submission, document: EvidenceDocument, *, in_flow: bool = True
) -> discord.ui.View:
    """A document's page (in the flow, or the reply to a document sent by direct message): use it as answers or
    keep it whole, take it back out, and back to the overview."""
    sid, arg = submission.id, str(document.id)
    view = discord.ui.View(timeout=None)
    if document.split is not None:
        answers = document.use is DocumentUse.ANSWERS
        view.add_item(
            WitnessButton(
                "docsplit",
                sid,
                arg,
                label=split_label(inquiry, document),
                style=discord.ButtonStyle.secondary if answers else discord.ButtonStyle.primary,
                disabled=answers,
            )
        )
        view.add_item(WitnessButton("docwhole", sid, arg, label="Keep as one statement", disabled=not answers))
    view.add_item(WitnessButton("docdel", sid, arg, label="Remove this document", style=discord.ButtonStyle.danger))
    if in_flow:
        view.add_item(WitnessButton("nav", sid, "panel", label="Overview"))
    return _stateless(view)


def _add_unsent_buttons(view: discord.ui.View, submission: Submission, row: int | None = None) -> None:
    """Send or drop changes to sent evidence that were kept because they went over the word limit."""
    if submission.pending_answers:
        view.add_item(
            WitnessButton("push", submission.id, label="Send changes", style=discord.ButtonStyle.success, row=row)
        )
        view.add_item(WitnessButton("drop", submission.id, label="Discard changes", row=row))


def question_view(inquiry: Inquiry, submission: Submission, question: Question) -> discord.ui.View:
    sid, n, last = submission.id, question.position, len(inquiry.questions)
    answered = bool(submission.answers.get(question.id))
    view = discord.ui.View(timeout=None)
    view.add_item(
        WitnessButton(
            "answer",
            sid,
            str(question.id),
            label="Edit answer" if answered else "Write answer",
            style=discord.ButtonStyle.primary,
        )
    )
    view.add_item(WitnessButton("nav", sid, f"q{n - 1}", label="← Previous", disabled=n <= 1))
    forward = f"q{n + 1}" if n < last else "review"
    view.add_item(WitnessButton("nav", sid, forward, label="Next →" if answered else "Skip →"))
    view.add_item(WitnessButton("nav", sid, "panel", label="Overview"))
    return _stateless(view)


def review_view(submission: Submission) -> discord.ui.View:
    sid = submission.id
    view = discord.ui.View(timeout=None)
    if submission.status is SubmissionStatus.DRAFT:
        view.add_item(WitnessButton("send", sid, label="Submit evidence", style=discord.ButtonStyle.success))
    view.add_item(WitnessButton("nav", sid, "q1", label="Back to the answers"))
    view.add_item(WitnessButton("nav", sid, "panel", label="Overview"))
    _add_unsent_buttons(view, submission)
    return _stateless(view)


def mine_view(submissions: list[Submission]) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for submission in submissions[:12]:
        label = submission.reference or "draft"
        if submission.editable_by_witness:
            view.add_item(WitnessButton("edit", submission.id, label=f"Open {label}"))
        if submission.status not in (SubmissionStatus.WITHDRAWN, SubmissionStatus.PUBLISHED):
            view.add_item(
                WitnessButton("withdraw", submission.id, label=f"Withdraw {label}", style=discord.ButtonStyle.danger)
            )
    return _stateless(view)


def confirm_withdraw_view(submission: Submission) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(
        WitnessButton("withdrawok", submission.id, label="Yes, withdraw it", style=discord.ButtonStyle.danger)
    )
    return _stateless(view)


class _Stateless(discord.ui.Modal):
    """A modal whose submission is handled by custom_id (see CallCog.on_interaction), so it survives restarts."""

    async def on_submit(self, interaction: discord.Interaction) -> None:
        return None


def split_answer(text: str) -> list[str]:
    """Spread an answer over the modal's inputs, paragraph by paragraph, each under 4,000 characters."""
    parts: list[str] = []
    current = ""
    for paragraph in [p for p in text.split("\n\n") if p.strip()]:
        while len(paragraph) > PART_CHARS:
            cut = paragraph.rfind(" ", 0, PART_CHARS)
            cut = cut if cut > PART_CHARS // 2 else PART_CHARS
            if current:
                parts.append(current)
                current = ""
            parts.append(paragraph[:cut].rstrip())
            paragraph = paragraph[cut:].lstrip()
        joined = f"{current}\n\n{paragraph}" if current else paragraph
        if len(joined) <= PART_CHARS:
            current = joined
        else:
            parts.append(current)
            current = paragraph
    if current:
        parts.append(current)
    return parts


def answer_modal(inquiry: Inquiry, submission: Submission, question: Question) -> discord.ui.Modal:
    """Five inputs of 4,000 characters: long answers fit; each further part starts a new paragraph."""
    modal = _Stateless(
        title=clip(f"{inquiry.code} {question.label}: your answer", 45),
        custom_id=f"{MODAL_PREFIX}answer:{submission.id}:{question.id}",
        timeout=None,
    )
    parts = split_answer(submission.pending_answers.get(question.id, submission.answers.get(question.id, "")))
    for index in range(ANSWER_PARTS):
        modal.add_item(
            discord.ui.TextInput(
                label="Your answer" if index == 0 else f"Your answer, part {index + 1} (new paragraph)",
                style=discord.TextStyle.paragraph,
                custom_id=f"part{index + 1}",
                required=False,
                max_length=PART_CHARS,
                default=parts[index] if index < len(parts) else None,
                placeholder=clip(question.text, 100) if index == 0 else "Only if your answer needs more room",
            )
        )
    return modal


def document_modal(submission: Submission) -> discord.ui.Modal:
    """One file, in a form: the witness's evidence as a document."""
    modal = _Stateless(title="Send a document", custom_id=f"{MODAL_PREFIX}doc:{submission.id}:", timeout=None)
    modal.add_item(
        discord.ui.TextDisplay(
            f"Your written evidence as a file: {ACCEPTED_FILES}, up to 25 MB. If it answers the questions by their"
            " numbers (Question 1, Question 2 ...), you can use its parts as your answers. You can also send it to me"
            " by direct message while your draft is open."
        )
    )
    modal.add_item(
        discord.ui.Label(
            text="Your document",
            description="Word, OpenDocument, rich text, plain text or PDF",
            component=discord.ui.FileUpload(custom_id="file", required=True, min_values=1, max_values=1),
        )
    )
    return modal


def modal_attachments(interaction: discord.Interaction) -> list[discord.Attachment]:
    """The files uploaded in a submitted modal (its file upload components), as attachments to read."""
    data = interaction.data or {}
    wanted: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            if node.get("type") == discord.ComponentType.file_upload.value:
                wanted.extend(str(value) for value in node.get("values", []))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data.get("components", []))
    resolved = (data.get("resolved") or {}).get("attachments") or {}
    return [discord.Attachment(data=resolved[key], state=interaction._state) for key in wanted if key in resolved]


def details_modal(submission: Submission) -> discord.ui.Modal:
    modal = _Stateless(title="About you", custom_id=f"{MODAL_PREFIX}details:{submission.id}:", timeout=None)
    modal.add_item(
        discord.ui.TextInput(label="Your name", custom_id="name", max_length=100, default=submission.submitter_name)
    )
    modal.add_item(
        discord.ui.TextInput(
            label="Organisation (if on behalf of one)",
            custom_id="organisation",
            required=False,
            max_length=200,
            default=submission.organisation,
        )
    )
    modal.add_item(
        discord.ui.TextInput(
            label="Email or phone (never published)",
            custom_id="contact",
            required=False,
            max_length=300,
            default=submission.contact,
        )
    )
    return modal


def modal_values(data: dict) -> dict[str, str]:
    """The values of a submitted modal, whatever nesting of rows and labels carries them."""
    found: dict[str, str] = {}

    def walk(node) -> None:
        if isinstance(node, dict):
            if "custom_id" in node and "value" in node:
                found[node["custom_id"]] = node["value"] or ""
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data.get("components", []))
    return found


def _next_question(inquiry: Inquiry, submission: Submission) -> int:
    for question in inquiry.questions:
        if not submission.answers.get(question.id):
            return question.position
    return 1
