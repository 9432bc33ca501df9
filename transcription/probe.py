"""Look inside a media file before transcribing it: is it audio or video, does it have sound, is it within limits.

The file is read in a separate, limited process (:func:`transcription.sandbox.probe_media`); in it,
:func:`inspect_media` does the work. Every PyAV failure is caught at one boundary and turned into a
:class:`MediaError` whose ``reason`` a witness can read ("this file is not audio or video", "this video has no
sound track", ...).

A header's duration is not trusted: a WebM whose header says two seconds can hold hours. The length is counted
from the audio stream's packets (read, not decoded: fast), and counting stops as soon as it passes the limit.
"""

from __future__ import annotations

import logging
import math
import os
from dataclasses import dataclass
from pathlib import Path

import av

from .container import AV_ERRORS, PLAYLIST, is_playlist, open_media
from .errors import MediaError

log = logging.getLogger(__name__)

__all__ = [
    "AV_ERRORS",
    "MediaInfo",
    "counted_seconds",
    "describe_bytes",
    "describe_seconds",
    "inspect_media",
]

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
    """What a probe found: duration in seconds (counted from the sound track's packets), streams, container and
    codec names, size on disk, and the duration the file's header declared (None when it declared none)."""

    duration: float
    has_audio: bool
    has_video: bool
    container: str
    audio_codec: str | None
    size_bytes: int
    declared_duration: float | None = None


def describe_bytes(limit: int) -> str:
    """A byte limit as people say it: 25 MB, 1.5 MB, 200 KB."""
    megabytes = limit / (1024 * 1024)
    if megabytes >= 1:
        return f"{megabytes:.1f}".removesuffix(".0") + " MB"
    return f"{max(1, round(limit / 1024))} KB"


def describe_size_over(size: int, limit: int) -> str:
    """``size`` as people read it, precise enough that a file just over ``limit`` never reads as the limit."""
    shown = describe_bytes(size)
    if shown == describe_bytes(limit) and size > limit:
        return f"{size / (1024 * 1024):.2f} MB" if size >= 1024 * 1024 else f"{size / 1024:.1f} KB"
    return shown


def describe_seconds(limit: float) -> str:
    """A time limit as an adjective: 2-hour, 90-minute, 30-second."""
    if limit >= 3600 and limit % 3600 == 0:
        return f"{int(limit // 3600)}-hour"
    if limit >= 60 and limit % 60 == 0:
        return f"{int(limit // 60)}-minute"
    return f"{limit:g}-second"


def too_long(max_seconds: float) -> str:
    """The reason given for a recording over the length limit."""
    return f"the file is longer than the {describe_seconds(max_seconds)} limit"


