"""Speech that is not English: the language is detected, the original kept, and an English translation added.

espeak-ng's Spanish at 140 words a minute, the base model (tiny.en is English only). Measured: both engines
detect "es" and transcribe it with a WER of 0.31 against the Spanish text ("que hay una alas" for "que ayudan a
las"); the bound is 0.5. base's translations of robotic speech are loose and move with the codec's bit rate and
with the CPU's kernels (int8 on AVX-512, AVX2, AVX or generic code, with or without MKL, one thread or two):
"The government should support the volunteers who help the larger people." (96 kbit/s), "and the government is
not going to support the military, which is one of the largest people." (AVX2), "the government doesn't need to
support the volunteers who are one of the best people." (openai-whisper), and on another AVX2 machine a text
without "support". No single word is certain, so the test asks for what any adequate translation holds: English
(no Spanish word left, and English's commonest words make up a good share of it) that renders at least one of
the sentence's content words (government, support or help, volunteers).
espeak-ng's French is not recognised as French by base (it heard Latin, Hungarian, Japanese), so it is not used.
"""

from __future__ import annotations

import pytest
from transcription_fixtures import NO_LIMIT, SPANISH

from transcription import TranscriptionError, transcribe_file
from transcription.synth import normalise_words, word_error_rate

pytestmark = pytest.mark.slow
BOUND = 0.5
# "el Gobierno", "apoyar", "voluntarios": every measured translation had at least two of these, most all three.
CONTENT_WORDS = {"government", "governments", "support", "supports", "help", "helps", "volunteer", "volunteers"}
# English's commonest words: 40-60% of the measured translations' words; a Spanish text has none of them.
FUNCTION_WORDS = {"the", "a", "an", "to", "of", "and", "is", "are", "who", "which", "that", "should", "not", "it"}
FUNCTION_SHARE = 0.2


def _is_english_rendering_of(source: str, translation: str) -> bool:
    """``translation`` is English, keeps none of ``source``'s words, and renders one of its content words."""
    words = normalise_words(translation).split()
    left = set(words) & set(normalise_words(source).split()) - {"a"}  # "a" is English too
    common = sum(word in FUNCTION_WORDS for word in words)
    return bool(words) and not left and common >= FUNCTION_SHARE * len(words) and bool(CONTENT_WORDS & set(words))


@pytest.mark.parametrize("engine", ["faster-whisper", "openai-whisper"])
def test_spanish_is_detected_kept_and_translated(spanish, engine, whisper_cache):
    transcript = transcribe_file(spanish, engine=engine, model="base", cache_dir=whisper_cache, **NO_LIMIT)
    assert transcript.language == "es"
    assert word_error_rate(SPANISH, transcript.text) <= BOUND, transcript.text
    assert transcript.translation is not None and transcript.translation_segments
    assert _is_english_rendering_of(SPANISH, transcript.translation), transcript.translation
    assert not _is_english_rendering_of(SPANISH, transcript.text)  # the check tells the two apart
    assert transcript.to_dict()["translation"] == transcript.translation


def test_translation_can_be_forced_for_english(voice_message):
    transcript = transcribe_file(voice_message, engine="faster-whisper", model="base", translate=True, **NO_LIMIT)
    assert transcript.language == "en"
    assert transcript.translation is not None and transcript.translation_segments


def test_the_english_only_model_alone_refuses_other_languages_and_translation(spanish):
    alone = {"engine": "faster-whisper", "model": "tiny.en", "multilingual_model": "", **NO_LIMIT}
    with pytest.raises(TranscriptionError, match="English only"):
        transcribe_file(spanish, language="es", **alone)
    with pytest.raises(TranscriptionError, match="cannot translate"):
        transcribe_file(spanish, translate=True, **alone)


def test_paired_with_base_the_english_only_model_hands_other_languages_over(spanish):
    transcript = transcribe_file(spanish, engine="faster-whisper", model="tiny.en", language="es", **NO_LIMIT)
    assert (transcript.language, transcript.model) == ("es", "base")
    assert _is_english_rendering_of(SPANISH, transcript.translation or ""), transcript.translation
