"""/review audit: the whole audit trail, a page at a time, with Previous and Next (their state is in their
``custom_id``, so they work after a restart) and the whole trail as a CSV file. It can be narrowed to one
submission (by reference) or one session (by number)."""

from __future__ import annotations

import io
import re

import discord

from cogs._shared.checks import require_roles
from cogs._shared.errors import report_error
from cogs._shared.format import MESSAGE_LIMIT, clip, safe
from cogs.admin._text import stamp
from inquiry.audit.csv_file import audit_csv
from inquiry.audit.service import AuditPage, Scope, details, target_label
from inquiry.core.errors import NotFound
from inquiry.core.models import AuditEntry, Role

BUDGET = MESSAGE_LIMIT - 60


def _who(entry: AuditEntry) -> str:
    if entry.actor_name and entry.actor_id is None:
        return safe(entry.actor_name)
    return f"<@{entry.actor_id}>" if entry.actor_id else "the bot"


def entry_line(entry: AuditEntry, page: AuditPage, tz) -> str:
    """```1 Jan 2026 00:00 GMT` <@1> · **SCI0001 accepted** · submitted → accepted · reason: ...``"""
    what = entry.action
    target = target_label(entry, page.labels)
    if page.scope is Scope.SESSION:  # "session 2, Q7" is "Q7" in the session's own trail
        target = target.removeprefix(page.scope_label.split(" of ")[0]).removeprefix(", ")
    if target and target != page.scope_label and page.scope is not Scope.SUBMISSION:
        what = f"{target} {what}" if entry.target_kind == "submission" else f"{target}: {what}"
    line = f"`{stamp(entry.at, tz)}` {_who(entry)} · **{safe(what)}**"
    if said := details(entry):
        line += f" · {safe(said)}"
    if entry.reason:
        line += f" · reason: {safe(entry.reason)}"
    return line


def page_text(page: AuditPage, tz) -> str:
    """The page as one message: a header, one line per entry (shortened when they would not fit), a footer."""
    order = "oldest first" if page.oldest_first else "newest first"
    if page.scope is Scope.ALL:
        header = f"**Audit log of {page.scope_label}**: {order} (times {tz.key})"
    else:
        header = f"**Audit log of {page.scope_label}** ({order}; times {tz.key})"
    footer = f"Page {page.number} of {page.pages} · {page.total} entries"
    lines = [entry_line(e, page, tz) for e in page.entries] or ["Nothing recorded yet."]
    room = BUDGET - len(header) - len(footer) - 2
    if sum(len(line) + 1 for line in lines) > room:
        each = max(80, room // len(lines) - 1)
        lines = [clip(line, each) for line in lines]
    return "\n".join([header, *lines, footer])


def page_view(page: AuditPage) -> discord.ui.View:
    """Previous, Next and the CSV file, each carrying what it needs in its custom_id."""
    view = discord.ui.View(timeout=None)
    where = (page.inquiry.id, page.scope, page.scope_id)
    view.add_item(AuditPageButton(*where, "p", page.first_id, disabled=not page.has_previous))
    view.add_item(AuditPageButton(*where, "n", page.last_id, disabled=not page.has_next))
    view.add_item(AuditCsvButton(page.inquiry.id))
    view.stop()  # dispatched by custom_id alone: nothing to keep in memory
    return view


async def _inquiry_here(interaction: discord.Interaction, inquiry_id: int):
    """The inquiry, provided the user is the secretariat of the server it belongs to."""
    await require_roles(interaction, Role.SECRETARIAT)
    inquiry = await interaction.client.services.inquiries.get(inquiry_id)
    if inquiry.guild_id != interaction.guild_id:
        raise NotFound("That inquiry is not on this server.")
    return inquiry


class AuditPageButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"audit:(?P<inquiry>\d+):(?P<scope>[asn]):(?P<scope_id>\d+):(?P<move>[pn]):(?P<beyond>\d+)",
):
    """Previous or Next: the page before the first entry shown, or after the last."""

    def __init__(self, inquiry_id: int, scope: Scope, scope_id: int, move: str, beyond: int, disabled=False) -> None:
        super().__init__(
            discord.ui.Button(
                label="← Previous" if move == "p" else "Next →",
                custom_id=f"audit:{inquiry_id}:{scope.value}:{scope_id}:{move}:{beyond}",
                disabled=disabled,
            )
        )
        self.inquiry_id, self.scope, self.scope_id, self.move, self.beyond = inquiry_id, scope, scope_id, move, beyond

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]):
        scope = Scope(match["scope"])
        return cls(int(match["inquiry"]), scope, int(match["scope_id"]), match["move"], int(match["beyond"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            inquiry = await _inquiry_here(interaction, self.inquiry_id)
            services = interaction.client.services
            page = await services.audit.page(
                inquiry, self.scope, self.scope_id, beyond=self.beyond or None, backwards=self.move == "p"
            )
            await interaction.response.edit_message(content=page_text(page, services.tz), view=page_view(page))
        except Exception as error:
            await report_error(interaction, error, "audit page")


class AuditCsvButton(discord.ui.DynamicItem[discord.ui.Button], template=r"audit:csv:(?P<inquiry>\d+)"):
    """The inquiry's whole audit trail as a CSV file, privately."""

    def __init__(self, inquiry_id: int) -> None:
        super().__init__(discord.ui.Button(label="Whole trail (CSV)", custom_id=f"audit:csv:{inquiry_id}"))
        self.inquiry_id = inquiry_id

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]):
        return cls(int(match["inquiry"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            inquiry = await _inquiry_here(interaction, self.inquiry_id)
            await interaction.response.defer(ephemeral=True, thinking=True)
            services = interaction.client.services
            data = audit_csv(await services.audit.rows(inquiry, services.tz)).encode("utf-8")
            file = discord.File(io.BytesIO(data), filename=f"{inquiry.code}-audit.csv")
            await interaction.followup.send(f"The whole audit trail of {inquiry.code}.", file=file, ephemeral=True)
        except Exception as error:
            await report_error(interaction, error, "audit CSV")


DYNAMIC_ITEMS = (AuditPageButton, AuditCsvButton)


class NameNoter:
    """Notes the name each person goes by on a server when they use the bot (the audit trail's "who")."""

    def __init__(self, bot) -> None:
        self.bot = bot
        self.seen: dict[tuple[int, int], str] = {}

    async def note(self, interaction: discord.Interaction) -> None:
        if interaction.guild_id is None or not isinstance(interaction.user, discord.Member):
            return
        data = interaction.data or {}
        if data.get("name") == "privacy" or str(data.get("custom_id", "")).startswith("privacy:"):
            return  # someone asking to be forgotten is not noted again
        key, name = (interaction.guild_id, interaction.user.id), interaction.user.display_name
        if self.seen.get(key) == name:
            return
        self.seen[key] = name
        await self.bot.services.audit.remember_name(*key, name)
