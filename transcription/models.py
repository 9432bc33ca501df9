"""Typed transcription results: plain dataclasses that survive JSON and a process boundary.

Everything added since the first stored transcripts has a default, and :meth:`Transcript.from_dict` reads a
dict without those keys (a transcript stored before the engine's confidence was kept loads as one with no
confidence recorded and no review asked for).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)


def _rounded(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(float(value), digits)


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


@dataclass(slots=True)
class Segment:
    """A stretch of speech: seconds from the start of the file, its text, and who spoke when known.

    The engine's own confidence in it, when known: ``avg_logprob`` (mean log-probability of its tokens; near 0 is
    sure, below -1 is guessing), ``compression_ratio`` (how well its text compresses; above 2.4 means repeated
    text, a sign of a loop) and ``no_speech_prob`` (the model's belief that there was no speech at all).
    """

    start: float
    end: float
    text: str
    speaker: str | None = None
    avg_logprob: float | None = None
    compression_ratio: float | None = None
    no_speech_prob: float | None = None

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return max(0.0, self.end - self.start)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict."""
        data: dict[str, Any] = {"start": round(self.start, 3), "end": round(self.end, 3), "text": self.text}
        if self.speaker is not None:
            data["speaker"] = self.speaker
        for key in ("avg_logprob", "compression_ratio", "no_speech_prob"):
            value = getattr(self, key)
            if value is not None:
                data[key] = round(float(value), 4)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Segment:
        """The inverse of :meth:`to_dict`."""
        return cls(
            float(data["start"]),
            float(data["end"]),
            str(data["text"]),
            data.get("speaker"),
            _optional_float(data.get("avg_logprob")),
            _optional_float(data.get("compression_ratio")),
            _optional_float(data.get("no_speech_prob")),
        )


@dataclass(slots=True)
class WindowGuess:
    """The language detector's answer for one 30-second window of speech starting ``start`` seconds in."""

    start: float
    language: str
    probability: float

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict."""
        return {"start": round(self.start, 3), "language": self.language, "probability": round(self.probability, 4)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> WindowGuess:
        """The inverse of :meth:`to_dict`."""
        return cls(float(data["start"]), str(data["language"]), float(data["probability"]))


@dataclass(slots=True)
class LanguageGuess:
    """How the language was found.

    ``method``: "detected" (the detector's answer, averaged over ``windows``), "decoded" (the detector was unsure,
    so its likeliest ``candidates`` were each decoded and the one the model read most surely, ``scores`` being
    their average log-probabilities, was taken), "unresolved" (the detector was unsure and no candidate read
    cleanly: its likeliest is kept), "given" (set by whoever asked) or "assumed" (an English-only
    model, nothing to detect with). ``probability`` is the detector's mean probability for the chosen language
    (None when nothing was detected); ``candidates`` the likeliest languages with those mean probabilities.
    """

    language: str
    probability: float | None
    method: str
    model: str = ""
    windows: list[WindowGuess] = field(default_factory=list)
    candidates: list[tuple[str, float]] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)

    @property
    def windows_agree(self) -> bool:
        """True when every window heard the same language (or there was at most one window)."""
        return len({window.language for window in self.windows}) <= 1

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict."""
        return {
            "language": self.language,
            "probability": _rounded(self.probability, 4),
            "method": self.method,
            "model": self.model,
            "windows": [window.to_dict() for window in self.windows],
            "candidates": [[code, round(p, 4)] for code, p in self.candidates],
            "scores": {code: round(score, 4) for code, score in self.scores.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LanguageGuess:
        """The inverse of :meth:`to_dict`."""
        return cls(
            language=str(data["language"]),
            probability=_optional_float(data.get("probability")),
            method=str(data.get("method", "detected")),
            model=str(data.get("model", "")),
            windows=[WindowGuess.from_dict(item) for item in data.get("windows", [])],
            candidates=[(str(code), float(p)) for code, p in data.get("candidates", [])],
            scores={str(code): float(score) for code, score in data.get("scores", {}).items()},
        )


@dataclass(slots=True)
class Confidence:
    """The engine's confidence over the whole transcript: the mean ``avg_logprob`` and ``no_speech_prob`` of the
    segments weighted by their length, the highest ``compression_ratio``, and ``speech_seconds``, how much speech
    the voice filter heard (None where unknown)."""

    avg_logprob: float | None = None
    compression_ratio: float | None = None
    no_speech_prob: float | None = None
    speech_seconds: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict."""
        return {
            "avg_logprob": _rounded(self.avg_logprob, 4),
            "compression_ratio": _rounded(self.compression_ratio, 4),
            "no_speech_prob": _rounded(self.no_speech_prob, 4),
            "speech_seconds": _rounded(self.speech_seconds),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Confidence:
        """The inverse of :meth:`to_dict`."""
        return cls(*(_optional_float(data.get(key)) for key in cls.__slots__))  # type: ignore[attr-defined]

    @classmethod
    def of(cls, segments: list[Segment], speech_seconds: float | None) -> Confidence:
        """The aggregate of ``segments``' confidences."""

        def weighted(key: str) -> float | None:
            pairs = [(getattr(s, key), max(s.duration, 0.1)) for s in segments if getattr(s, key) is not None]
            total = sum(weight for _, weight in pairs)
            return sum(value * weight for value, weight in pairs) / total if total else None

        ratios = [s.compression_ratio for s in segments if s.compression_ratio is not None]
        return cls(weighted("avg_logprob"), max(ratios, default=None), weighted("no_speech_prob"), speech_seconds)


@dataclass(slots=True)
class Transcript:
    """What a file said: its language, the full text, timed segments, and an English translation when asked for.

    ``translation``/``translation_segments`` are set when the speech was not English (or a translation was
    forced); they hold Whisper's English rendering of the same audio. ``language_probability`` is the language
    detector's probability for ``language`` (None when it was given or assumed); ``detection`` says how it was
    found; ``confidence`` is the engine's own. ``needs_review`` is True when those say the text may be wrong, and
    ``review_reasons`` say why, briefly, for the people who check it.
    """

    language: str
    text: str
    segments: list[Segment]
    engine: str
    model: str
    duration: float
    translation: str | None = None
    translation_segments: list[Segment] | None = field(default=None)
    language_probability: float | None = None
    detection: LanguageGuess | None = None
    confidence: Confidence | None = None
    needs_review: bool = False
    review_reasons: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """True when no speech was found."""
        return not self.text.strip()

    @property
    def language_name(self) -> str:
        """The language as people read it ("Cymraeg / Welsh")."""
        from .languages import display_name

        return display_name(self.language)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict (store it as a row, send it to another process)."""
        data: dict[str, Any] = {
            "language": self.language,
            "language_name": self.language_name,
            "language_probability": _rounded(self.language_probability, 4),
            "text": self.text,
            "segments": [segment.to_dict() for segment in self.segments],
            "engine": self.engine,
            "model": self.model,
            "duration": round(self.duration, 3),
            "needs_review": self.needs_review,
            "review_reasons": list(self.review_reasons),
        }
        if self.translation is not None:
            data["translation"] = self.translation
            data["translation_segments"] = [segment.to_dict() for segment in self.translation_segments or []]
        if self.detection is not None:
            data["detection"] = self.detection.to_dict()
        if self.confidence is not None:
            data["confidence"] = self.confidence.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Transcript:
        """The inverse of :meth:`to_dict`; reads dicts written before the newer keys existed."""
        translated = data.get("translation_segments")
        detection = data.get("detection")
        confidence = data.get("confidence")
        return cls(
            language=str(data["language"]),
            text=str(data["text"]),
            segments=[Segment.from_dict(item) for item in data.get("segments", [])],
            engine=str(data.get("engine", "")),
            model=str(data.get("model", "")),
            duration=float(data.get("duration", 0.0)),
            translation=data.get("translation"),
            translation_segments=None if translated is None else [Segment.from_dict(item) for item in translated],
            language_probability=_optional_float(data.get("language_probability")),
            detection=None if detection is None else LanguageGuess.from_dict(detection),
            confidence=None if confidence is None else Confidence.from_dict(confidence),
            needs_review=bool(data.get("needs_review", False)),
            review_reasons=[str(reason) for reason in data.get("review_reasons", [])],
        )


def join_text(segments: list[Segment]) -> str:
    """The segments' texts as one paragraph, single-spaced."""
    return " ".join(part for segment in segments if (part := segment.text.strip()))
