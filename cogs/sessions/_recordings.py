"""/session recording and the corrections of the uncorrected transcript.

The secretariat uploads a session's recording (one file, or a zip of one track per speaker); the transcription
queue calls back as tracks finish and the transcript is assembled. The secretariat sends each witness the
transcript of their spoken answers; a button opens a modal prefilled with the text, and the secretariat approves
or declines each proposed correction. The commands join the ``/session`` group of :class:`SessionsCog`.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from cogs._shared.checks import guild_config, member_roles
from cogs._shared.errors import report_error
from cogs._shared.format import clip, quote, safe
from cogs.evidence._ui import modal_values, split_answer
from cogs.recordings._ui import PART_CHARS, PARTS
from inquiry.sessions.corrections import DEFAULT_WINDOW_DAYS, Invitation
from inquiry.sessions.models import Actor, Session
from inquiry.sessions.recording_models import Correction
from inquiry.sessions.rules import recording_offset

log = logging.getLogger(__name__)

MODAL_PREFIX = "sessioncorr:m:"
SESSION_HELP = "The session (optional inside its thread or when only one is scheduled)"


def started_line(session: Session, offset_s: float, tz: ZoneInfo) -> str:
    """When the recording is taken to have started, as the secretariat reads it, and how to change it."""
    if session.opened_at is None:
        return ""
    started = (session.opened_at + timedelta(seconds=offset_s)).astimezone(tz)
    when = f"{started:%H:%M:%S} ({tz.key})"
    if offset_s == 0:
        return (
            f"Taken to start when the session was opened, {when}. If it did not, upload it again with started:"
            " (its tracks are not transcribed twice; the new upload replaces this one)."
        )
    gap, side = round(abs(offset_s)), "after" if offset_s > 0 else "before"
    return f"Taken to start at {when}, {gap // 60} min {gap % 60} s {side} the session was opened."


class ProposeCorrectionButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"sessioncorr:propose:(?P<answer>\d+)"
):
    """Opens the correction modal for one spoken answer; the state is the answer's id."""

    def __init__(self, answer_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Propose a correction",
                style=discord.ButtonStyle.secondary,
                custom_id=f"sessioncorr:propose:{answer_id}",
            )
        )
        self.answer_id = answer_id

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]):
        return cls(int(match["answer"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.client.get_cog("SessionRecordingsCog").open_modal(interaction, self.answer_id)


class _Stateless(discord.ui.Modal):
    async def on_submit(self, interaction: discord.Interaction) -> None:
        return None


def correction_modal(answer_id: int, text: str) -> discord.ui.Modal:
    """The uncorrected text, prefilled, for the witness to correct: over up to five inputs of 4,000 characters, so
    that a long spoken answer is corrected whole (the first input keeps the custom id ``text``)."""
    modal = _Stateless(title="Correct the transcript", custom_id=f"{MODAL_PREFIX}{answer_id}", timeout=None)
    parts = split_answer(text) or [""]
    for index, part in enumerate(parts[:PARTS]):
        modal.add_item(
            discord.ui.TextInput(
                label="Your answer, as you said it" if index == 0 else f"Your answer, part {index + 1}",
                style=discord.TextStyle.paragraph,
                custom_id="text" if index == 0 else f"text{index + 1}",
                required=index == 0,
                max_length=PART_CHARS,
                default=part,
            )
        )
    return modal


def corrected_text(values: dict[str, str]) -> str:
    """The parts of a submitted correction modal, joined as paragraphs."""
    parts = [values.get("text" if i == 0 else f"text{i + 1}", "").strip() for i in range(PARTS)]
    return "\n\n".join(p for p in parts if p)


class SessionRecordingsCog(commands.Cog):
    """Recordings of sessions and corrections of their transcript."""

    def __init__(self, bot) -> None:
        self.bot = bot
        self.services = bot.services
        self.recordings = bot.services.session_recordings
        self.corrections = bot.services.session_corrections
        self.transcription = bot.transcription
        self.transcription.on_done.append(self._job_finished)
        self.transcription.on_failed.append(self._job_finished)

    async def cog_load(self) -> None:
        """Move this cog's commands under ``/session`` (the group lives in SessionsCog)."""
        group = self.bot.get_cog("SessionsCog").session
        for command in list(self.__cog_app_commands__):
            self.__cog_app_commands__.remove(command)
            group.add_command(command)

    async def cog_unload(self) -> None:
        for listeners in (self.transcription.on_done, self.transcription.on_failed):
            if self._job_finished in listeners:
                listeners.remove(self._job_finished)

    async def _actor(self, interaction: discord.Interaction) -> Actor:
        config = await guild_config(interaction)
        user = interaction.user
        return Actor(user.id, user.display_name, frozenset(member_roles(user, config)))

    async def _session(self, interaction: discord.Interaction, session_id: int | None) -> Session:
        return await self.services.sessions.resolve(interaction.guild_id, session_id, interaction.channel_id)

    # Recordings -------------------------------------------------------------------------------

    @app_commands.command(name="recording")
    @app_commands.describe(
        file="The recording: one audio or video file, or a zip of one track per speaker",
        started="When the recording started, HH:MM or HH:MM:SS (default: when the session was opened)",
        session=SESSION_HELP,
    )
    async def recording(
        self,
        interaction: discord.Interaction,
        file: discord.Attachment,
        started: str | None = None,
        session: int | None = None,
    ) -> None:
        """Upload a session's recording; its transcript joins the record."""
        actor = await self._actor(interaction)
        found = await self._session(interaction, session)
        offset = recording_offset(started, found.opened_at, self.services.tz) if found.opened_at else 0.0
        await interaction.response.defer(ephemeral=True, thinking=True)
        data = await file.read()
        uploaded = await self.recordings.upload(
            found, actor, file.filename, data, self.transcription, _usernames(interaction.guild, found), offset
        )
        self.transcription.wake()
        lines = [f"Recording {uploaded.recording.id} of session {found.id}: {len(uploaded.recording.tracks)} track(s)."]
        for track in uploaded.recording.tracks:
            who = track.speaker_name or "speaker unknown"
            lines.append(f"- {safe(track.filename)}: {safe(who)}")
        lines += [f"Not taken: {safe(reason)}" for reason in uploaded.refused]
        lines.append(started_line(found, uploaded.recording.started_offset_s, self.services.tz))
        lines.append("Its transcript is assembled when every track is transcribed.")
        await interaction.followup.send(clip("\n".join(lines), 1900), ephemeral=True)

    async def _job_finished(self, job) -> None:
        for recording_id in await self.recordings.on_job_finished(job):
            recording = await self.recordings.recording(recording_id)
            segments = await self.recordings.transcript(recording_id)
            await self._post(
                recording.session_id,
                f"The uncorrected transcript of recording {recording_id} ({safe(recording.filename)}) is ready:"
                f" {len(segments)} passage(s) from {len(recording.tracks)} track(s).",
            )

    async def _post(self, session_id: int, content: str) -> None:
        session = await self.services.sessions.get(session_id)
        channel = self.bot.get_channel(session.thread_id) if session.thread_id else None
        if channel is None:
            log.info("session %s has no thread to post in", session_id)
            return
        try:
            await channel.send(content)
        except discord.HTTPException:
            log.warning("could not post in the thread of session %s", session_id)

    # Corrections ------------------------------------------------------------------------------

    @app_commands.command(name="transcript-send")
    @app_commands.describe(days="How many days witnesses have to propose corrections", session=SESSION_HELP)
    async def transcript_send(
        self,
        interaction: discord.Interaction,
        days: app_commands.Range[int, 1, 60] = DEFAULT_WINDOW_DAYS,
        session: int | None = None,
    ) -> None:
        """Send each witness the uncorrected transcript of their spoken answers, to correct."""
        found = await self._session(interaction, session)
        invitations = await self.corrections.invite(found, await self._actor(interaction), days)
        await interaction.response.defer(ephemeral=True, thinking=True)
        sent, missed = [], []
        for invitation in invitations:
            (sent if await self._send(invitation) else missed).append(safe(invitation.name))
        lines = [f"Transcripts sent to {', '.join(sent) or 'nobody'}."]
        if missed:
            lines.append(f"Could not send a direct message to {', '.join(missed)}.")
        await interaction.followup.send(" ".join(lines), ephemeral=True)

    async def _send(self, invitation: Invitation) -> bool:
        until = f"{invitation.closes_at:%d %B %Y at %H:%M} UTC"
        try:
            user = self.bot.get_user(invitation.user_id) or await self.bot.fetch_user(invitation.user_id)
            await user.send(
                "The uncorrected transcript of your spoken answers follows. You may propose corrections of"
                f" transcription errors (not of what you said) until {until}. Both versions are kept."
            )
            for question, answer in invitation.answers:
                view = discord.ui.View(timeout=None)
                view.add_item(ProposeCorrectionButton(answer.id))
                await user.send(f"**{question.label}**\n{quote(safe(answer.text or ''), 1800)}", view=view)
        except discord.HTTPException:
            log.info("could not send the transcript to user %s", invitation.user_id)
            return False
        return True

    async def open_modal(self, interaction: discord.Interaction, answer_id: int) -> None:
        """The witness pressed the button: the modal, prefilled with the text for the record."""
        try:
            answer = await self.corrections.answer_for(answer_id, interaction.user.id)
            await interaction.response.send_modal(correction_modal(answer.id, answer.text or ""))
        except Exception as error:
            await report_error(interaction, error, "correction button")

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        custom_id = str((interaction.data or {}).get("custom_id", ""))
        if interaction.type is not discord.InteractionType.modal_submit or not custom_id.startswith(MODAL_PREFIX):
            return
        try:
            text = corrected_text(modal_values(interaction.data))
            correction = await self.corrections.propose(
                int(custom_id.removeprefix(MODAL_PREFIX)), interaction.user.id, text
            )
            await interaction.response.send_message(
                f"Thank you: correction {correction.id} is proposed. The secretariat will approve or decline it;"
                " your answer's original transcript is kept either way."
            )
        except Exception as error:
            await report_error(interaction, error, "correction proposal")

    @app_commands.command(name="corrections")
    @app_commands.describe(session=SESSION_HELP)
    async def corrections_list(self, interaction: discord.Interaction, session: int | None = None) -> None:
        """List the corrections of a session waiting for a decision."""
        found = await self._session(interaction, session)
        pending = await self.corrections.pending(found)
        lines = [_correction_line(c) for c in pending] or [f"No corrections of session {found.id} await a decision."]
        await interaction.response.send_message(clip("\n".join(lines), 1900), ephemeral=True)

    @app_commands.command(name="correction-approve")
    @app_commands.describe(id="The correction's number")
    async def correction_approve(self, interaction: discord.Interaction, id: int) -> None:
        """Approve a correction: its text becomes the text for the record."""
        decided = await self.corrections.approve(interaction.guild_id, await self._actor(interaction), id)
        await interaction.response.send_message(f"Correction {decided.correction.id} approved.", ephemeral=True)

    @app_commands.command(name="correction-decline")
    @app_commands.describe(id="The correction's number", reason="Why it is declined")
    async def correction_decline(self, interaction: discord.Interaction, id: int, reason: str) -> None:
        """Decline a correction, with a reason; the answer keeps its text."""
        decided = await self.corrections.decline(interaction.guild_id, await self._actor(interaction), id, reason)
        await interaction.response.send_message(f"Correction {decided.correction.id} declined.", ephemeral=True)


def _correction_line(correction: Correction) -> str:
    return (
        f"**{correction.id}** (answer {correction.answer_id}): {safe(clip(correction.original_text, 300))}"
        f" → {safe(clip(correction.proposed_text, 300))}"
    )


def _usernames(guild: discord.Guild, session: Session) -> dict[int, set[str]]:
    """The Discord names of the session's witnesses and members, to match track file names against."""
    found: dict[int, set[str]] = {}
    for user_id in [w.user_id for w in session.witnesses if w.user_id] + [m.user_id for m in session.members]:
        member = guild.get_member(user_id)
        if member is not None:
            found[user_id] = {n for n in (member.name, member.display_name, member.global_name) if n}
    return found


async def setup_recordings(bot) -> None:
    """Add the cog (after SessionsCog) and its persistent button."""
    await bot.add_cog(SessionRecordingsCog(bot))
    bot.add_dynamic_items(ProposeCorrectionButton)
