"""Finding and redacting personal data in evidence before it is published.

What is found: email addresses; telephone numbers in UK forms (``020 7946 0958``, ``07700 900123``,
``(01632) 960001``, ``+44 (0)20 7946 0958``) and international forms (``+1 202 555 0143``,
``0033 1 23 45 67 89``); UK postcodes (``LS1 4DY``, ``SW1A 1AA``); and UK street addresses
(``Flat 2, 14 Acacia Avenue, Leeds LS6 2AB``), which are taken whole with their town and postcode.

It errs towards redacting: a number that merely looks like a telephone number is removed. Years, dates,
sums of money, counts with thousands separators and evidence references (``SCI0001``) are left alone.

Disguises do not hide personal data: the search runs over the text's skeleton (:func:`exports._normalise.fold`),
so fullwidth digits, look-alike letters of other scripts, combining marks and invisible characters inside an
address are seen through, and what is found is reported at its place in the text as given.

Every pattern takes time in proportion to the text, whatever the text: each one either has bounded repeats
only, or runs that cannot overlap the text that follows them (possessive, or ended by a character they cannot
hold), and starts only where a run begins. What regular expressions cannot check in linear time (the place
names between a street and its postcode, the end of an email address) is checked in Python on bounded text.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ._normalise import fold

log = logging.getLogger(__name__)

REPLACEMENTS = {
    "email": "[email address redacted]",
    "phone": "[telephone number redacted]",
    "postcode": "[postcode redacted]",
    "address": "[address redacted]",
}

# An email address is found as a run of the characters its local part may hold, starting where such a run starts
# (so a long run is tried once, not from each of its characters), an @, and a run of dot-separated labels;
# possessive repeats give nothing back. Where the address ends (at its last alphabetic label of two letters or
# more, not followed by a letter, digit or dash) is decided in Python: see _emails.
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+'-])[A-Za-z0-9._%+'-]++@[A-Za-z0-9-]++(?:\.[A-Za-z0-9-]++)*+")
_EMAIL_END_FORBIDDEN = re.compile(r"[\w-]")

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
# What may stand between a street and its postcode: up to three places (``Headingley, Leeds, West Yorkshire``),
# each of capitalised words, separated by commas; checked word by word in Python (see _only_place_names).
_PLACE_WORD = re.compile(_NAME_WORD)
_MAX_PLACES, _MAX_PLACE_WORDS, _MAX_GAP = 3, 8, 160

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
    folded = fold(text)
    skeleton = folded.text
    found = _emails(skeleton) if "@" in skeleton else []
    if _DIGIT.search(skeleton):  # every telephone number, postcode and street address has a digit
        found += [*_phones(skeleton), *_addresses(skeleton)]
    if folded.text is text:
        return _without_overlaps(found)
    placed = []
    for match in found:
        start, end = folded.span(match.start, match.end)
        placed.append(PiiMatch(match.kind, start, end, text[start:end]))
    return _without_overlaps(placed)


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
    found = []
    for m in _EMAIL.finditer(text):
        at = m.group().index("@")
        labels = m.group()[at + 1 :].split(".")
        followed = m.end() < len(text) and _EMAIL_END_FORBIDDEN.match(text, m.end())
        # The address ends at its last label that can be a top-level domain; only the last label of the run
        # can be followed by a letter or digit (labels before it are followed by a dot).
        count = len(labels) if not followed else len(labels) - 1
        while count >= 2 and not _top_level_domain(labels[count - 1]):
            count -= 1
        if count >= 2:
            end = m.start() + at + 1 + len(".".join(labels[:count]))
            found.append(PiiMatch("email", m.start(), end, text[m.start() : end]))
    return found


def _top_level_domain(label: str) -> bool:
    return len(label) >= 2 and label.isascii() and label.isalpha()


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
    postcodes = sorted((m for m in _postcodes(text) if _plausible_postcode(m.group())), key=lambda m: m.start())
    starts = [postcode.start() for postcode in postcodes]
    used: set[int] = set()
    found: list[PiiMatch] = []
    for street in _STREET.finditer(text):
        if _is_public_address(street.group()):
            continue
        start, end = street.start(), street.end()
        flat = _FLAT_BEFORE.search(text, max(0, start - 40), start)
        if flat:
            start = flat.start()
        # Only the first postcode after the street can belong to it: a later one has that postcode between them.
        index = bisect.bisect_left(starts, end)
        if index < len(postcodes) and _only_place_names(text, end, starts[index]):
            end = postcodes[index].end()
            used.add(index)
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


def _only_place_names(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds nothing but white space and up to three comma-separated places of
    capitalised words (``, Leeds, West Yorkshire ``)."""
    if end - start > _MAX_GAP:
        return False
    places = text[start:end].split(",")
    if len(places) > 1 and not places[0].strip():
        places = places[1:]  # a comma straight after the street
    if len(places) > 1 and not places[-1].strip():
        places = places[:-1]  # a comma before the postcode
    if len(places) == 1 and not places[0].strip():
        return True
    words = [place.split() for place in places]
    return (
        len(words) <= _MAX_PLACES
        and all(words)
        and sum(map(len, words)) <= _MAX_PLACE_WORDS
        and all(_PLACE_WORD.fullmatch(word) for place in words for word in place)
    )


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
