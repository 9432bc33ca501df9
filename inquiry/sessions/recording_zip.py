"""Multi-track recordings in a zip (one track per speaker, as Craig and similar recorders produce), checked before
anything is unpacked: member count, declared and actual sizes, compression ratio, paths and kinds of file.

The zip is read from memory or from a file. :func:`unpack_to_files` streams each member, a chunk at a time, into a
file of a folder the caller owns (so a recording of many large tracks is never held in memory whole);
:func:`unpack_tracks` reads them into memory. Either way each read is bounded by the size the member's header
declares, and a member that is not that size is refused.
"""

from __future__ import annotations

import io
import logging
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

log = logging.getLogger(__name__)

MEDIA_EXTENSIONS = frozenset(
    {".flac", ".wav", ".ogg", ".oga", ".opus", ".mp3", ".m4a", ".aac", ".webm", ".mka", ".mp4", ".mov", ".mkv", ".m4v"}
)
IGNORED = frozenset({"info.txt", "raw.dat"})  # Craig's notes beside the tracks are skipped, not refused
_NUMBERED = re.compile(r"^(?P<position>\d+)-(?P<speaker>.+)$")
CHUNK_BYTES = 1024 * 1024


class RecordingRefused(Exception):
    """A recording that cannot be taken; ``str(error)`` says why, for the person who uploaded it."""


@dataclass(frozen=True, slots=True)
class ZipLimits:
    """How much a zip of tracks may hold."""

    max_members: int = 24
    max_member_bytes: int = 200 * 1024 * 1024
    max_total_bytes: int = 1024 * 1024 * 1024
    max_ratio: float = 50.0  # uncompressed / compressed; audio barely compresses, a bomb compresses a thousandfold


@dataclass(frozen=True, slots=True)
class Track:
    """One speaker's track (or the whole recording, when ``speaker`` is None)."""

    filename: str
    speaker: str | None
    position: int
    data: bytes = b""
    path: Path | None = None  # where the track was unpacked to, instead of ``data``

    def read(self) -> bytes:
        """The track's bytes (read from its file when it was unpacked to one)."""
        return self.path.read_bytes() if self.path is not None else self.data


Source = bytes | Path


def is_zip(filename: str, data: Source) -> bool:
    """Whether an upload is a zip archive (by its name or its first bytes)."""
    if isinstance(data, Path):
        with data.open("rb") as handle:
            data = handle.read(4)
    return filename.lower().endswith(".zip") or data[:4] == b"PK\x03\x04"


def _open(source: Source) -> zipfile.ZipFile:
    return zipfile.ZipFile(source if isinstance(source, Path) else io.BytesIO(source))


def is_media_name(filename: str) -> bool:
    """Whether a file name has the extension of an audio or video file."""
    return PurePosixPath(filename.lower()).suffix in MEDIA_EXTENSIONS


def speaker_of(filename: str) -> tuple[int | None, str]:
    """``1-holly_lynch_mp.flac`` → ``(1, "holly_lynch_mp")``; a name without a number keeps its stem."""
    stem = PurePosixPath(filename).stem
    match = _NUMBERED.match(stem)
    if match:
        return int(match["position"]), match["speaker"]
    return None, stem


def check_zip(data: Source, limits: ZipLimits = ZipLimits()) -> list[zipfile.ZipInfo]:
    """The members to unpack, or :class:`RecordingRefused` saying what is wrong. Reads only the directory."""
    try:
        archive = _open(data)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise RecordingRefused(f"That is not a readable zip file ({error}).") from error
    with archive:
        infos = archive.infolist()
    if len(infos) > limits.max_members * 2:
        raise RecordingRefused(
            f"The zip holds {len(infos)} entries; a recording has at most {limits.max_members} tracks."
        )
    members = [info for info in infos if not info.is_dir() and PurePosixPath(info.filename).name not in IGNORED]
    for info in members:
        _check_member(info, limits)
    if not members:
        raise RecordingRefused("The zip holds no audio or video tracks.")
    if len(members) > limits.max_members:
        raise RecordingRefused(f"The zip holds {len(members)} tracks; a recording has at most {limits.max_members}.")
    total = sum(info.file_size for info in members)
    if total > limits.max_total_bytes:
        raise RecordingRefused(
            f"The zip would unpack to {total / 1e6:,.0f} MB; the most I take is {limits.max_total_bytes / 1e6:,.0f} MB."
        )
    return members


