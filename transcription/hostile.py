"""Media that lies, and files that make FFmpeg read other files, made with PyAV for the tests and benchmarks of
the media limits (like :mod:`transcription.synth`, nothing here is needed to transcribe).

* :func:`repeat_packets` copies the encoded packets of a short recording, over and over, into a long one with
  correct timestamps (nothing re-encoded: hours of sound are written in a second). The result is valid media.
* :func:`declare_webm_duration` and :func:`declare_mp4_duration` then overwrite the duration the header declares
  (Matroska's Segment Info Duration and DURATION tags; MP4's mvhd, tkhd and mdhd boxes) and leave the packets as
  they are: a file that says two seconds and holds ten minutes or ten hours.
* :func:`hls_playlist` and :func:`ffconcat_list` write a real HLS playlist and a real ffconcat file that name a
  recording beside them.
"""

from __future__ import annotations

import logging
import struct
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from .decode import SAMPLE_RATE

log = logging.getLogger(__name__)

# container -> (PyAV format, codec, encoder options)
_SHORT = {
    ".webm": ("webm", "libopus", {"frame_duration": "120"}),
    ".m4a": ("ipod", "aac", {}),
}


def encode_short(path: Path, samples: np.ndarray) -> Path:
    """Encode 16 kHz mono ``samples`` into ``path`` (.webm: Opus in 120 ms packets; .m4a: AAC)."""
    fmt, codec, options = _SHORT[path.suffix]
    with av.open(str(path), "w", format=fmt) as container:
        stream = container.add_stream(codec, rate=48_000 if codec == "libopus" else SAMPLE_RATE, options=options)
        stream.layout = "mono"
        stream.bit_rate = 32_000
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1).astype(np.float32), format="flt", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        frame.pts = 0
        frame.time_base = Fraction(1, SAMPLE_RATE)
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)
    return path


def repeat_packets(source: Path, target: Path, seconds: float) -> Path:
    """Write ``source``'s audio packets again and again, timed one after another, until ``target`` holds
    ``seconds`` of sound (same container as ``source``)."""
    fmt = _SHORT[source.suffix][0]
    with av.open(str(source)) as short:
        stream = short.streams.audio[0]
        extradata = stream.codec_context.extradata
        codec, rate, time_base = stream.codec_context.name, stream.codec_context.sample_rate, stream.time_base
        packets = [(bytes(p), p.duration) for p in short.demux(stream) if p.size]
    # Only whole packets of the usual length: the last one of an encoding is often shorter.
    usual = max({d for _, d in packets}, key=[d for _, d in packets].count)
    packets = [(data, d) for data, d in packets if d == usual]
    with av.open(str(target), "w", format=fmt) as long:
        out = long.add_stream(codec, rate=rate)
        out.layout = "mono"
        out.codec_context.extradata = extradata
        out.time_base = time_base
        position, index, end = 0, 0, int(seconds / time_base)
        while position < end:
            data, duration = packets[index % len(packets)]
            packet = av.Packet(data)
            packet.stream = out
            packet.pts = packet.dts = position
            packet.duration = duration
            packet.time_base = time_base
            long.mux(packet)
            position += duration
            index += 1
    return target


def declare_webm_duration(path: Path, seconds: float) -> None:
    """Make a WebM/Matroska file's header declare ``seconds`` (Segment Info Duration, in ms as written by
    FFmpeg's muxer, and the tracks' DURATION tags); its blocks are left untouched."""
    data = bytearray(path.read_bytes())
    at = data.find(b"\x44\x89\x88")  # Duration element, 8-byte float
    if at < 0 or data.find(b"\x44\x89\x88", at + 1) != -1:
        raise ValueError(f"{path.name}: not one Duration element as FFmpeg writes it")
    data[at + 3 : at + 11] = struct.pack(">d", seconds * 1000.0)
    hours, rest = divmod(seconds, 3600)
    tag = f"{int(hours):02d}:{int(rest // 60):02d}:{rest % 60:012.9f}".encode()
    start = data.find(b"DURATION")
    while start != -1:
        value = data.find(b"\x44\x87", start)  # TagString
        length = data[value + 2] & 0x7F
        data[value + 3 : value + 3 + length] = tag[:length].ljust(length, b"0")
        start = data.find(b"DURATION", value)
    path.write_bytes(bytes(data))


def declare_mp4_duration(path: Path, seconds: float) -> None:
    """Make an MP4's movie, track and media headers (mvhd, tkhd, mdhd, version 0) declare ``seconds``; the sample
    tables (what the file holds) are left untouched."""
    data = bytearray(path.read_bytes())
    movie_scale = None
    for box in (b"mvhd", b"mdhd", b"tkhd"):
        at = data.find(box)
        if at < 0 or data[at + 4] != 0:
            raise ValueError(f"{path.name}: no version-0 {box.decode()} box")  # version 0: 32-bit times
        fields = at + 8  # after the box type, version and flags
        if box == b"tkhd":
            scale, where = movie_scale, fields + 16
        else:
            scale, where = struct.unpack(">I", data[fields + 8 : fields + 12])[0], fields + 12
            movie_scale = movie_scale or scale
        data[where : where + 4] = struct.pack(">I", round(seconds * scale))
    path.write_bytes(bytes(data))


def declared_seconds(path: Path) -> float:
    """The duration the header declares, as FFmpeg reports it (stream's, else container's)."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        if stream.duration is not None:
            return float(stream.duration * stream.time_base)
        return container.duration / av.time_base


def packet_seconds(path: Path) -> float:
    """The sum of the audio packets' durations: what the file holds (read, not decoded)."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        return float(sum(p.duration or 0 for p in container.demux(stream)) * stream.time_base)


def write_ts(path: Path, samples: np.ndarray) -> Path:
    """An MPEG-TS segment with AAC sound, as HLS serves them."""
    with av.open(str(path), "w", format="mpegts") as container:
        stream = container.add_stream("aac", rate=SAMPLE_RATE)
        stream.layout = "mono"
        for offset in range(0, len(samples), 1024):
            piece = np.ascontiguousarray(samples[offset : offset + 1024], dtype=np.float32).reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(piece, format="flt", layout="mono")
            frame.sample_rate = SAMPLE_RATE
            frame.pts = offset
            frame.time_base = Fraction(1, SAMPLE_RATE)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


def hls_playlist(path: Path, segment: Path, seconds: float) -> Path:
    """An HLS media playlist (VOD) of one segment, named relative to the playlist."""
    path.write_text(
        "#EXTM3U\n#EXT-X-VERSION:3\n"
        f"#EXT-X-TARGETDURATION:{int(seconds) + 1}\n#EXT-X-MEDIA-SEQUENCE:0\n"
        f"#EXTINF:{seconds:.3f},\n{segment.name}\n#EXT-X-ENDLIST\n",
        encoding="utf-8",
    )
    return path


def ffconcat_list(path: Path, *files: Path) -> Path:
    """An ffconcat script joining ``files`` (named relative to it)."""
    path.write_text("ffconcat version 1.0\n" + "".join(f"file {f.name}\n" for f in files), encoding="utf-8")
    return path


def sound_through_plain_ffmpeg(path: Path) -> tuple[str, float]:
    """What FFmpeg does with the file when nothing restricts it: the demuxer it picks and seconds decoded."""
    with av.open(str(path)) as container:
        decoded = sum(frame.samples / frame.sample_rate for frame in container.decode(audio=0))
        return container.format.name, decoded
