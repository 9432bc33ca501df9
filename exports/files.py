"""File names for exported documents: ``SCI-evidence-2026-01-15.docx``, ``SCI-minutes-session-2.docx``."""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import date, datetime

log = logging.getLogger(__name__)

KINDS = ("minutes", "transcript", "evidence")
_UNSAFE = re.compile(r"[^A-Za-z0-9]+")


def export_filename(kind: str, label: str, when: date | datetime | int | str) -> str:
    """A safe, sortable file name for an export.

    ``kind`` is ``minutes``, ``transcript`` or ``evidence``; ``label`` the inquiry's code (``SCI``);
    ``when`` a date (``2026-01-15``), a session number (``2`` gives ``session-2``) or a short label
    (``"Session 2"`` gives ``session-2``). Only ASCII letters, digits and dashes are used.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown export kind {kind!r}: expected one of {', '.join(KINDS)}")
    code = _slug(label, lower=False) or "inquiry"
    if isinstance(when, datetime):
        suffix = when.date().isoformat()
    elif isinstance(when, date):
        suffix = when.isoformat()
    elif isinstance(when, int) and not isinstance(when, bool):
        suffix = f"session-{when}"
    else:
        suffix = _slug(str(when), lower=True)
    return "-".join(part for part in (code, kind, suffix) if part) + ".docx"


def _slug(text: str, *, lower: bool) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _UNSAFE.sub("-", ascii_text).strip("-")[:60].strip("-")
    return slug.lower() if lower else slug
