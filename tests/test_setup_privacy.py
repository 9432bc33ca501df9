"""/setup through SimCord: it takes over no role or channel by its name alone, and the evidence forum (where
confidential evidence is posted) can be viewed by the secretariat and the bot only, or /setup says why not."""

from __future__ import annotations

import discord
from simcord.backend.access import can_access_channel

from demo.driver import WitnessSteps, make_world


def server(env):
    """A server with an administrator and #general, before /setup."""
    guild = env.create_guild("APPG")
    general = guild.create_text_channel("general")
    admins = guild.create_role("Admins", permissions=discord.Permissions(administrator=True))
    admin = guild.add_member(env.create_user("clerk"), roles=[admins])
    return guild, general, admin


async def config(bot, guild):
    return await bot.services.inquiries.config(guild.id)


def can_view(env, channel, who) -> bool:
    return can_access_channel(env, channel.id, who)


async def test_the_forum_it_creates_is_seen_by_the_secretariat_and_the_bot_only(simcord_env, simcord_bot):
    world = await make_world(simcord_env, simcord_bot)
    visitor = world.witness("visitor")
    assert not can_view(simcord_env, world.forum, visitor)
    assert not can_view(simcord_env, world.forum, world.member)
    assert can_view(simcord_env, world.forum, world.secretariat)
    assert world.forum.id in {c.id for c in world.bot.get_guild(world.guild.id).forums}

    await world.open_call()
    await WitnessSteps(world, world.witness("amira")).give(
        "Amira Khan", {1: "Confidential, please."}, publication="confidential"
    )
    [post] = world.forum.threads
    assert can_view(simcord_env, post, world.secretariat)
    assert not can_view(simcord_env, post, visitor)

    roles, channels = len(world.guild._guild.roles), len(world.guild._guild.channel_ids)
    again = await world.admin.slash(world.general, "setup")  # run again: the same roles and channels, nothing new
    assert "set up" in again.response.content and "Created" not in again.response.content
    assert (len(world.guild._guild.roles), len(world.guild._guild.channel_ids)) == (roles, channels)


async def test_a_public_forum_called_evidence_is_not_taken_over(simcord_env, simcord_bot):
    guild, general, admin = server(simcord_env)
    public = guild.create_forum_channel("evidence")
    result = await admin.slash(general, "setup")
    text = result.response.content
    assert "I have not set anything up" in text
    assert public.mention in text and "evidence_forum" in text
    assert await config(simcord_bot, guild) is None
    assert not {"Chair", "Secretariat", "Member"} & set(guild.roles)  # nothing created either
    assert set(guild.channels) == {"general", "evidence"}


async def test_a_text_channel_called_evidence_is_refused_clearly_not_a_crash(simcord_env, simcord_bot):
    guild, general, admin = server(simcord_env)
    guild.create_text_channel("evidence")
    result = await admin.slash(general, "setup")
    assert "A text channel called" in result.response.content
    assert await config(simcord_bot, guild) is None
    assert not simcord_env.errors


async def test_a_public_forum_named_by_the_administrator_is_made_private(simcord_env, simcord_bot):
    guild, general, admin = server(simcord_env)
    public = guild.create_forum_channel("evidence")
    friends = guild.create_role("Friends of the APPG")
    simcord_env.backend.set_overwrite(public.id, _overwrite(friends.id, allow=discord.Permissions(view_channel=True)))
    friend = guild.add_member(simcord_env.create_user("friend"), roles=[friends])
    visitor = guild.add_member(simcord_env.create_user("visitor"))
    assert can_view(simcord_env, public, visitor) and can_view(simcord_env, public, friend)

    result = await admin.slash(general, "setup", evidence_forum=public)
    text = result.response.content
    assert "set up" in text and f"Made {public.mention} private" in text
    assert "@everyone" in text and friends.mention in text
    saved = await config(simcord_bot, guild)
    assert saved.evidence_forum_id == public.id
    secretary = guild.add_member(simcord_env.create_user("secretary"), roles=[guild.roles["Secretariat"]])
    assert not can_view(simcord_env, public, visitor)
    assert not can_view(simcord_env, public, friend)
    assert can_view(simcord_env, public, secretary)


async def test_a_forum_it_may_not_make_private_is_refused_naming_the_permission(simcord_env, simcord_bot):
    guild, general, admin = server(simcord_env)
    public = guild.create_forum_channel("evidence")
    bot_role = next(r for r in guild._guild.roles.values() if r.managed)
    no_manage = discord.Permissions(manage_roles=True)
    simcord_env.backend.set_overwrite(public.id, _overwrite(bot_role.id, deny=no_manage))
    result = await admin.slash(general, "setup", evidence_forum=public)
    text = result.response.content
    assert "I have not set anything up" in text
    assert "@everyone can view" in text
    assert "I lack **Manage Permissions**" in text
    assert await config(simcord_bot, guild) is None
    assert "Secretariat" not in guild.roles
    assert can_view(simcord_env, public, guild.add_member(simcord_env.create_user("visitor")))  # left as it was


async def test_an_existing_role_of_the_same_name_is_used_only_when_named(simcord_env, simcord_bot):
    guild, general, admin = server(simcord_env)
    existing = guild.create_role("Secretariat")
    refused = await admin.slash(general, "setup")
    assert "A role called @Secretariat already exists" in refused.response.content
    assert "secretariat_role" in refused.response.content
    assert await config(simcord_bot, guild) is None

    done = await admin.slash(general, "setup", secretariat_role=existing)
    assert "set up" in done.response.content
    saved = await config(simcord_bot, guild)
    assert saved.secretariat_role_id == existing.id
    assert {"Chair", "Member"} <= set(guild.roles)
    secretary = guild.add_member(simcord_env.create_user("secretary"), roles=[existing])
    assert can_view(simcord_env, guild.channels["evidence"], secretary)


async def test_everyone_cannot_be_the_secretariat(simcord_env, simcord_bot):
    guild, general, admin = server(simcord_env)
    result = await admin.slash(general, "setup", secretariat_role=guild.default_role)
    assert "@everyone cannot be the secretariat's role" in result.response.content
    assert await config(simcord_bot, guild) is None


def _overwrite(target_id: int, *, allow=None, deny=None):
    from simcord.backend.models import Overwrite
    from simcord.enums import OverwriteType

    return Overwrite(
        target_id=target_id,
        type=OverwriteType.ROLE,
        allow=(allow or discord.Permissions.none()).value,
        deny=(deny or discord.Permissions.none()).value,
    )
