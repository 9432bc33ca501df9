"""Who can read the evidence forum: only the bot and the secretariat, since confidential evidence is posted there.

:func:`forum_access` says what is wrong with a forum's permissions (who else can view it, what the bot or the
secretariat lacks) and whether the bot may put it right; :func:`make_private` puts it right by changing the
permission overwrites that are wrong, and nothing else.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import discord

log = logging.getLogger(__name__)

# What the bot needs in the forum: to see it, create posts and write in them, read them back, attach transcripts
# and documents, and tag and close posts.
BOT_NEEDS = (
    "view_channel",
    "send_messages",
    "send_messages_in_threads",
    "read_message_history",
    "attach_files",
    "embed_links",
    "manage_threads",
)
SECRETARIAT_NEEDS = ("view_channel", "read_message_history", "send_messages_in_threads")
# The names Discord's settings show for these permissions in a forum.
PERMISSION_NAMES = {
    "view_channel": "View Channel",
    "send_messages": "Create Posts",
    "send_messages_in_threads": "Send Messages in Posts",
    "read_message_history": "Read Message History",
    "attach_files": "Attach Files",
    "embed_links": "Embed Links",
    "manage_threads": "Manage Posts",
    "manage_roles": "Manage Permissions",
    "manage_channels": "Manage Channel",
}


@dataclass
class ForumAccess:
    """What is wrong with a forum's permissions, and what the bot lacks to put it right."""

    readers: list[discord.Role | discord.Member | discord.Object] = field(default_factory=list)  # should not view
    everyone_open: bool = False  # View Channel is not denied to @everyone (roles may see it through their own)
    let_in: list[discord.Role | discord.Member | discord.Object] = field(default_factory=list)  # overwrites to undo
    secretariat_lacks: list[str] = field(default_factory=list)
    bot_lacks: list[str] = field(default_factory=list)
    cannot_fix: list[str] = field(default_factory=list)  # the bot's own permissions it needs to fix the rest

    @property
    def private(self) -> bool:
        """Only the bot and the secretariat can view it, and both can do what they must."""
        return not (self.everyone_open or self.let_in or self.secretariat_lacks or self.bot_lacks)

    def describe(self, forum: discord.ForumChannel) -> list[str]:
        """What is wrong, one sentence each, for the administrator."""
        lines = []
        if self.readers:
            lines.append(f"{_names(self.readers)} can view {forum.mention}, where confidential evidence is posted.")
        elif self.everyone_open:
            lines.append(
                f"View Channel is not denied to @everyone in {forum.mention}, where confidential evidence is posted."
            )
        if self.secretariat_lacks:
            lines.append(f"The secretariat's role lacks {_permissions(self.secretariat_lacks)} in {forum.mention}.")
        if self.bot_lacks:
            lines.append(f"I lack {_permissions(self.bot_lacks)} in {forum.mention}.")
        return lines


