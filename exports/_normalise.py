"""Text as a reader sees it, for finding personal data that is disguised.

Two views of a text:

- :func:`visible` is the text as printed: invisible characters (zero-width spaces and joiners, the word joiner,
  the byte order mark, soft hyphens, variation selectors, tag characters) and bidirectional controls (embeddings,
  overrides, isolates and marks, which can make a passage display in another order than it is stored) removed.
- :func:`fold` is a skeleton for searching: compatibility forms made plain (NFKC: fullwidth ``０７７００`` is
  ``07700``, ``ｊｏ＠ｘ．ｏｒｇ`` is ``jo@x.org``), accents and other combining marks dropped, letters that look like
  Latin ones made Latin (Cyrillic ``а``, Greek ``Ο``), every decimal digit made ASCII, typographic dashes and
  apostrophes made ``-`` and ``'``. The skeleton keeps a map back to the text it came from, so that a passage
  found in the skeleton is redacted in the text as printed.
"""

from __future__ import annotations

import bisect
import logging
import re
import unicodedata
from dataclasses import dataclass

log = logging.getLogger(__name__)

# Unicode's default-ignorable code points: drawn as nothing. U+061C, U+200E/F and U+202A-202E, U+2066-2069 are
# the bidirectional marks and controls.
_INVISIBLE_RANGES = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)  # fmt: skip
INVISIBLE = frozenset(chr(code) for low, high in _INVISIBLE_RANGES for code in range(low, high + 1))
_INVISIBLE_TABLE = dict.fromkeys(map(ord, INVISIBLE))

# Letters of other scripts drawn like Latin ones (after Unicode's confusables, UTS #39), and punctuation that
# stands in for ASCII punctuation. NFKC already takes care of fullwidth and mathematical forms.
_LOOK_ALIKES = {
    **dict(zip("АВЕЅІЈКМНОРСТХУҮҺԚԜӀ", "ABESIJKMHOPCTXYYHQWI", strict=True)),  # Cyrillic capitals
    **dict(zip("аеорсухѕіјԁԛԝһүӏ", "aeopcyxsijdqwhyl", strict=True)),  # Cyrillic small letters
    **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧϹ", "ABEZHIKMNOPTYXC", strict=True)),  # Greek capitals
    **dict(zip("αγικνορυχϲϳ", "ayikvopuxcj", strict=True)),  # Greek small letters
    **dict(zip("ՕՍԼօսհոցզ", "OULouhngq", strict=True)),  # Armenian
    **dict(zip("ᎪᏴᏟᎬᎻᎫᏦᎷᏢᏚᎢᏔᏃ", "ABCEHJKMPSTWZ", strict=True)),  # Cherokee
    **dict(zip("ıȷɑɡ", "ijag", strict=True)),  # Latin letters without their dot, or of another shape
    **dict.fromkeys("‐‑‒–—―−﹘﹣－", "-"),
    **dict.fromkeys("‘’‛ʼ′＇", "'"),
    **dict.fromkeys("。｡", "."),
    "⁄": "/",
}
_DROPPED_CATEGORIES = frozenset({"Mn", "Me", "Cf"})  # combining marks and format characters


def visible(text: str) -> str:
    """``text`` without the characters that are drawn as nothing (invisible or bidirectional controls)."""
    return text if text.isascii() else text.translate(_INVISIBLE_TABLE)


def _fold_char(char: str) -> str:
    if char in INVISIBLE or unicodedata.category(char) in _DROPPED_CATEGORIES:
        return ""
    decomposed = unicodedata.normalize("NFKD", char)
    parts = [part for part in decomposed if unicodedata.category(part) not in _DROPPED_CATEGORIES]
    composed = unicodedata.normalize("NFKC", "".join(parts))
    return "".join(_LOOK_ALIKES.get(c) or _ascii_digit(c) or c for c in composed)


def _ascii_digit(char: str) -> str:
    value = unicodedata.decimal(char, None)
    return str(value) if value is not None and not char.isascii() else ""


class _FoldTable(dict):
    """``ord(char) -> skeleton of char``, filled in as characters are first met (for ``str.translate``)."""

    def __init__(self) -> None:
        super().__init__()
        self.not_one_to_one: set[str] = set()  # characters whose skeleton is not exactly one character
        self._pattern: re.Pattern[str] | None = None
        self._pattern_size = 0

    def __missing__(self, code: int) -> str:
        value = _fold_char(chr(code))
        if len(value) != 1:
            self.not_one_to_one.add(chr(code))
        self[code] = value
        return value

    def not_one_to_one_pattern(self) -> re.Pattern[str] | None:
        """A pattern for runs of the characters met so far whose skeleton changes the text's length."""
        if not self.not_one_to_one:
            return None
        if self._pattern is None or self._pattern_size != len(self.not_one_to_one):
            chars = "".join(re.escape(char) for char in sorted(self.not_one_to_one))
            self._pattern = re.compile(f"[{chars}]+")
            self._pattern_size = len(self.not_one_to_one)
        return self._pattern


_TABLE = _FoldTable()


@dataclass(frozen=True, slots=True)
class Folded:
    """A text's skeleton (``text``) and the way back to the text it was made from (``source``).

    ``_breaks`` lists, in order, each source character whose skeleton is not one character long, as
    (its position in the skeleton, its position in the source, the length of its skeleton).
    """

    source: str
    text: str
    _folded_at: tuple[int, ...] = ()
    _source_at: tuple[int, ...] = ()
    _lengths: tuple[int, ...] = ()

    def source_index(self, index: int) -> int:
        """The position in ``source`` of the character that gave the skeleton's character at ``index``."""
        k = bisect.bisect_right(self._folded_at, index) - 1
        if k < 0:
            return index
        folded_at, source_at, length = self._folded_at[k], self._source_at[k], self._lengths[k]
        if index < folded_at + length:
            return source_at
        return source_at + 1 + index - folded_at - length

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The passage of ``source`` that the skeleton's ``[start, end)`` came from, with any combining marks
        that follow its last character."""
        if not self._folded_at:
            return start, end
        source_start = self.source_index(start)
        if end <= start:
            return source_start, source_start
        source_end = self.source_index(end - 1) + 1
        while source_end < len(self.source) and _TABLE[ord(self.source[source_end])] == "":
            source_end += 1
        return source_start, source_end


def fold(text: str) -> Folded:
    """``text``'s skeleton for searching, with the map back to ``text``."""
    if text.isascii():
        return Folded(text, text)
    folded = text.translate(_TABLE)
    pattern = _TABLE.not_one_to_one_pattern()
    if pattern is None or not pattern.search(text):
        return Folded(text, folded)
    folded_at: list[int] = []
    source_at: list[int] = []
    lengths: list[int] = []
    shift = 0
    for run in pattern.finditer(text):
        for index in range(run.start(), run.end()):
            length = len(_TABLE[ord(text[index])])
            folded_at.append(index + shift)
            source_at.append(index)
            lengths.append(length)
            shift += length - 1
    return Folded(text, folded, tuple(folded_at), tuple(source_at), tuple(lengths))
