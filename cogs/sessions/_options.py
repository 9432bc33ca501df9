"""What the /session commands share: who is acting, finding the session named by its number, the choices offered
for the session and witness options, and sending the direct messages a change owes."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from cogs._shared.checks import guild_config, member_roles
from cogs._shared.format import clip
from cogs._shared.outbox import sender
from inquiry.outbox.models import OutboxState
from inquiry.sessions.models import Actor, Session

log = logging.getLogger(__name__)

SESSION_HELP = "The session's number (optional inside its thread or when only one is scheduled)"
ANY_SESSION_HELP = "The session's number (optional inside its thread); /session list shows them"
INQUIRY_HELP = "The inquiry's code, such as SCI (needed only when several inquiries have this session number)"
WITNESS_HELP = "The witness, if they are on this server"
WITNESS_NAME_HELP = "Or the witness's name as it is on the panel"


async def actor(interaction: discord.Interaction, user=None, name: str | None = None) -> Actor:
    """Who is acting (or ``user``, named ``name`` in the record), with the inquiry roles they hold here."""
    config = await guild_config(interaction)
    user = user or interaction.user
    return Actor(user.id, (name or user.display_name).strip(), frozenset(member_roles(user, config)))


async def find(interaction: discord.Interaction, number: int | None, inquiry: str | None = None) -> Session:
    """The session named by its number (or the one of this thread, or the server's only live one)."""
    services = interaction.client.services
    return await services.sessions.resolve(interaction.guild_id, number, interaction.channel_id, inquiry)


async def session_label(interaction: discord.Interaction, session: Session, codes: dict[int, str]) -> str:
    """``2: Digital exclusion (20 Jan 10:00)``, with the inquiry's code first when the server has several."""
    tz = interaction.client.services.tz
    label = f"{session.number}: {session.title} ({session.starts_at.astimezone(tz):%d %b %H:%M})"
    return f"{codes[session.inquiry_id]} {label}" if len(codes) > 1 else label


async def _choices(interaction: discord.Interaction, current: str, sessions: list[Session]):
    services = interaction.client.services
    codes = {i.id: i.code for i in await services.inquiries.in_guild(interaction.guild_id)}
    found = []
    for session in sessions:
        label = await session_label(interaction, session, codes)
        if current.lower() in label.lower():
            found.append(app_commands.Choice(name=clip(label, 100), value=session.number))
    return found[:25]


async def live_session_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[int]]:
    """The server's scheduled and open sessions, for the session option."""
    sessions = await interaction.client.services.sessions.live_in_guild(interaction.guild_id)
    return await _choices(interaction, current, sessions)


async def any_session_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[int]]:
    """Every session of the server that is not cancelled, latest first (for the minutes, after the fact)."""
    sessions = await interaction.client.services.sessions.sessions_of(interaction.guild_id)
    kept = [s for s in sessions if s.cancelled_at is None]
    return await _choices(interaction, current, sorted(kept, key=lambda s: s.starts_at, reverse=True))


async def every_session_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[int]]:
    """Every session of the server, cancelled ones too, latest first."""
    sessions = await interaction.client.services.sessions.sessions_of(interaction.guild_id)
    return await _choices(interaction, current, sorted(sessions, key=lambda s: s.starts_at, reverse=True))


async def witness_name_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """The witnesses on the panels of the session chosen in the command (or of this thread)."""
    try:
        session = await find(interaction, getattr(interaction.namespace, "session", None))
    except Exception:  # no session can be told yet: offer nothing
        return []
    names = [w.name for w in session.witnesses if current.lower() in w.name.lower()]
    return [app_commands.Choice(name=clip(n, 100), value=clip(n, 100)) for n in names][:25]


async def deliver(bot, rows: tuple[int, ...]) -> str:
    """Send the direct messages a change owes, now, and say how it went ('' when it owed none)."""
    if not rows:
        return ""
    outbox = sender(bot)
    if outbox is None:
        return "The people concerned will be told by direct message."
    told = later = failed = 0
    for row in rows:
        delivery = await outbox.deliver_now(row)
        told += delivery.sent
        later += delivery.state is OutboxState.PENDING
        failed += delivery.state is OutboxState.FAILED
    line = f"Told by direct message: {told} of {len(rows)}."
    if failed:
        line += f" {failed} could not be reached (their direct messages may be closed)."
    if later:
        line += f" {later} will be tried again shortly."
    return line
