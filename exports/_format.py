"""How the record writes dates, times, names and witnesses, in the style of UK committee papers."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ._docx import one_line
from .readmodels import Witness

log = logging.getLogger(__name__)

# Languages Whisper names by code that evidence to a UK inquiry is most likely to be given in.
LANGUAGES = {
    "en": "English", "cy": "Welsh", "gd": "Scottish Gaelic", "ga": "Irish", "pl": "Polish", "ro": "Romanian",
    "ur": "Urdu", "pa": "Punjabi", "bn": "Bengali", "gu": "Gujarati", "hi": "Hindi", "ta": "Tamil",
    "ar": "Arabic", "fa": "Persian", "so": "Somali", "tr": "Turkish", "uk": "Ukrainian", "ru": "Russian",
    "zh": "Chinese", "fr": "French", "es": "Spanish", "pt": "Portuguese", "it": "Italian", "de": "German",
    "lt": "Lithuanian", "lv": "Latvian", "bg": "Bulgarian", "sw": "Swahili", "yo": "Yoruba", "am": "Amharic",
}  # fmt: skip


def local(when: datetime, timezone_name: str) -> datetime:
    """``when`` in the zone ``timezone_name``; naive values are taken to be in that zone already."""
    if when.tzinfo is None:
        return when
    try:
        return when.astimezone(ZoneInfo(timezone_name))
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("unknown time zone %r: showing times in UTC", timezone_name)
        return when.astimezone(ZoneInfo("UTC"))


def long_date(when: date) -> str:
    """``Wednesday 15 April 2020``."""
    return f"{when:%A} {when.day} {when:%B %Y}"


def clock(when: datetime) -> str:
    """``2.00 pm``, ``10.30 am``, as committee papers write times."""
    hour = when.hour % 12 or 12
    return f"{hour}.{when.minute:02d} {'am' if when.hour < 12 else 'pm'}"


def date_and_time(when: datetime, timezone_name: str) -> str:
    """``Wednesday 15 April 2020, 2.00 pm (BST)`` in the given zone."""
    shown = local(when, timezone_name)
    zone = shown.tzname() if shown.tzinfo else None
    suffix = f" ({zone})" if zone else ""
    return f"{long_date(shown)}, {clock(shown)}{suffix}"


def join(names: Iterable[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    items = [name for name in names if name]
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def witness_line(witness: Witness) -> str:
    """``Sam Okafor, Chief Executive, Leeds Older People's Forum``."""
    return ", ".join(
        part.strip() for part in (witness.name, witness.role, witness.organisation) if part and part.strip()
    )


def language_name(language: str) -> str:
    """``Welsh`` for ``cy``; a name that is already a name is kept (``Welsh``), an unknown code shown as given."""
    value = one_line(language)
    if not value:
        return "not recorded"
    return LANGUAGES.get(value.lower(), value[:1].upper() + value[1:])


def by_panel(witnesses: Iterable[Witness]) -> dict[int, list[Witness]]:
    """Witnesses grouped by panel number, panels in order, witnesses in the order given."""
    panels: dict[int, list[Witness]] = {}
    for witness in witnesses:
        panels.setdefault(witness.panel, []).append(witness)
    return dict(sorted(panels.items()))
