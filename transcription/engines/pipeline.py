"""From a media file to a checked transcript, with one or two models.

:class:`Transcriber` decodes the file in bounded chunks (see :mod:`transcription.decode`) and, for each:

1. finds the speech with the voice filter (nothing is sent to a model where there is none);
2. until the language is known, detects it with the multilingual model (see :mod:`transcription.detect`),
   once, on the first chunk that holds speech: the whole file keeps that language;
3. transcribes the chunk in that language: speech the detector was sure is English goes to the English-only
   model when there is one (faster), everything else to the multilingual model;
4. when the language is not English, or a translation was asked for, translates the chunk into English with the
   multilingual model (Whisper's ``translate`` task), the original transcript kept beside it.

At the end the engine's own confidence is gathered and :mod:`transcription.review` says whether, and why, a
person must check the text. With only an English-only model, every recording is taken to be English.
"""

from __future__ import annotations

import logging
import os
from abc import abstractmethod
from collections.abc import Callable, Sequence

import numpy as np

from ..decode import DEFAULT_CHUNK_SECONDS, iter_audio_chunks
from ..detect import Heard, Reading, detect_language, listen, speech_seconds, speech_spans
from ..errors import SettingsError
from ..languages import ENGLISH, UNDETERMINED, is_known, language_name, normalise_code
from ..models import Confidence, LanguageGuess, Segment, Transcript, join_text
from ..probe import media_duration
from ..review import clearly_english, review_reasons
from .base import ChunkResult, Engine, ProgressCallback

log = logging.getLogger(__name__)


class _Progress:
    """Turns positions in the file into a fraction that only goes up, and tells the caller."""

    def __init__(self, callback: ProgressCallback | None, duration: float) -> None:
        self.callback = callback
        self.duration = duration
        self.fraction = 0.0

    def at(self, seconds: float) -> None:
        if self.duration > 0:
            self.report(seconds / self.duration)

    def report(self, fraction: float) -> None:
        fraction = min(1.0, fraction)
        if self.callback is None or fraction <= self.fraction:
            return
        self.fraction = fraction
        self.callback(fraction)

    def span(self, position: float, width: float, length: float) -> Callable[[float], None]:
        """A per-segment callback for one pass over a chunk of ``length`` seconds: a segment ending ``end``
        seconds into the chunk moves the bar to ``position + width * end / length`` seconds into the file."""

        def on_segment(end: float) -> None:
            self.at(position + width * min(1.0, end / max(length, 1e-6)))

        return on_segment

    def finish(self) -> None:
        self.report(1.0)


class ChunkedEngine(Engine):
    """An engine that works through the file chunk by chunk; subclasses implement :meth:`transcribe_chunk` and,
    for multilingual models, :meth:`language_probabilities` and :meth:`score_language`."""

    chunk_seconds: float = DEFAULT_CHUNK_SECONDS

    @abstractmethod
    def transcribe_chunk(
        self,
        samples: np.ndarray,
        *,
        language: str | None,
        task: str,
        on_segment: Callable[[float], None],
    ) -> ChunkResult:
        """Transcribe (``task="transcribe"``) or translate into English (``task="translate"``) 16 kHz mono
        samples. ``language`` None means detect it. Call ``on_segment(end_seconds)`` as each segment is done.
        Segments carry the engine's confidence (average log-probability, compression ratio, no-speech
        probability)."""

    def language_probabilities(self, samples: np.ndarray) -> dict[str, float]:
        """The probability of each language code for up to 30 s of speech (multilingual models only)."""
        raise SettingsError(f"the {self.model} model understands English only and cannot detect languages")

    def score_language(self, samples: np.ndarray, language: str) -> Reading:
        """Up to 30 s of speech decoded as ``language`` (greedy, no fallback): its text and how surely it was
        read (multilingual models only)."""
        raise SettingsError(f"the {self.model} model understands English only")

    def listen(self, samples: np.ndarray, spans: Sequence[tuple[int, int]]) -> list[Heard]:
        """The detector's answers for windows of the speech in ``samples`` (see :func:`transcription.detect.listen`)."""
        return listen(self, samples, spans)

    def transcribe(
        self,
        audio_path: str | os.PathLike[str],
        *,
        language: str | None = None,
        translate: bool = False,
        on_progress: ProgressCallback | None = None,
        max_seconds: float | None = None,
    ) -> Transcript:
        """Transcribe a media file with this model alone (see :class:`Transcriber`)."""
        transcriber = Transcriber(english=self) if self.english_only else Transcriber(multilingual=self)
        return transcriber.transcribe(
            audio_path, language=language, translate=translate, on_progress=on_progress, max_seconds=max_seconds
        )


