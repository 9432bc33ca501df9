"""When a transcript needs a person to check it, and why: read from the engine's own confidence.

Whisper writes fluent text even when it hears nothing it knows: "Thank you very much." for Spanish forced
through an English-only model, "Thanks for watching" for German, the same phrase over and over for Welsh. Each
rule here looks for one such sign and, when it is there, gives a short reason a witness or the secretariat can
read. No rule changes the text: a flagged transcript is kept, marked "needs checking".
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Sequence

from .detect import CONFIDENT, LOOP_COMPRESSION_RATIO
from .languages import ENGLISH, UNDETERMINED, language_name
from .models import Confidence, LanguageGuess, Segment
from .repetition import repeated_phrase, words_of

log = logging.getLogger(__name__)

LOW_LANGUAGE_PROBABILITY = 0.5  # the detector's average probability below which the language is in doubt
LOW_AVG_LOGPROB = -1.0  # Whisper's own threshold: below it, the model is guessing its words
# With no detector to check the language (an English-only model alone), other speech comes out as fluent English
# read at -0.95 to -1.6 (espeak-ng's Spanish, French, German, Welsh through tiny.en); English at -0.25 to -0.45.
UNCHECKED_AVG_LOGPROB = -0.8
MIN_WORDS_PER_SECOND = 0.5  # 30 words a minute; people say 100-180 (pauses over half a second are not counted)
MIN_SPEECH_SECONDS = 8.0  # too little speech to judge the rate of words by
# Scripts written without spaces between words: counted in characters, about 2.5 to a word.
UNSPACED = frozenset({"zh", "yue", "ja", "th", "lo", "my", "km", "bo"})
# Whole segments Whisper writes from noise, silence or speech it does not understand (subtitles of online videos
# are much of what it learnt from).
GENERIC_SEGMENTS = frozenset(
    {
        "you",
        "thank you",
        "thank you very much",
        "thank you so much",
        "thanks",
        "thanks a lot",
        "bye",
        "bye bye",
        "okay",
        "oh",
        "so",
        "i'm sorry",
        "see you next time",
        "see you in the next video",
    }
)
# Phrases that do not belong in evidence at all, whatever the language.
SUSPECT_PHRASES = (
    "thanks for watching",
    "thank you for watching",
    "please subscribe",
    "subscribe to my channel",
    "forget to subscribe",
    "like and subscribe",
    "see you in the next video",
    "subtitles by",
    "captions by",
    "amara org",
)


def clearly_english(guess: LanguageGuess | None) -> bool:
    """True when the detector was sure the speech is English, in every window."""
    return (
        guess is not None
        and guess.language == ENGLISH
        and guess.method == "detected"
        and (guess.probability or 0.0) >= CONFIDENT
        and guess.windows_agree
    )


def review_reasons(
    *,
    language: str,
    guess: LanguageGuess | None,
    segments: Sequence[Segment],
    translation: Sequence[Segment] | None,
    confidence: Confidence,
) -> list[str]:
    """The reasons a person should check this transcript (an empty list when nothing is in doubt)."""
    if not segments:
        heard = confidence.speech_seconds or 0.0
        return [f"speech was heard ({heard:.0f} s) but no words were recognised"] if heard >= MIN_SPEECH_SECONDS else []
    reasons = _language_doubts(guess)
    reasons += _invented_text(segments, english=clearly_english(guess))
    unchecked = guess is not None and guess.method == "assumed"
    floor = UNCHECKED_AVG_LOGPROB if unchecked else LOW_AVG_LOGPROB
    if confidence.avg_logprob is not None and confidence.avg_logprob < floor:
        reasons.append(f"the model was unsure of the words (average log-probability {confidence.avg_logprob:.2f})")
    reasons += _too_short(language, segments, confidence.speech_seconds)
    if translation is not None:
        reasons += _translation_doubts(translation)
    return reasons


def _translation_doubts(translation: Sequence[Segment]) -> list[str]:
    if not translation:
        return ["no English translation could be made"]
    if looped := _loop(translation):
        return [f"the English translation repeats itself ({looped})"]
    logprob = Confidence.of(list(translation), None).avg_logprob
    if logprob is not None and logprob < LOW_AVG_LOGPROB:
        return [f"the model was unsure of the English translation (average log-probability {logprob:.2f})"]
    return []


def _language_doubts(guess: LanguageGuess | None) -> list[str]:
    if guess is None or guess.method in ("given", "assumed"):
        return []
    reasons = []
    if guess.language == UNDETERMINED:
        return ["the language could not be told"]
    likely = ", ".join(f"{language_name(code)} {p:.0%}" for code, p in guess.candidates)
    if (guess.probability or 0.0) < LOW_LANGUAGE_PROBABILITY:
        reasons.append(f"the language is uncertain (the detector heard {likely})")
    if not guess.windows_agree:
        heard = ", ".join(dict.fromkeys(language_name(window.language) for window in guess.windows))
        reasons.append(f"parts of the recording sound like different languages ({heard})")
    if guess.method == "unresolved":
        reasons.append("no language could be read cleanly")
    if guess.method == "decoded" and not reasons:
        reasons.append(f"the language detector was unsure; {language_name(guess.language)} read best")
    return reasons


def _invented_text(segments: Sequence[Segment], *, english: bool) -> list[str]:
    reasons = []
    looped = _loop(segments)
    if looped:
        reasons.append(f"repeated text, a sign of invented words ({looped})")
    text = " ".join(words_of(" ".join(segment.text for segment in segments)))
    suspect = next((phrase for phrase in SUSPECT_PHRASES if phrase in text), None)
    generic = [s.text.strip() for s in segments if " ".join(words_of(s.text)) in GENERIC_SEGMENTS]
    if suspect:
        reasons.append(f'a phrase typical of invented text ("{suspect}")')
    elif generic and not english:
        reasons.append(f'a phrase typical of invented text from speech that is not clearly English ("{generic[0]}")')
    return reasons


def _loop(segments: Sequence[Segment]) -> str | None:
    for segment in segments:
        phrase = repeated_phrase(segment.text)
        if phrase:
            return f'"{phrase}" again and again'
        if segment.compression_ratio is not None and segment.compression_ratio > LOOP_COMPRESSION_RATIO:
            return f"compression ratio {segment.compression_ratio:.1f}"
    texts = [" ".join(words_of(segment.text)) for segment in segments]
    same = next((text for text, count in Counter(texts).items() if text and count >= 3), None)
    return f'"{same}" in {Counter(texts)[same]} segments' if same else None


def _too_short(language: str, segments: Sequence[Segment], speech: float | None) -> list[str]:
    if speech is None or speech < MIN_SPEECH_SECONDS:
        return []
    text = " ".join(segment.text for segment in segments)
    words = len(re.sub(r"\W", "", text)) / 2.5 if language in UNSPACED else len(words_of(text))
    if words >= MIN_WORDS_PER_SECOND * speech:
        return []
    return [f"too few words for the speech heard ({round(words)} words in {speech:.0f} s of speech)"]
