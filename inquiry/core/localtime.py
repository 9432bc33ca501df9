"""Wall-clock times typed by people, read in a time zone: the hour the clocks skip does not exist, the hour they
repeat happens twice, and neither is guessed silently."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from inquiry.core.errors import InvalidInput

_ZONE_SUFFIX = re.compile(r"^(?P<rest>.*\d)\s+(?P<zone>[A-Za-z]{2,5}|[+-]\d{2}:?\d{2}|Z)$")


def split_zone(text: str) -> tuple[str, str | None]:
    """``2026-10-25 01:30 BST`` → (``2026-10-25 01:30``, ``BST``): a zone abbreviation or UTC offset at the end."""
    match = _ZONE_SUFFIX.match(text.strip())
    if match is None:
        return text.strip(), None
    return match["rest"].strip(), match["zone"]


def _offset_text(moment: datetime) -> str:
    offset = moment.utcoffset() or timedelta()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _matches(moment: datetime, zone: str) -> bool:
    zone = zone.upper()
    if zone == "Z":
        zone = "UTC"
    if zone in ("UTC", "GMT") and not moment.utcoffset():
        return True
    if zone.startswith(("+", "-")):
        return _offset_text(moment).replace(":", "") == zone.replace(":", "")
    return (moment.tzname() or "").upper() == zone


def local_time(naive: datetime, tz: ZoneInfo, zone: str | None = None) -> datetime:
    """The instant a person meant by a wall-clock time in ``tz``, in UTC (so that arithmetic and comparisons on it
    are exact across a change of the clocks).

    A time in the hour skipped when the clocks go forward is refused, with the times either side; a time in the
    hour repeated when they go back is refused unless ``zone`` (``BST``/``GMT``, or an offset such as ``+01:00``)
    says which of the two is meant. A ``zone`` that is not ``tz``'s on that date is refused too.
    """
    first, second = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
    try:
        candidates = [first] if first.utcoffset() == second.utcoffset() else [first, second]
        for moment in candidates:
            moment.astimezone(UTC)
    except OverflowError:
        raise InvalidInput(f"{naive:%Y-%m-%d %H:%M} is too far in the future or the past.") from None
    shown = f"{naive:%Y-%m-%d %H:%M}"
    if len(candidates) == 2 and first.astimezone(UTC) > second.astimezone(UTC):  # the skipped hour
        later = first.astimezone(UTC).astimezone(tz)
        raise InvalidInput(
            f"{shown} does not exist in {tz.key}: the clocks go forward an hour that night, from {first.tzname()}"
            f" to {second.tzname()}. Please choose another time, such as {later:%Y-%m-%d %H:%M} {later.tzname()}."
        )
    if zone is not None:
        chosen = [m for m in candidates if _matches(m, zone)]
        if not chosen:
            names = " or ".join(m.tzname() or _offset_text(m) for m in candidates)
            raise InvalidInput(f"{shown} in {tz.key} is {names}, not {zone}.")
        return chosen[0].astimezone(UTC)
    if len(candidates) == 2:
        raise InvalidInput(
            f"{shown} happens twice in {tz.key}: the clocks go back that night. Say which you mean:"
            f" {shown} {first.tzname()} (the first) or {shown} {second.tzname()} (an hour later)."
        )
    return first.astimezone(UTC)
