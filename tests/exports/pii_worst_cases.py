"""Texts built to be the worst case for each pattern that finds personal data: long runs of what a pattern
repeats (capitals, digits, spaces, @ and dots, +, brackets, postcode-like tokens), near-misses that make a
backtracking pattern try every way of splitting a run, and the same again in disguise (look-alike letters,
fullwidth forms, combining and invisible characters).

``WORST_CASES[name](size)`` gives a text of about ``size`` characters. Used by the tests and by
``benchmarks/bench_redaction_worst_case.py``.
"""

from __future__ import annotations

import random
from collections.abc import Callable


def _repeat(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit))


def _framed(before: str, unit: str, after: str) -> Callable[[int], str]:
    """``before``, then ``unit`` repeated to fill the size, then ``after``."""
    return lambda size: before + _repeat(unit, size - len(before) - len(after)) + after


def _mixed(size: int) -> str:
    """A random jumble of the pieces every pattern is made of."""
    rng = random.Random(size)
    pieces = (
        "A", "Ab", "1", "0", "07700", "+44", "(0", ")", " ", "  ", "\n", "@", ".", "-", ",", "%", "'", "+",
        "Street", "High", "LS6", "2AB", "SW1A", "1AA", "Flat 2, ", "12 ", "a@", "x.org", "00", "(", "Road ",
    )  # fmt: skip
    out: list[str] = []
    length = 0
    while length < size:
        piece = rng.choice(pieces)
        out.append(piece)
        length += len(piece)
    return "".join(out)


WORST_CASES: dict[str, Callable[[int], str]] = {
    # Between a street and its postcode: place names, any number of them, any way of splitting them.
    "capitals between street and postcode": _framed("We met at 12 High Street ", "A", " Write to LS6 2AB."),
    "capitalised words between street and postcode": _framed("12 High Street ", "Ab ", "LS6 2AB"),
    "capitals and commas between street and postcode": _framed("12 High Street, ", "Ab,", " LS6 2AB"),
    "capitals then a digit after a street": _framed("12 High Street ", "AbCd ", "1"),
    "many streets then many postcodes": lambda size: (
        _repeat("1 High Street ", size // 2) + _repeat("LS6 2AB ", size // 2)
    ),
    "streets each followed by capitals": _framed("", "12 High Street " + "A" * 60 + " ", "LS6 2AB"),
    "look-alike capitals between street and postcode": _framed("12 High Street ", "А", " LS6 2AB"),  # Cyrillic А
    # Street addresses.
    "capitals": lambda size: _repeat("A", size),
    "capitalised words": lambda size: _repeat("Abc ", size),
    "numbered capitalised words": lambda size: _repeat("1 Abc Abc Abc Abc ", size),
    "numbered capitals without a street type": lambda size: _repeat("12 " + "A" * 40 + " ", size),
    "flats": lambda size: _repeat("Flat 1, ", size),
    "number then spaces": _framed("1", " ", "Abc Street"),
    "spaces": lambda size: _repeat(" ", size),
    "mixed white space": lambda size: _repeat(" \t\n", size),
    # Telephone numbers.
    "digits": lambda size: _repeat("1", size),
    "zeros": lambda size: _repeat("0", size),
    "spaced zeros": lambda size: _repeat("0 ", size),
    "digit groups": lambda size: _repeat("0123 ", size),
    "long digit groups": lambda size: _repeat(" 0" + "1" * 30, size),
    "telephone numbers": lambda size: _repeat("07700 900123 ", size),
    "pluses": lambda size: _repeat("+", size),
    "plus ones": lambda size: _repeat("+1 ", size),
    "international prefixes": lambda size: _repeat("+44 (0", size),
    "double zeros": lambda size: _repeat(" 00", size),
    "bracketed zeros": lambda size: _repeat("(0", size),
    "brackets": lambda size: _repeat("(", size),
    "bracketed digit groups": lambda size: _repeat("+1 (1) ", size),
    "dashed digits": lambda size: _repeat("1-", size),
    "dotted digits": lambda size: _repeat("1.", size),
    "almost international": lambda size: _repeat("+1 202 555 0143 1", size),
    # Email addresses.
    "at signs": lambda size: _repeat("@", size),
    "local parts": lambda size: _repeat("a@", size),
    "percent signs": lambda size: _repeat("%", size),
    "apostrophes": lambda size: _repeat("'", size),
    "percent signs then at": _framed("", "%", "@x"),
    "apostrophes then at": _framed("", "'", "@x"),
    "dots": lambda size: _repeat(".", size),
    "dotted letters": lambda size: _repeat("a.", size),
    "dotted letters then at": _framed("", "a.", "@"),
    "local part then dotted labels": _framed("a@", "a.", "1"),
    "local part then dashed labels": _framed("a@", "a-", ""),
    "long top-level domain then a digit": _framed("x@ab.", "c", "1"),
    "addresses without top-level domains": lambda size: _repeat("a@a.", size),
    "dots and at signs": lambda size: _repeat(".@.", size),
    # Postcodes.
    "postcodes run together": lambda size: _repeat("LS6 2AB", size),
    "postcodes": lambda size: _repeat("LS6 2AB ", size),
    "short postcodes run together": lambda size: _repeat("SW1A1AA", size),
    "inward codes": lambda size: _repeat("1AA ", size),
    "letters and digits": lambda size: _repeat("A9", size),
    "lower-case postcodes": lambda size: _repeat("ls6 2ab ", size),
    # Disguises.
    "zero-width spaces": lambda size: _repeat("\u200b", size),
    "letters between zero-width spaces": lambda size: _repeat("A\u200b", size),
    "fullwidth digits": lambda size: _repeat("０", size),
    "fullwidth telephone numbers": lambda size: _repeat("０７７００ ９００１２３ ", size),
    "combining marks": lambda size: _repeat("\u0301", size),
    "accented letters": lambda size: _repeat("e\u0301", size),
    "ligatures": lambda size: _repeat("ﬁ", size),
    "bidirectional overrides": lambda size: _repeat("\u202e1\u202c", size),
    # Everything at once.
    "mixed": _mixed,
}

# For an anonymous author's own name (``Jane Bloggs``): runs of its first word, of white space after it.
NAME_WORST_CASES: dict[str, Callable[[int], str]] = {
    "first names": lambda size: _repeat("Jane ", size),
    "first name then spaces": _framed("Jane", " ", "X"),
    "first names then spaces": lambda size: _repeat("Jane" + " " * 50, size),
    "initials": lambda size: _repeat("J", size),
    "names": lambda size: _repeat("jane bloggs ", size),
    "look-alike names": lambda size: _repeat("Jаne Вloggs ", size),  # Cyrillic а and В
}


def worst_case_answer(size: int, index: int) -> str:
    """The ``index``-th worst case (counting round all of them, names last) at about ``size`` characters."""
    builders = [*WORST_CASES.values(), *NAME_WORST_CASES.values()]
    return builders[index % len(builders)](size)
