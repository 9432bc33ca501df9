"""The Discord face of the bot: one package per feature, each an extension with its own ``setup``.

Shared helpers (role checks, the error handler, text formatting, the evidence forum) live in ``cogs._shared``.
"""

EXTENSIONS = (
    "cogs._shared",  # the outbox sender: what changes owe Discord; the features register its handlers
    "cogs.admin",
    "cogs.evidence",
    "cogs.recordings",
    "cogs.review",
    "cogs.sessions",
    "cogs.exports",
    "cogs.uploads",  # joins the /evidence, /session and /review groups: after those features
)
