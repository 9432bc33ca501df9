"""openai-whisper (the reference engine) on converted weights: same words as faster-whisper, no invented text.

Measured on this passage: openai-whisper and faster-whisper agree word for word with tiny.en (WER 0.0 between
them, greedy and beam 5) and both score 0.0 against the text; base differs from the text by 0.04-0.08 and the
engines by at most 0.04. The agreement bound is 0.1, as the two engines run the same weights (int8 against
float32 only changes rounding).
"""

from __future__ import annotations

import pytest
from transcription_fixtures import ENGLISH, NO_LIMIT

from transcription import transcribe_file
from transcription.synth import word_error_rate

pytestmark = pytest.mark.slow
WER_BOUND = 0.2
AGREEMENT_BOUND = 0.1


@pytest.fixture(scope="module")
def reference(whisper_cache):
    def transcribe(path, model="tiny.en", **options):
        return transcribe_file(
            path, engine="openai-whisper", model=model, cache_dir=whisper_cache, **NO_LIMIT, **options
        )

    return transcribe


@pytest.mark.parametrize("kind", [".ogg", "video.mp4"])
def test_both_engines_write_the_same_words(reference, english, kind):
    ours = reference(english[kind])
    fast = transcribe_file(english[kind], engine="faster-whisper", model="tiny.en", **NO_LIMIT)
    assert ours.engine == "openai-whisper" and ours.language == "en"
    assert word_error_rate(ENGLISH, ours.text) <= WER_BOUND, ours.text
    assert word_error_rate(fast.text, ours.text) <= AGREEMENT_BOUND, (fast.text, ours.text)


def test_silence_gives_an_empty_transcript_not_you(reference, silent_file):
    transcript = reference(silent_file)
    assert transcript.is_empty, transcript.text


def test_a_tone_gives_no_invented_speech(reference, tone_file):
    transcript = reference(tone_file)
    assert transcript.is_empty, transcript.text


def test_progress_rises_to_one(reference, voice_message):
    seen = []
    reference(voice_message, on_progress=seen.append)
    assert seen[-1] == 1.0 and seen == sorted(seen)