class Transcriber(Engine):
    """Transcribe with an English-only model (``english``), a multilingual one (``multilingual``), or both: the
    multilingual model detects the language, translates, and transcribes whatever the English-only model does
    not get (see the module's docstring)."""

    def __init__(self, *, english: ChunkedEngine | None = None, multilingual: ChunkedEngine | None = None) -> None:
        if english is None and multilingual is None:
            raise ValueError("a transcriber needs at least one model")
        main = multilingual or english
        assert main is not None
        super().__init__(main.model, english_only=multilingual is None)
        self.name = main.name
        self.english = english
        self.multilingual = multilingual
        self.chunk_seconds = min(engine.chunk_seconds for engine in (english, multilingual) if engine is not None)

    def transcribe(
        self,
        audio_path: str | os.PathLike[str],
        *,
        language: str | None = None,
        translate: bool = False,
        on_progress: ProgressCallback | None = None,
        max_seconds: float | None = None,
    ) -> Transcript:
        """Transcribe a media file chunk by chunk (see the module's docstring)."""
        guess = self._given(language, translate)
        duration = media_duration(audio_path)
        progress = _Progress(on_progress, duration)
        segments: list[Segment] = []
        translated: list[Segment] = []
        heard_seconds, decoded, used = 0.0, 0.0, None
        for chunk in iter_audio_chunks(audio_path, chunk_seconds=self.chunk_seconds, max_seconds=max_seconds):
            spans = speech_spans(chunk.samples)
            heard_seconds += speech_seconds(spans)
            if guess is None and spans:
                assert self.multilingual is not None
                guess = detect_language(self.multilingual, chunk.samples, spans, offset=chunk.start)
                if guess is not None:
                    log.info("%s: %s", os.path.basename(audio_path), _describe(guess))
            if guess is not None and spans:
                used = self._engine_for(guess)
                wants_translation = translate or guess.language != ENGLISH
                share = chunk.duration / (2 if wants_translation else 1)  # of the progress bar, per pass
                first_half = progress.span(chunk.start, share, chunk.duration)
                heard = _pass(used, chunk.samples, chunk.start, guess.language, "transcribe", first_half)
                segments.extend(heard.segments)
                if wants_translation and heard.segments and self.multilingual is not None:
                    halfway = progress.span(chunk.start + share, share, chunk.duration)
                    english = _pass(self.multilingual, chunk.samples, chunk.start, guess.language, "translate", halfway)
                    translated.extend(english.segments)
            decoded = chunk.end
            progress.at(chunk.end)
        progress.finish()
        return self._result(guess, segments, translated, translate, heard_seconds, max(duration, decoded), used)

    def _given(self, language: str | None, translate: bool) -> LanguageGuess | None:
        """The language to start with (None: detect it); refuse what the models cannot do."""
        code = normalise_code(language)
        if code is not None and not is_known(code):
            raise SettingsError(f"unknown language {language!r}; use a code such as en, cy, fr or es")
        if self.multilingual is None:
            if code not in (None, ENGLISH):
                raise SettingsError(
                    f"the {self.model} model understands English only; use the base model for language {code!r}"
                )
            if translate:
                raise SettingsError(f"the {self.model} model cannot translate; use the base model")
            return LanguageGuess(ENGLISH, None, "assumed", model=self.model)
        return None if code is None else LanguageGuess(code, None, "given", model=self.multilingual.model)

    def _engine_for(self, guess: LanguageGuess) -> ChunkedEngine:
        """The English-only model for English it can be trusted with; the multilingual model otherwise."""
        english_ok = guess.language == ENGLISH and (guess.method in ("given", "assumed") or clearly_english(guess))
        if self.english is not None and (english_ok or self.multilingual is None):
            return self.english
        assert self.multilingual is not None
        return self.multilingual

    def _result(
        self,
        guess: LanguageGuess | None,
        segments: list[Segment],
        translated: list[Segment],
        translate: bool,
        heard_seconds: float,
        duration: float,
        used: ChunkedEngine | None,
    ) -> Transcript:
        language = guess.language if guess is not None and segments else UNDETERMINED
        if self.multilingual is None:
            language = ENGLISH
        with_translation = bool(segments) and (translate or language not in (ENGLISH, UNDETERMINED))
        confidence = Confidence.of(segments, heard_seconds)
        reasons = review_reasons(
            language=language,
            guess=guess,
            segments=segments,
            translation=translated if with_translation else None,
            confidence=confidence,
        )
        if reasons:
            log.info("transcript needs checking: %s", "; ".join(reasons))
        return Transcript(
            language=language,
            text=join_text(segments),
            segments=segments,
            engine=self.name,
            model=(used or self.multilingual or self.english or self).model,
            duration=duration,
            translation=join_text(translated) if with_translation else None,
            translation_segments=translated if with_translation else None,
            language_probability=guess.probability if guess is not None and segments else None,
            detection=guess if segments else None,
            confidence=confidence if segments or reasons else None,
            needs_review=bool(reasons),
            review_reasons=reasons,
        )


def _pass(
    engine: ChunkedEngine,
    samples: np.ndarray,
    start: float,
    language: str,
    task: str,
    on_segment: Callable[[float], None],
) -> ChunkResult:
    """One pass over a chunk that starts ``start`` seconds into the file; its segments moved onto the file's
    timeline."""
    result = engine.transcribe_chunk(samples, language=language, task=task, on_segment=on_segment)
    result.segments = [
        Segment(
            round(start + s.start, 3),
            round(start + s.end, 3),
            s.text.strip(),
            s.speaker,
            s.avg_logprob,
            s.compression_ratio,
            s.no_speech_prob,
        )
        for s in result.segments
        if s.text.strip()
    ]
    return result


def _describe(guess: LanguageGuess) -> str:
    heard = ", ".join(f"{w.language} {w.probability:.2f}" for w in guess.windows)
    return f"language {language_name(guess.language)} ({guess.method}; windows: {heard})"
