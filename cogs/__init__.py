"""The Discord face of the bot: one package per feature, each an extension with its own ``setup``.

Shared helpers (role checks, the error handler, text formatting, the evidence forum) live in ``cogs._shared``.
"""

EXTENSIONS = (
    "cogs.admin",
    "cogs.evidence",
    "cogs.recordings",
    "cogs.review",
    "cogs.sessions",
    "cogs.exports",
)
