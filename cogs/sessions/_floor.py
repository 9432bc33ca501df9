"""The floor of an open session: what witnesses and members post in its thread goes into the record.

Text is recorded at once, attributed to the speaker and to the question before the panel (or the question the
message replies to). A voice message is kept as evidence and queued for transcription; :meth:`on_spoken_answer`
receives the transcript and posts it. Anyone else who posts is told, briefly, that they are not on the record.
"""

from __future__ import annotations

import logging

import discord
from discord.ext import commands

from cogs._shared.format import safe
from cogs.recordings._cog import is_media
from cogs.sessions import _text as say
from cogs.sessions._recordings import download_slots
from inquiry.sessions.models import Session, SessionAnswer
from transcription.probe import describe_bytes
from transcription.queue import MediaRefused

log = logging.getLogger(__name__)

RECORDED = "📝"


class SessionFloorCog(commands.Cog):
    """Listens in the threads of open sessions."""

    def __init__(self, bot) -> None:
        self.bot = bot
        self.record = bot.services.session_record
        self.transcription = bot.transcription
        self.transcription.on_done.append(self._transcribed)
        self.transcription.on_failed.append(self._not_transcribed)

    async def cog_unload(self) -> None:
        for listeners, listener in (
            (self.transcription.on_done, self._transcribed),
            (self.transcription.on_failed, self._not_transcribed),
        ):
            if listener in listeners:
                listeners.remove(listener)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or message.guild is None or not isinstance(message.channel, discord.Thread):
            return
        session = await self.bot.services.sessions.by_thread(message.channel.id)
        if session is None:
            return
        try:
            await self._take(message, session)
        except Exception:
            log.exception("could not take message %s into session %s", message.id, session.id)
            await _tell(message, "Sorry, I could not add that to the record; it has been logged. Please post it again.")

    async def _take(self, message: discord.Message, session: Session) -> None:
        reply_to = message.reference.message_id if message.reference else None
        recordings = [a for a in message.attachments if is_media(a)]
        for attachment in recordings:
            await self._spoken(message, session, attachment, reply_to)
        if message.content.strip() or not recordings:
            intake = await self.record.take_message(session, message.author.id, message.content, message.id, reply_to)
            if intake.recorded:
                await _mark(message)
            elif intake.reason:
                await _tell(message, intake.reason)

    async def _spoken(self, message: discord.Message, session: Session, attachment, reply_to: int | None) -> None:
        refusal = await self.record.may_speak(session, message.author.id, reply_to)
        if refusal is not None:
            await _tell(message, refusal.reason)
            return
        try:
            received = await self._queue(message, session, attachment)
        except MediaRefused as refused:
            await _tell(message, f"{refused} It was not added to the record.")
            return
        intake = await self.record.take_voice(
            session, message.author.id, message.id, reply_to, attachment.filename, attachment.url
        )
        if not intake.recorded:
            if intake.reason:
                await _tell(message, intake.reason)
            return
        await _mark(message)
        if received is None:
            await _tell(message, say.spoken_not_queued(intake.answer, intake.question))
            return
        item = received.item or await self.bot.services.recordings.item_for_message(message.id, received.media.id)
        await self.record.link_media(intake.answer, item.id)
        await _tell(message, say.spoken_received(intake.answer, intake.question))
        self.transcription.wake()

    async def _queue(self, message: discord.Message, session: Session, attachment):
        """Keep the recording and queue its transcription; None (logged) if the queue failed unexpectedly. Its
        size is checked before it is downloaded, and only a few are downloaded at once."""
        largest = self.transcription.settings.max_bytes
        if attachment.size > largest:
            raise MediaRefused(
                f"{attachment.filename} is {describe_bytes(attachment.size)}; the largest file I can take is "
                f"{describe_bytes(largest)}."
            )
        try:
            async with download_slots(self.bot):
                data = await attachment.read()
            return await self.transcription.receive(
                data,
                attachment.filename,
                attachment.content_type,
                message_id=message.id,
                voice=attachment.is_voice_message() or attachment.filename == "voice-message.ogg",
                user_id=message.author.id,
                session_id=session.id,
                discord_channel_id=message.channel.id,
            )
        except MediaRefused:
            raise
        except Exception:
            log.exception("could not queue the recording of message %s in session %s", message.id, session.id)
            return None

    # The transcription queue calls back -------------------------------------------------------

    async def _transcribed(self, job) -> None:
        if not job.item_id:
            return
        answer = await self.record.spoken_answer_for_media_item(job.item_id)
        if answer is None:
            return
        await self.on_spoken_answer(answer, (job.result or {}).get("text", ""))

    async def on_spoken_answer(self, answer: SessionAnswer, transcript: str) -> SessionAnswer:
        """A spoken answer's transcript arrived: store it as the uncorrected text and post it in the thread."""
        answer = await self.record.on_spoken_answer(answer.id, transcript)
        question = await self.record.question(answer.question_id)
        await self._post(answer.session_id, say.transcript_posted(answer, question.label))
        return answer

    async def _not_transcribed(self, job) -> None:
        answer = await self.record.spoken_answer_for_media_item(job.item_id) if job.item_id else None
        if answer is not None:
            await self._post(
                answer.session_id,
                f"{safe(answer.speaker_name)}'s voice message could not be transcribed ({job.error})."
                " The recording is kept with the record.",
            )

    async def _post(self, session_id: int, content: str) -> None:
        session = await self.bot.services.sessions.get(session_id)
        channel = self.bot.get_channel(session.thread_id) if session.thread_id else None
        if channel is None:
            log.warning("no thread to post in for session %s", session_id)
            return
        await channel.send(content)


async def _mark(message: discord.Message) -> None:
    try:
        await message.add_reaction(RECORDED)
    except discord.HTTPException:
        log.info("could not mark message %s as recorded", message.id)


async def _tell(message: discord.Message, content: str) -> None:
    try:
        await message.reply(content, mention_author=False)
    except discord.HTTPException:
        log.info("could not reply to message %s", message.id)
