"""Text that repeats itself: the commonest sign that Whisper is inventing rather than hearing."""

from __future__ import annotations

import logging
import re
from collections import Counter

log = logging.getLogger(__name__)


def words_of(text: str) -> list[str]:
    """Lower-case words, punctuation dropped."""
    return re.findall(r"[^\W_]+(?:'[^\W_]+)?", text.lower())


def repeated_phrase(text: str) -> str | None:
    """A phrase said again and again in a row ("the 5th of August, the 5th of August, ..."), or a phrase of four
    or more words said three times or more; None when there is none. People repeat a word or two for emphasis
    ("no, no, no"); four times in a row, or a whole phrase three times, is a loop."""
    words = words_of(text)
    for size in range(1, 9):
        times = 4 if size <= 2 else 3
        for start in range(len(words) - size * times + 1):
            phrase = words[start : start + size]
            if all(words[start + k * size : start + (k + 1) * size] == phrase for k in range(1, times)):
                return " ".join(phrase)
    grams = Counter(tuple(words[i : i + 4]) for i in range(len(words) - 3))
    for gram, count in grams.most_common(1):
        if count >= 3:
            return " ".join(gram)
    return None
