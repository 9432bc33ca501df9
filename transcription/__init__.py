"""Transcription: media file in, typed transcript out.

Other code calls :func:`transcribe_file` (probe first, then the engine). It takes plain arguments only, so a
worker process can call it; the model is loaded once per process and reused.
"""

from __future__ import annotations

import logging
import os

from .engines import ProgressCallback, load_engine
from .errors import MediaError, TranscriptionError
from .models import Segment, Transcript
from .probe import MediaInfo
from .sandbox import probe_media
from .settings import DEFAULT, ENGINES, EngineSettings

log = logging.getLogger(__name__)

__all__ = [
    "DEFAULT",
    "ENGINES",
    "EngineSettings",
    "MediaError",
    "MediaInfo",
    "Segment",
    "Transcript",
    "TranscriptionError",
    "probe_media",
    "transcribe_file",
]


def transcribe_file(
    path: str | os.PathLike[str],
    *,
    engine: str,
    model: str,
    language: str | None = None,
    translate: bool = False,
    max_bytes: int,
    max_seconds: float,
    on_progress: ProgressCallback | None = None,
    threads: int | None = None,
    compute_type: str | None = None,
    beam_size: int | None = None,
    batch_size: int | None = None,
    cache_dir: str | None = None,
    multilingual_model: str | None = None,
    device: str | None = None,
) -> Transcript:
    """Probe ``path`` in a limited process (raising :class:`MediaError` with a reason for the sender), then
    transcribe it, decoding no more than ``max_seconds`` of sound whatever the file claims.

    ``language`` None detects it; speech that is not English also gets an English translation, and
    ``translate=True`` asks for one whatever the language (multilingual models only). An English-only ``model``
    is paired with ``multilingual_model`` (default :data:`DEFAULT`'s; "" for none), which detects the language and
    handles the speech that is not English. Settings not given come from :data:`DEFAULT`. Engine or model
    failures raise :class:`TranscriptionError`.
    """
    probe_media(path, max_bytes=max_bytes, max_seconds=max_seconds)
    settings = DEFAULT.with_(
        engine=engine,
        model=model,
        threads=threads,
        compute_type=compute_type,
        beam_size=beam_size,
        batch_size=batch_size,
        cache_dir=cache_dir,
        multilingual_model=multilingual_model,
        device=device,
    )
    return load_engine(settings).transcribe(
        path, language=language, translate=translate, on_progress=on_progress, max_seconds=max_seconds
    )
