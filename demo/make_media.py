"""``python -m demo.make_media [FOLDER]``: make the demo's recordings again (``scripts/make_demo_media.sh``).

espeak-ng speaks :data:`demo.recordings.VOICE` and :data:`demo.recordings.FILMED`; PyAV encodes them as a voice
message (Ogg/Opus) and a filmed statement (MP4). By default they are written into the package's ``demo/media``
folder, which the demo reads; run this after changing either text. Needs espeak-ng.
"""

from __future__ import annotations

import logging
import sys
import tempfile
from pathlib import Path

from transcription.synth import ToolMissing, spoken_samples, write_media

from .recordings import FILMED, FILMED_FILE, FOLDER, VOICE, VOICE_FILE

log = logging.getLogger(__name__)


def make(folder: Path) -> list[Path]:
    """Speak the two texts with espeak-ng and encode them into ``folder``; the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        voice = write_media(folder / VOICE_FILE, spoken_samples(VOICE, work))
        film = write_media(folder / FILMED_FILE, spoken_samples(FILMED, work), video=True)
    return [voice, film]


def main(argv: list[str] | None = None) -> int:
    """Write the recordings into the package's media folder (or the folder given); 1 without espeak-ng."""
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else Path(__file__).resolve().parent / FOLDER
    try:
        written = make(folder)
    except ToolMissing as missing:
        print(f"demo.make_media: {missing}", file=sys.stderr)
        return 1
    for path in written:
        print(f"{path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
