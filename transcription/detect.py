"""Which language is spoken: asked of a multilingual Whisper model over several windows of speech, and checked
by decoding when the model is unsure.

Whisper's detector looks at one 30-second window and is easily misled by unusual voices: on espeak-ng's German,
French and Welsh, the base model's first guess was Latin (29-54%), with the right language second to fourth.
So:

1. the voice filter (Silero, inside the faster-whisper wheel) finds the speech, and only speech is listened to;
2. the detector is asked about the first and the last 30 s of speech (only the first when there is a minute of
   speech or less), and about the middle too when those two disagree or are unsure; its probabilities are
   averaged, weighted by how much speech each window holds;
3. when the average for the likeliest language is below :data:`CONFIDENT`, or the windows disagree, the
   likeliest :data:`CANDIDATES` languages are each decoded over the first window, and the one the model reads
   most surely (highest average log-probability, text that is not a loop) is taken.

What was heard, and how the choice was made, is kept in a :class:`~transcription.models.LanguageGuess`;
:mod:`transcription.review` turns doubt into reasons for a person to check.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from .decode import SAMPLE_RATE
from .models import LanguageGuess, WindowGuess
from .repetition import repeated_phrase

log = logging.getLogger(__name__)

WINDOW_SECONDS = 30.0
CONFIDENT = 0.8  # the detector's average probability at which its answer is taken as it is
SURE_WINDOW = 0.9  # two windows this sure of the same language need no third
CANDIDATES = 3
MIN_WINDOW_SECONDS = 8.0  # a window with less speech than this is too short to disagree with the others
MIN_CANDIDATE_PROBABILITY = 0.02  # languages less likely than this are not worth decoding
SCORING_TOKENS = 96  # enough text to judge a language by; a loop stops there instead of at 448 tokens
LOOP_COMPRESSION_RATIO = 2.4  # Whisper's own threshold: text that compresses more than this is repeating itself
# Speech shorter than this, or separated by less silence than this, is kept with its neighbours.
VAD_PARAMETERS = {"min_silence_duration_ms": 500, "speech_pad_ms": 300}
# Spans are cut at 30 s (Whisper's window), as faster-whisper's batched pipeline cuts them.
MAX_SPAN_SECONDS = 30.0


class LanguageModel(Protocol):
    """What detection needs from a multilingual engine."""

    model: str

    def language_probabilities(self, samples: np.ndarray) -> dict[str, float]:
        """The detector's probability for each language code, for up to 30 s of 16 kHz samples."""

    def score_language(self, samples: np.ndarray, language: str) -> Reading:
        """Decode up to 30 s of samples as ``language`` (greedy, no fallback) and say how surely it read."""

    def listen(self, samples: np.ndarray, spans: Sequence[tuple[int, int]]) -> list[Heard]:
        """The detector's answers for some windows of the speech (:func:`listen` by default)."""


@dataclass(frozen=True, slots=True)
class Reading:
    """One decoding of a window in a given language: its text and the model's confidence in it."""

    text: str
    avg_logprob: float
    compression_ratio: float

    @property
    def usable(self) -> bool:
        """False for an empty text or a loop: neither says the language fits."""
        return (
            bool(self.text.strip())
            and self.compression_ratio <= LOOP_COMPRESSION_RATIO
            and repeated_phrase(self.text) is None
        )


def speech_spans(samples: np.ndarray) -> list[tuple[int, int]]:
    """Where the voice filter hears speech: (start, end) sample indices, in order."""
    if len(samples) == 0:
        return []
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    stamps = get_speech_timestamps(samples, VadOptions(**VAD_PARAMETERS, max_speech_duration_s=MAX_SPAN_SECONDS))
    return [(int(stamp["start"]), int(stamp["end"])) for stamp in stamps]


def speech_seconds(spans: Sequence[tuple[int, int]]) -> float:
    """The total length of ``spans``, in seconds."""
    return sum(end - start for start, end in spans) / SAMPLE_RATE


@dataclass(frozen=True, slots=True)
class Window:
    """Up to 30 s of speech (silence between spans left out) and where in the chunk it starts."""

    start: float
    samples: np.ndarray

    @property
    def seconds(self) -> float:
        """How much speech it holds."""
        return len(self.samples) / SAMPLE_RATE


