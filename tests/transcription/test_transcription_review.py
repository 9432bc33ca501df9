"""The rules that flag a transcript for checking, the language names, and old stored transcripts (no models)."""

from __future__ import annotations

import numpy as np
import pytest

from transcription import Segment, Transcript
from transcription.detect import speech_windows
from transcription.languages import LANGUAGES, display_name, language_name, normalise_code
from transcription.models import Confidence, LanguageGuess, WindowGuess
from transcription.review import clearly_english, repeated_phrase, review_reasons

SURE_ENGLISH = LanguageGuess("en", 0.97, "detected", windows=[WindowGuess(0.0, "en", 0.97)], candidates=[("en", 0.97)])
UNSURE = LanguageGuess(
    "en", 0.17, "decoded", windows=[WindowGuess(0.0, "la", 0.53)], candidates=[("la", 0.53), ("en", 0.17)]
)
SENTENCE = "The government should support the volunteers who help older people during the crisis."


def _reasons(segments, guess=SURE_ENGLISH, language="en", speech=None, translation=None):
    return review_reasons(
        language=language,
        guess=guess,
        segments=segments,
        translation=translation,
        confidence=Confidence.of(segments, speech),
    )


def test_every_whisper_language_has_a_name_and_welsh_its_own():
    assert len(LANGUAGES) == 100  # the multilingual Whisper models' language tokens
    assert display_name("cy") == "Cymraeg / Welsh"
    assert display_name("CY") == display_name("cy-GB") == "Cymraeg / Welsh"
    assert display_name("en") == "English" and display_name("ar") == "Arabic"
    assert display_name("fr") == "Français / French"
    assert language_name("und") == "undetermined" and language_name("xx") == "xx"
    assert normalise_code(" en_GB ") == "en" and normalise_code(None) is None


def test_a_clear_english_transcript_needs_no_review():
    segments = [Segment(0.0, 6.0, SENTENCE, avg_logprob=-0.3, compression_ratio=1.2, no_speech_prob=0.1)]
    assert clearly_english(SURE_ENGLISH)
    assert _reasons(segments, speech=6.0) == []
    assert _reasons([]) == [] and _reasons([], speech=3.0) == []  # no speech, or too little to matter: nothing to check
    assert _reasons([], speech=12.0) == ["speech was heard (12 s) but no words were recognised"]


def test_a_polite_close_is_fine_in_clear_english_but_not_from_unclear_speech():
    thanks = [Segment(0.0, 2.0, "Thank you very much.", avg_logprob=-0.4)]
    assert _reasons(thanks, speech=2.0) == []
    reasons = _reasons(thanks, guess=UNSURE, speech=2.0)
    assert any("not clearly English" in reason for reason in reasons), reasons
    assert any("uncertain" in reason and "Latin 53%" in reason for reason in reasons), reasons
    assert _reasons(thanks, guess=LanguageGuess("en", None, "assumed"), speech=2.0)  # nothing checked the language


def test_phrases_from_online_videos_are_flagged_whatever_the_language():
    segments = [Segment(0.0, 5.0, "Thanks for watching, see you in the next video!", avg_logprob=-0.5)]
    assert any("thanks for watching" in reason for reason in _reasons(segments, speech=5.0))


def test_too_few_words_for_the_speech_heard():
    segments = [Segment(0.0, 15.0, "Thank you.", avg_logprob=-0.5)]
    assert any("too few words" in reason for reason in _reasons(segments, speech=15.0))
    assert not any("too few words" in reason for reason in _reasons(segments, speech=4.0))  # too little to judge


def test_loops_low_confidence_and_looping_translations_are_flagged():
    loop = [Segment(0.0, 20.0, "aeithu " * 12, avg_logprob=-0.5, compression_ratio=4.7)]
    assert any("repeated text" in reason for reason in _reasons(loop, language="cy", speech=20.0))
    unsure = [Segment(0.0, 6.0, SENTENCE, avg_logprob=-1.4)]
    assert any("unsure of the words" in reason for reason in _reasons(unsure, speech=6.0))
    said = [Segment(0.0, 6.0, "Dylai'r llywodraeth gefnogi'r gwirfoddolwyr.", avg_logprob=-0.4)]
    translated = [Segment(0.0, 6.0, "the 5th of August, " * 6)]
    welsh = LanguageGuess("cy", 0.9, "detected", windows=[WindowGuess(0.0, "cy", 0.9)], candidates=[("cy", 0.9)])
    reasons = _reasons(said, guess=welsh, language="cy", speech=6.0, translation=translated)
    assert reasons == ['the English translation repeats itself ("the 5th of august" again and again)']


