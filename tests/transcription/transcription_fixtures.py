"""Texts and settings shared by the transcription tests (imported by their conftest and test modules)."""

from __future__ import annotations

# From the call for evidence's questions (British spelling kept: the scorer normalises "-isation").
ENGLISH = (
    "What issues has the COVID-19 crisis raised for socially isolated groups? "
    "How are you and your organisation responding to these challenges to reach these groups?"
)
SENTENCES = (
    "Who is at risk of social isolation?",
    "Is there best practice you would like to share with others working in similar situations?",
    "What should the Government be doing to support you in your work to reach isolated groups?",
)
SPANISH = "El Gobierno debería apoyar a los voluntarios que ayudan a las personas mayores."

AUDIO_EXTENSIONS = (".ogg", ".opus", ".mp3", ".m4a", ".wav", ".flac", ".webm")
VIDEO_EXTENSIONS = (".mp4", ".mov", ".mkv", ".webm")
NO_LIMIT = {"max_bytes": 1 << 40, "max_seconds": 1e9}
