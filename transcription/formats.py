"""A transcript written out as plain text, JSON, SubRip (.srt) or WebVTT (.vtt).

JSON is :meth:`Transcript.to_dict`: ``language``, ``language_name``, ``language_probability``, ``text``,
``segments`` (each with the engine's confidence), ``translation`` and ``translation_segments`` when the speech
was not English, ``needs_review``, ``review_reasons``, ``detection`` and ``confidence``.
"""

from __future__ import annotations

import json
import logging

from .models import Segment, Transcript

log = logging.getLogger(__name__)

FORMATS = ("text", "json", "srt", "vtt")


def render(transcript: Transcript, fmt: str) -> str:
    """The transcript in format ``fmt`` (one of :data:`FORMATS`), ending with a newline."""
    if fmt == "text":
        return as_text(transcript)
    if fmt == "json":
        return json.dumps(transcript.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "srt":
        return as_srt(transcript.segments)
    if fmt == "vtt":
        return as_vtt(transcript.segments)
    raise ValueError(f"unknown format {fmt!r}")


def as_text(transcript: Transcript) -> str:
    """The text, then the English translation (when there is one) under its own heading; a transcript the engine
    was unsure of starts with a line saying it needs checking, and why."""
    if transcript.is_empty:
        return "[no speech]\n"
    parts = []
    if transcript.needs_review:
        parts.append(f"[needs checking: {'; '.join(transcript.review_reasons)}]")
    parts.append(transcript.text)
    if transcript.translation is not None:
        parts.append(f"[English translation from {transcript.language_name}]\n{transcript.translation}")
    return "\n\n".join(parts) + "\n"


def as_srt(segments: list[Segment]) -> str:
    """SubRip subtitles: numbered cues, ``HH:MM:SS,mmm --> HH:MM:SS,mmm``."""
    cues = [
        f"{number}\n{_clock(s.start, ',')} --> {_clock(s.end, ',')}\n{_cue_text(s)}\n"
        for number, s in enumerate(segments, 1)
    ]
    return "\n".join(cues)


def as_vtt(segments: list[Segment]) -> str:
    """WebVTT subtitles: a ``WEBVTT`` header, then ``HH:MM:SS.mmm --> HH:MM:SS.mmm`` cues."""
    cues = [f"{_clock(s.start, '.')} --> {_clock(s.end, '.')}\n{_cue_text(s)}\n" for s in segments]
    return "\n".join(["WEBVTT\n", *cues])


def _cue_text(segment: Segment) -> str:
    text = segment.text.strip().replace("\n", " ").replace("-->", "->")
    return f"{segment.speaker}: {text}" if segment.speaker else text


def _clock(seconds: float, separator: str) -> str:
    millis = max(0, round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"
