"""Discord's side of a session: its scheduled event, its Stage instance and the thread that holds its record.

Each of these is a courtesy around the record, not the record itself: when Discord refuses one, the session goes
on and the chair is told what did not happen.
"""

from __future__ import annotations

import logging

import discord

from cogs._shared.format import clip
from inquiry.core.errors import InvalidState, NotConfigured
from inquiry.sessions.models import PlaceKind, Session

log = logging.getLogger(__name__)

ENTITY_TYPES = {
    PlaceKind.STAGE: discord.EntityType.stage_instance,
    PlaceKind.VOICE: discord.EntityType.voice,
    PlaceKind.EXTERNAL: discord.EntityType.external,
}


async def create_event(guild: discord.Guild, session: Session, name: str, description: str) -> discord.ScheduledEvent:
    """The server's scheduled event for the session: in its Stage or voice channel, or at its outside link."""
    options: dict = {
        "name": clip(name, 100),
        "start_time": session.starts_at,
        "end_time": session.ends_at,
        "entity_type": ENTITY_TYPES[session.place.kind],
        "privacy_level": discord.PrivacyLevel.guild_only,
        "description": clip(description, 1000),
        "reason": f"Oral evidence session {session.id}",
    }
    if session.place.kind is PlaceKind.EXTERNAL:
        options["location"] = session.place.location
    else:
        options["channel"] = guild.get_channel(session.place.channel_id) or discord.Object(session.place.channel_id)
    return await guild.create_scheduled_event(**options)


async def _event(guild: discord.Guild, session: Session) -> discord.ScheduledEvent | None:
    if not session.event_id:
        return None
    found = guild.get_scheduled_event(session.event_id)
    if found is None:
        try:
            found = await guild.fetch_scheduled_event(session.event_id)
        except discord.NotFound:
            return None
    return found


async def start_event(guild: discord.Guild, session: Session) -> str | None:
    """Mark the scheduled event as started; returns a note for the chair when that failed."""
    try:
        event = await _event(guild, session)
        if event is not None and event.status is discord.EventStatus.scheduled:
            await event.start(reason="The chair opened the session")
        return None
    except discord.HTTPException as error:
        log.warning("could not start the event of session %s: %s", session.id, error)
        return "The server's event could not be marked as started."


async def finish_event(guild: discord.Guild, session: Session) -> str | None:
    """Complete the scheduled event (or cancel it if it never started)."""
    try:
        event = await _event(guild, session)
        if event is None:
            return None
        if event.status is discord.EventStatus.active:
            await event.end(reason="The chair closed the session")
        elif event.status is discord.EventStatus.scheduled:
            await event.cancel(reason="The chair closed the session")
        return None
    except discord.HTTPException as error:
        log.warning("could not complete the event of session %s: %s", session.id, error)
        return "The server's event could not be marked as completed."


async def move_event(guild: discord.Guild, session: Session, name: str, description: str) -> tuple[int | None, str]:
    """Move the session's scheduled event to its new times (or announce it afresh if the event is gone). Returns the
    event's id and a line for whoever moved the session."""
    try:
        event = await _event(guild, session)
        if event is None or event.status is not discord.EventStatus.scheduled:
            event = await create_event(guild, session, name, description)
            return event.id, "The server's event was announced again at the new time."
        await event.edit(
            start_time=session.starts_at, end_time=session.ends_at, reason=f"Oral evidence session {session.id} moved"
        )
        return event.id, "The server's event was moved."
    except discord.HTTPException as error:
        log.warning("could not move the event of session %s: %s", session.id, error)
        return session.event_id, "The server's event could not be moved (the bot needs Manage Events): move it by hand."


async def cancel_event(guild: discord.Guild, session: Session) -> str:
    """Cancel the session's scheduled event; returns a line for whoever cancelled the session."""
    try:
        event = await _event(guild, session)
        if event is None:
            return "The session had no server event to cancel."
        if event.status is discord.EventStatus.scheduled:
            await event.cancel(reason=f"Oral evidence session {session.id} cancelled")
        return "The server's event was cancelled."
    except discord.HTTPException as error:
        log.warning("could not cancel the event of session %s: %s", session.id, error)
        return "The server's event could not be cancelled (the bot needs Manage Events): cancel it by hand."


async def start_stage(guild: discord.Guild, session: Session, topic: str) -> str | None:
    """Open a Stage instance when the session is held in a Stage channel."""
    if session.place.kind is not PlaceKind.STAGE:
        return None
    stage = guild.get_channel(session.place.channel_id)
    if not isinstance(stage, discord.StageChannel):
        return "The session's Stage channel no longer exists."
    if stage.instance is not None:
        return None
    try:
        event = await _event(guild, session)
        await stage.create_instance(
            topic=clip(topic, 120), privacy_level=discord.PrivacyLevel.guild_only, scheduled_event=event
        )
        return None
    except discord.HTTPException as error:
        log.warning("could not start the Stage of session %s: %s", session.id, error)
        return f"The Stage could not be started ({error.text or error.status})."


async def end_stage(guild: discord.Guild, session: Session) -> str | None:
    """End the session's Stage instance, if one is live."""
    if session.place.kind is not PlaceKind.STAGE:
        return None
    stage = guild.get_channel(session.place.channel_id)
    if not isinstance(stage, discord.StageChannel):
        return None
    try:
        instance = stage.instance or await stage.fetch_instance()
        await instance.delete(reason="The chair closed the session")
        return None
    except discord.NotFound:
        return None
    except discord.HTTPException as error:
        log.warning("could not end the Stage of session %s: %s", session.id, error)
        return "The Stage could not be ended; end it from Discord."


async def open_thread(
    bot, guild: discord.Guild, sessions_channel_id: int | None, name: str, agenda: str
) -> discord.Thread:
    """Start the thread that holds the record in the server's sessions channel, opened with the agenda."""
    channel = guild.get_channel(sessions_channel_id) if sessions_channel_id else None
    if not isinstance(channel, discord.TextChannel):
        raise NotConfigured("This server has no channel for sessions: an administrator runs /setup.")
    thread = await channel.create_thread(
        name=clip(name, 100),
        type=discord.ChannelType.public_thread,
        auto_archive_duration=10080,
        reason="Oral evidence session opened",
    )
    message = await thread.send(agenda)
    try:
        await message.pin(reason="The session's agenda")
    except discord.HTTPException:
        log.info("could not pin the agenda in thread %s", thread.id)
    return thread


async def invite(thread: discord.Thread, user_ids: list[int]) -> None:
    """Add the witnesses and members to the thread, so it appears in their list."""
    for user_id in user_ids:
        try:
            await thread.add_user(discord.Object(user_id))
        except discord.HTTPException:
            log.info("could not add user %s to thread %s", user_id, thread.id)


async def thread_of(bot, session: Session) -> discord.Thread:
    """The session's thread, fetched if it is not cached."""
    if not session.thread_id:
        raise InvalidState("This session has no thread yet: the chair opens it with /session open.")
    thread = bot.get_channel(session.thread_id)
    if thread is None:
        try:
            thread = await bot.fetch_channel(session.thread_id)
        except discord.NotFound:
            raise InvalidState("The session's thread has been deleted.") from None
    return thread
