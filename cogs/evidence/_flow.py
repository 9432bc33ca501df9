"""The witness's private flow: start or resume a draft, details, answers question by question (typed, spoken, or in
a document), submit."""

from __future__ import annotations

import logging

import discord

from cogs._shared import documents as document_text
from cogs._shared.errors import report_error
from cogs._shared.outbox import sender
from cogs.evidence import _text as text
from cogs.evidence import _ui as ui
from cogs.evidence._deliveries import receipt_file
from inquiry.core.errors import InvalidInput, NotAllowed
from inquiry.evidence.content import DocumentUse, EvidenceContent
from inquiry.evidence.documents import DocumentTaken
from inquiry.evidence.models import Capacity, Publication, Submission
from inquiry.inquiries.models import Inquiry
from inquiry.outbox.models import OutboxRow

log = logging.getLogger(__name__)

REVIEW_STEP = 10_000  # the 'step' recorded when the witness reached the review page


class WitnessFlow:
    """Turns the witness's clicks and modal submissions into service calls and the next page."""

    def __init__(self, bot) -> None:
        self.bot = bot
        self.services = bot.services

    # Entry points ----------------------------------------------------------------------------

    async def start(self, interaction: discord.Interaction, inquiry_id: int) -> None:
        """Open the witness's draft (created if new), where they left it."""
        try:
            inquiry = await self.services.inquiries.get(inquiry_id)
            if interaction.guild_id is None or interaction.guild_id != inquiry.guild_id:
                await interaction.response.send_message(text.WRONG_PLACE, ephemeral=True)
                return
            submission = await self.services.submissions.start_or_resume(inquiry, interaction.user.id)
            content, view = await self._page_for_step(inquiry, submission)
            await interaction.response.send_message(content, view=view, ephemeral=True)
        except Exception as error:
            await report_error(interaction, error, "submit evidence")

    async def button(self, interaction: discord.Interaction, action: str, sid: int, arg: str) -> None:
        """A click on one of the flow's buttons."""
        try:
            await getattr(self, f"_on_{action}")(interaction, sid, arg)
        except Exception as error:
            await report_error(interaction, error, f"witness button {action}")

    async def select(self, interaction: discord.Interaction, field: str, sid: int, value: str) -> None:
        """A choice of capacity or publication."""
        try:
            user = interaction.user.id
            if field == "cap":
                submission = await self.services.submissions.set_capacity(sid, user, Capacity(value))
                if submission.capacity is Capacity.ORGANISATION and not submission.organisation:
                    await interaction.response.send_modal(ui.details_modal(submission))
                    return
            else:
                submission = await self.services.submissions.set_publication(sid, user, Publication(value))
            await self._show(interaction, submission, "panel")
        except Exception as error:
            await report_error(interaction, error, f"witness select {field}")

    async def modal(self, interaction: discord.Interaction) -> None:
        """A submitted answer or details modal (identified by its custom_id alone)."""
        custom_id = interaction.data.get("custom_id", "")
        try:
            kind, sid, arg = custom_id.removeprefix(ui.MODAL_PREFIX).split(":")
            values = ui.modal_values(interaction.data)
            if kind == "answer":
                await self._save_answer(interaction, int(sid), int(arg), values)
            elif kind == "doc":
                await self._receive_document(interaction, int(sid))
            elif kind == "details":
                submission = await self.services.submissions.set_details(
                    int(sid),
                    interaction.user.id,
                    name=values.get("name", ""),
                    organisation=values.get("organisation"),
                    contact=values.get("contact"),
                )
                await self._show(interaction, submission, "panel")
        except Exception as error:
            await report_error(interaction, error, f"witness modal {custom_id}")

    async def open_submission(self, interaction: discord.Interaction, submission: Submission) -> None:
        """Open an existing submission's overview as a new private message."""
        inquiry = await self.services.submissions.inquiry_of(submission)
        held = await self.services.submissions.content(submission)
        content = text.panel(inquiry, submission, self.services.clock(), self.services.tz, held)
        if submission.pending_answers:
            content = f"{text.unsent_notice(inquiry, submission, held)}\n\n{content}"
        await interaction.response.send_message(
            content,
            view=ui.panel_view(inquiry, submission, held.documents),
            ephemeral=True,
        )

    # Buttons ---------------------------------------------------------------------------------

    async def _on_nav(self, interaction: discord.Interaction, sid: int, target: str) -> None:
        submission = await self.services.submissions.get_own(sid, interaction.user.id)
        await self._show(interaction, submission, target)

    async def _on_answer(self, interaction: discord.Interaction, sid: int, question_id: str) -> None:
        submission = await self.services.submissions.get_own(sid, interaction.user.id)
        inquiry = await self.services.submissions.inquiry_of(submission)
        question = next((q for q in inquiry.questions if q.id == int(question_id)), None)
        if question is None:
            await self._show(interaction, submission, "panel")
            return
        await interaction.response.send_modal(ui.answer_modal(inquiry, submission, question))

    async def _on_details(self, interaction: discord.Interaction, sid: int, _: str) -> None:
        submission = await self.services.submissions.get_own(sid, interaction.user.id)
        await interaction.response.send_modal(ui.details_modal(submission))

    async def _on_edit(self, interaction: discord.Interaction, sid: int, _: str) -> None:
        submission = await self.services.submissions.get_own(sid, interaction.user.id)
        await self.open_submission(interaction, submission)

    async def _on_withdraw(self, interaction: discord.Interaction, sid: int, _: str) -> None:
        submission = await self.services.submissions.get_own(sid, interaction.user.id)
        label = submission.reference or "your draft"
        await interaction.response.send_message(
            f"Withdraw {label}? The secretariat will no longer consider it. This cannot be undone.",
            view=ui.confirm_withdraw_view(submission),
            ephemeral=True,
        )

    async def _on_withdrawok(self, interaction: discord.Interaction, sid: int, _: str) -> None:
        before = await self.services.submissions.withdraw(sid, interaction.user.id)
        label = before.reference or "Your draft"
        await interaction.response.edit_message(content=f"{label} has been withdrawn.", view=None)

    async def _on_push(self, interaction: discord.Interaction, sid: int, _: str) -> None:
        submission = await self.services.submissions.send_changes(sid, interaction.user.id)
        await self._show(interaction, submission, "panel", notice="✅ Your changes have been sent.")

    async def _on_drop(self, interaction: discord.Interaction, sid: int, _: str) -> None:
        submission = await self.services.submissions.discard_changes(sid, interaction.user.id)
        await self._show(interaction, submission, "panel", notice="Your unsent changes were dropped.")

    async def _on_send(self, interaction: discord.Interaction, sid: int, _: str) -> None:
        await interaction.response.defer()  # acknowledge at once; the page changes when the evidence is in
        result = await self.services.submissions.submit(sid, interaction.user.id)
        submission, inquiry = result.submission, result.inquiry
        message = f"✅ Thank you. Your evidence has been received as **{submission.reference}**, not yet accepted."
        if result.late:
            message += " It arrived after the closing date, so it is marked late; it will still be considered."
        try:
            await interaction.edit_original_response(content=message, view=None)
        except discord.HTTPException:
            log.warning("could not show %s as received to its witness", submission.reference, exc_info=True)

        async def here(row: OutboxRow) -> None:  # closed DMs: the receipt privately in the channel instead
            log.info("receipt DM to %s failed (DMs closed); sending it privately here", interaction.user.id)
            held = await self.services.submissions.content(submission)
            body = text.receipt(inquiry, submission, self.services.tz, held)
            await interaction.followup.send(
                body + "\n\nI could not send this receipt by direct message (your DMs are closed), so here it is.",
                file=receipt_file(inquiry, submission, held),
                ephemeral=True,
            )

        await sender(self.bot).deliver_now(result.receipt_row, fallback=here)  # else the outbox retries it

    # Documents -------------------------------------------------------------------------------

    async def _on_doc(self, interaction: discord.Interaction, sid: int, _: str) -> None:
        submission = await self.services.submissions.get_own(sid, interaction.user.id)
        if not submission.editable_by_witness:
            raise NotAllowed(f"{submission.reference} is {submission.status.value}: it can no longer be changed.")
        await interaction.response.send_modal(ui.document_modal(submission))

    async def _receive_document(self, interaction: discord.Interaction, sid: int) -> None:
        """A file sent through the form: read it (a few seconds, so the page is acknowledged first), then show it."""
        submission = await self.services.submissions.get_own(sid, interaction.user.id)
        attachments = ui.modal_attachments(interaction)
        if not attachments:
            raise InvalidInput("Please choose a file to send.")
        attachment = attachments[0]
        self.services.documents.check_size(attachment.filename, attachment.size, submission)
        await interaction.response.defer()
        taken = await self.services.documents.receive(
            sid,
            interaction.user.id,
            await attachment.read(),
            attachment.filename,
            attachment.content_type,
            source="form",
        )
        notice = _taken_notice(taken)
        await self._show(interaction, taken.submission, f"d{taken.document.id}", notice=notice)

    async def _on_docsplit(self, interaction: discord.Interaction, sid: int, document_id: str) -> None:
        taken = await self.services.documents.use(sid, interaction.user.id, int(document_id), DocumentUse.ANSWERS)
        await self._after_document(interaction, taken, "✅ Its parts are now your answers to those questions.")

    async def _on_docwhole(self, interaction: discord.Interaction, sid: int, document_id: str) -> None:
        taken = await self.services.documents.use(sid, interaction.user.id, int(document_id), DocumentUse.STATEMENT)
        await self._after_document(interaction, taken, "✅ It stands as one statement.")

    async def _on_docdel(self, interaction: discord.Interaction, sid: int, document_id: str) -> None:
        taken = await self.services.documents.remove(sid, interaction.user.id, int(document_id))
        notice = f"{taken.document.filename} is no longer part of your evidence."
        if interaction.guild_id is None:  # the reply to a document sent by direct message
            await interaction.response.edit_message(content=notice, view=None)
            return
        await self._show(interaction, taken.submission, "panel", notice=notice)

    async def _after_document(self, interaction: discord.Interaction, taken: DocumentTaken, notice: str) -> None:
        if interaction.guild_id is None:  # the reply to a document sent by direct message: it changes in place
            await interaction.response.edit_message(
                content=document_text.document_page(taken.inquiry, taken.document, notice=notice),
                view=ui.document_view(taken.inquiry, taken.submission, taken.document, in_flow=False),
            )
            return
        await self._show(interaction, taken.submission, f"d{taken.document.id}", notice=notice)

    # Pages -----------------------------------------------------------------------------------

    async def _save_answer(self, interaction: discord.Interaction, sid: int, question_id: int, values: dict) -> None:
        parts = [values.get(f"part{i + 1}", "").strip() for i in range(ui.ANSWER_PARTS)]
        for number, part in enumerate(parts, start=1):
            if len(part) > ui.PART_CHARS:  # the form allows no more; only a modified client sends it
                raise InvalidInput(
                    f"Part {number} of your answer is {len(part):,} characters long; each box holds at most"
                    f" {ui.PART_CHARS:,} characters. Nothing was saved."
                )
        answer = "\n\n".join(part for part in parts if part)
        submission = await self.services.submissions.save_answer(sid, interaction.user.id, question_id, answer)
        inquiry = await self.services.submissions.inquiry_of(submission)
        position = next(q.position for q in inquiry.questions if q.id == question_id)
        target = f"q{position + 1}" if position < len(inquiry.questions) else "review"
        if question_id in submission.pending_answers:
            target = f"q{position}"  # kept, not sent: stay on it, to shorten it
        await self._show(interaction, submission, target)

    async def _show(
        self, interaction: discord.Interaction, submission: Submission, target: str, *, notice: str | None = None
    ) -> None:
        inquiry = await self.services.submissions.inquiry_of(submission)
        held = await self.services.submissions.content(submission)
        on_document = target.startswith("d")
        content, view, step = self._page(inquiry, submission, target, held, notice if on_document else None)
        banner = [notice] if notice and not on_document else []
        if submission.pending_answers:
            banner.append(text.unsent_notice(inquiry, submission, held))
        content = "\n\n".join([*banner, content])
        if submission.editable_by_witness:  # a recording sent now joins the question on screen, sent or not
            await self.services.submissions.set_step(submission.id, interaction.user.id, step)
        if interaction.response.is_done():
            await interaction.edit_original_response(content=content, view=view)
        else:
            await interaction.response.edit_message(content=content, view=view)

    async def _page_for_step(self, inquiry: Inquiry, submission: Submission) -> tuple[str, discord.ui.View]:
        step = submission.step
        if step >= REVIEW_STEP:
            target = "review"
        elif 1 <= step <= len(inquiry.questions):
            target = f"q{step}"
        else:
            target = "panel"
        held = await self.services.submissions.content(submission)
        content, view, _ = self._page(inquiry, submission, target, held)
        return content, view

    def _page(
        self, inquiry: Inquiry, submission: Submission, target: str, held: EvidenceContent, notice: str | None = None
    ) -> tuple[str, discord.ui.View, int]:
        now, tz = self.services.clock(), self.services.tz
        if target.startswith("q") and inquiry.questions:
            position = min(max(int(target[1:] or 1), 1), len(inquiry.questions))
            question = inquiry.questions[position - 1]
            return (
                text.question_page(inquiry, submission, question, held),
                ui.question_view(inquiry, submission, question),
                position,
            )
        document = next((d for d in held.documents if target == f"d{d.id}"), None)
        if document is not None:
            return (
                document_text.document_page(inquiry, document, notice=notice),
                ui.document_view(inquiry, submission, document),
                0,
            )
        if target == "review":
            return text.review_page(inquiry, submission, now, tz, held), ui.review_view(submission), REVIEW_STEP
        return text.panel(inquiry, submission, now, tz, held), ui.panel_view(inquiry, submission, held.documents), 0


def _taken_notice(taken: DocumentTaken) -> str:
    if taken.duplicate:
        return f"You sent {taken.document.filename} before: it is already part of your evidence."
    return f"✅ I read {taken.document.filename} and added it to your evidence."
