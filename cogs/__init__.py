"""The Discord face of the bot: one extension per role or feature."""

EXTENSIONS = (
    "cogs.setup",
    "cogs.inquiry_admin",
    "cogs.call",
    "cogs.my_evidence",
    "cogs.review",
    "cogs.privacy",
    "cogs.voice_evidence",
    "cogs.sessions",
    "cogs.exports",
)
