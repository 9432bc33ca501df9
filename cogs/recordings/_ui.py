"""Messages and components around a transcribed recording: the transcript, Confirm and Correct."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import discord

from cogs._shared.format import clip, safe
from cogs._shared.spoken import CONFIRM_FLAGGED, needs_checking
from cogs._shared.spoken import duration_text as duration_text  # where the recordings' texts used to find it
from transcription.queue import MediaRefused

MODAL_PREFIX = "media:m:"
PART_CHARS = 4000
PARTS = 5
MESSAGE_LIMIT = 2000
EXCERPT_CHARS = 1200
TRANSLATION_EXCERPT_CHARS = 400
MODAL_CHARS = PART_CHARS * PARTS
MAX_CORRECTION_BYTES = 1024 * 1024
FILE_HEADER = "Transcript of your recording for "
FILE_TRANSLATION = "English translation:"


@dataclass(frozen=True, slots=True)
class TranscriptPost:
    """The transcript message, and the whole text as a file when the message cannot hold it."""

    content: str
    file_text: str | None = None
    filename: str | None = None

    def file(self) -> discord.File | None:
        if self.file_text is None:
            return None
        return discord.File(io.BytesIO(self.file_text.encode("utf-8")), filename=self.filename)


def transcript_message(result: dict, where: str, label: str = "recording") -> TranscriptPost:
    """The transcript as the witness reads it, with its English translation when it is in another language.

    A transcript that does not fit in one Discord message is shown from its start, and given whole (with the
    translation) in an attached text file.
    """
    text = (result.get("text") or "").strip()
    if not text:
        return TranscriptPost(
            f"I listened to your recording for {where} but found no speech in it, so nothing was added."
        )
    translation = (result.get("translation") or "").strip()
    header = f"**Transcript of your recording for {where}** (language: {result.get('language', '?')})"
    footer = "Press **Confirm** if it is right, or **Correct** to fix transcription errors. Both are kept."
    if flagged(result):
        footer = (
            f"⚠️ This transcript {needs_checking(result.get('review_reasons') or [])}. It is not part of your evidence"
            f" until you check it: read it against what you said. **{CONFIRM_FLAGGED}** confirms that this text is"
            " what you said, word for word; **Correct** lets you fix it first. The recording is kept either way."
        )
    whole = [header, safe(text)] + ([f"**English translation:** {safe(translation)}"] if translation else [])
    content = "\n".join([*whole, footer])
    if len(content) <= MESSAGE_LIMIT:
        return TranscriptPost(content)
    lines = [header, clip(safe(text), EXCERPT_CHARS)]
    if translation:
        lines.append(f"**English translation:** {clip(safe(translation), TRANSLATION_EXCERPT_CHARS)}")
    words = len(text.split())
    lines.append(f"*This is the start: the whole transcript ({words:,} words) is in the attached file.*")
    lines.append(footer)
    return TranscriptPost("\n".join(lines), file_text=transcript_file_text(result, where), filename=f"{label}.txt")


def flagged(result: dict) -> bool:
    """Whether the transcription engine asked for a person to check this transcript."""
    return bool(result.get("needs_review"))


def transcript_file_text(result: dict, where: str) -> str:
    """The whole transcript (and translation) as plain text, for a file."""
    parts = [f"{FILE_HEADER}{where} (language: {result.get('language', '?')})", ""]
    parts.append((result.get("text") or "").strip())
    if (result.get("translation") or "").strip():
        parts += ["", FILE_TRANSLATION, "", result["translation"].strip()]
    return "\n".join(parts) + "\n"


def text_from_file(data: bytes, filename: str) -> str:
    """The corrected transcript in a text file a witness sent back: the file as :func:`transcript_file_text` wrote
    it (its first line and the translation are left out), or just the text. Raises :class:`MediaRefused`."""
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise MediaRefused(
            f"I could not read {filename} as text. Could you save it as plain text (UTF-8) and send it again?"
        ) from error
    lines = content.replace("\r\n", "\n").split("\n")
    if lines and lines[0].startswith(FILE_HEADER):
        lines = lines[1:]
    if FILE_TRANSLATION in (line.strip() for line in lines):
        lines = lines[: [line.strip() for line in lines].index(FILE_TRANSLATION)]
    text = "\n".join(lines).strip()
    if not text:
        raise MediaRefused(f"{filename} has no text in it, so I have not changed your transcript.")
    return text


def fits_in_modal(text: str) -> bool:
    """True when the correction form can hold the whole transcript (five inputs of 4,000 characters)."""
    from cogs.evidence._ui import split_answer

    return len(split_answer(text)) <= PARTS


def too_long_to_correct_in_a_form(text: str) -> str:
    return (
        f"This transcript is too long to correct in a form ({len(text):,} characters; a form holds "
        f"{MODAL_CHARS:,}). Download the attached file, correct it, and send it back to me as a **reply to the "
        "transcript message** (a plain .txt file). I will record your corrected text and keep the original."
    )


class MediaButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"media:(?P<action>confirm|correct):(?P<item>\d+)(?::(?P<job>\d+))?",
):
    """Confirm or correct a transcript; the state is the media item's id and the job whose text was shown (buttons
    posted before jobs were named carry the item only, and mean its latest transcript)."""

    def __init__(self, action: str, item_id: int, job_id: int | None = None, *, label: str | None = None) -> None:
        suffix = f":{job_id}" if job_id is not None else ""
        super().__init__(
            discord.ui.Button(
                label=label or ("Confirm" if action == "confirm" else "Correct"),
                style=discord.ButtonStyle.success if action == "confirm" else discord.ButtonStyle.secondary,
                custom_id=f"media:{action}:{item_id}{suffix}",
            )
        )
        self.action, self.item_id, self.job_id = action, item_id, job_id

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]):
        return cls(match["action"], int(match["item"]), int(match["job"]) if match["job"] else None)

    async def callback(self, interaction: discord.Interaction) -> None:
        cog = interaction.client.get_cog("VoiceEvidenceCog")
        await cog.on_button(interaction, self.action, self.item_id, self.job_id)


def item_of_message(message: discord.Message) -> tuple[int, int | None] | None:
    """The media item (and job) a transcript message's buttons are about, or None for any other message."""
    for row in message.components:
        for child in getattr(row, "children", [row]):
            match = re.fullmatch(MediaButton.__discord_ui_compiled_template__, str(getattr(child, "custom_id", "")))
            if match:
                return int(match["item"]), int(match["job"]) if match["job"] else None
    return None


def transcript_view(item_id: int, job_id: int | None = None, *, result: dict | None = None) -> discord.ui.View:
    """Confirm and Correct; a transcript the engine flagged is confirmed as "it is what I said"."""
    view = discord.ui.View(timeout=None)
    label = CONFIRM_FLAGGED if result is not None and flagged(result) else None
    view.add_item(MediaButton("confirm", item_id, job_id, label=label))
    view.add_item(MediaButton("correct", item_id, job_id))
    view.stop()  # dispatched by custom_id alone: nothing to keep in memory
    return view


class _Stateless(discord.ui.Modal):
    async def on_submit(self, interaction: discord.Interaction) -> None:
        return None


def correction_modal(item_id: int, text: str) -> discord.ui.Modal:
    """The transcript, prefilled, over up to five inputs."""
    from cogs.evidence._ui import split_answer

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
