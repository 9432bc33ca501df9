"""Documents sent to the bot by direct message while a witness's draft (or sent evidence, until accepted) is open:
read, kept, and answered with what was read and the choice of how to use it."""

from __future__ import annotations

import logging
from pathlib import PurePath

import discord

from cogs._shared import documents as text
from cogs.evidence import _ui as ui
from cogs.evidence._privacy import remember_dm
from inquiry.core.errors import DomainError
from inquiry.evidence.models import Submission

log = logging.getLogger(__name__)

DOCUMENT_EXTENSIONS = frozenset(
    {".docx", ".docm", ".dotx", ".dotm", ".doc", ".odt", ".ott", ".rtf", ".txt", ".text", ".md", ".markdown", ".pdf"}
)
NO_EVIDENCE = (
    "Thank you, but I can only take a document as part of your evidence to an inquiry. Press **Submit evidence** under"
    " the call for evidence first, then send it to me again."
)


def is_document(attachment: discord.Attachment) -> bool:
    """A file named or typed as one of the document formats (or an old Word file, to be told how to re-save it)."""
    kind = (attachment.content_type or "").split(";")[0].strip()
    suffix = PurePath(attachment.filename).suffix.lower()
    return suffix in DOCUMENT_EXTENSIONS or kind in (
        "application/pdf",
        "application/rtf",
        "text/rtf",
        "text/plain",
        "text/markdown",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.oasis.opendocument.text",
    )


class DocumentIntake:
    """Takes documents a witness sends by direct message into the evidence they are working on."""

    def __init__(self, bot) -> None:
        self.bot = bot
        self.services = bot.services

    async def receive_dm(self, message: discord.Message, attachments: list[discord.Attachment]) -> None:
        """Read each file and reply: what was read and how it stands, or why it was not taken."""
        submission = await self.services.submissions.working_on(message.author.id)
        if submission is None:
            await message.reply(NO_EVIDENCE)
            return
        for attachment in attachments:
            await self._receive(message, attachment, submission)

    async def _receive(self, message: discord.Message, attachment: discord.Attachment, submission: Submission) -> None:
        try:
            self.services.documents.check_size(attachment.filename, attachment.size, submission)
            taken = await self.services.documents.receive(
                submission.id,
                message.author.id,
                await attachment.read(),
                attachment.filename,
                attachment.content_type,
                source="direct_message",
                message_id=message.id,
            )
        except DomainError as refusal:
            await message.reply(str(refusal))
            return
        except discord.HTTPException:
            log.warning("could not download %s from message %s", attachment.filename, message.id, exc_info=True)
            await message.reply(f"I could not download {attachment.filename} from Discord. Please send it again.")
            return
        sent = await message.reply(
            text.received_reply(taken.inquiry, taken.document, duplicate=taken.duplicate),
            view=ui.document_view(taken.inquiry, taken.submission, taken.document, in_flow=False),
        )
        await remember_dm(self.bot, message.author.id, submission.id, sent, "document")  # erased with the evidence
