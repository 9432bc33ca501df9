"""Messages and components around a transcribed recording: the transcript, Confirm and Correct."""

from __future__ import annotations

import re

import discord

from ._format import clip, safe

MODAL_PREFIX = "media:m:"
PART_CHARS = 4000
PARTS = 5


def duration_text(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def transcript_message(result: dict, where: str) -> str:
    """The transcript as the witness reads it, with its English translation when it is in another language."""
    text = (result.get("text") or "").strip()
    if not text:
        return f"I listened to your recording for {where} but found no speech in it, so nothing was added."
    lines = [f"**Transcript of your recording for {where}** (language: {result.get('language', '?')})"]
    lines.append(clip(safe(text), 1200))
    if result.get("translation"):
        lines.append(f"**English translation:** {clip(safe(result['translation']), 400)}")
    lines.append("Press **Confirm** if it is right, or **Correct** to fix transcription errors. Both are kept.")
    return "\n".join(lines)


class MediaButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"media:(?P<action>confirm|correct):(?P<item>\d+)"
):
    """Confirm or correct a transcript; the state is the media item's id."""

    def __init__(self, action: str, item_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Confirm" if action == "confirm" else "Correct",
                style=discord.ButtonStyle.success if action == "confirm" else discord.ButtonStyle.secondary,
                custom_id=f"media:{action}:{item_id}",
            )
        )
        self.action, self.item_id = action, item_id

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]):
        return cls(match["action"], int(match["item"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.client.get_cog("VoiceEvidenceCog").on_button(interaction, self.action, self.item_id)


def transcript_view(item_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(MediaButton("confirm", item_id))
    view.add_item(MediaButton("correct", item_id))
    view.stop()  # dispatched by custom_id alone: nothing to keep in memory
    return view


class _Stateless(discord.ui.Modal):
    async def on_submit(self, interaction: discord.Interaction) -> None:
        return None


def correction_modal(item_id: int, text: str) -> discord.ui.Modal:
    """The transcript, prefilled, over up to five inputs."""
    from ._witness_ui import split_answer

    modal = _Stateless(title="Correct the transcript", custom_id=f"{MODAL_PREFIX}{item_id}", timeout=None)
    parts = split_answer(text) or [""]
    for index in range(min(PARTS, max(1, len(parts)))):
        modal.add_item(
            discord.ui.TextInput(
                label="Transcript" if index == 0 else f"Transcript, part {index + 1}",
                style=discord.TextStyle.paragraph,
                custom_id=f"part{index + 1}",
                required=index == 0,
                max_length=PART_CHARS,
                default=parts[index] if index < len(parts) else None,
            )
        )
    return modal
