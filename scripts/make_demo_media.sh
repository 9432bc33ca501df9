#!/usr/bin/env bash
# Make the demo's recordings again (the voice messages, the filmed statement, the sound of the youth worker's video
# and the two tracks of the session's recording in demo/media/), shipped with the package so that the demo needs no
# speech synthesis: espeak-ng speaks the texts of demo/recordings.py and PyAV encodes them. Name files (such as
# youth-club.ogg) to make only those. Needs espeak-ng (scripts/bootstrap.sh installs it) and the virtual environment.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m demo.make_media "$@"
