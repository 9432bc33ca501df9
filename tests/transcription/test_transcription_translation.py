"""Speech that is not English: the language is detected, the original kept, and an English translation added.

espeak-ng's Spanish at 140 words a minute, the base model (tiny.en is English only). Measured: both engines
detect "es" and transcribe it with a WER of 0.31 against the Spanish text ("que hay una alas" for "que ayudan a
las"); the bound is 0.5. base's translations of robotic speech are loose and move with the codec's bit rate
("The government should support the volunteers who help the larger people." from a 96 kbit/s voice message,
"the government is not going to support the military that comes to the greater people." from 32 kbit/s), so
the test asks for what every run kept: an English text (no Spanish words left) that says "government" and
"support".
espeak-ng's French is not recognised as French by base (it heard Latin, Hungarian, Japanese), so it is not used.
"""

from __future__ import annotations

import pytest
from transcription_fixtures import NO_LIMIT, SPANISH

from transcription import TranscriptionError, transcribe_file
from transcription.synth import normalise_words, word_error_rate

pytestmark = pytest.mark.slow
BOUND = 0.5


@pytest.mark.parametrize("engine", ["faster-whisper", "openai-whisper"])
def test_spanish_is_detected_kept_and_translated(spanish, engine, whisper_cache):
    transcript = transcribe_file(spanish, engine=engine, model="base", cache_dir=whisper_cache, **NO_LIMIT)
    assert transcript.language == "es"
    assert word_error_rate(SPANISH, transcript.text) <= BOUND, transcript.text
    assert transcript.translation is not None and transcript.translation_segments
    english = set(normalise_words(transcript.translation).split())
    assert {"government", "support"} <= english, transcript.translation
    assert not english & set(normalise_words(SPANISH).split()) - {"a"}, transcript.translation
    assert transcript.to_dict()["translation"] == transcript.translation


def test_translation_can_be_forced_for_english(voice_message):
    transcript = transcribe_file(voice_message, engine="faster-whisper", model="base", translate=True, **NO_LIMIT)
    assert transcript.language == "en"
    assert transcript.translation is not None and transcript.translation_segments


def test_the_english_only_model_refuses_other_languages_and_translation(spanish):
    with pytest.raises(TranscriptionError, match="English only"):
        transcribe_file(spanish, engine="faster-whisper", model="tiny.en", language="es", **NO_LIMIT)
    with pytest.raises(TranscriptionError, match="cannot translate"):
        transcribe_file(spanish, engine="faster-whisper", model="tiny.en", translate=True, **NO_LIMIT)
