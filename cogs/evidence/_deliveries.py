"""What the outbox sends witnesses about their written evidence: the receipt, and the secretariat's decisions."""

from __future__ import annotations

import dataclasses
import io
import logging

import discord

from cogs._shared.outbox import OutboxCog, handles
from cogs.evidence import _text as text
from cogs.evidence._privacy import remember_dm
from inquiry.evidence.content import EvidenceContent
from inquiry.evidence.models import Submission, SubmissionStatus
from inquiry.inquiries.models import Inquiry
from inquiry.outbox.models import OutboxKind, OutboxRow

log = logging.getLogger(__name__)


def receipt_file(inquiry: Inquiry, submission: Submission, content: EvidenceContent | None = None) -> discord.File:
    """A plain-text copy of the answers (typed, from documents, spoken), attached to the receipt."""
    data = text.answers_copy(inquiry, submission, content).encode("utf-8")
    return discord.File(io.BytesIO(data), filename=f"{submission.reference}.txt")


async def _witness(bot, user_id: int) -> discord.User:
    return bot.get_user(user_id) or await bot.fetch_user(user_id)


@handles(OutboxKind.RECEIPT, "the receipt to the witness")
async def send_receipt(bot, row: OutboxRow, sender: OutboxCog) -> str | None:
    """The receipt by direct message: reference, 'received, not yet accepted', a copy of the answers."""
    submission = await bot.services.submissions.submission(row.payload["submission_id"])
    if submission is None or submission.user_id is None:
        return "the witness's data was erased"
    inquiry = await bot.services.inquiries.get(submission.inquiry_id)
    user = await _witness(bot, submission.user_id)
    held = await bot.services.submissions.content(submission)
    sent = await user.send(
        text.receipt(inquiry, submission, bot.services.tz, held), file=receipt_file(inquiry, submission, held)
    )
    await remember_dm(bot, submission.user_id, submission.id, sent, "receipt")  # deleted if they are forgotten
    return None


@handles(OutboxKind.WITNESS_NOTICE, "the decision to the witness")
async def send_notice(bot, row: OutboxRow, sender: OutboxCog) -> str | None:
    """A decision on their evidence (as it was taken, even if it has changed since), by direct message."""
    from cogs.admin._text import witness_notice  # here: the admin texts import this feature's flow

    submission = await bot.services.submissions.submission(row.payload["submission_id"])
    if submission is None or submission.user_id is None:
        return "the witness's data was erased"
    inquiry = await bot.services.inquiries.get(submission.inquiry_id)
    decided = dataclasses.replace(
        submission, status=SubmissionStatus(row.payload["status"]), decision_reason=row.payload.get("reason")
    )
    notice = witness_notice(inquiry, decided)
    if notice is None:
        return "nothing to tell"
    sent = await (await _witness(bot, submission.user_id)).send(notice)
    await remember_dm(bot, submission.user_id, submission.id, sent, "decision")
    return None