def inspect_media(path: str | os.PathLike[str], *, max_bytes: int, max_seconds: float) -> MediaInfo:
    """Check, in this process, that ``path`` is audio or video with a readable sound track within the limits.

    Raises :class:`MediaError` for a file that is missing, too large, a playlist, not media, damaged, silent by
    construction (no audio stream) or too long. Hostile files can crash FFmpeg: the bot calls
    :func:`transcription.sandbox.probe_media`, which runs this in a limited process.
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
        info = _inspect(path, size, max_seconds)
    except (MediaError, MemoryError):
        raise
    except AV_ERRORS as error:
        log.info("probe refused %s: %s: %s", path.name, type(error).__name__, error)
        raise MediaError(_unreadable(path)) from error
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
    """The duration in seconds of the first audio stream as its header declares it (0.0 when it cannot be told).
    For progress only: limits are checked on the packets (:func:`inspect_media`) and decoded samples."""
    try:
        with open_media(path) as container:
            if not container.streams.audio:
                return 0.0
            return _declared(container, container.streams.audio[0]) or 0.0
    except AV_ERRORS:
        return 0.0


def counted_seconds(path: str | os.PathLike[str], *, stop_after: float = math.inf) -> float:
    """Seconds of sound in the first audio stream, counted from its packets (not decoded, header not trusted);
    counting stops as soon as ``stop_after`` is passed. Raises one of :data:`AV_ERRORS` for an unreadable file."""
    with open_media(path) as container:
        if not container.streams.audio:
            return 0.0
        return _counted_seconds(container, container.streams.audio[0], stop_after)


def _unreadable(path: Path) -> str:
    if is_playlist(path):
        return PLAYLIST
    return DAMAGED if looks_like_media(path) else NOT_MEDIA


def _inspect(path: Path, size: int, max_seconds: float) -> MediaInfo:
    with open_media(path) as container:
        audio = list(container.streams.audio)
        video = [stream for stream in container.streams.video if not _is_cover_art(stream)]
        if not audio and not video:
            raise MediaError(NOT_MEDIA)
        if not audio:
            raise MediaError(NO_SOUND if video else NO_SOUND_AUDIO)
        stream = audio[0]
        declared = _declared(container, stream)
        counted = _counted_seconds(container, stream, max_seconds)
        info = MediaInfo(
            duration=counted if counted > 0 else (declared or 0.0),
            has_audio=True,
            has_video=bool(video),
            container=container.format.name,
            audio_codec=stream.codec_context.name if stream.codec_context else None,
            size_bytes=size,
            declared_duration=declared,
        )
    if info.duration > max_seconds:
        log.info("%s holds more than %.0f s (its header says %s s)", path.name, max_seconds, declared)
        raise MediaError(too_long(max_seconds))
    _check_decodes(path)
    return info


def _is_cover_art(stream: av.stream.Stream) -> bool:
    """An MP3's or M4A's album picture is a one-frame "video" stream; it does not make the file a video."""
    disposition = getattr(stream, "disposition", 0)
    attached = getattr(getattr(av.stream, "Disposition", None), "attached_pic", 1024)
    try:
        return bool(int(disposition) & int(attached))
    except (TypeError, ValueError):
        return False


def _declared(container: av.container.InputContainer, stream: av.stream.Stream) -> float | None:
    """Seconds, as the stream's or else the container's header says (not to be trusted)."""
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return None


def _counted_seconds(container: av.container.InputContainer, stream: av.stream.Stream, limit: float) -> float:
    """Seconds of sound in the stream's packets, read without decoding; stops as soon as ``limit`` is passed.

    Both the packets' own durations and the span of their timestamps are counted, and the larger is taken: a file
    cannot pass by lying in only one of them (and the decoder counts samples too). A damaged tail ends the count.
    """
    time_base = stream.time_base
    if time_base is None or time_base <= 0:
        return 0.0
    stop = math.floor(limit / time_base) + 1 if math.isfinite(limit) else None
    summed = 0
    first: int | None = None
    end: int | None = None
    packets = 0
    try:
        for packet in container.demux(stream):
            if packet.size == 0:
                continue  # the flush packet at the end
            packets += 1
            length = packet.duration or 0
            summed += length
            pts = packet.pts if packet.pts is not None else packet.dts
            if pts is not None:
                first = pts if first is None or pts < first else first
                end = pts + length if end is None or pts + length > end else end
            span = end - first if end is not None and first is not None else 0
            if stop is not None and (summed >= stop or span >= stop):
                break
    except MemoryError:
        raise
    except AV_ERRORS as error:
        if not packets:
            raise
        log.info("packets unreadable after %d: %s: %s", packets, type(error).__name__, error)
    span = end - first if end is not None and first is not None else 0
    return float(max(summed, span) * time_base)


def _check_decodes(path: Path) -> None:
    """Decode the first seconds of sound: a header can promise a stream that the bytes cannot deliver."""
    decoded = 0.0
    with open_media(path) as container:
        stream = container.streams.audio[0]
        try:
            for frame in container.decode(stream):
                decoded += frame.samples / (frame.sample_rate or 16000)
                if decoded >= _CHECK_SECONDS:
                    return
        except MemoryError:
            raise
        except AV_ERRORS as error:
            if decoded > 0:
                return  # the start is readable; a damaged tail is dealt with while decoding
            log.info("no readable sound in %s: %s: %s", path.name, type(error).__name__, error)
            raise MediaError(DAMAGED) from error
    if decoded == 0:
        raise MediaError(DAMAGED)
