"""The two ways transcription fails: the file itself (say why, briefly), or the machinery."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


class MediaError(Exception):
    """A file that cannot be transcribed. ``reason`` is short and meant for the person who sent it,
    e.g. "this file is not audio or video" or "this video has no sound track"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TranscriptionError(Exception):
    """The engine or its model failed or was misconfigured (unknown model, weights that do not verify)."""


class SettingsError(TranscriptionError):
    """The settings asked for cannot work: an unknown engine or compute type, a model not available offline,
    or a request the model cannot serve (another language from an English-only model)."""
