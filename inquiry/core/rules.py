"""Pure rules of the inquiry: word counts, reference codes, input limits, safe text."""

from __future__ import annotations

import re

from inquiry.core.errors import InvalidInput

WORD = re.compile(r"[^\W_]+(?:['’\-.][^\W_]+)*")
CODE = re.compile(r"^[A-Z]{2,6}$")
MAX_QUESTION_CHARS = 1000
MAX_TITLE_CHARS = 200
MAX_ANSWER_CHARS = 20_100  # five modal inputs of 4,000 characters, joined by blank lines
MAX_NAME_CHARS = 100
MAX_REASON_CHARS = 1000
DEFAULT_WORD_LIMIT = 3000


def count_words(text: str) -> int:
    """Count words as committees do: runs of letters or digits, with inner apostrophes and hyphens."""
    return len(WORD.findall(text))


def format_reference(code: str, number: int) -> str:
    """``SCI`` and 7 give ``SCI0007``; past 9999 the number simply grows."""
    return f"{code}{number:04d}"


def normalise_code(code: str) -> str:
    """An inquiry's reference prefix: 2 to 6 capital letters."""
    code = code.strip().upper()
    if not CODE.match(code):
        raise InvalidInput("The inquiry's code must be 2 to 6 letters, such as SCI.")
    return code


# Characters drawn as nothing, and those that reorder what follows them: they can hide a name or disguise text.
INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def visible_text(text: str) -> str:
    """``text`` without invisible and bidirectional control characters."""
    return INVISIBLE.sub("", text)


def require_text(
    value: str | None, what: str, limit: int, *, required: bool = True, keep_invisible: bool = False
) -> str:
    """Trim ``value`` and check it is present (when required) and within ``limit`` characters. Invisible and
    bidirectional control characters are dropped (a name cannot be made of them, nor reorder what follows it),
    unless ``keep_invisible`` (evidence is kept as written; the exports clean what they print)."""
    value = (value or "").strip() if keep_invisible else visible_text(value or "").strip()
    if required and not visible_text(value).strip():
        raise InvalidInput(f"Please give the {what}.")
    if len(value) > limit:
        raise InvalidInput(f"The {what} is {len(value):,} characters long; the most is {limit:,}.")
    return value


MENTION = re.compile(r"@(everyone|here)|<@[!&]?\d+>|<#\d+>")


def neutralise_mentions(text: str) -> str:
    """Make ``@everyone``, ``@here`` and user, role and channel mentions inert, keeping them readable."""
    return MENTION.sub(lambda m: m.group(0).replace("@", "@\u200b").replace("<#", "<#\u200b"), text)
