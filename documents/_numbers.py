"""List markers as documents show them: numbers in their formats, bullets as plain characters."""

from __future__ import annotations


def bullet_glyph(glyph: str) -> str:
    """A bullet as a plain character: symbol fonts' private-use glyphs become ``•`` (or ``▪``), Word's ``o``
    for a second level ``◦``."""
    glyph = glyph.strip()[:1]
    if glyph == "o":
        return "◦"
    if not glyph or "\ue000" <= glyph <= "\uf8ff":
        return "▪" if glyph == "\uf0a7" else "•"
    return glyph


def format_number(value: int | None, fmt: str) -> str:
    """``value`` in a list format: decimal, decimalZero, lowerLetter, upperLetter, lowerRoman, upperRoman."""
    value = value or 1
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        numeral = roman(value)
        return numeral.lower() if fmt == "lowerRoman" else numeral
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


def roman(value: int) -> str:
    """``value`` (1 or more) in Roman numerals."""
    out = []
    for number, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        out.append(letters * (value // number))
        value %= number
    return "".join(out)