def test_languages_that_differ_across_the_recording_are_flagged():
    mixed = LanguageGuess(
        "cy",
        0.6,
        "decoded",
        windows=[WindowGuess(0.0, "cy", 0.8), WindowGuess(60.0, "en", 0.9)],
        candidates=[("cy", 0.6), ("en", 0.35)],
    )
    segments = [Segment(0.0, 90.0, " ".join([SENTENCE] * 2) + " Diolch yn fawr iawn am eich amser heddiw.")]
    reasons = _reasons(segments, guess=mixed, language="cy")
    assert reasons == ["parts of the recording sound like different languages (Welsh, English)"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("No, no, no, that is not what we said.", None),
        ("We want to help, to help, to help people.", None),
        (SENTENCE, None),
        ("the 5th of August, the 5th of August, the 5th of August", "the 5th of august"),
        ("aeithu aeithu aeithu aeithu", "aeithu"),
        ("I do not know what to do. I do not know what to do, but I do not know.", "i do not know"),
    ],
)
def test_repeated_phrases(text, expected):
    assert repeated_phrase(text) == expected


def test_a_transcript_stored_before_confidence_was_kept_still_loads():
    old = {
        "language": "en",
        "text": "Who is at risk?",
        "segments": [{"start": 0.0, "end": 1.5, "text": "Who is at risk?"}],
        "engine": "faster-whisper",
        "model": "tiny.en",
        "duration": 1.6,
        "compute_seconds": 0.8,
    }
    transcript = Transcript.from_dict(old)
    assert (transcript.needs_review, transcript.review_reasons, transcript.language_probability) == (False, [], None)
    assert transcript.detection is None and transcript.confidence is None
    assert transcript.segments[0].avg_logprob is None
    assert Transcript.from_dict(transcript.to_dict()) == transcript


def test_a_checked_transcript_survives_its_dict():
    segments = [Segment(0.0, 4.0, "el gobierno", avg_logprob=-0.35, compression_ratio=1.4, no_speech_prob=0.05)]
    guess = LanguageGuess("es", 0.96, "detected", "base", [WindowGuess(0.0, "es", 0.96)], [("es", 0.96)])
    transcript = Transcript(
        language="es",
        text="el gobierno",
        segments=segments,
        engine="faster-whisper",
        model="base",
        duration=4.2,
        translation="the government",
        translation_segments=[Segment(0.0, 4.0, "the government")],
        language_probability=0.96,
        detection=guess,
        confidence=Confidence.of(segments, 3.9),
        needs_review=True,
        review_reasons=["the model was unsure of the words"],
    )
    data = transcript.to_dict()
    assert data["language_name"] == "Español / Spanish" and data["needs_review"] is True
    assert data["segments"][0]["avg_logprob"] == -0.35
    assert Transcript.from_dict(data) == transcript


def test_speech_windows_leave_pauses_out_and_sample_a_long_recording():
    rate = 16_000
    samples = np.arange(200 * rate, dtype=np.float32)
    short = speech_windows(samples, [(0, 10 * rate), (20 * rate, 40 * rate)])
    assert len(short) == 1 and short[0].seconds == 30.0 and short[0].start == 0.0
    assert short[0].samples[10 * rate] == 20 * rate  # the pause from 10 s to 20 s is not in the window
    spans = [(0, 50 * rate), (100 * rate, 200 * rate)]  # 150 s of speech
    first, middle, last = speech_windows(samples, spans)
    assert (first.start, middle.start, last.start) == (0.0, 110.0, 170.0)
    assert all(window.seconds == 30.0 for window in (first, middle, last))


def test_an_unsure_or_missing_translation_is_flagged():
    said = [Segment(0.0, 6.0, "Le gouvernement devrait soutenir les bénévoles.", avg_logprob=-0.5)]
    french = LanguageGuess("fr", 0.9, "detected", windows=[WindowGuess(0.0, "fr", 0.9)], candidates=[("fr", 0.9)])
    unsure = [Segment(0.0, 6.0, "The rest of us will be supported.", avg_logprob=-1.13)]
    assert _reasons(said, guess=french, language="fr", translation=unsure) == [
        "the model was unsure of the English translation (average log-probability -1.13)"
    ]
    assert _reasons(said, guess=french, language="fr", translation=[]) == ["no English translation could be made"]
    sure = [Segment(0.0, 6.0, "The government should support the volunteers.", avg_logprob=-0.4)]
    assert _reasons(said, guess=french, language="fr", translation=sure) == []


def test_without_a_detector_the_words_must_be_read_more_surely():
    segments = [Segment(0.0, 6.0, SENTENCE, avg_logprob=-0.95)]
    assert _reasons(segments, speech=6.0) == []  # the detector heard English: -0.95 is within Whisper's own bound
    reasons = _reasons(segments, guess=LanguageGuess("en", None, "assumed"), speech=6.0)
    assert reasons == ["the model was unsure of the words (average log-probability -0.95)"]
