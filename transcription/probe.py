"""Look inside a media file before transcribing it: is it audio or video, does it have sound, is it within limits.

Every PyAV failure is caught here, at one boundary, and turned into a :class:`MediaError` whose ``reason`` a
witness can read ("this file is not audio or video", "this video has no sound track", ...).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

import av

from .errors import MediaError

log = logging.getLogger(__name__)

# Everything PyAV (and FFmpeg under it) raises for a file it cannot read. av.FFmpegError covers the
# FFmpeg error codes; the others come from PyAV's own checks on malformed streams.
AV_ERRORS: tuple[type[BaseException], ...] = (
    av.FFmpegError,
    OSError,
    ValueError,
    IndexError,
    RuntimeError,
    EOFError,
    UnicodeDecodeError,
    OverflowError,
)

NOT_MEDIA = "this file is not audio or video"
DAMAGED = "this file is damaged or incomplete and its sound cannot be read"
NO_SOUND = "this video has no sound track"
NO_SOUND_AUDIO = "this file has no sound track"
_MAGIC = {b"OggS", b"RIFF", b"fLaC", b"\x1a\x45\xdf\xa3", b"FORM", b"caff", b"#!AM", b"RF64", b"wvpk"}
_MP4_BOXES = {b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip"}
# Decode this much audio to prove that the sound track is readable, not just announced in a header.
_CHECK_SECONDS = 2.0


@dataclass(frozen=True, slots=True)
class MediaInfo:
    """What a probe found: duration in seconds, streams, container and codec names, size on disk."""

    duration: float
    has_audio: bool
    has_video: bool
    container: str
    audio_codec: str | None
    size_bytes: int


def describe_bytes(limit: int) -> str:
    """A byte limit as people say it: 25 MB, 1.5 MB, 200 KB."""
    megabytes = limit / (1024 * 1024)
    if megabytes >= 1:
        return f"{megabytes:.1f}".removesuffix(".0") + " MB"
    return f"{max(1, round(limit / 1024))} KB"


def describe_seconds(limit: float) -> str:
    """A time limit as an adjective: 2-hour, 90-minute, 30-second."""
    if limit >= 3600 and limit % 3600 == 0:
        return f"{int(limit // 3600)}-hour"
    if limit >= 60 and limit % 60 == 0:
        return f"{int(limit // 60)}-minute"
    return f"{limit:g}-second"


def probe_media(path: str | os.PathLike[str], *, max_bytes: int, max_seconds: float) -> MediaInfo:
    """Check that ``path`` is audio or video with a readable sound track within the limits; say what it holds.

    Raises :class:`MediaError` for a file that is missing, too large, not media, damaged, silent by construction
    (no audio stream) or too long.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise MediaError("the file could not be found or read") from error
    if size > max_bytes:
        raise MediaError(f"the file is larger than the {describe_bytes(max_bytes)} limit")
    if size == 0:
        raise MediaError("the file is empty")
    try:
        info = _inspect(path, size)
    except MediaError:
        raise
    except AV_ERRORS as error:
        log.info("probe refused %s: %s: %s", path.name, type(error).__name__, error)
        raise MediaError(DAMAGED if looks_like_media(path) else NOT_MEDIA) from error
    if info.duration > max_seconds:
        raise MediaError(f"the file is longer than the {describe_seconds(max_seconds)} limit")
    log.debug("probed %s: %s", path.name, info)
    return info


def looks_like_media(path: str | os.PathLike[str]) -> bool:
    """True when the file starts like a media container (Ogg, RIFF/WAV, FLAC, MP3, MP4/MOV, Matroska/WebM, ...),
    so that a file FFmpeg cannot open is damaged or incomplete rather than something else renamed."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(12)
    except OSError:
        return False
    if head[:4] in _MAGIC or head[:3] == b"ID3" or head[4:8] in _MP4_BOXES:
        return True
    return len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0  # MPEG audio or ADTS frame sync


def media_duration(path: str | os.PathLike[str]) -> float:
    """The duration in seconds of the first audio stream (0.0 when it cannot be told)."""
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if not container.streams.audio:
                return 0.0
            return _duration(container, container.streams.audio[0])
    except AV_ERRORS:
        return 0.0


def _inspect(path: Path, size: int) -> MediaInfo:
    with av.open(str(path), metadata_errors="ignore") as container:
        audio = list(container.streams.audio)
        video = [stream for stream in container.streams.video if not _is_cover_art(stream)]
        if not audio and not video:
            raise MediaError(NOT_MEDIA)
        if not audio:
            raise MediaError(NO_SOUND if video else NO_SOUND_AUDIO)
        stream = audio[0]
        duration = _duration(container, stream)
        _check_decodes(path, container, stream)
        return MediaInfo(
            duration=duration,
            has_audio=True,
            has_video=bool(video),
            container=container.format.name,
            audio_codec=stream.codec_context.name if stream.codec_context else None,
            size_bytes=size,
        )


def _is_cover_art(stream: av.stream.Stream) -> bool:
    """An MP3's or M4A's album picture is a one-frame "video" stream; it does not make the file a video."""
    disposition = getattr(stream, "disposition", 0)
    attached = getattr(getattr(av.stream, "Disposition", None), "attached_pic", 1024)
    try:
        return bool(int(disposition) & int(attached))
    except (TypeError, ValueError):
        return False


def _duration(container: av.container.InputContainer, stream: av.stream.Stream) -> float:
    """Seconds, from the stream, else the container, else by reading packet timestamps (no decoding)."""
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return _duration_from_packets(container, stream)


def _duration_from_packets(container: av.container.InputContainer, stream: av.stream.Stream) -> float:
    last = 0.0
    for packet in container.demux(stream):
        if packet.pts is not None and packet.time_base is not None:
            last = max(last, float((packet.pts + (packet.duration or 0)) * packet.time_base))
    container.seek(0)
    return last


def _check_decodes(path: Path, container: av.container.InputContainer, stream: av.stream.Stream) -> None:
    """Decode the first seconds of sound: a header can promise a stream that the bytes cannot deliver."""
    decoded = 0.0
    try:
        for frame in container.decode(stream):
            decoded += frame.samples / (frame.sample_rate or 16000)
            if decoded >= _CHECK_SECONDS:
                return
    except AV_ERRORS as error:
        if decoded > 0:
            return  # the start is readable; a damaged tail is dealt with while decoding
        log.info("no readable sound in %s: %s: %s", path.name, type(error).__name__, error)
        raise MediaError(DAMAGED) from error
    if decoded == 0:
        raise MediaError(DAMAGED)
