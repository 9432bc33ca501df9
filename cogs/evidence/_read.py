"""/evidence read: the chair and members read the written evidence the secretariat has accepted, as it would be
published (see :mod:`inquiry.evidence.access`): a list of what they may read, then one submission a page at a time.
Previous, Next, the list and the menu carry their state in their ``custom_id``, so they work after a restart; each
press checks the reader's role and the evidence's access again. The secretariat may open it too, to see what the
committee sees. Everything is private to the reader."""

from __future__ import annotations

import logging
import re

import discord
from discord import app_commands
from discord.ext import commands

from cogs._shared.checks import has_role, member_roles, require_roles
from cogs._shared.errors import report_error
from cogs._shared.inquiry_option import INQUIRY_OPTION, inquiry_autocomplete
from cogs.evidence import _read_text as text
from inquiry.core.errors import NotFound
from inquiry.evidence.access import COMMITTEE_VIEW_ROLES, AccessSettings, Reader
from inquiry.inquiries.models import Inquiry, InquiryStatus

log = logging.getLogger(__name__)

READER = Reader.COMMITTEE  # what this view shows, to whoever opens it


async def _inquiry_here(interaction: discord.Interaction, inquiry_id: int) -> Inquiry:
    """The inquiry, provided the user may use the committee's view on the server it belongs to."""
    await require_roles(interaction, *COMMITTEE_VIEW_ROLES)
    inquiry = await interaction.client.services.inquiries.get(inquiry_id)
    if inquiry.guild_id != interaction.guild_id:
        raise NotFound("That inquiry is not on this server.")
    return inquiry


async def list_message(services, inquiry: Inquiry, number: int) -> tuple[str, discord.ui.View]:
    """Page ``number`` of the list of readable evidence, with the menu to open one and Previous / Next."""
    summaries = await services.reading.readable(inquiry, READER)
    confidential = AccessSettings.of(inquiry).committee_reads_confidential
    page = text.list_page(inquiry.code, summaries, number, confidential=confidential)
    view = discord.ui.View(timeout=None)
    if page.shown:
        view.add_item(OpenSelect(inquiry.id, page.number, page.shown))
    view.add_item(ListPageButton(inquiry.id, page.number - 1, "← Previous", disabled=page.number <= 1))
    view.add_item(ListPageButton(inquiry.id, page.number + 1, "Next →", disabled=page.number >= page.pages))
    view.stop()  # dispatched by custom_id alone: nothing to keep in memory
    return page.text, view


async def submission_message(
    services,
    inquiry: Inquiry,
    number: int,
    back: int,
    *,
    submission_id: int | None = None,
    reference: str | None = None,
) -> tuple[str, discord.ui.View]:
    """Page ``number`` of one submission (out of range: the nearest page), with Previous / Next and the list."""
    evidence = await services.reading.read(inquiry, READER, reference=reference, submission_id=submission_id)
    pages = text.submission_pages(evidence)
    number = min(max(1, number), len(pages))
    sid = evidence.summary.submission_id
    view = discord.ui.View(timeout=None)
    view.add_item(SubmissionPageButton(inquiry.id, sid, number - 1, back, "← Previous", disabled=number <= 1))
    view.add_item(SubmissionPageButton(inquiry.id, sid, number + 1, back, "Next →", disabled=number >= len(pages)))
    view.add_item(ListPageButton(inquiry.id, back, "All submissions"))
    view.stop()
    return pages[number - 1], view


