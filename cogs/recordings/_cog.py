"""Voice and video evidence: recordings a witness sends the bot are kept, transcribed and confirmed.

A witness sends a voice message, or uploads an audio or video file, to the bot by direct message. It joins
their evidence at the question they are on in the private flow (or as a general statement). The bot answers at
once with what it will do and roughly how long, shows progress on long files, then posts the transcript with
Confirm and Correct. The uncorrected transcript is always kept.
"""

from __future__ import annotations

import logging
from pathlib import Path

import discord
from discord import app_commands
from discord.ext import commands, tasks

from cogs._shared.checks import has_role
from cogs._shared.documents import ACCEPTED_FILES
from cogs._shared.errors import report_error
from cogs._shared.format import clip
from cogs._shared.forum import sync_forum_post
from cogs._shared.outbox import OutboxCog, handles
from cogs.evidence._documents import is_document
from cogs.evidence._flow import REVIEW_STEP
from cogs.evidence._privacy import remember_dm
from cogs.evidence._ui import modal_values
from cogs.recordings import _ui as ui
from inquiry.core.errors import DomainError
from inquiry.core.models import Role
from inquiry.evidence.models import Submission
from inquiry.outbox.models import OutboxKind, OutboxRow
from transcription.probe import describe_bytes, describe_size_over
from transcription.queue import MediaRefused

log = logging.getLogger(__name__)

MEDIA_EXTENSIONS = {
    ".ogg",
    ".oga",
    ".opus",
    ".mp3",
    ".m4a",
    ".wav",
    ".flac",
    ".webm",
    ".mp4",
    ".mov",
    ".mkv",
    ".aac",
    ".m4v",
}


@handles(OutboxKind.TRANSCRIPT_READY, "the transcript")
async def _transcript_ready(bot, row: OutboxRow, sender: OutboxCog) -> str | None:
    jobs = await bot.services.recordings.finished_jobs(row.payload["item_id"]) if row.payload["item_id"] else []
    job = next((j for j in jobs if j.id == row.payload["job_id"]), None)
    if job is None:
        return "the recording is gone"
    await bot.get_cog("VoiceEvidenceCog").post_transcript(job)
    return None


def is_media(attachment: discord.Attachment) -> bool:
    """Audio or video by its type or its name; anything else is not taken as spoken evidence."""
    kind = (attachment.content_type or "").split("/")[0]
    return kind in ("audio", "video") or Path(attachment.filename).suffix.lower() in MEDIA_EXTENSIONS


def is_text(attachment: discord.Attachment) -> bool:
    """A plain text file (a corrected transcript sent back)."""
    return Path(attachment.filename).suffix.lower() == ".txt" or (attachment.content_type or "").startswith(
        "text/plain"
    )


