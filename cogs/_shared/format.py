"""Text helpers for messages: times in the inquiry's zone, Discord's limits, safe user text."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from inquiry.core.rules import neutralise_mentions

MESSAGE_LIMIT = 2000


def when(moment: datetime | None, tz: ZoneInfo) -> str:
    """``Tuesday 14 April 2020, 17:00 BST (Europe/London)`` plus a Discord timestamp each reader sees locally."""
    if moment is None:
        return "no closing date"
    local = moment.astimezone(tz)
    stamp = int(moment.timestamp())
    return f"{local:%A %-d %B %Y, %H:%M} {local.tzname()} ({tz.key}) · <t:{stamp}:R>"


def safe(text: str | None) -> str:
    """User text made inert: no mentions can fire from it."""
    return neutralise_mentions(text or "")


_URL = re.compile(r"https?://[^\s<>()\[\]]+")
_MARKUP = re.compile(r"([\\*_~|`\[\]])")
_LINE_MARKUP = re.compile(r"^([ \t]*)(#|-#|>|[-+] )", re.MULTILINE)


def inert(text: str | None) -> str:
    """User text shown as written: no mentions fire, no Markdown applies (headings, quotes, masked links,
    emphasis), and links are shown as addresses, without previews."""
    text = safe(text)
    pieces, last = [], 0
    for match in _URL.finditer(text):
        pieces.append(_escape(text[last : match.start()]))
        pieces.append(f"<{match.group(0)}>")
        last = match.end()
    pieces.append(_escape(text[last:]))
    return "".join(pieces)


def _escape(text: str) -> str:
    return _LINE_MARKUP.sub(r"\1\\\2", _MARKUP.sub(r"\\\1", text))


def clip(text: str, limit: int) -> str:
    """Shorten ``text`` to ``limit`` characters, marking the cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def quote(text: str, limit: int = 1500) -> str:
    """Quote user text as a Markdown block, shortened to ``limit``."""
    body = clip(safe(text).strip(), limit)
    return "\n".join("> " + line for line in body.splitlines() or [""])


def chunks(text: str, limit: int = 1900) -> list[str]:
    """Split text into pieces under ``limit`` characters, at paragraph, line or word boundaries."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = max(rest.rfind("\n\n", 0, limit), rest.rfind("\n", 0, limit), rest.rfind(" ", 0, limit))
        if cut <= limit // 2:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces
