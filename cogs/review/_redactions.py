"""/review redact, redact-oral, redactions and unredact: the secretariat withholds passages of any part of the record
from publication, each with its reason, and undoes a redaction with a reason.

``/review redact`` takes a written answer (``question:``), a witness's confirmed transcript of a recording
(``recording:``, its number in ``/review show``) or a document given as evidence (``document:``);
``/review redact-oral`` takes what was said under an oral question of a session (an answer posted in its thread, or
a passage of its recording). Without ``passage:`` (or ``reason:``) a form opens, for passages longer than a
command's option holds: four inputs of 4,000 characters, joined as they are. The commands join the ``/review``
group of :class:`ReviewCog`.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from cogs._shared.checks import has_role, require_roles
from cogs._shared.errors import report_error
from cogs._shared.format import clip, quote, safe
from cogs._shared.forum import sync_forum_post
from cogs.admin import _text as text
from cogs.admin._cog import reply
from cogs.evidence._ui import modal_values
from cogs.review._cog import REFERENCE_OPTION, reference_autocomplete
from inquiry.core.errors import InvalidInput
from inquiry.core.models import Role
from inquiry.evidence.models import Submission
from inquiry.review.redaction_models import RedactionPlace, TargetKind

log = logging.getLogger(__name__)

MODAL_PREFIX = "redact:"  # redact:w:<submission>:<q|r>:<number> (written), redact:o:<session>:<question> (oral)
PASSAGE_INPUTS = 4
INPUT_CHARS = 4000
SESSION_HELP = "The session (optional inside its thread or when only one is scheduled)"


class _Stateless(discord.ui.Modal):
    async def on_submit(self, interaction: discord.Interaction) -> None:
        return None


def redaction_modal(custom_id: str, title: str, reason: str | None, passage: str | None = None) -> discord.ui.Modal:
    """A form for a passage too long for a command's option: up to four inputs, joined as they are, and the
    reason (each prefilled with what the command was given)."""
    modal = _Stateless(title=clip(title, 45), custom_id=custom_id, timeout=None)
    given = passage or ""
    for index in range(PASSAGE_INPUTS):
        modal.add_item(
            discord.ui.TextInput(
                label="The passage, exactly as it appears" if index == 0 else f"The passage, continued ({index + 1})",
                style=discord.TextStyle.paragraph,
                custom_id=f"passage{index + 1}",
                required=index == 0,
                max_length=INPUT_CHARS,
                default=given[index * INPUT_CHARS : (index + 1) * INPUT_CHARS] or None,
            )
        )
    modal.add_item(
        discord.ui.TextInput(
            label="Why it is withheld (for the record)",
            style=discord.TextStyle.paragraph,
            custom_id="reason",
            max_length=1000,
            default=reason or None,
        )
    )
    return modal


def submitted(values: dict[str, str]) -> tuple[str, str]:
    """The passage (its parts joined as they are) and the reason of a submitted redaction form."""
    passage = "".join(values.get(f"passage{index + 1}", "") for index in range(PASSAGE_INPUTS))
    return passage, values.get("reason", "")


def _place_line(place: RedactionPlace, tz) -> str:
    redaction = place.redaction
    line = (
        f"**{redaction.id}** · {safe(place.where)}: “{clip(safe(redaction.passage), 160)}” — "
        f"{clip(safe(redaction.reason), 160)} (<@{redaction.actor_id}>, {text.stamp(redaction.created_at, tz)})"
    )
    if not redaction.active:
        line = f"~~{line}~~ undone by <@{redaction.removed_by}>: {clip(safe(redaction.removed_reason or ''), 160)}"
    return line


class RedactionsCog(commands.Cog):
    """The secretariat's redactions of written and oral evidence."""

    def __init__(self, bot) -> None:
        self.bot = bot
        self.services = bot.services

    async def cog_load(self) -> None:
        """Move this cog's commands under ``/review`` (the group lives in ReviewCog)."""
        group = self.bot.get_cog("ReviewCog").review
        for command in list(self.__cog_app_commands__):
            self.__cog_app_commands__.remove(command)
            group.add_command(command)

    async def _submission(self, guild_id: int, reference: str) -> Submission:
        inquiry = await self.services.review.inquiry_of(guild_id, reference)
        return await self.services.review.find(inquiry, reference)

    # Written evidence ---------------------------------------------------------------------------

    @app_commands.command(name="redact")
    @app_commands.describe(
        reference=REFERENCE_OPTION,
        question="The number of the question whose answer holds the passage",
        recording="Or the number of the recording whose confirmed transcript holds it (see /review show)",
        document="Or the number of the document that holds it (see /review show)",
        passage="The passage to withhold, copied exactly (leave it out for a form that takes longer passages)",
        reason="Why it is withheld (for the record)",
    )
    @app_commands.autocomplete(reference=reference_autocomplete)
    @has_role(Role.SECRETARIAT)
    async def redact(
        self,
        interaction: discord.Interaction,
        reference: str,
        question: app_commands.Range[int, 1, 100] | None = None,
        passage: app_commands.Range[str, 1, 4000] | None = None,
        reason: app_commands.Range[str, 1, 1000] | None = None,
        recording: int | None = None,
        document: int | None = None,
    ) -> None:
        """Withhold a passage of an answer, a recording's transcript or a document from publication, recording why."""
        named = [(k, n) for k, n in (("q", question), ("r", recording), ("d", document)) if n is not None]
        if len(named) != 1:
            raise InvalidInput(
                "Name one question (question:), recording (recording:) or document (document:) that holds the passage."
            )
        submission = await self._submission(interaction.guild_id, reference)
        [(kind, number)] = named
        if not passage or not reason:
            where = {"q": f"Q{number}", "r": f"recording #{number}", "d": f"document #{number}"}[kind]
            custom_id = f"{MODAL_PREFIX}w:{submission.id}:{kind}:{number}"
            await interaction.response.send_modal(redaction_modal(custom_id, f"Redact {where}", reason, passage))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self._redact_written(interaction, submission, kind, number, passage, reason)

    async def _redact_written(
        self,
        interaction: discord.Interaction,
        submission: Submission,
        kind: str,
        number: int,
        passage: str,
        reason: str,
    ) -> None:
        inquiry = await self.services.inquiries.get(submission.inquiry_id)
        if kind == "q":
            done = await self.services.review.redact(
                inquiry, submission.reference, number, passage, reason, interaction.user.id
            )
            where, passage, reason = f"Q{number}", done.passage, done.reason
        else:
            redactions = self.services.redactions
            if kind == "r":
                place = await redactions.redact_recording(submission, number, passage, reason, interaction.user.id)
            else:
                document = TargetKind.DOCUMENT
                actor = interaction.user.id
                place = await redactions.redact_target(submission, document, number, passage, reason, actor)
            where, passage, reason = place.where, place.redaction.passage, place.redaction.reason
        note = f"{where}: {len(passage):,} characters withheld from publication by {interaction.user.display_name}."
        await sync_forum_post(self.bot, submission, f"{note} Reason: {reason}")
        count = sum(1 for p in await self.services.redactions.of_submission(submission) if p.redaction.active)
        await interaction.followup.send(
            f"Redaction recorded on **{submission.reference}**, {where} ({count} on this submission):\n"
            f"{quote(passage, 1200)}\nReason: {clip(safe(reason), 500)}\n"
            "It is to be withheld wherever this evidence is published; the witness's original is kept.",
            ephemeral=True,
        )

    # Oral evidence ------------------------------------------------------------------------------

    @app_commands.command(name="redact-oral")
    @app_commands.describe(
        question="The oral question's number (Q14 is 14) the passage was said under; 0 for before the first",
        passage="The passage to withhold, copied from the transcript (leave it out for a form)",
        reason="Why it is withheld (for the record)",
        session=SESSION_HELP,
    )
    @has_role(Role.SECRETARIAT)
    async def redact_oral(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[int, 0, 100_000],
        passage: app_commands.Range[str, 1, 4000] | None = None,
        reason: app_commands.Range[str, 1, 1000] | None = None,
        session: int | None = None,
    ) -> None:
        """Withhold a passage of oral evidence (typed, spoken or recorded) from the transcript, recording why."""
        found = await self.services.sessions.resolve(interaction.guild_id, session, interaction.channel_id)
        if not passage or not reason:
            where = f"Q{question}" if question else "the opening"
            custom_id = f"{MODAL_PREFIX}o:{found.id}:{question}"
            await interaction.response.send_modal(redaction_modal(custom_id, f"Redact {where}", reason, passage))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self._redact_oral(interaction, found.id, question, passage, reason)

    async def _redact_oral(
        self, interaction: discord.Interaction, session_id: int, question: int, passage: str, reason: str
    ) -> None:
        session = await self.services.sessions.get(session_id)
        places = await self.services.redactions.redact_oral(session, question, passage, reason, interaction.user.id)
        lines = [f"Redaction recorded in session {session.number} ({len(places)} place(s)):"]
        lines += [f"- **{p.redaction.id}** · {safe(p.where)}" for p in places]
        lines += [quote(places[0].redaction.passage, 1000), f"Reason: {clip(safe(reason), 500)}"]
        lines.append("It is withheld from the transcript; what was said is kept in the record.")
        await interaction.followup.send("\n".join(lines), ephemeral=True)

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        custom_id = str((interaction.data or {}).get("custom_id", ""))
        if interaction.type is not discord.InteractionType.modal_submit or not custom_id.startswith(MODAL_PREFIX):
            return
        try:
            await require_roles(interaction, Role.SECRETARIAT)
            passage, reason = submitted(modal_values(interaction.data))
            parts = custom_id.removeprefix(MODAL_PREFIX).split(":")
            await interaction.response.defer(ephemeral=True, thinking=True)
            if parts[0] == "w":
                submission = await self.services.submissions.submission(int(parts[1]))
                inquiry = submission and await self.services.inquiries.get(submission.inquiry_id)
                if inquiry is None or inquiry.guild_id != interaction.guild_id:
                    raise InvalidInput("That submission is not on this server.")
                await self._redact_written(interaction, submission, parts[2], int(parts[3]), passage, reason)
            else:
                session = await self.services.sessions.resolve(interaction.guild_id, int(parts[1]), None)
                await self._redact_oral(interaction, session.id, int(parts[2]), passage, reason)
        except Exception as error:
            await report_error(interaction, error, "redaction form")

    # Reading and undoing ------------------------------------------------------------------------

    @app_commands.command(name="redactions")
    @app_commands.describe(reference="A submission's reference", session="Or a session (its number in /session)")
    @app_commands.autocomplete(reference=reference_autocomplete)
    @has_role(Role.SECRETARIAT)
    async def redactions(
        self, interaction: discord.Interaction, reference: str | None = None, session: int | None = None
    ) -> None:
        """The redactions of a submission or of a session, those undone too, with their numbers and reasons."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        tz = self.services.tz
        if reference:
            submission = await self._submission(interaction.guild_id, reference)
            places = await self.services.redactions.of_submission(submission)
            header, filename = f"**Redactions of {submission.reference}**", f"{submission.reference}-redactions.txt"
        else:
            found = await self.services.sessions.resolve(interaction.guild_id, session, interaction.channel_id)
            places = await self.services.redactions.of_session(found)
            header, filename = f"**Redactions of session {found.number}**", f"session-{found.number}-redactions.txt"
        lines = [_place_line(place, tz) for place in places] or ["None."]
        lines.append("`/review unredact id:<number> reason:<why>` undoes one.")
        await reply(interaction, text.paged(f"{header} (times {tz.key})", lines, filename))

    @app_commands.command(name="unredact")
    @app_commands.describe(id="The redaction's number (see /review redactions)", reason="Why it is undone")
    @has_role(Role.SECRETARIAT)
    async def unredact(
        self, interaction: discord.Interaction, id: int, reason: app_commands.Range[str, 1, 1000]
    ) -> None:
        """Undo a redaction: the passage is published again. The redaction and why it was undone are kept."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        place = await self.services.redactions.undo(interaction.guild_id, id, reason, interaction.user.id)
        submission_id = place.redaction.submission_id
        if submission_id is not None:
            submission = await self.services.submissions.submission(submission_id)
            note = f"Redaction {id} ({place.where}) undone by {interaction.user.display_name}. Reason: {reason}"
            await sync_forum_post(self.bot, submission, note)
        await interaction.followup.send(
            f"Redaction {id} of {safe(place.where)} is undone: the passage is published again.\n"
            f"Reason recorded: {clip(safe(reason), 500)}",
            ephemeral=True,
        )


async def setup_redactions(bot) -> None:
    """Add the cog (after ReviewCog)."""
    await bot.add_cog(RedactionsCog(bot))