def forum_access(forum: discord.ForumChannel, secretariat: discord.Role | None, me: discord.Member) -> ForumAccess:
    """Check a forum: nobody but the bot and ``secretariat`` (None: not created yet) may view it; both must have
    what they need. Administrators see every channel whatever it says, and are not counted."""
    access = ForumAccess()
    everyone = forum.guild.default_role
    # Denying View Channel to @everyone in the forum takes it from every role's own permissions too; then only an
    # overwrite that allows it lets a role or a person in.
    access.everyone_open = forum.overwrites_for(everyone).view_channel is not False
    if forum.permissions_for(everyone).view_channel:
        access.readers.append(everyone)
    for role in forum.guild.roles:
        if role.is_default() or role == secretariat or (role.managed and role in me.roles):
            continue
        if role.permissions.administrator:  # administrators see every channel; nothing here can change that
            continue
        let_in = bool(forum.overwrites_for(role).view_channel)
        if let_in:
            access.let_in.append(role)
        if let_in or (everyone not in access.readers and forum.permissions_for(role).view_channel):
            access.readers.append(role)
    for target, overwrite in forum.overwrites.items():
        if isinstance(target, discord.Role) or target.id == me.id:
            continue
        if overwrite.view_channel:  # a person let in by name
            access.let_in.append(target)
            access.readers.append(target)
    # With View Channel denied to @everyone, the secretariat and the bot see the forum only through an overwrite
    # that allows it (their other permissions may come from their roles).
    if secretariat is not None:
        granted = forum.permissions_for(secretariat)
        access.secretariat_lacks = [
            name
            for name in SECRETARIAT_NEEDS
            if not getattr(granted, name)
            or (name == "view_channel" and not forum.overwrites_for(secretariat).view_channel)
        ]
    mine = forum.permissions_for(me)
    let_me_in = any(forum.overwrites_for(target).view_channel for target in (me, *me.roles))
    access.bot_lacks = [
        name for name in BOT_NEEDS if not getattr(mine, name) or (name == "view_channel" and not let_me_in)
    ]
    if not access.private:
        access.cannot_fix = [name for name in ("view_channel", "manage_roles") if not getattr(mine, name)]
    return access


async def make_private(
    forum: discord.ForumChannel, secretariat: discord.Role, me: discord.Member, access: ForumAccess
) -> list[str]:
    """Change the overwrites that let others in or keep the bot or the secretariat out; return what was done.
    The caller has checked that the bot may (``access.cannot_fix`` empty)."""
    done = []
    reason = "Evidence Bot set-up: the evidence forum is seen by the secretariat only"
    # The bot and the secretariat are let in first: once @everyone is kept out, the bot could not change anything.
    if access.bot_lacks:
        overwrite = forum.overwrites_for(me)
        overwrite.update(**dict.fromkeys(BOT_NEEDS, True))
        await forum.set_permissions(me, overwrite=overwrite, reason=reason)
        done.append("I can post and tag there")
    if access.secretariat_lacks:
        overwrite = forum.overwrites_for(secretariat)
        overwrite.update(**dict.fromkeys(SECRETARIAT_NEEDS, True))
        await forum.set_permissions(secretariat, overwrite=overwrite, reason=reason)
        done.append(f"{secretariat.mention} can read and answer posts")
    everyone = forum.guild.default_role
    if access.everyone_open:
        overwrite = forum.overwrites_for(everyone)
        overwrite.view_channel = False
        await forum.set_permissions(everyone, overwrite=overwrite, reason=reason)
    for target in access.let_in:
        overwrite = forum.overwrites_for(target)
        overwrite.view_channel = None
        await forum.set_permissions(target, overwrite=None if overwrite.is_empty() else overwrite, reason=reason)
    if access.readers:
        done.append(f"{_names(access.readers)} can no longer view it")
    elif access.everyone_open:
        done.append("View Channel is denied to @everyone")
    log.info("evidence forum %s of guild %s made private: %s", forum.id, forum.guild.id, "; ".join(done))
    return done


def private_overwrites(guild: discord.Guild, secretariat: discord.Role, me: discord.Member) -> dict:
    """The overwrites of a new evidence forum: hidden from @everyone, open to the secretariat and the bot."""
    return {
        guild.default_role: discord.PermissionOverwrite(view_channel=False),
        secretariat: discord.PermissionOverwrite(**dict.fromkeys(SECRETARIAT_NEEDS, True)),
        me: discord.PermissionOverwrite(**dict.fromkeys(BOT_NEEDS, True)),
    }


def permission_name(name: str) -> str:
    """A permission as Discord's settings name it."""
    return PERMISSION_NAMES.get(name, name.replace("_", " ").title())


def _permissions(names: list[str]) -> str:
    return _and([f"**{permission_name(n)}**" for n in names])


def _name(target) -> str:
    if isinstance(target, discord.Role):
        return "@everyone" if target.is_default() else target.mention
    return f"<@{target.id}>"


def _names(targets) -> str:
    return _and([_name(t) for t in targets])


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
