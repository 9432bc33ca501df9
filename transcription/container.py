"""Open a media file for reading, and nothing but that file, in a container format recordings actually come in.

FFmpeg guesses a file's format from its bytes and some of its demuxers read other files or URLs: an HLS playlist
(.m3u8) fetches the segments it lists, an ffconcat file joins the files it names, an image sequence reads its
neighbours, SDP opens network streams. A file sent as evidence must never make the bot read another file (another
witness's recording, say) or a URL. So every file is opened here with

* an allow-list of demuxers (``format_whitelist``): FFmpeg refuses any other format before it reads its header;
* the ``file`` protocol only (``protocol_whitelist``): no network, no pipes, no ``subfile:`` or ``concat:``;
* external references in MP4/MOV turned off (``enable_drefs``, off by default in FFmpeg too).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import av

log = logging.getLogger(__name__)

# Demuxers for the containers audio and video evidence comes in. FFmpeg matches a demuxer when any of its names
# is listed ("mov,mp4,m4a,3gp,3g2,mj2" by "mov", "matroska,webm" by "matroska").
ALLOWED_FORMATS: tuple[str, ...] = (
    "ogg",  # voice messages (Opus), Vorbis
    "matroska",  # .mkv, .webm
    "webm",
    "mov",  # .mov, .mp4, .m4a, .3gp
    "mp4",
    "m4a",
    "3gp",
    "mp3",
    "wav",  # and RF64
    "w64",
    "flac",
    "aac",  # ADTS
    "aiff",
    "caf",
    "amr",
    "wv",
    "avi",
)
OPEN_OPTIONS: dict[str, str] = {
    "format_whitelist": ",".join(ALLOWED_FORMATS),
    "protocol_whitelist": "file",
    "enable_drefs": "0",
}

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

PLAYLIST = "this file is a playlist or a list of other files, not a recording"
# How playlists and lists of files begin (HLS and other M3U, ffconcat, PLS, DASH manifests, SDP descriptions).
_LIST_STARTS = (b"#EXTM3U", b"ffconcat version", b"[playlist]", b"v=0")
_LIST_MARKERS = (b"<MPD", b"#EXT-X-", b"#EXTINF")


def open_media(path: str | os.PathLike[str]) -> av.container.InputContainer:
    """Open ``path`` for reading with the allow-listed demuxers and the ``file`` protocol only.

    Raises one of :data:`AV_ERRORS` when FFmpeg cannot open it, its format is not allowed included.
    """
    return av.open(_local_name(path), mode="r", container_options=dict(OPEN_OPTIONS), metadata_errors="ignore")


def is_playlist(path: str | os.PathLike[str]) -> bool:
    """True when the file looks like a playlist or a list of files (the formats that read other files)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    stripped = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return stripped.startswith(_LIST_STARTS) or any(marker in head for marker in _LIST_MARKERS)


def _local_name(path: str | os.PathLike[str]) -> str:
    """An absolute file name, so that nothing in it reads as a protocol ("http:...", "subfile,...:")."""
    return str(Path(path).absolute())
