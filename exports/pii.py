"""Finding and redacting personal data in evidence before it is published.

What is found: email addresses; telephone numbers in UK forms (``020 7946 0958``, ``07700 900123``,
``(01632) 960001``, ``+44 (0)20 7946 0958``) and international forms (``+1 202 555 0143``,
``0033 1 23 45 67 89``); UK postcodes (``LS1 4DY``, ``SW1A 1AA``); and UK street addresses
(``Flat 2, 14 Acacia Avenue, Leeds LS6 2AB``), which are taken whole with their town and postcode.

It errs towards redacting: a number that merely looks like a telephone number is removed. Years, dates,
sums of money, counts with thousands separators and evidence references (``SCI0001``) are left alone.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

log = logging.getLogger(__name__)

REPLACEMENTS = {
    "email": "[email address redacted]",
    "phone": "[telephone number redacted]",
    "postcode": "[postcode redacted]",
    "address": "[address redacted]",
}

_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")

# Each pattern starts with the character it must start with and checks what stands before it afterwards (a
# look-behind after the first character), so that the regular expression engine skips ahead to candidates
# instead of trying every position of the text: four times faster on long evidence.

# International: + or 00, a country code, then groups of digits with spaces, dots, dashes or brackets.
# Digit groups are possessive (``\d{1,5}+``): a long run of digits fails at once instead of being split every way.
_PHONE_INTERNATIONAL = re.compile(
    r"(?:\+(?<![\w+]\+)|00(?<![\w+]00))\s?[1-9]\d{0,2}(?:[\s.-]?\(?\d{1,5}+\)?){2,7}(?![\w])"
)
# UK national: a leading 0 (the area code optionally bracketed), then two or three groups of digits.
_PHONE_UK = re.compile(r"(?:\(0|0)(?<![\w+/.,:-]0)(?<![\w+/.,:-]\(0)\d{2,5}\)?(?:[\s-]?\d{2,4}){2,3}(?![\w/-]|[.,]\d)")

# A postcode is found by its inward code (a digit and two letters), then read back from where it starts.
_INWARD_CODE = re.compile(r"\d[ABD-HJLNP-UW-Z]{2}\b", re.IGNORECASE)
_POSTCODE = re.compile(
    r"(?<!\w)(?:GIR ?0AA|[A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRVWXY\d]?) ?\d[ABD-HJLNP-UW-Z]{2})\b",
    re.IGNORECASE,
)

_STREET_TYPES = (
    "Road|Street|Lane|Avenue|Close|Drive|Way|Place|Crescent|Court|Gardens|Terrace|Grove|Square|Hill|Park|Row|"
    "Walk|Mews|Rise|View|Parade|Green|Vale|Wharf|Yard|Gate|Grange|Croft|Fold|Boulevard|Embankment|"
    "Rd|St|Ave|Ln|Dr|Cres|Ct|Gdns|Terr|Sq|Pl"
)
_NAME_WORD = r"[A-Z][A-Za-z'’-]+"
_STREET = re.compile(rf"\d(?<![\w.,]\d)\d{{0,3}}[A-Za-z]?,?\s+(?:{_NAME_WORD}\s+){{1,4}}(?:{_STREET_TYPES})\b\.?")
_FLAT_BEFORE = re.compile(r"\b(?:Flat|Apartment|Unit|Room)\s+\d+[A-Za-z]?,?\s+$")
_DIGIT = re.compile(r"\d")
# What may stand between a street and its postcode: a few capitalised place names and commas.
_BETWEEN_STREET_AND_POSTCODE = re.compile(rf"^,?\s*(?:{_NAME_WORD}(?:\s+{_NAME_WORD})*,?\s*){{0,3}}$")

# Public buildings named by their street address are not personal data.
PUBLIC_ADDRESSES = frozenset({"10 downing street", "11 downing street", "70 whitehall", "2 marsham street"})


@dataclass(frozen=True, slots=True)
class PiiMatch:
    """A passage of personal data: its kind (``email``, ``phone``, ``postcode``, ``address``) and where it is."""

    kind: str
    start: int
    end: int
    text: str


def find_personal_data(text: str) -> list[PiiMatch]:
    """Every email address, telephone number, UK postcode and UK street address in ``text``, in order.

    Matches never overlap: a street address absorbs the town and postcode that follow it.
    """
    if not text:
        return []
    found = _emails(text) if "@" in text else []
    if _DIGIT.search(text):  # every telephone number, postcode and street address has a digit
        found += [*_phones(text), *_addresses(text)]
    return _without_overlaps(found)


def redact(text: str, matches: Iterable[PiiMatch], replacement: str | None = None) -> str:
    """``text`` with each match replaced by ``replacement``, or by a label naming its kind."""
    pieces: list[str] = []
    cursor = 0
    for match in sorted(matches, key=lambda m: m.start):
        if match.start < cursor:
            continue  # overlapping: already covered
        pieces.append(text[cursor : match.start])
        pieces.append(replacement if replacement is not None else REPLACEMENTS.get(match.kind, "[redacted]"))
        cursor = match.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def _emails(text: str) -> list[PiiMatch]:
    return [PiiMatch("email", m.start(), m.end(), m.group()) for m in _EMAIL.finditer(text)]


def _phones(text: str) -> list[PiiMatch]:
    found = []
    for pattern, low, high in ((_PHONE_INTERNATIONAL, 8, 15), (_PHONE_UK, 10, 11)):
        for m in pattern.finditer(text):
            candidate = m.group().rstrip(" .-")
            digits = sum(ch.isdigit() for ch in candidate)
            if low <= digits <= high and not _looks_like_a_date(candidate):
                found.append(PiiMatch("phone", m.start(), m.start() + len(candidate), candidate))
    return found


def _looks_like_a_date(candidate: str) -> bool:
    """``01-04-2020`` or ``2020.04.01`` style strings are dates, not telephone numbers."""
    return bool(re.fullmatch(r"\d{1,4}[.-]\d{1,2}[.-]\d{1,4}", candidate.strip("()")))


def _addresses(text: str) -> list[PiiMatch]:
    postcodes = [m for m in _postcodes(text) if _plausible_postcode(m.group())]
    used: set[int] = set()
    found: list[PiiMatch] = []
    for street in _STREET.finditer(text):
        if _is_public_address(street.group()):
            continue
        start, end = street.start(), street.end()
        flat = _FLAT_BEFORE.search(text, max(0, start - 40), start)
        if flat:
            start = flat.start()
        for index, postcode in enumerate(postcodes):
            if postcode.start() >= end and _BETWEEN_STREET_AND_POSTCODE.match(text[end : postcode.start()]):
                end = postcode.end()
                used.add(index)
                break
        found.append(PiiMatch("address", start, end, text[start:end]))
    for index, postcode in enumerate(postcodes):
        if index not in used:
            found.append(PiiMatch("postcode", postcode.start(), postcode.end(), postcode.group()))
    return found


def _postcodes(text: str) -> list[re.Match[str]]:
    """Every postcode: found by its inward code, matched from the earliest place its outward code can start."""
    found = []
    for inward in _INWARD_CODE.finditer(text):
        for start in range(max(0, inward.start() - 5), inward.start() - 1):
            match = _POSTCODE.match(text, start)
            if match and match.end() == inward.end():
                found.append(match)
                break
    return found


def _plausible_postcode(candidate: str) -> bool:
    """Postcodes written in lower case are accepted only with their space (``ls6 2ab``), as people write them."""
    return candidate.isupper() or " " in candidate


def _is_public_address(candidate: str) -> bool:
    return " ".join(candidate.lower().rstrip(".").split()) in PUBLIC_ADDRESSES


def _without_overlaps(matches: list[PiiMatch]) -> list[PiiMatch]:
    """Keep the longest of overlapping matches (an address over the postcode inside it), in text order."""
    kept: list[PiiMatch] = []
    for match in sorted(matches, key=lambda m: (m.start, -(m.end - m.start))):
        if kept and match.start < kept[-1].end:
            if match.end - match.start > kept[-1].end - kept[-1].start:
                kept[-1] = match
            continue
        kept.append(match)
    return kept