def speech_windows(samples: np.ndarray, spans: Sequence[tuple[int, int]]) -> list[Window]:
    """30-second windows of speech (pauses left out): the first 30 s of speech, the 30 s around its middle and
    the last 30 s; only the first when there is a minute of speech or less."""
    if not spans:
        return []
    size = int(WINDOW_SECONDS * SAMPLE_RATE)
    track = np.concatenate([samples[start:end] for start, end in spans])
    offsets = np.cumsum([0] + [end - start for start, end in spans])

    def window(at: int) -> Window:
        index = int(np.searchsorted(offsets, at, side="right")) - 1
        start = spans[index][0] + at - int(offsets[index])
        return Window(start / SAMPLE_RATE, track[at : at + size])

    if len(track) <= 2 * size:  # a second window would mostly hear the same speech again
        return [window(0)]
    return [window(0), window((len(track) - size) // 2), window(len(track) - size)]


@dataclass(frozen=True, slots=True)
class Heard:
    """A window of speech and the detector's probability for each language in it."""

    window: Window
    probabilities: dict[str, float]


def listen(model: LanguageModel, samples: np.ndarray, spans: Sequence[tuple[int, int]]) -> list[Heard]:
    """Ask the detector about the first and last windows of :func:`speech_windows`, and about the middle one when
    those two disagree or are not sure."""
    windows = speech_windows(samples, spans)
    picked = [windows[0], windows[-1]] if len(windows) > 1 else windows[:1]
    heard = [Heard(window, model.language_probabilities(window.samples)) for window in picked]
    if len(windows) > 2 and not _sure_and_agreed([item.probabilities for item in heard]):
        heard.insert(1, Heard(windows[1], model.language_probabilities(windows[1].samples)))
    return heard


def detect_language(
    model: LanguageModel, samples: np.ndarray, spans: Sequence[tuple[int, int]], *, offset: float = 0.0
) -> LanguageGuess | None:
    """The language of the speech in ``samples`` (``spans`` from :func:`speech_spans`), or None when there is no
    speech. ``offset`` is where the samples start in the file (for the windows' times)."""
    if not spans:
        return None
    heard = model.listen(samples, spans)
    if not heard:
        return None
    averaged = _average([item.probabilities for item in heard], [item.window.seconds for item in heard])
    ranked = sorted(averaged.items(), key=lambda item: item[1], reverse=True)
    judged = [item for item in heard if item.window.seconds >= MIN_WINDOW_SECONDS] or heard
    tops = [WindowGuess(offset + item.window.start, *_top(item.probabilities)) for item in judged]
    language, probability = ranked[0]
    guess = LanguageGuess(
        language, probability, "detected", model=model.model, windows=tops, candidates=ranked[:CANDIDATES]
    )
    if probability >= CONFIDENT and guess.windows_agree:
        return guess
    longest = max(heard, key=lambda item: item.window.seconds)
    return _decide_by_decoding(model, longest.window, guess, averaged)


def _decide_by_decoding(
    model: LanguageModel, window: Window, guess: LanguageGuess, averaged: dict[str, float]
) -> LanguageGuess:
    """Decode the window in each likely language and keep the one read most surely (see the module's doc)."""
    candidates = [code for code, p in guess.candidates if p >= MIN_CANDIDATE_PROBABILITY]
    for window_guess in guess.windows:  # a language some window was sure of is worth trying too
        if window_guess.language not in candidates:
            candidates.append(window_guess.language)
    readings = {code: model.score_language(window.samples, code) for code in candidates}
    guess.scores = {code: reading.avg_logprob for code, reading in readings.items() if reading.usable}
    if not guess.scores:
        log.info("no candidate language read cleanly (%s); keeping %s", candidates, guess.language)
        guess.method = "unresolved"
        return guess
    best = max(guess.scores, key=guess.scores.__getitem__)
    log.info("language by decoding: %s (detector: %s; scores %s)", best, guess.candidates, guess.scores)
    guess.language, guess.probability, guess.method = best, averaged.get(best, 0.0), "decoded"
    return guess


def _sure_and_agreed(heard: list[dict[str, float]]) -> bool:
    tops = [_top(probs) for probs in heard]
    return len({language for language, _ in tops}) == 1 and all(p >= SURE_WINDOW for _, p in tops)


def _top(probs: dict[str, float]) -> tuple[str, float]:
    language = max(probs, key=probs.__getitem__)
    return language, float(probs[language])


def _average(heard: list[dict[str, float]], weights: list[float]) -> dict[str, float]:
    total = sum(weights) or 1.0
    averaged: dict[str, float] = {}
    for probs, weight in zip(heard, weights, strict=True):
        for code, p in probs.items():
            averaged[code] = averaged.get(code, 0.0) + float(p) * weight / total
    return averaged
