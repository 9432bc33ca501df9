"""``python -m demo.make_media [FOLDER] [FILE ...]``: make the demo's recordings again (``scripts/make_demo_media.sh``).

espeak-ng speaks the texts of :mod:`demo.recordings` (:data:`demo.recordings.SPANISH` in Spanish); PyAV encodes
them as Ogg/Opus (voice messages, the sound of the youth worker's video, the session's tracks) and a filmed
statement (MP4). By default they are written into the package's ``demo/media`` folder, which the demo reads; run
this after changing a text (naming its file to make that one alone). Needs espeak-ng.
"""

from __future__ import annotations

import logging
import sys
import tempfile
from pathlib import Path

from transcription.synth import ToolMissing, spoken_samples, write_media

from .recordings import (
    CHAIR_TRACK_FILE,
    FILMED,
    FILMED_FILE,
    FOLDER,
    QUESTION_READ,
    RECORDED_ANSWER,
    SPANISH,
    SPANISH_FILE,
    VOICE,
    VOICE_FILE,
    WITNESS_TRACK_FILE,
    YOUTH,
    YOUTH_FILE,
)

log = logging.getLogger(__name__)


RECORDINGS = {  # file: (text, espeak-ng voice, words per minute, with a picture)
    VOICE_FILE: (VOICE, "en", 150, False),
    FILMED_FILE: (FILMED, "en", 150, True),
    SPANISH_FILE: (SPANISH, "es", 175, False),
    YOUTH_FILE: (YOUTH, "en", 150, False),
    CHAIR_TRACK_FILE: (QUESTION_READ, "en", 150, False),
    WITNESS_TRACK_FILE: (RECORDED_ANSWER, "en", 150, False),
}


def make(folder: Path, names: list[str] | None = None) -> list[Path]:
    """Speak the texts with espeak-ng and encode them into ``folder`` (all, or the files ``names``); the files
    written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        for name in names or list(RECORDINGS):
            text, voice, speed, video = RECORDINGS[name]
            samples = spoken_samples(text, work, voice=voice, words_per_minute=speed)
            written.append(write_media(folder / name, samples, video=video))
    return written


def main(argv: list[str] | None = None) -> int:
    """Write the recordings into the package's media folder (or the folder given); 1 without espeak-ng."""
    args = sys.argv[1:] if argv is None else argv
    names = [a for a in args if a in RECORDINGS]
    folders = [a for a in args if a not in RECORDINGS]
    folder = Path(folders[0]) if folders else Path(__file__).resolve().parent / FOLDER
    try:
        written = make(folder, names or None)
    except ToolMissing as missing:
        print(f"demo.make_media: {missing}", file=sys.stderr)
        return 1
    for path in written:
        print(f"{path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