def _check_member(info: zipfile.ZipInfo, limits: ZipLimits) -> None:
    name = info.filename
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", name) or "\x00" in name:
        raise RecordingRefused(f"The zip entry {name!r} points outside the archive; the zip was not unpacked.")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise RecordingRefused(f"The zip entry {name!r} is a symbolic link; the zip was not unpacked.")
    if info.flag_bits & 0x1:
        raise RecordingRefused(f"The zip entry {name!r} is encrypted; please upload it without a password.")
    if not is_media_name(name):
        raise RecordingRefused(f"The zip entry {name!r} is not an audio or video file; the zip was not unpacked.")
    if info.file_size > limits.max_member_bytes:
        raise RecordingRefused(
            f"The track {name!r} would unpack to {info.file_size / 1e6:,.0f} MB; the largest track I take is "
            f"{limits.max_member_bytes / 1e6:,.0f} MB."
        )
    if info.file_size > max(info.compress_size, 1) * limits.max_ratio:
        raise RecordingRefused(
            f"The track {name!r} is compressed {info.file_size / max(info.compress_size, 1):,.0f} times; recordings do"
            " not compress like that, so the zip was not unpacked."
        )


def unpack_tracks(data: Source, limits: ZipLimits = ZipLimits()) -> list[Track]:
    """Check the zip, then read its tracks, each read bounded by its declared size (headers can lie)."""
    members = check_zip(data, limits)
    tracks = []
    with _open(data) as archive:
        for index, info in enumerate(members, start=1):
            try:
                with archive.open(info) as handle:
                    body = handle.read(info.file_size + 1)
            except (zipfile.BadZipFile, OSError, NotImplementedError, EOFError) as error:
                raise RecordingRefused(f"The track {info.filename!r} could not be unpacked ({error}).") from error
            if len(body) != info.file_size:
                raise RecordingRefused(f"The track {info.filename!r} is not the size its zip entry declares.")
            filename = PurePosixPath(info.filename.replace("\\", "/")).name
            position, speaker = speaker_of(filename)
            tracks.append(Track(filename, speaker, position or index, body))
    tracks.sort(key=lambda t: (t.position, t.filename))
    log.info("unpacked %d track(s) into memory", len(tracks))
    return tracks


def unpack_to_files(source: Source, folder: Path, limits: ZipLimits = ZipLimits()) -> list[Track]:
    """Check the zip, then stream its tracks into files in ``folder`` (one per track, named by position), each
    bounded by its declared size. The caller removes the folder when the tracks are taken."""
    members = check_zip(source, limits)
    tracks = []
    with _open(source) as archive:
        for index, info in enumerate(members, start=1):
            filename = PurePosixPath(info.filename.replace("\\", "/")).name
            target = folder / f"{index:03d}{PurePosixPath(filename).suffix.lower()[:10]}"
            written = _stream(archive, info, target)
            if written != info.file_size:
                raise RecordingRefused(f"The track {info.filename!r} is not the size its zip entry declares.")
            position, speaker = speaker_of(filename)
            tracks.append(Track(filename, speaker, position or index, path=target))
    tracks.sort(key=lambda t: (t.position, t.filename))
    log.info("unpacked %d track(s) to files", len(tracks))
    return tracks


def _stream(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path) -> int:
    """Copy one member into ``target`` a chunk at a time, stopping one byte past its declared size."""
    written = 0
    try:
        with archive.open(info) as handle, target.open("wb") as out:
            while written <= info.file_size:
                chunk = handle.read(min(CHUNK_BYTES, info.file_size + 1 - written))
                if not chunk:
                    break
                out.write(chunk)
                written += len(chunk)
    except (zipfile.BadZipFile, OSError, NotImplementedError, EOFError) as error:
        raise RecordingRefused(f"The track {info.filename!r} could not be unpacked ({error}).") from error
    return written
