"""Corrections of a session's uncorrected transcript, on Discord.

``/session transcript-send``: each witness who is on the server is sent, by direct message, their own spoken
passages (voice messages posted in the thread and passages heard on the session's recording alike), each with a
button that opens a form prefilled with the text; the window for corrections is shown in the inquiry's time zone.
``/session corrections`` lists the proposals (secretariat or chair); ``/session correction-approve`` and
``correction-decline`` decide them, and the witness is told the decision by direct message. What witnesses are sent
and told goes through the outbox (retried until delivered). The commands join the ``/session`` group.
"""

from __future__ import annotations

import logging
import re

import discord
from discord import app_commands
from discord.ext import commands

from cogs._shared.checks import guild_config, member_roles
from cogs._shared.errors import report_error
from cogs._shared.format import clip, quote, safe
from cogs._shared.outbox import OutboxCog, handles
from cogs._shared.outbox import sender as outbox_sender
from cogs.evidence._ui import modal_values, split_answer
from cogs.recordings._ui import PART_CHARS, PARTS
from inquiry.outbox.models import OutboxKind, OutboxRow, OutboxState
from inquiry.sessions.corrections import DEFAULT_WINDOW_DAYS, Invitation
from inquiry.sessions.models import Actor, Session
from inquiry.sessions.passages import Passage
from inquiry.sessions.recording_models import Correction, CorrectionDecision

log = logging.getLogger(__name__)

MODAL_PREFIX = "sessioncorr:m:"  # a correction of an answer posted in the thread: the answer's id follows
PASSAGE_MODAL_PREFIX = "sessioncorr:ms:"  # of a passage of the recording: its first segment's id follows
SESSION_HELP = "The session (optional inside its thread or when only one is scheduled)"
NO_MENTIONS = discord.AllowedMentions.none()


class ProposeCorrectionButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"sessioncorr:propose:(?P<answer>\d+)"
):
    """Opens the correction form for one spoken answer posted in the thread; the state is the answer's id."""

    def __init__(self, answer_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Propose a correction",
                style=discord.ButtonStyle.secondary,
                custom_id=f"sessioncorr:propose:{answer_id}",
            )
        )
        self.answer_id = answer_id

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]):
        return cls(int(match["answer"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        cog = interaction.client.get_cog("SessionCorrectionsCog")
        await cog.open_modal(interaction, answer_id=self.answer_id)


class ProposePassageButton(discord.ui.DynamicItem[discord.ui.Button], template=r"sessioncorr:passage:(?P<segment>\d+)"):
    """Opens the correction form for one passage of the session's recording; the state is its first segment."""

    def __init__(self, segment_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Propose a correction",
                style=discord.ButtonStyle.secondary,
                custom_id=f"sessioncorr:passage:{segment_id}",
            )
        )
        self.segment_id = segment_id

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]):
        return cls(int(match["segment"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        cog = interaction.client.get_cog("SessionCorrectionsCog")
        await cog.open_modal(interaction, segment_id=self.segment_id)


class _Stateless(discord.ui.Modal):
    async def on_submit(self, interaction: discord.Interaction) -> None:
        return None


def correction_modal(custom_id: str, text: str) -> discord.ui.Modal:
    """The text for the record, prefilled, for the witness to correct: over up to five inputs of 4,000 characters,
    so that a long passage is corrected whole (the first input keeps the custom id ``text``)."""
    modal = _Stateless(title="Correct the transcript", custom_id=custom_id, timeout=None)
    parts = split_answer(text) or [""]
    for index, part in enumerate(parts[:PARTS]):
        modal.add_item(
            discord.ui.TextInput(
                label="Your answer, as you said it" if index == 0 else f"Your answer, part {index + 1}",
                style=discord.TextStyle.paragraph,
                custom_id="text" if index == 0 else f"text{index + 1}",
                required=index == 0,
                max_length=PART_CHARS,
                default=part,
            )
        )
    return modal


def corrected_text(values: dict[str, str]) -> str:
    """The parts of a submitted correction modal, joined as paragraphs."""
    parts = [values.get("text" if i == 0 else f"text{i + 1}", "").strip() for i in range(PARTS)]
    return "\n\n".join(p for p in parts if p)


# What witnesses are sent ------------------------------------------------------------------------------


def invitation_messages(invitation: Invitation, session: Session, until: str) -> list[tuple[str, object | None]]:
    """The direct messages of an invitation: a header with the window, then each passage with its button."""
    messages: list[tuple[str, object | None]] = [
        (
            f"The uncorrected transcript of what you said in session {session.number}, *{safe(session.title)}*,"
            f" follows: {len(invitation.passages)} passage(s), from the session's thread and its recording. You may"
            f" propose corrections of transcription errors (not of what you said) until {until}. Both versions are"
            " kept; you will be told whether each correction is approved.",
            None,
        )
    ]
    for passage in invitation.passages:
        messages.append((_passage_post(passage), _button(passage)))
    return messages


def _passage_post(passage: Passage) -> str:
    heading = f"**{passage.label}**" + (" · heard on the recording" if passage.recorded else "")
    note = "\n*(your approved correction)*" if passage.corrected else ""
    return f"{heading}\n{quote(safe(passage.text), 1800)}{note}"


def _button(passage: Passage):
    if passage.answer is not None:
        return ProposeCorrectionButton(passage.answer.id)
    return ProposePassageButton(passage.segment_ids[0])


@handles(OutboxKind.CORRECTION_INVITE, "the transcript to the witness")
async def send_invitation(bot, row: OutboxRow, sender: OutboxCog) -> str | None:
    """A witness's passages by direct message, one message each; a retry carries on after the last one sent."""
    corrections = bot.services.session_corrections
    invitation = await corrections.invitation(row.payload["session_id"], row.payload["user_id"])
    if invitation is None or not invitation.passages:
        return "nothing to send"
    session = await bot.services.sessions.get(row.payload["session_id"])
    user = bot.get_user(invitation.user_id) or await bot.fetch_user(invitation.user_id)
    messages = invitation_messages(invitation, session, corrections.local(invitation.closes_at))
    for index in range(int(row.progress.get("sent", 0)), len(messages)):
        content, item = messages[index]
        extra = {}
        if item is not None:
            extra["view"] = discord.ui.View(timeout=None).add_item(item)
        await user.send(clip(content, 2000), allowed_mentions=NO_MENTIONS, **extra)
        row = await sender.outbox.progress(row, sent=index + 1)
    return None


def decision_text(correction: Correction, label: str, session: Session) -> str:
    """What a witness is told of the decision on their correction."""
    where = f"your correction of {label} in the transcript of session {session.number}, *{safe(session.title)}*"
    if correction.status is CorrectionDecision.APPROVED:
        return (
            f"The secretariat **approved** {where}: the record now gives your corrected text. The uncorrected"
            f" transcript is kept beside it.\n{quote(safe(correction.proposed_text), 1500)}"
        )
    return (
        f"The secretariat **declined** {where}. Reason: {safe(correction.reason or '')}\n"
        "The record keeps the text it had."
    )


@handles(OutboxKind.CORRECTION_DECISION, "the decision on a correction to the witness")
async def send_decision(bot, row: OutboxRow, sender: OutboxCog) -> str | None:
    """The decision on a correction, by direct message."""
    corrections = bot.services.session_corrections
    correction = await corrections.correction(row.payload["correction_id"])
    if correction is None:
        return "no such correction"
    session = await bot.services.sessions.get(correction.session_id)
    user = bot.get_user(correction.user_id) or await bot.fetch_user(correction.user_id)
    text = decision_text(correction, await corrections.label(correction), session)
    await user.send(clip(text, 2000), allowed_mentions=NO_MENTIONS)
    return None


class SessionCorrectionsCog(commands.Cog):
    """The corrections of sessions' uncorrected transcripts."""

    def __init__(self, bot) -> None:
        self.bot = bot
        self.services = bot.services
        self.corrections = bot.services.session_corrections

    async def cog_load(self) -> None:
        """Move this cog's commands under ``/session`` (the group lives in SessionsCog)."""
        group = self.bot.get_cog("SessionsCog").session
        for command in list(self.__cog_app_commands__):
            self.__cog_app_commands__.remove(command)
            group.add_command(command)

    async def _actor(self, interaction: discord.Interaction) -> Actor:
        config = await guild_config(interaction)
        user = interaction.user
        return Actor(user.id, user.display_name, frozenset(member_roles(user, config)))

    async def _session(self, interaction: discord.Interaction, session_id: int | None) -> Session:
        return await self.services.sessions.resolve(interaction.guild_id, session_id, interaction.channel_id)

    async def _deliver(self, row_id: int | None) -> tuple[bool, str]:
        """Send an outbox row now: whether it went, and a note when it did not."""
        delivery = await outbox_sender(self.bot).deliver_now(row_id)
        if delivery.sent:
            return True, ""
        if delivery.unreachable:
            return False, "their direct messages are closed"
        if delivery.state is OutboxState.PENDING:
            return False, "I will keep trying"
        return False, delivery.note or "it failed"

    @app_commands.command(name="transcript-send")
    @app_commands.describe(days="How many days witnesses have to propose corrections", session=SESSION_HELP)
    async def transcript_send(
        self,
        interaction: discord.Interaction,
        days: app_commands.Range[int, 1, 60] = DEFAULT_WINDOW_DAYS,
        session: int | None = None,
    ) -> None:
        """Send each witness the uncorrected transcript of what they said (thread and recording), to correct."""
        found = await self._session(interaction, session)
        invitations = await self.corrections.invite(found, await self._actor(interaction), days)
        await interaction.response.defer(ephemeral=True, thinking=True)
        sent, missed = [], []
        for invitation in invitations:
            went, why = await self._deliver(invitation.outbox_id)
            (sent if went else missed).append(safe(invitation.name) + ("" if went else f" ({why})"))
        closes = self.corrections.local(max(i.closes_at for i in invitations))
        lines = [f"Transcripts sent to {', '.join(sent) or 'nobody'}; corrections are open until {closes}."]
        if missed:
            lines.append(f"Not sent yet: {', '.join(missed)}.")
        await interaction.followup.send(" ".join(lines), ephemeral=True)

    async def open_modal(
        self, interaction: discord.Interaction, *, answer_id: int | None = None, segment_id: int | None = None
    ) -> None:
        """The witness pressed a button: the form, prefilled with the text for the record."""
        try:
            if answer_id is not None:
                answer = await self.corrections.answer_for(answer_id, interaction.user.id)
                modal = correction_modal(f"{MODAL_PREFIX}{answer.id}", answer.text or "")
            else:
                passage = await self.corrections.passage_for(segment_id, interaction.user.id)
                modal = correction_modal(f"{PASSAGE_MODAL_PREFIX}{segment_id}", passage.text)
            await interaction.response.send_modal(modal)
        except Exception as error:
            await report_error(interaction, error, "correction button")

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        custom_id = str((interaction.data or {}).get("custom_id", ""))
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        if not custom_id.startswith((MODAL_PREFIX, PASSAGE_MODAL_PREFIX)):
            return
        try:
            text = corrected_text(modal_values(interaction.data))
            if custom_id.startswith(PASSAGE_MODAL_PREFIX):
                segment_id = int(custom_id.removeprefix(PASSAGE_MODAL_PREFIX))
                correction = await self.corrections.propose_passage(segment_id, interaction.user.id, text)
            else:
                answer_id = int(custom_id.removeprefix(MODAL_PREFIX))
                correction = await self.corrections.propose(answer_id, interaction.user.id, text)
            await interaction.response.send_message(
                f"Thank you: correction {correction.id} is proposed. The secretariat will approve or decline it, and"
                " I will tell you which; the original transcript is kept either way."
            )
        except Exception as error:
            await report_error(interaction, error, "correction proposal")

    @app_commands.command(name="corrections")
    @app_commands.describe(session=SESSION_HELP)
    async def corrections_list(self, interaction: discord.Interaction, session: int | None = None) -> None:
        """List the corrections of a session waiting for a decision (secretariat or chair)."""
        found = await self._session(interaction, session)
        pending = await self.corrections.pending(found, await self._actor(interaction))
        lines = [await self._line(c) for c in pending]
        lines = lines or [f"No corrections of session {found.number} await a decision."]
        await interaction.response.send_message(clip("\n".join(lines), 1900), ephemeral=True)

    async def _line(self, correction: Correction) -> str:
        label = await self.corrections.label(correction)
        return (
            f"**{correction.id}** ({correction.target}, {label}): {safe(clip(correction.original_text, 300))}"
            f" → {safe(clip(correction.proposed_text, 300))}"
        )

    @app_commands.command(name="correction-approve")
    @app_commands.describe(id="The correction's number")
    async def correction_approve(self, interaction: discord.Interaction, id: int) -> None:
        """Approve a correction: its text becomes the text for the record; the witness is told."""
        decided = await self.corrections.approve(interaction.guild_id, await self._actor(interaction), id)
        await interaction.response.defer(ephemeral=True, thinking=True)
        told = await self._told(decided.notice_id)
        await interaction.followup.send(f"Correction {decided.correction.id} approved. {told}", ephemeral=True)

    @app_commands.command(name="correction-decline")
    @app_commands.describe(id="The correction's number", reason="Why it is declined (the witness is told)")
    async def correction_decline(self, interaction: discord.Interaction, id: int, reason: str) -> None:
        """Decline a correction, with a reason; the answer keeps its text and the witness is told."""
        decided = await self.corrections.decline(interaction.guild_id, await self._actor(interaction), id, reason)
        await interaction.response.defer(ephemeral=True, thinking=True)
        told = await self._told(decided.notice_id)
        await interaction.followup.send(f"Correction {decided.correction.id} declined. {told}", ephemeral=True)

    async def _told(self, notice_id: int | None) -> str:
        went, why = await self._deliver(notice_id)
        return "The witness has been told by direct message." if went else f"The witness was not told yet: {why}."


async def setup_corrections(bot) -> None:
    """Add the cog (after SessionsCog) and its persistent buttons."""
    await bot.add_cog(SessionCorrectionsCog(bot))
    bot.add_dynamic_items(ProposeCorrectionButton, ProposePassageButton)
