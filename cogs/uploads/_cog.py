"""The upload page on Discord's side: private links for files too large to send here, evidence the secretariat
enters for someone outside Discord, and the upload page itself when the bot serves it.

- ``/evidence upload``: a witness's link for their own draft (at the question they are on, or the one they name);
- ``/session recording-link``: the secretariat's link for a session's recording;
- ``/review import-link``: the secretariat's link for evidence received by post, with who it is from;
- ``/review import``: evidence received outside Discord, entered at once from an attached document.

The commands join the ``/evidence``, ``/session`` and ``/review`` groups of their features. A link is a secret: it
is only ever sent privately. What happens to a file once it arrives is :mod:`inquiry.uploads.intake`; what the bot
then says on Discord is in :mod:`._deliveries`.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands, tasks

from cogs._shared.checks import has_role
from cogs._shared.forum import create_forum_post
from cogs._shared.inquiry_option import INQUIRY_OPTION, inquiry_autocomplete
from cogs._shared.outbox import sender as outbox_sender
from cogs.sessions import _options as session_options
from cogs.sessions._recordings import _usernames, started_line
from cogs.uploads import _text as text
from inquiry.core.errors import InvalidState
from inquiry.core.models import Role
from inquiry.evidence.entry import EntryDetails
from inquiry.evidence.imports import parse_received
from inquiry.evidence.models import Capacity, Publication
from inquiry.sessions.models import Session
from inquiry.sessions.rules import recording_offset
from inquiry.uploads.intake import UploadIntake
from web import UploadLinks, start_web

log = logging.getLogger(__name__)

WATCH_S = 30.0  # how often the outbox is looked at for rows written by the upload page running on its own
CAPACITY_CHOICES = [
    app_commands.Choice(name="An individual", value=Capacity.INDIVIDUAL.value),
    app_commands.Choice(name="On behalf of an organisation", value=Capacity.ORGANISATION.value),
]
PUBLICATION_CHOICES = [
    app_commands.Choice(name="Publish with name", value=Publication.NAMED.value),
    app_commands.Choice(name="Publish anonymously", value=Publication.ANONYMOUS.value),
    app_commands.Choice(name="Confidential", value=Publication.CONFIDENTIAL.value),
]
ENTRY_OPTIONS = {
    "name": "Who the evidence is from (the person, or who wrote for the organisation)",
    "capacity": "An individual, or on behalf of an organisation",
    "publication": "How they asked for it to be published",
    "organisation": "The organisation's name (when on behalf of one)",
    "contact": "Their address or email (never published)",
    "received": "The day it was received, YYYY-MM-DD (default: today)",
    "accept": "Accept it into the record at once (default: no)",
    "inquiry": INQUIRY_OPTION,
}
GROUPS = {"upload": ("CallCog", "evidence"), "recording-link": ("SessionsCog", "session")}
GROUPS |= {"import": ("ReviewCog", "review"), "import-link": ("ReviewCog", "review")}


class UploadsCog(commands.Cog):
    """Upload links, entered evidence, and the upload page when the bot serves it."""

    def __init__(self, bot) -> None:
        self.bot = bot
        self.services = bot.services
        self.web = bot.settings.web
        self.links = None
        lifetime = self.web.link_lifetime if self.web else None
        self.intake = UploadIntake(bot.services, bot.transcription, lifetime=lifetime, usernames=self._usernames)
        self.runner = None
        self._moved: list[tuple[app_commands.Group, app_commands.Command]] = []

    async def cog_load(self) -> None:
        """Join each command to its feature's group; serve the upload page if the bot is to."""
        for command in list(self.__cog_app_commands__):
            cog_name, group_name = GROUPS[command.name]
            group = getattr(self.bot.get_cog(cog_name), group_name)
            self.__cog_app_commands__.remove(command)
            group.add_command(command)
            self._moved.append((group, command))
        if self.web is not None:
            self.links = UploadLinks(self.web)
            if self.bot.settings.web_in_bot:
                clock = self.services.clock  # the grants' clock
                self.runner = await start_web(self.web, self.services.uploads, self.intake.take, clock=clock)
            else:  # `evidence-bot web` takes the files: the notices it owes are found by looking
                self.watch.start()

    async def cog_unload(self) -> None:
        self.watch.cancel()
        for group, command in self._moved:
            group.remove_command(command.name)
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None

    async def _usernames(self, session: Session) -> dict[int, set[str]]:
        inquiry = await self.services.inquiries.get(session.inquiry_id)
        guild = self.bot.get_guild(inquiry.guild_id) if inquiry else None
        return await _usernames(guild, session) if guild is not None else {}

    def _url(self, grant) -> str:
        return self.links.url(grant)

    def _require_page(self, *, secretariat: bool) -> None:
        if self.links is None:
            raise InvalidState(text.NOT_CONFIGURED_SECRETARIAT if secretariat else text.NOT_CONFIGURED)

    # Rows written by another process ------------------------------------------------------------

    @tasks.loop(seconds=WATCH_S)
    async def watch(self) -> None:
        """Wake the outbox sender when rows fell due that it was not told of (written by the upload page running
        on its own; rows of the command line are sent at the sender's hourly look, or at once with these)."""
        due = await self.services.outbox.next_due()
        if due is not None and due <= self.services.clock():
            outbox_sender(self.bot).wake()

    @watch.before_loop
    async def _ready(self) -> None:
        await self.bot.wait_until_ready()

    # Witnesses ----------------------------------------------------------------------------------

    @app_commands.command(name="upload")
    @app_commands.describe(
        inquiry="The inquiry's code, such as SCI (optional when there is only one)",
        question="The question the file answers (default: the one you are on; none: a general statement)",
    )
    async def upload(
        self,
        interaction: discord.Interaction,
        inquiry: str | None = None,
        question: app_commands.Range[int, 1, 100] | None = None,
    ) -> None:
        """Get a private link to send a recording or document too large for Discord, for your draft evidence."""
        self._require_page(secretariat=False)
        found = await self.services.inquiries.resolve(interaction.guild_id, inquiry)
        await interaction.response.defer(ephemeral=True, thinking=True)
        grant = await self.intake.draft_link(interaction.user.id, found, question)
        max_media = self.bot.transcription.settings.max_bytes
        message = text.draft_link(grant, self._url(grant), self.services.tz, self.web.max_bytes, max_media)
        await interaction.followup.send(message, ephemeral=True)

    # The secretariat ----------------------------------------------------------------------------

    @app_commands.command(name="recording-link")
    @app_commands.describe(
        session=session_options.SESSION_HELP,
        started="When the recording started, HH:MM or HH:MM:SS (default: when the session was opened)",
    )
    @app_commands.autocomplete(session=session_options.live_session_choices)
    @has_role(Role.SECRETARIAT)
    async def recording_link(
        self, interaction: discord.Interaction, session: int | None = None, started: str | None = None
    ) -> None:
        """Get a private link to send a session's recording too large for Discord."""
        self._require_page(secretariat=True)
        actor = await session_options.actor(interaction)
        found = await session_options.find(interaction, session)
        offset = recording_offset(started, found.opened_at, self.services.tz) if found.opened_at else 0.0
        await interaction.response.defer(ephemeral=True, thinking=True)
        grant = await self.intake.session_link(actor, found, offset)
        line = started_line(found, offset, self.services.tz)
        await interaction.followup.send(
            text.session_link(grant, self._url(grant), self.services.tz, line), ephemeral=True
        )

    @app_commands.command(name="import-link")
    @app_commands.describe(**ENTRY_OPTIONS)
    @app_commands.choices(capacity=CAPACITY_CHOICES, publication=PUBLICATION_CHOICES)
    @app_commands.autocomplete(inquiry=inquiry_autocomplete)
    @has_role(Role.SECRETARIAT)
    async def import_link(
        self,
        interaction: discord.Interaction,
        name: app_commands.Range[str, 1, 100],
        capacity: str,
        publication: str,
        organisation: app_commands.Range[str, 1, 200] | None = None,
        contact: app_commands.Range[str, 1, 300] | None = None,
        received: str | None = None,
        accept: bool = False,
        inquiry: str | None = None,
    ) -> None:
        """Get a private link to send evidence received by post (a document too large for Discord)."""
        self._require_page(secretariat=True)
        found = await self.services.inquiries.resolve(interaction.guild_id, inquiry)
        details = _details(name, capacity, publication, organisation, contact, received, accept)
        await interaction.response.defer(ephemeral=True, thinking=True)
        grant = await self.intake.post_link(interaction.user.id, interaction.user.display_name, found, details)
        who = details.organisation if details.capacity is Capacity.ORGANISATION else details.name
        await interaction.followup.send(
            text.post_link(grant, self._url(grant), self.services.tz, who or details.name), ephemeral=True
        )

    @app_commands.command(name="import")
    @app_commands.describe(file="The evidence: a Word, OpenDocument, rich text, text or PDF file", **ENTRY_OPTIONS)
    @app_commands.choices(capacity=CAPACITY_CHOICES, publication=PUBLICATION_CHOICES)
    @app_commands.autocomplete(inquiry=inquiry_autocomplete)
    @has_role(Role.SECRETARIAT)
    async def import_evidence(
        self,
        interaction: discord.Interaction,
        file: discord.Attachment,
        name: app_commands.Range[str, 1, 100],
        capacity: str,
        publication: str,
        organisation: app_commands.Range[str, 1, 200] | None = None,
        contact: app_commands.Range[str, 1, 300] | None = None,
        received: str | None = None,
        accept: bool = False,
        inquiry: str | None = None,
    ) -> None:
        """Enter evidence received outside Discord (by post, by email): it gets a reference and a forum post."""
        imports = self.services.imports
        found = await self.services.inquiries.resolve(interaction.guild_id, inquiry)
        details = imports.check(_details(name, capacity, publication, organisation, contact, received, accept))
        imports.check_file(file.filename, file.size)  # before anything is downloaded
        await interaction.response.defer(ephemeral=True, thinking=True)
        done = await imports.enter(
            found,
            details,
            await file.read(),
            file.filename,
            actor_id=interaction.user.id,
            via="discord",
            content_type=file.content_type,
            actor_name=interaction.user.display_name,
        )
        thread = await create_forum_post(self.bot, found, done.submission)
        await interaction.followup.send(
            text.entered(done, self.services.tz, thread.id if thread else None), ephemeral=True
        )


def _details(
    name: str,
    capacity: str,
    publication: str,
    organisation: str | None,
    contact: str | None,
    received: str | None,
    accept: bool,
) -> EntryDetails:
    return EntryDetails(
        name=name,
        capacity=Capacity(capacity),
        publication=Publication(publication),
        organisation=organisation,
        contact=contact,
        received_on=parse_received(received),
        accept=accept,
    )
