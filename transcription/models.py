"""Typed transcription results: plain dataclasses that survive JSON and a process boundary."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Segment:
    """A stretch of speech: seconds from the start of the file, its text, and who spoke when known."""

    start: float
    end: float
    text: str
    speaker: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict."""
        data: dict[str, Any] = {"start": round(self.start, 3), "end": round(self.end, 3), "text": self.text}
        if self.speaker is not None:
            data["speaker"] = self.speaker
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Segment:
        """The inverse of :meth:`to_dict`."""
        return cls(float(data["start"]), float(data["end"]), str(data["text"]), data.get("speaker"))


@dataclass(slots=True)
class Transcript:
    """What a file said: its language, the full text, timed segments, and an English translation when asked for.

    ``translation``/``translation_segments`` are set when the speech was not English (or a translation was
    forced); they hold Whisper's English rendering of the same audio.
    """

    language: str
    text: str
    segments: list[Segment]
    engine: str
    model: str
    duration: float
    translation: str | None = None
    translation_segments: list[Segment] | None = field(default=None)

    @property
    def is_empty(self) -> bool:
        """True when no speech was found."""
        return not self.text.strip()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict (store it as a row, send it to another process)."""
        data: dict[str, Any] = {
            "language": self.language,
            "text": self.text,
            "segments": [segment.to_dict() for segment in self.segments],
            "engine": self.engine,
            "model": self.model,
            "duration": round(self.duration, 3),
        }
        if self.translation is not None:
            data["translation"] = self.translation
            data["translation_segments"] = [segment.to_dict() for segment in self.translation_segments or []]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Transcript:
        """The inverse of :meth:`to_dict`."""
        translated = data.get("translation_segments")
        return cls(
            language=str(data["language"]),
            text=str(data["text"]),
            segments=[Segment.from_dict(item) for item in data.get("segments", [])],
            engine=str(data.get("engine", "")),
            model=str(data.get("model", "")),
            duration=float(data.get("duration", 0.0)),
            translation=data.get("translation"),
            translation_segments=None if translated is None else [Segment.from_dict(item) for item in translated],
        )


def join_text(segments: list[Segment]) -> str:
    """The segments' texts as one paragraph, single-spaced."""
    return " ".join(part for segment in segments if (part := segment.text.strip()))