class VoiceEvidenceCog(commands.Cog):
    """Receives recordings, runs the transcription queue, and handles Confirm and Correct."""

    def __init__(self, bot) -> None:
        self.bot = bot
        self.service = bot.transcription
        self.recordings = bot.services.recordings
        self.service.on_done.append(self._done)
        self.service.on_failed.append(self._failed)
        self.service.on_wake.append(self._keep_loops_running)
        self._progress_shown: dict[int, int] = {}

    async def cog_load(self) -> None:
        await self.service.recover()
        self._wake()
        self.sweeper.start()

    def _wake(self) -> None:
        """Run due jobs now (whoever queued them: a witness here, or an oral session)."""
        self.service.wake()

    def _keep_loops_running(self) -> None:
        """Keep the retry and progress loops going while there is work; they stop when the queue is empty."""
        for loop in (self.runner, self.progress):
            if not loop.is_running():
                loop.start()

    async def cog_unload(self) -> None:
        self.runner.cancel()
        self.progress.cancel()
        self.sweeper.cancel()
        await self.service.close()

    # Receiving ----------------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or message.guild is not None:
            return
        recordings = [a for a in message.attachments if is_media(a)]
        others = [a for a in message.attachments if not is_media(a)]
        texts = [a for a in others if is_text(a)]
        if texts and await self._correction_from_file(message, texts[0]):
            others = [a for a in others if a is not texts[0]]
        documents = [a for a in others if is_document(a)]
        if documents:  # written evidence as a file: the evidence feature reads it
            await self.bot.get_cog("CallCog").documents.receive_dm(message, documents)
            others = [a for a in others if a not in documents]
        if others:
            names = ", ".join(a.filename for a in others)
            await message.reply(
                f"I can take audio or video (spoken evidence) or a document ({ACCEPTED_FILES}), so I have not kept"
                f" {names}."
            )
        if not recordings:
            return
        submission = await self._current_submission(message.author.id)
        if submission is None:
            await message.reply(
                "Thank you, but I can only take a recording as part of your evidence to an inquiry. Press **Submit"
                " evidence** under the call for evidence first, then send it again."
            )
            return
        for attachment in recordings:
            await self._receive(message, attachment, submission)
        self._wake()

    async def _receive(self, message: discord.Message, attachment: discord.Attachment, submission: Submission) -> None:
        inquiry = await self.bot.services.submissions.inquiry_of(submission)
        question = _question_at_step(inquiry, submission)
        where = (
            f"{question.label} of your evidence to {inquiry.code}" if question else f"your evidence to {inquiry.code}"
        )
        limit = self.service.settings.max_bytes
        if attachment.size > limit:
            await message.reply(
                f"{attachment.filename} is {describe_bytes(attachment.size)}; the largest file I can take is"
                f" {describe_bytes(limit)}. Could you send a shorter or smaller recording?"
            )
            return
        try:  # the sender's limits and the free disk space, before anything is downloaded
            await self.service.check_intake(
                attachment.size, attachment.filename, user_id=message.author.id, submission_id=submission.id
            )
            received = await self.service.receive(
                await attachment.read(),
                attachment.filename,
                attachment.content_type,
                message_id=message.id,
                voice=attachment.is_voice_message() or attachment.filename == "voice-message.ogg",
                user_id=message.author.id,
                submission_id=submission.id,
                question_id=question.id if question else None,
                discord_channel_id=message.channel.id,
            )
        except MediaRefused as refusal:
            await message.reply(str(refusal))
            return
        if received.item is None:
            log.info("message %s already received; not queued twice", message.id)
            return
        kind = {"voice": "voice message", "video": "video", "audio": "recording"}[received.item.kind]
        got = f"Got your {kind} ({ui.duration_text(received.duration)}). I will add it to {where}"
        if received.job.state == "done":  # the same file was transcribed before: its transcript is reused
            said = f"{got}. I have transcribed this same recording before: its transcript follows for you to confirm"
        else:
            said = (
                f"{got} and transcribe it now: this takes about {ui.duration_text(received.estimate_seconds)}. I will"
                " post the transcript here for you to confirm"
            )
        reply = await message.reply(f"{said} or correct.")
        await self.recordings.remember_notice(received.job.id, reply.channel.id, reply.id)

    async def _current_submission(self, user_id: int) -> Submission | None:
        editable = [s for s in await self.bot.services.submissions.of_user(user_id) if s.editable_by_witness]
        return max(editable, key=lambda s: s.updated_at, default=None)

    # Running ------------------------------------------------------------------------------------

    @tasks.loop(hours=24)
    async def sweeper(self) -> None:
        """At start-up and then daily: remove media nothing refers to (see TranscriptionService.sweep)."""
        try:
            await self.service.sweep()
        except Exception:
            log.exception("the media sweep failed; it runs again tomorrow")

    @tasks.loop(seconds=15)
    async def runner(self) -> None:
        """Run due jobs (retries whose back-off has passed); stop when the queue is empty."""
        await self.service.run_ready()
        if not await self.recordings.has_pending_jobs():
            self.runner.stop()

    @tasks.loop(seconds=5)
    async def progress(self) -> None:
        """Edit the 'transcribing' message of long jobs with a percentage; stop when the queue is empty."""
        running = await self.recordings.running_jobs()
        if not running and not await self.recordings.has_pending_jobs():
            self.progress.stop()
        for job in running:
            percent = int(job.progress * 100)
            if not job.notify_message_id or self._progress_shown.get(job.id) == percent or percent in (0, 100):
                continue
            self._progress_shown[job.id] = percent
            channel = self.bot.get_channel(job.notify_channel_id) or await self.bot.fetch_channel(job.notify_channel_id)
            try:
                message = await channel.fetch_message(job.notify_message_id)
                await message.edit(content=f"{message.content.split(' · ')[0]} · transcribing: {percent}% done")
            except discord.HTTPException:
                log.debug("could not show progress of job %s", job.id, exc_info=True)

    async def _done(self, job) -> None:
        """Owe the transcript to whoever waits for it (the outbox posts it, and retries if Discord fails)."""
        payload = {"job_id": job.id, "item_id": job.item_id}
        await self.bot.services.outbox.owe_now(
            OutboxKind.TRANSCRIPT_READY, f"transcript:{job.id}", f"recording:{job.item_id}", payload
        )

    async def post_transcript(self, job) -> None:
        """Post a finished transcript with Confirm and Correct (or, made again, in the forum post)."""
        item = await self.recordings.item(job.item_id) if job.item_id else None
        if item is None:
            return
        channel = await self._channel(job)
        if channel is None and await self._awaited_by_sender(job, item):  # done before the notice was noted
            channel = self.bot.get_channel(item.discord_channel_id) or await self.bot.fetch_channel(
                item.discord_channel_id
            )
        if channel is None:  # a transcription the secretariat asked for again: theirs to read
            await self._tell_secretariat(job, item)
            return
        where = await self._where(item)
        post = ui.transcript_message(job.result or {}, where, label=f"transcript-{item.id}")
        result = job.result or {}
        view = ui.transcript_view(item.id, job.id, result=result) if result.get("text", "").strip() else None
        sent = await channel.send(post.content, view=view, file=post.file() or discord.utils.MISSING)
        await remember_dm(self.bot, item.user_id, item.submission_id, sent, "transcript")  # erased with the evidence

    async def _tell_secretariat(self, job, item) -> None:
        """Post a transcription made again (another engine or model) in the submission's forum post."""
        submission = await self.recordings.submission_of(item)
        if submission is None or submission.forum_thread_id is None:
            return
        result = job.result or {}
        kept = "the witness's confirmed text is unchanged" if item.status == "confirmed" else "not yet confirmed"
        header = f"Recording #{item.id} transcribed again with {job.engine} {job.model} ({kept}):"
        post = ui.transcript_message(result, "the secretariat", label=f"transcript-{item.id}-{job.model}")
        body = (result.get("text") or "").strip() or "(no speech found)"
        note = f"{header}\n{clip(body, 1500)}"
        await sync_forum_post(self.bot, submission, note, file=post.file() if len(body) > 1500 else None)

    async def _failed(self, job) -> None:
        channel = await self._channel(job)
        if channel is not None:
            await channel.send(f"Sorry, I could not transcribe that recording: {job.error}. The file itself is kept.")

    async def _awaited_by_sender(self, job, item) -> bool:
        """A witness's recording's first transcription (a copy of an earlier one can be ready at once)."""
        if item.submission_id is None or item.discord_channel_id is None:
            return False
        return await self.recordings.first_job_id(item.id) == job.id

    async def _channel(self, job):
        if not job.notify_channel_id:
            return None
        return self.bot.get_channel(job.notify_channel_id) or await self.bot.fetch_channel(job.notify_channel_id)

    async def _where(self, item) -> str:
        submission, inquiry, question = await self.recordings.placement(item)
        if submission is None or inquiry is None:
            return "your evidence"
        return _where_text(inquiry, question)

    # Confirm and correct ------------------------------------------------------------------------

    async def on_button(
        self, interaction: discord.Interaction, action: str, item_id: int, job_id: int | None = None
    ) -> None:
        try:
            shown = await self.recordings.shown_to(interaction.user.id, item_id, job_id)
            item, text = shown.item, shown.text
            if action == "confirm":
                await interaction.response.send_message(await self._record(shown, text, corrected=False))
            elif ui.fits_in_modal(text):
                await interaction.response.send_modal(ui.correction_modal(item_id, text))
            else:
                file_text = ui.transcript_file_text({"text": text}, await self._where(item))
                whole = ui.TranscriptPost("", file_text, f"transcript-{item_id}.txt")
                await interaction.response.send_message(ui.too_long_to_correct_in_a_form(text), file=whole.file())
        except Exception as error:
            await report_error(interaction, error, f"transcript {action}")

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        custom_id = str((interaction.data or {}).get("custom_id", ""))
        if interaction.type is not discord.InteractionType.modal_submit or not custom_id.startswith(ui.MODAL_PREFIX):
            return
        try:
            shown = await self.recordings.shown_to(interaction.user.id, int(custom_id.removeprefix(ui.MODAL_PREFIX)))
            values = modal_values(interaction.data)
            parts = [values.get(f"part{i + 1}", "").strip() for i in range(ui.PARTS)]
            text = "\n\n".join(p for p in parts if p)
            await interaction.response.send_message(await self._record(shown, text, corrected=True))
        except Exception as error:
            await report_error(interaction, error, "transcript correction")

    async def _record(self, shown, text: str, *, corrected: bool) -> str:
        """Make the confirmed or corrected text part of the evidence; return the thanks to say."""
        done = await self.recordings.confirm(
            shown.item.user_id, shown.item.id, text, corrected=corrected, original=shown.text
        )
        where = await self._where(done.item)
        word = "corrected" if corrected else "confirmed"
        submission = done.submission
        if submission is not None and submission.reference:
            shown_text = clip(text, 1500)
            if len(text) > 1500:
                shown_text += "\n*(the start: the whole text is in the evidence)*"
            await sync_forum_post(self.bot, submission, f"A {word} transcript of a recording was added:\n{shown_text}")
        return (
            f"Thank you: the {word} transcript is now part of {where}. The original recording and the uncorrected"
            " transcript are kept too."
        )

    async def _correction_from_file(self, message: discord.Message, attachment: discord.Attachment) -> bool:
        """A corrected transcript sent back as a .txt reply to the transcript message: record it and say so.

        Returns False when the file is not such a reply (it is then refused like any other file). Everything
        needed is in the reply itself (the transcript message's buttons name the recording), so it works after a
        restart too.
        """
        replied = await self._replied_to(message)
        found = ui.item_of_message(replied) if replied is not None and replied.author == self.bot.user else None
        if found is None:
            return False
        try:
            shown = await self.recordings.shown_to(message.author.id, found[0])
            if attachment.size > ui.MAX_CORRECTION_BYTES:
                size = describe_size_over(attachment.size, ui.MAX_CORRECTION_BYTES)
                raise MediaRefused(
                    f"{attachment.filename} is {size}; a corrected transcript is plain "
                    f"text of at most {describe_bytes(ui.MAX_CORRECTION_BYTES)}."
                )
            text = ui.text_from_file(await attachment.read(), attachment.filename)
            await message.reply(await self._record(shown, text, corrected=True))
        except (MediaRefused, DomainError) as refusal:
            await message.reply(str(refusal))
        return True

    async def _replied_to(self, message: discord.Message) -> discord.Message | None:
        reference = message.reference
        if reference is None or reference.message_id is None:
            return None
        if isinstance(reference.resolved, discord.Message):
            return reference.resolved
        try:
            return await message.channel.fetch_message(reference.message_id)
        except discord.HTTPException:
            return None

    # The secretariat ----------------------------------------------------------------------------

    @app_commands.command(name="retranscribe")
    @app_commands.guild_only()
    @app_commands.describe(item="The recording's number (shown in /review show)", model="tiny.en or base")
    @app_commands.choices(
        model=[app_commands.Choice(name=m, value=m) for m in ("tiny.en", "base")],
        engine=[app_commands.Choice(name=e, value=e) for e in ("faster-whisper", "openai-whisper")],
    )
    @has_role(Role.SECRETARIAT)
    async def retranscribe(
        self, interaction: discord.Interaction, item: int, model: str, engine: str = "faster-whisper"
    ) -> None:
        """Transcribe a recording again with another model or engine."""
        await self.bot.services.review.recording_in_guild(interaction.guild_id, item)
        job = await self.service.rerun(item, engine, model)
        await interaction.response.send_message(
            f"Queued: recording {item} with {engine} {model} (job {job.id}). The new transcript will be posted in"
            " the submission's forum post (or the session's thread); the witness's confirmed text and any approved"
            " correction stay as they are.",
            ephemeral=True,
        )
        self._wake()


def _where_text(inquiry, question) -> str:
    if question is None:
        return f"your evidence to {inquiry.code}"
    return f"{question.label} of your evidence to {inquiry.code}"


def _question_at_step(inquiry, submission: Submission):
    if 1 <= submission.step <= len(inquiry.questions) and submission.step < REVIEW_STEP:
        return inquiry.questions[submission.step - 1]
    return None


async def setup(bot) -> None:
    bot.add_dynamic_items(ui.MediaButton)
    await bot.add_cog(VoiceEvidenceCog(bot))
