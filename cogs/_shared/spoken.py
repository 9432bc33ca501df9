"""How spoken evidence is described wherever it is shown: a recording's length, kind and the state of its transcript
(to the witness, who confirms it, and to the secretariat, who reviews it), and how to answer a question by voice."""

from __future__ import annotations

from inquiry.evidence.content import SpokenAnswer, TranscriptState


def duration_text(seconds: float) -> str:
    """``12 s``, ``3 min 04 s``, ``1 h 02 min``."""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


CONFIRM_FLAGGED = "Confirm: it is what I said"
HOW_TO_ANSWER_BY_VOICE = (
    "🎙️ You can also answer by voice message or video: send it to me by direct message while this question is open."
    " Once you confirm its transcript, it counts toward the word limit like a written answer."
)

_WITNESS_STATES = {
    TranscriptState.TRANSCRIBING: "transcribing",
    TranscriptState.WAITING: "waiting for your confirmation",
    TranscriptState.NO_SPEECH: "no speech found",
    TranscriptState.CONFIRMED: "confirmed",
    TranscriptState.CORRECTED: "corrected",
    TranscriptState.FAILED: "could not be transcribed",
}
_SECRETARIAT_STATES = {
    TranscriptState.TRANSCRIBING: "transcribing",
    TranscriptState.WAITING: "transcribed, waiting for the witness's confirmation",
    TranscriptState.NO_SPEECH: "no speech found",
    TranscriptState.CONFIRMED: "transcript confirmed by the witness",
    TranscriptState.CORRECTED: "transcript corrected by the witness",
    TranscriptState.FAILED: "could not be transcribed",
}


def needs_checking(reasons) -> str:
    """``needs checking: the language is in doubt; ...`` (the engine's reasons, briefly)."""
    return "needs checking: " + ("; ".join(reasons) or "the transcription engine is unsure of it")


def transcript_state(spoken: SpokenAnswer, *, witness: bool = True) -> str:
    """Where a recording's transcript stands, for the witness (``witness``) or the secretariat.

    A transcript the engine flagged reads "needs checking: <reason>" until a person has checked it; once the witness
    has confirmed it, the secretariat still reads the flag beside the confirmation."""
    if spoken.state is TranscriptState.NEEDS_CHECKING:
        return needs_checking(spoken.review_reasons)
    words = (_WITNESS_STATES if witness else _SECRETARIAT_STATES)[spoken.state]
    if spoken.confirmed and spoken.review_reasons and not witness:
        words += f" (it was flagged: {needs_checking(spoken.review_reasons)})"
    return words


def spoken_line(spoken: SpokenAnswer, *, witness: bool = True, where: str | None = None) -> str:
    """``🎙️ Q2 · voice message, 12 s · transcript confirmed (45 words)``."""
    length = f", {duration_text(spoken.duration)}" if spoken.duration else ""
    state = transcript_state(spoken, witness=witness)
    if spoken.state in (TranscriptState.WAITING, TranscriptState.NEEDS_CHECKING) or (witness and spoken.confirmed):
        state = f"transcript {state}"
    if spoken.confirmed:
        state += f" ({spoken.words:,} words)"
    elif witness and spoken.state in (TranscriptState.WAITING, TranscriptState.NEEDS_CHECKING):
        state += " · not counted until you confirm it"
    head = f"{where} · " if where else ""
    return f"🎙️ {head}{spoken.kind_name}{length} · {state}"
