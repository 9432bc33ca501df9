"""/review: the secretariat lists, reads, accepts, rejects, redacts, publishes and withdraws written evidence,
and reads the audit log. Each decision updates the forum post and tells the witness by direct message."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from cogs._shared.checks import has_role, member_roles
from cogs._shared.format import clip, safe
from cogs._shared.inquiry_option import INQUIRY_OPTION, inquiry_autocomplete
from cogs._shared.outbox import sender as outbox_sender
from cogs.admin import _text as text
from cogs.admin._cog import reply
from cogs.review import _audit as audit_pages
from inquiry.core.models import Role
from inquiry.evidence.models import Submission, SubmissionStatus
from inquiry.inquiries.models import Inquiry
from inquiry.outbox.models import OutboxKind, OutboxState
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
        self.names = audit_pages.NameNoter(bot)

    async def _locate(self, interaction: discord.Interaction, reference: str) -> tuple[Inquiry, Submission]:
        inquiry = await self.services.review.inquiry_of(interaction.guild_id, reference)
        return inquiry, await self.services.review.find(inquiry, reference)

    async def _tell_witness(self, inquiry: Inquiry, submission: Submission) -> str:
        """Send the witness the decision by DM now (its outbox row); say what happened. Closed DMs are expected
        and only noted; other failures are retried by the outbox."""
        if submission.user_id is None:
            return "There is no witness account to tell (their data has been erased)."
        row = await self.services.outbox.latest(submission.id, OutboxKind.WITNESS_NOTICE)
        if row is None:
            return ""
        delivery = await outbox_sender(self.bot).deliver_now(row.id)
        if delivery.sent:
            return "The witness has been told by direct message."
        if delivery.unreachable:
            log.info("could not tell the witness of %s by DM (DMs closed)", submission.reference)
            return "The witness's direct messages are closed, so they were not told."
        if delivery.state is OutboxState.PENDING and delivery.note is None:
            return "The witness will be told by direct message shortly."
        if delivery.state is OutboxState.PENDING:
            log.warning("could not tell the witness of %s by DM yet: %s", submission.reference, delivery.note)
            return "I could not send the witness a direct message yet; I will keep trying."
        log.warning("could not tell the witness of %s by DM: %s", submission.reference, delivery.note)
        return "I could not send the witness a direct message; they were not told."

    async def _after_decision(self, interaction: discord.Interaction, inquiry: Inquiry, submission: Submission) -> None:
        update = await self.services.outbox.latest(submission.id, OutboxKind.FORUM_UPDATE)
        posted = update is not None and (await outbox_sender(self.bot).deliver_now(update.id)).sent
        lines = [f"**{submission.reference}** ({safe(submission.display_name)}) is now **{submission.status.value}**."]
        if submission.decision_reason:
            lines.append(f"Reason recorded: {safe(submission.decision_reason)}")
        if submission.forum_thread_id:
            verb = "is updated" if posted else "will be updated as soon as Discord allows"
            lines.append(f"Its forum post <#{submission.forum_thread_id}> {verb}.")
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
        content = await self.services.submissions.content(submission)
        details = text.submission_details(
            inquiry, submission, redactions, self.services.tz, recordings=recordings, content=content
        )
        await reply(interaction, details)

    @review.command(name="audit")
    @app_commands.describe(
        reference="Only this submission's entries (its reference, such as SCI0001)",
        session="Only this session's entries (its number)",
        inquiry=INQUIRY_OPTION,
    )
    @app_commands.autocomplete(reference=reference_autocomplete, inquiry=inquiry_autocomplete)
    @has_role(Role.SECRETARIAT)
    async def audit(
        self,
        interaction: discord.Interaction,
        reference: str | None = None,
        session: app_commands.Range[int, 1, 10_000] | None = None,
        inquiry: str | None = None,
    ) -> None:
        """The audit trail: who changed what, when and why, a page at a time (a submission, a session, or all)."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        if reference:
            found, _ = await self._locate(interaction, reference)
        else:
            found = await self.services.inquiries.resolve(interaction.guild_id, inquiry)
        scope, scope_id = await self.services.audit.scope_of(found, reference=reference, session_number=session)
        page = await self.services.audit.page(found, scope, scope_id)
        await interaction.followup.send(
            audit_pages.page_text(page, self.services.tz), view=audit_pages.page_view(page), ephemeral=True
        )

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        try:
            await self.names.note(interaction)
        except Exception:
            log.exception("could not note the name of user %s", interaction.user.id)

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


async def setup(bot) -> None:
    bot.add_dynamic_items(*audit_pages.DYNAMIC_ITEMS)
    await bot.add_cog(ReviewCog(bot))
