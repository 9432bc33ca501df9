"""/review: the secretariat lists, reads, accepts, rejects, redacts, publishes and withdraws written evidence,
and reads the audit log. Each decision updates the forum post and tells the witness by direct message."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from cogs._shared.checks import has_role, member_roles
from cogs._shared.format import clip, quote, safe
from cogs._shared.forum import sync_forum_post
from cogs.admin import _text as text
from cogs.admin._cog import INQUIRY_OPTION, inquiry_autocomplete, reply
from inquiry.core.models import Role
from inquiry.evidence.models import Submission, SubmissionStatus
from inquiry.inquiries.models import Inquiry
from inquiry.review.service import REVIEWABLE

log = logging.getLogger(__name__)

REFERENCE_OPTION = "The submission's reference, such as SCI0001"
STATUS_CHOICES = [app_commands.Choice(name=status.value, value=status.value) for status in REVIEWABLE]


async def reference_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """References on this server matching what has been typed (by reference or name); secretariat only."""
    services = interaction.client.services
    if interaction.guild_id is None:
        return []
    config = await services.inquiries.config(interaction.guild_id)
    if Role.SECRETARIAT not in member_roles(interaction.user, config):
        return []
    typed = current.strip().lower()
    choices = []
    for inquiry in await services.inquiries.in_guild(interaction.guild_id):
        for submission in await services.review.list(inquiry):
            label = f"{submission.reference} · {submission.display_name} · {submission.status.value}"
            if typed in label.lower():
                choices.append(app_commands.Choice(name=clip(label, 100), value=submission.reference))
    return choices[-25:]


class ReviewCog(commands.Cog):
    """The secretariat's review of written evidence."""

    review = app_commands.Group(
        name="review", description="Review written evidence and read the audit log (secretariat)", guild_only=True
    )

    def __init__(self, bot) -> None:
        self.bot = bot
        self.services = bot.services

    async def _locate(self, interaction: discord.Interaction, reference: str) -> tuple[Inquiry, Submission]:
        inquiry = await self.services.review.inquiry_of(interaction.guild_id, reference)
        return inquiry, await self.services.review.find(inquiry, reference)

    async def _tell_witness(self, inquiry: Inquiry, submission: Submission) -> str:
        """Send the witness the decision by DM; say what happened. Closed DMs are expected and only noted."""
        notice = text.witness_notice(inquiry, submission)
        if notice is None:
            return ""
        if submission.user_id is None:
            return "There is no witness account to tell (their data has been erased)."
        try:
            user = self.bot.get_user(submission.user_id) or await self.bot.fetch_user(submission.user_id)
            await user.send(notice)
        except discord.Forbidden:
            log.info("could not tell the witness of %s by DM (DMs closed)", submission.reference)
            return "The witness's direct messages are closed, so they were not told."
        except discord.HTTPException as error:
            log.warning("could not tell the witness of %s by DM: %s", submission.reference, error)
            return "I could not send the witness a direct message; they were not told."
        return "The witness has been told by direct message."

    async def _after_decision(self, interaction: discord.Interaction, inquiry: Inquiry, submission: Submission) -> None:
        actor = interaction.user.display_name
        reason = f" Reason: {submission.decision_reason}" if submission.decision_reason else ""
        await sync_forum_post(self.bot, submission, f"{submission.status.value.capitalize()} by {actor}.{reason}")
        lines = [f"**{submission.reference}** ({safe(submission.display_name)}) is now **{submission.status.value}**."]
        if submission.decision_reason:
            lines.append(f"Reason recorded: {safe(submission.decision_reason)}")
        if submission.forum_thread_id:
            lines.append(f"Its forum post <#{submission.forum_thread_id}> is updated.")
        lines.append(await self._tell_witness(inquiry, submission))
        await interaction.followup.send("\n".join(line for line in lines if line), ephemeral=True)

    # Reading ----------------------------------------------------------------------------------

    @review.command(name="list")
    @app_commands.describe(inquiry=INQUIRY_OPTION, status="Only submissions in this state")
    @app_commands.autocomplete(inquiry=inquiry_autocomplete)
    @app_commands.choices(status=STATUS_CHOICES)
    @has_role(Role.SECRETARIAT)
    async def list_submissions(
        self, interaction: discord.Interaction, inquiry: str | None = None, status: str | None = None
    ) -> None:
        """List the written evidence received, optionally of one status."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await self.services.inquiries.resolve(interaction.guild_id, inquiry)
        wanted = SubmissionStatus(status) if status else None
        submissions = await self.services.review.list(found, wanted)
        which = f" {wanted.value}" if wanted else ""
        if not submissions:
            await interaction.followup.send(f"{found.code} has no{which} submissions.", ephemeral=True)
            return
        header = f"**{found.code}: {len(submissions)}{which} submission(s)**"
        lines = [text.submission_line(s, self.services.tz) for s in submissions]
        await reply(interaction, text.paged(header, lines, f"{found.code}-submissions.txt"))

    @review.command(name="show")
    @app_commands.describe(reference=REFERENCE_OPTION)
    @app_commands.autocomplete(reference=reference_autocomplete)
    @has_role(Role.SECRETARIAT)
    async def show(self, interaction: discord.Interaction, reference: str) -> None:
        """Everything about one submission: who, contact, status, answers by question, redactions, recordings."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        inquiry, submission = await self._locate(interaction, reference)
        redactions = await self.services.review.redactions(submission)
        recordings = await self.services.review.recordings(inquiry, submission)
        details = text.submission_details(inquiry, submission, redactions, self.services.tz, recordings=recordings)
        await reply(interaction, details)

    @review.command(name="audit")
    @app_commands.describe(
        reference="A submission's reference; without it, the inquiry's latest entries", inquiry=INQUIRY_OPTION
    )
    @app_commands.autocomplete(reference=reference_autocomplete, inquiry=inquiry_autocomplete)
    @has_role(Role.SECRETARIAT)
    async def audit(
        self, interaction: discord.Interaction, reference: str | None = None, inquiry: str | None = None
    ) -> None:
        """The audit log: who did what, when and why, for one submission or the whole inquiry."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        tz = self.services.tz
        if reference:
            found, submission = await self._locate(interaction, reference)
            entries = await self.services.review.audit(found, submission.reference)
            header = f"**Audit log of {submission.reference}** (oldest first; times {tz.key})"
            lines = [text.audit_line(entry, tz) for entry in entries]
            filename = f"{submission.reference}-audit.txt"
        else:
            found = await self.services.inquiries.resolve(interaction.guild_id, inquiry)
            entries = await self.services.review.audit(found)
            references = {s.id: s.reference for s in await self.services.review.list(found)}
            header = f"**Audit log of {found.code}**: the latest {len(entries)} entries, newest first (times {tz.key})"
            lines = [text.audit_line(entry, tz, references=references) for entry in entries]
            filename = f"{found.code}-audit.txt"
        await reply(interaction, text.paged(header, lines or ["Nothing recorded yet."], filename))

    # Decisions --------------------------------------------------------------------------------

    @review.command(name="accept")
    @app_commands.describe(reference=REFERENCE_OPTION)
    @app_commands.autocomplete(reference=reference_autocomplete)
    @has_role(Role.SECRETARIAT)
    async def accept(self, interaction: discord.Interaction, reference: str) -> None:
        """Accept evidence into the inquiry's record; the witness can no longer change it."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        inquiry = await self.services.review.inquiry_of(interaction.guild_id, reference)
        submission = await self.services.review.accept(inquiry, reference, interaction.user.id)
        await self._after_decision(interaction, inquiry, submission)

    @review.command(name="reject")
    @app_commands.describe(reference=REFERENCE_OPTION, reason="Why, in words the witness will read")
    @app_commands.autocomplete(reference=reference_autocomplete)
    @has_role(Role.SECRETARIAT)
    async def reject(
        self, interaction: discord.Interaction, reference: str, reason: app_commands.Range[str, 1, 1000]
    ) -> None:
        """Reject evidence, with the reason recorded and sent to the witness."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        inquiry = await self.services.review.inquiry_of(interaction.guild_id, reference)
        submission = await self.services.review.reject(inquiry, reference, interaction.user.id, reason)
        await self._after_decision(interaction, inquiry, submission)

    @review.command(name="publish")
    @app_commands.describe(reference=REFERENCE_OPTION)
    @app_commands.autocomplete(reference=reference_autocomplete)
    @has_role(Role.SECRETARIAT)
    async def publish(self, interaction: discord.Interaction, reference: str) -> None:
        """Publish accepted evidence (never confidential evidence), honouring the witness's choice of name."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        inquiry = await self.services.review.inquiry_of(interaction.guild_id, reference)
        submission = await self.services.review.publish(inquiry, reference, interaction.user.id)
        await self._after_decision(interaction, inquiry, submission)

    @review.command(name="withdraw")
    @app_commands.describe(reference=REFERENCE_OPTION, reason="Why it is withdrawn from publication")
    @app_commands.autocomplete(reference=reference_autocomplete)
    @has_role(Role.SECRETARIAT)
    async def withdraw(
        self, interaction: discord.Interaction, reference: str, reason: app_commands.Range[str, 1, 1000]
    ) -> None:
        """Withdraw published evidence from publication, with the reason recorded."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        inquiry = await self.services.review.inquiry_of(interaction.guild_id, reference)
        submission = await self.services.review.withdraw(inquiry, reference, interaction.user.id, reason)
        await self._after_decision(interaction, inquiry, submission)

    @review.command(name="redact")
    @app_commands.describe(
        reference=REFERENCE_OPTION,
        question="The number of the question whose answer holds the passage",
        passage="The passage to withhold from publication, copied exactly from the answer",
        reason="Why it is withheld (for the record)",
    )
    @app_commands.autocomplete(reference=reference_autocomplete)
    @has_role(Role.SECRETARIAT)
    async def redact(
        self,
        interaction: discord.Interaction,
        reference: str,
        question: app_commands.Range[int, 1, 100],
        passage: app_commands.Range[str, 1, 4000],
        reason: app_commands.Range[str, 1, 1000],
    ) -> None:
        """Withhold an exact passage of an answer from publication, recording why."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        inquiry, submission = await self._locate(interaction, reference)
        redaction = await self.services.review.redact(
            inquiry, submission.reference, question, passage, reason, interaction.user.id
        )
        actor = interaction.user.display_name
        note = f"Q{question}: {len(redaction.passage):,} characters withheld from publication by {actor}."
        await sync_forum_post(self.bot, submission, f"{note} Reason: {redaction.reason}")
        count = len(await self.services.review.redactions(submission))
        await interaction.followup.send(
            f"Redaction recorded on **{submission.reference}**, Q{question} ({count} on this submission):\n"
            f"{quote(redaction.passage, 1200)}\nReason: {clip(safe(redaction.reason), 500)}\n"
            "It is to be withheld wherever this evidence is published; the witness's original is kept.",
            ephemeral=True,
        )


async def setup(bot) -> None:
    await bot.add_cog(ReviewCog(bot))
