import discord


async def test_setup_creates_roles_channels_and_forum_tags(simcord_env):
    guild = simcord_env.create_guild("APPG")
    channel = guild.create_text_channel("general")
    admin = guild.add_member(
        simcord_env.create_user("clerk"),
        roles=[guild.create_role("Admins", permissions=discord.Permissions(administrator=True))],
    )
    result = await admin.slash(channel, "setup")
    assert result.ephemeral
    text = result.response.content
    assert "set up" in text
    assert {"Chair", "Secretariat", "Member"} <= set(guild.roles)
    assert {"call-for-evidence", "evidence", "evidence-sessions"} <= set(guild.channels)