class ListPageButton(discord.ui.DynamicItem[discord.ui.Button], template=r"evread:l:(?P<inquiry>\d+):(?P<page>\d+)"):
    """A page of the list of readable evidence."""

    def __init__(self, inquiry_id: int, page: int, label: str = "All submissions", disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                custom_id=f"evread:l:{inquiry_id}:{page}",
                disabled=disabled,
            )
        )
        self.inquiry_id, self.page = inquiry_id, page

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]):
        return cls(int(match["inquiry"]), int(match["page"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            inquiry = await _inquiry_here(interaction, self.inquiry_id)
            content, view = await list_message(interaction.client.services, inquiry, self.page)
            await interaction.response.edit_message(content=content, view=view)
        except Exception as error:
            await report_error(interaction, error, "evidence list page")


class SubmissionPageButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"evread:s:(?P<inquiry>\d+):(?P<sid>\d+):(?P<page>\d+):(?P<back>\d+)",
):
    """A page of one submission; ``back`` is the page of the list it was opened from."""

    def __init__(
        self, inquiry_id: int, submission_id: int, page: int, back: int, label: str = "Open", disabled: bool = False
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.primary,
                custom_id=f"evread:s:{inquiry_id}:{submission_id}:{page}:{back}",
                disabled=disabled,
            )
        )
        self.inquiry_id, self.submission_id, self.page, self.back = inquiry_id, submission_id, page, back

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]):
        return cls(int(match["inquiry"]), int(match["sid"]), int(match["page"]), int(match["back"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            inquiry = await _inquiry_here(interaction, self.inquiry_id)
            services = interaction.client.services
            content, view = await submission_message(
                services, inquiry, self.page, self.back, submission_id=self.submission_id
            )
            await interaction.response.edit_message(content=content, view=view)
        except Exception as error:
            await report_error(interaction, error, "evidence page")


class OpenSelect(discord.ui.DynamicItem[discord.ui.Select], template=r"evread:o:(?P<inquiry>\d+):(?P<page>\d+)"):
    """The menu of the submissions on a page of the list: choosing one opens it."""

    def __init__(self, inquiry_id: int, page: int, shown=()) -> None:
        options = [discord.SelectOption(label=text.option_label(s), value=str(s.submission_id)) for s in shown]
        super().__init__(
            discord.ui.Select(
                custom_id=f"evread:o:{inquiry_id}:{page}",
                placeholder="Choose a submission to read",
                options=options,
            )
        )
        self.inquiry_id, self.page = inquiry_id, page

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]):
        return cls(int(match["inquiry"]), int(match["page"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            inquiry = await _inquiry_here(interaction, self.inquiry_id)
            chosen = (interaction.data or {}).get("values") or ["0"]
            submission_id = int(chosen[0]) if str(chosen[0]).isdigit() else 0
            content, view = await submission_message(
                interaction.client.services, inquiry, 1, self.page, submission_id=submission_id
            )
            await interaction.response.edit_message(content=content, view=view)
        except Exception as error:
            await report_error(interaction, error, "evidence menu")


DYNAMIC_ITEMS = (ListPageButton, SubmissionPageButton, OpenSelect)


async def readable_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """References the user may read (by reference or name as shown to the committee)."""
    services = interaction.client.services
    if interaction.guild_id is None:
        return []
    config = await services.inquiries.config(interaction.guild_id)
    if not member_roles(interaction.user, config) & set(COMMITTEE_VIEW_ROLES):
        return []
    typed = current.strip().lower()
    choices = []
    for inquiry in await services.inquiries.in_guild(interaction.guild_id):
        if inquiry.status is InquiryStatus.DRAFT:
            continue
        for summary in await services.reading.readable(inquiry, READER):
            label = text.option_label(summary)
            if typed in label.lower():
                choices.append(app_commands.Choice(name=label, value=summary.reference))
    return choices[:25]


class ReadCog(commands.Cog):
    """The committee's read-only view of the written evidence."""

    def __init__(self, bot) -> None:
        self.bot = bot
        self.services = bot.services

    async def cog_load(self) -> None:
        """Move this cog's command under ``/evidence`` (the group lives in CallCog)."""
        group = self.bot.get_cog("CallCog").evidence
        for command in list(self.__cog_app_commands__):
            self.__cog_app_commands__.remove(command)
            group.add_command(command)

    @app_commands.command(name="read")
    @app_commands.describe(
        reference="A submission to open at once, such as SCI0001 (leave it out for the list)", inquiry=INQUIRY_OPTION
    )
    @app_commands.autocomplete(reference=readable_autocomplete, inquiry=inquiry_autocomplete)
    @has_role(*COMMITTEE_VIEW_ROLES)
    async def read(
        self, interaction: discord.Interaction, reference: str | None = None, inquiry: str | None = None
    ) -> None:
        """Read the written evidence the secretariat has accepted (chair and members), privately."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        if reference and not inquiry:
            found = await self.services.review.inquiry_of(interaction.guild_id, reference)
        else:
            found = await self.services.inquiries.resolve(interaction.guild_id, inquiry)
        if reference:
            content, view = await submission_message(self.services, found, 1, 1, reference=reference)
        else:
            content, view = await list_message(self.services, found, 1)
        await interaction.followup.send(content, view=view, ephemeral=True)


async def setup(bot) -> None:
    """Add the cog (after CallCog, whose /evidence group it joins) and its persistent components."""
    bot.add_dynamic_items(*DYNAMIC_ITEMS)
    await bot.add_cog(ReadCog(bot))
