"""transcribe_file as a worker process calls it: plain arguments in, a picklable transcript or MediaError out."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import pytest
from transcription_fixtures import ENGLISH

from transcription import DEFAULT, MediaError, Transcript, transcribe_file
from transcription.synth import word_error_rate

pytestmark = pytest.mark.slow


def test_a_spawned_worker_transcribes_and_reports_bad_media(voice_message, mute_video):
    limits = {"max_bytes": 50 * 1024 * 1024, "max_seconds": 7200.0}
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        done = pool.submit(
            transcribe_file, str(voice_message), engine=DEFAULT.engine, model=DEFAULT.model, **limits
        ).result(timeout=120)
        refused = pool.submit(
            transcribe_file, str(mute_video), engine=DEFAULT.engine, model=DEFAULT.model, **limits
        ).exception(timeout=120)
    assert isinstance(done, Transcript)
    assert word_error_rate(ENGLISH, done.text) <= 0.2, done.text
    assert isinstance(refused, MediaError) and refused.reason == "this video has no sound track"
