#!/usr/bin/env bash
# Make the demo's recordings again (demo/media/voice-message.ogg and statement.mp4), shipped with the package so
# that the demo needs no speech synthesis: espeak-ng speaks the VOICE and FILMED texts of demo/recordings.py and
# PyAV encodes them. Needs espeak-ng (scripts/bootstrap.sh installs it) and the virtual environment.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m demo.make_media "$@"
