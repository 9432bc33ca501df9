"""The witness's private flow: start or resume a draft, details, answers question by question, submit."""

from __future__ import annotations

import io
import logging

import discord

from cogs._shared.errors import report_error
from cogs._shared.format import safe
from cogs._shared.forum import create_forum_post, sync_forum_post
from cogs.evidence import _text as text
from cogs.evidence import _ui as ui
from inquiry.evidence.models import Capacity, Publication, Submission, SubmissionStatus
from inquiry.inquiries.models import Inquiry

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
        await interaction.response.send_message(
            text.panel(inquiry, submission, self.services.clock(), self.services.tz),
            view=ui.panel_view(inquiry, submission),
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
        if before.status is not SubmissionStatus.DRAFT:
            after = await self.bot.services.review.find(
                await self.services.submissions.inquiry_of(before), before.reference
            )
            await sync_forum_post(self.bot, after, f"{before.reference} was withdrawn by the witness.")

    async def _on_send(self, interaction: discord.Interaction, sid: int, _: str) -> None:
        await interaction.response.defer()  # acknowledge at once; the page changes when the evidence is in
        result = await self.services.submissions.submit(sid, interaction.user.id)
        submission, inquiry = result.submission, result.inquiry
        message = f"✅ Thank you. Your evidence has been received as **{submission.reference}**, not yet accepted."
        if result.late:
            message += " It arrived after the closing date, so it is marked late; it will still be considered."
        await interaction.edit_original_response(content=message, view=None)
        await self._send_receipt(interaction, inquiry, submission)
        try:
            await create_forum_post(self.bot, inquiry, submission)
        except discord.HTTPException:
            # The evidence is safely stored; the secretariat still finds it with /review list.
            log.exception("could not post %s in the evidence forum", submission.reference)

    # Pages -----------------------------------------------------------------------------------

    async def _save_answer(self, interaction: discord.Interaction, sid: int, question_id: int, values: dict) -> None:
        parts = [values.get(f"part{i + 1}", "").strip() for i in range(ui.ANSWER_PARTS)]
        answer = "\n\n".join(part for part in parts if part)
        before = await self.services.submissions.get_own(sid, interaction.user.id)
        submission = await self.services.submissions.save_answer(sid, interaction.user.id, question_id, answer)
        inquiry = await self.services.submissions.inquiry_of(submission)
        position = next(q.position for q in inquiry.questions if q.id == question_id)
        target = f"q{position + 1}" if position < len(inquiry.questions) else "review"
        await self._show(interaction, submission, target)
        if before.status is SubmissionStatus.SUBMITTED and before.answers.get(question_id) != answer:
            await sync_forum_post(
                self.bot, submission, f"Q{position} was changed by the witness:\n{safe(answer)[:1800]}"
            )

    async def _show(self, interaction: discord.Interaction, submission: Submission, target: str) -> None:
        inquiry = await self.services.submissions.inquiry_of(submission)
        content, view, step = self._page(inquiry, submission, target)
        if submission.status is SubmissionStatus.DRAFT:
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
        content, view, _ = self._page(inquiry, submission, target)
        return content, view

    def _page(self, inquiry: Inquiry, submission: Submission, target: str) -> tuple[str, discord.ui.View, int]:
        now, tz = self.services.clock(), self.services.tz
        if target.startswith("q") and inquiry.questions:
            position = min(max(int(target[1:] or 1), 1), len(inquiry.questions))
            question = inquiry.questions[position - 1]
            return (
                text.question_page(inquiry, submission, question),
                ui.question_view(inquiry, submission, question),
                position,
            )
        if target == "review":
            return text.review_page(inquiry, submission, now, tz), ui.review_view(submission), REVIEW_STEP
        return text.panel(inquiry, submission, now, tz), ui.panel_view(inquiry, submission), 0

    async def _send_receipt(self, interaction: discord.Interaction, inquiry: Inquiry, submission: Submission) -> None:
        body = text.receipt(inquiry, submission, self.services.tz)

        def copy() -> discord.File:
            data = text.answers_copy(inquiry, submission).encode("utf-8")
            return discord.File(io.BytesIO(data), filename=f"{submission.reference}.txt")

        try:
            await interaction.user.send(body, file=copy())
        except discord.HTTPException as error:
            log.info("receipt DM to %s failed (%s); sending it privately here", interaction.user.id, error.code)
            await interaction.followup.send(
                body + "\n\nI could not send this receipt by direct message (your DMs are closed), so here it is.",
                file=copy(),
                ephemeral=True,
            )
