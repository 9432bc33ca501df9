"""/inquiry: the secretariat creates an inquiry, writes its numbered questions, and opens and closes the call."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from cogs._shared.checks import has_role
from cogs._shared.format import clip, safe
from cogs._shared.inquiry_option import INQUIRY_OPTION, inquiry_autocomplete
from cogs.admin import _text as text
from cogs.evidence._call import announce_call
from inquiry.core.models import Role
from inquiry.core.rules import DEFAULT_WORD_LIMIT
from inquiry.inquiries.models import Inquiry, InquiryStatus
from inquiry.inquiries.templates import TEMPLATES

log = logging.getLogger(__name__)

TEMPLATE_CHOICES = [app_commands.Choice(name=clip(t.title, 100), value=key) for key, t in TEMPLATES.items()]


async def reply(interaction: discord.Interaction, answer: text.Reply) -> None:
    """Send a prepared reply privately, with its file when the message had to be shortened."""
    kwargs: dict = {"ephemeral": True}
    if answer.embed is not None:
        kwargs["embed"] = answer.embed
    if (file := answer.file()) is not None:
        kwargs["file"] = file
    await interaction.followup.send(answer.content or discord.utils.MISSING, **kwargs)


async def refresh_announcement(bot, inquiry: Inquiry, *, force: bool = False) -> str:
    """Post or update the public call for evidence; a line for the secretariat when that failed."""
    if not force and not inquiry.call_message_id:
        return ""
    try:
        message = await announce_call(bot, inquiry)
    except discord.HTTPException as error:
        log.warning("could not announce the call of %s: %s", inquiry.code, error)
        message = None
    if message is None:
        return (
            "\n⚠️ I could not post the announcement in the call-for-evidence channel: check that I can send messages"
            " there (or run /setup again), then run this command again."
        )
    return f"\nAnnouncement: {message.jump_url}"


class InquiryAdminCog(commands.Cog):
    """The secretariat's commands for an inquiry and its call for written evidence."""

    inquiry = app_commands.Group(
        name="inquiry", description="Set up an inquiry and run its call for evidence (secretariat)", guild_only=True
    )

    def __init__(self, bot) -> None:
        self.bot = bot
        self.services = bot.services

    async def _resolve(self, interaction: discord.Interaction, code: str | None) -> Inquiry:
        return await self.services.inquiries.resolve(interaction.guild_id, code)

    async def _after_question_change(self, interaction: discord.Interaction, inquiry: Inquiry, done: str) -> None:
        warning = await refresh_announcement(self.bot, inquiry)
        lines = text.question_lines(inquiry) or ["No questions left."]
        if warning:
            lines.append(warning.strip())
        await reply(
            interaction, text.paged(f"{done} **{inquiry.code}** now asks:", lines, f"{inquiry.code}-questions.txt")
        )

    # Creating and showing ---------------------------------------------------------------------

    @inquiry.command(name="create")
    @app_commands.describe(
        code="Two to six letters that prefix every reference, such as SCI (gives SCI0001)",
        title="The inquiry's title",
        terms="The terms of reference: what the inquiry is about and whom it wants to hear from",
        word_limit=f"Most words per submission (default {DEFAULT_WORD_LIMIT:,})",
    )
    @has_role(Role.SECRETARIAT)
    async def create(
        self,
        interaction: discord.Interaction,
        code: app_commands.Range[str, 2, 6],
        title: app_commands.Range[str, 1, 200],
        terms: app_commands.Range[str, 1, 4000] | None = None,
        word_limit: app_commands.Range[int, 50, 50_000] = DEFAULT_WORD_LIMIT,
    ) -> None:
        """Create an inquiry (in draft) with its reference code, title and terms of reference."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        inquiry = await self.services.inquiries.create(
            interaction.guild_id,
            code=code,
            title=title,
            terms=terms or "",
            actor_id=interaction.user.id,
            word_limit=word_limit,
        )
        await interaction.followup.send(
            f"Created inquiry **{inquiry.code}**: {safe(inquiry.title)} (draft, word limit {inquiry.word_limit:,}).\n"
            f"References will run {inquiry.code}0001, {inquiry.code}0002 …\n"
            "Next: add questions with /inquiry question-add or load them with /inquiry template,"
            " then open the call with /inquiry open.",
            ephemeral=True,
        )

    @inquiry.command(name="show")
    @app_commands.describe(inquiry=INQUIRY_OPTION)
    @app_commands.autocomplete(inquiry=inquiry_autocomplete)
    @has_role(Role.SECRETARIAT)
    async def show(self, interaction: discord.Interaction, inquiry: str | None = None) -> None:
        """Show an inquiry: status, closing date, word limit and its numbered questions."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await self._resolve(interaction, inquiry)
        await reply(interaction, text.inquiry_summary(found, self.services.tz, self.services.clock()))

    # Questions --------------------------------------------------------------------------------

    @inquiry.command(name="question-add")
    @app_commands.describe(text="The question, as witnesses will read it", inquiry=INQUIRY_OPTION)
    @app_commands.autocomplete(inquiry=inquiry_autocomplete)
    @has_role(Role.SECRETARIAT)
    async def question_add(
        self, interaction: discord.Interaction, text: app_commands.Range[str, 1, 1000], inquiry: str | None = None
    ) -> None:
        """Add a numbered question at the end of the list."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await self._resolve(interaction, inquiry)
        found = await self.services.inquiries.add_question(found, text, interaction.user.id)
        await self._after_question_change(interaction, found, f"Added Q{len(found.questions)}.")

    @inquiry.command(name="question-edit")
    @app_commands.describe(number="The question's number", text="Its new wording", inquiry=INQUIRY_OPTION)
    @app_commands.autocomplete(inquiry=inquiry_autocomplete)
    @has_role(Role.SECRETARIAT)
    async def question_edit(
        self,
        interaction: discord.Interaction,
        number: app_commands.Range[int, 1, 100],
        text: app_commands.Range[str, 1, 1000],
        inquiry: str | None = None,
    ) -> None:
        """Change the wording of a question."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await self._resolve(interaction, inquiry)
        found = await self.services.inquiries.edit_question(found, number, text, interaction.user.id)
        await self._after_question_change(interaction, found, f"Q{number} reworded.")

    @inquiry.command(name="question-move")
    @app_commands.describe(number="The question to move", to="Its new number", inquiry=INQUIRY_OPTION)
    @app_commands.autocomplete(inquiry=inquiry_autocomplete)
    @has_role(Role.SECRETARIAT)
    async def question_move(
        self,
        interaction: discord.Interaction,
        number: app_commands.Range[int, 1, 100],
        to: app_commands.Range[int, 1, 100],
        inquiry: str | None = None,
    ) -> None:
        """Move a question to another number; the others are renumbered."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await self._resolve(interaction, inquiry)
        found = await self.services.inquiries.move_question(found, number, to, interaction.user.id)
        await self._after_question_change(interaction, found, f"Q{number} is now Q{to}.")

    @inquiry.command(name="question-remove")
    @app_commands.describe(number="The question to remove", inquiry=INQUIRY_OPTION)
    @app_commands.autocomplete(inquiry=inquiry_autocomplete)
    @has_role(Role.SECRETARIAT)
    async def question_remove(
        self, interaction: discord.Interaction, number: app_commands.Range[int, 1, 100], inquiry: str | None = None
    ) -> None:
        """Remove a question that nobody has answered; the ones after it move up."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await self._resolve(interaction, inquiry)
        found = await self.services.inquiries.remove_question(found, number, interaction.user.id)
        await self._after_question_change(interaction, found, f"Q{number} removed.")

    @inquiry.command(name="template")
    @app_commands.describe(name="The template to load", inquiry=INQUIRY_OPTION)
    @app_commands.choices(name=TEMPLATE_CHOICES)
    @app_commands.autocomplete(inquiry=inquiry_autocomplete)
    @has_role(Role.SECRETARIAT)
    async def template(
        self, interaction: discord.Interaction, name: str | None = None, inquiry: str | None = None
    ) -> None:
        """Load a template's questions into an inquiry that has none yet."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await self._resolve(interaction, inquiry)
        key = name or next(iter(TEMPLATES))
        found = await self.services.inquiries.load_template(found, key, interaction.user.id)
        await self._after_question_change(interaction, found, f"Loaded {len(found.questions)} questions.")

    @inquiry.command(name="word-limit")
    @app_commands.describe(words="Most words per submission, all answers together", inquiry=INQUIRY_OPTION)
    @app_commands.autocomplete(inquiry=inquiry_autocomplete)
    @has_role(Role.SECRETARIAT)
    async def word_limit(
        self, interaction: discord.Interaction, words: app_commands.Range[int, 50, 50_000], inquiry: str | None = None
    ) -> None:
        """Set the word limit per submission."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await self._resolve(interaction, inquiry)
        before = found.word_limit
        found = await self.services.inquiries.set_word_limit(found, words, interaction.user.id)
        warning = await refresh_announcement(self.bot, found)
        await interaction.followup.send(
            f"{found.code}'s word limit is now **{found.word_limit:,}** words per submission (was {before:,})."
            " Evidence already submitted is not affected." + warning,
            ephemeral=True,
        )

    @inquiry.command(name="committee-access")
    @app_commands.describe(
        confidential="Whether the chair and members may read evidence given in confidence (in /evidence read)",
        inquiry=INQUIRY_OPTION,
    )
    @app_commands.autocomplete(inquiry=inquiry_autocomplete)
    @has_role(Role.SECRETARIAT)
    async def committee_access(
        self, interaction: discord.Interaction, confidential: bool, inquiry: str | None = None
    ) -> None:
        """Let the chair and members read evidence given in confidence, or stop them (audited)."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await self._resolve(interaction, inquiry)
        found = await self.services.inquiries.set_committee_access(found, confidential, interaction.user.id)
        said = "may now read" if found.committee_reads_confidential else "can no longer read"
        await interaction.followup.send(
            f"The chair and members {said} the evidence given in confidence to **{found.code}** (/evidence read)."
            " They always read accepted evidence without contact details, with redactions applied.",
            ephemeral=True,
        )

    # The call for evidence ----------------------------------------------------------------------

    @inquiry.command(name="open")
    @app_commands.describe(
        closes="Closing date and time in the inquiry's time zone, such as 2020-04-14 17:00", inquiry=INQUIRY_OPTION
    )
    @app_commands.autocomplete(inquiry=inquiry_autocomplete)
    @has_role(Role.SECRETARIAT)
    async def open_call(
        self, interaction: discord.Interaction, closes: app_commands.Range[str, 1, 40], inquiry: str | None = None
    ) -> None:
        """Open the call for written evidence until a closing date, and announce it publicly."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await self._resolve(interaction, inquiry)
        closes_at = self.services.inquiries.parse_deadline(closes)
        before = found.status
        found = await self.services.inquiries.open_call(found, closes_at, interaction.user.id)
        announced = await refresh_announcement(self.bot, found, force=True)
        what = {
            InquiryStatus.DRAFT: "The call for evidence is **open**",
            InquiryStatus.OPEN: "The closing date has been **changed**",
            InquiryStatus.CLOSED: "The call for evidence is **open again**",
        }[before]
        await interaction.followup.send(
            f"{what} for **{found.code}**: {safe(found.title)}\n"
            f"Closes {text.deadline(found.closes_at, self.services.tz)}\n"
            "Evidence that arrives after that is still taken, marked late, until you run /inquiry close." + announced,
            ephemeral=True,
        )

    @inquiry.command(name="close")
    @app_commands.describe(inquiry=INQUIRY_OPTION)
    @app_commands.autocomplete(inquiry=inquiry_autocomplete)
    @has_role(Role.SECRETARIAT)
    async def close_call(self, interaction: discord.Interaction, inquiry: str | None = None) -> None:
        """Close the call for evidence: no more submissions are taken, late or not."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await self._resolve(interaction, inquiry)
        found = await self.services.inquiries.close_call(found, interaction.user.id)
        announced = await refresh_announcement(self.bot, found)
        report = await self.services.inquiries.status(found)
        received = text.received(report)
        await interaction.followup.send(
            f"The call for evidence to **{found.code}** is **closed**. {received} submission(s) received,"
            f" {report.late} late; {report.drafts} unfinished draft(s) can no longer be submitted." + announced,
            ephemeral=True,
        )

    @inquiry.command(name="status")
    @app_commands.describe(inquiry=INQUIRY_OPTION)
    @app_commands.autocomplete(inquiry=inquiry_autocomplete)
    @has_role(Role.SECRETARIAT)
    async def status(self, interaction: discord.Interaction, inquiry: str | None = None) -> None:
        """Figures: submissions by status, late ones, drafts in progress and answers per question."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await self._resolve(interaction, inquiry)
        report = await self.services.inquiries.status(found)
        await reply(interaction, text.status_report(report, self.services.tz, self.services.clock()))


async def setup(bot) -> None:
    await bot.add_cog(InquiryAdminCog(bot))
