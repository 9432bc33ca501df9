"""/session recording: the secretariat uploads a session's recording (one file, or a zip of one track per speaker);
the transcription queue calls back as tracks finish and the transcript is assembled. Who uploads, the kind of file
and its size are checked before anything is downloaded; the file is then downloaded (a few at a time, bounded by
:func:`download_slots`) into a temporary file, and a zip's tracks are streamed from it into temporary files, so a
large recording is never held in memory whole. The corrections of the transcript are in :mod:`._corrections`. The
commands join the ``/session`` group of :class:`SessionsCog`.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from cogs._shared.checks import guild_config, member_roles
from cogs._shared.format import clip, safe
from cogs.sessions._corrections import setup_corrections
from inquiry.sessions.models import Actor, Session
from inquiry.sessions.rules import recording_offset

log = logging.getLogger(__name__)

MAX_DOWNLOADS = 2  # attachments of sessions (recordings, voice messages) downloaded at once
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


class SessionRecordingsCog(commands.Cog):
    """Recordings of sessions."""

    def __init__(self, bot) -> None:
        self.bot = bot
        self.services = bot.services
        self.recordings = bot.services.session_recordings
        self.corrections = bot.services.session_corrections  # see SessionCorrectionsCog
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
        limit = self.transcription.settings.max_bytes
        self.recordings.check_upload(found, actor, file.filename, file.size, limit)  # before downloading anything
        offset = recording_offset(started, found.opened_at, self.services.tz) if found.opened_at else 0.0
        await interaction.response.defer(ephemeral=True, thinking=True)
        folder = Path(await asyncio.to_thread(tempfile.mkdtemp, prefix="upload-"))
        try:
            path = await download(self.bot, file, folder / "upload")
            uploaded = await self.recordings.upload(
                found,
                actor,
                file.filename,
                path,
                self.transcription,
                await _usernames(interaction.guild, found),
                offset,
            )
        finally:
            await asyncio.to_thread(shutil.rmtree, folder, True)
        self.transcription.wake()
        tracks = len(uploaded.recording.tracks)
        lines = [f"Recording {uploaded.recording.id} of session {found.number}: {tracks} track(s)."]
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


async def _usernames(guild: discord.Guild, session: Session) -> dict[int, set[str]]:
    """The Discord names of the session's witnesses and members, to match track file names against. Members the
    cache lacks are fetched: without the privileged members intent the cache holds few besides those in a voice
    channel, and by the time a recording is uploaded the session's people have left the Stage."""
    found: dict[int, set[str]] = {}
    for user_id in [w.user_id for w in session.witnesses if w.user_id] + [m.user_id for m in session.members]:
        member = guild.get_member(user_id)
        if member is None:
            try:
                member = await guild.fetch_member(user_id)
            except discord.HTTPException:  # left the server: the track is matched by the name in the record
                log.info("member %s of session %s could not be fetched", user_id, session.id)
                continue
        found[user_id] = {n for n in (member.name, member.display_name, member.global_name) if n}
    return found


def download_slots(bot) -> asyncio.Semaphore:
    """The bound on attachments of sessions downloaded at once, shared by the recordings and the floor."""
    slots = getattr(bot, "_session_downloads", None)
    if slots is None:
        slots = asyncio.Semaphore(MAX_DOWNLOADS)
        bot._session_downloads = slots
    return slots


async def download(bot, attachment: discord.Attachment, target: Path) -> Path:
    """Download an attachment into ``target`` (its bytes are held only until they are written)."""
    async with download_slots(bot):
        data = await attachment.read()
    await asyncio.to_thread(target.write_bytes, data)
    return target


async def setup_recordings(bot) -> None:
    """Add the cogs of recordings and corrections (after SessionsCog) and the corrections' persistent buttons."""
    await bot.add_cog(SessionRecordingsCog(bot))
    await setup_corrections(bot)
