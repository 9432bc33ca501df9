"""Dataclasses of evidence the secretariat entered for someone outside Discord: the details they give with it, and
how it came in."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from inquiry.evidence.models import Capacity, Publication


@dataclass(frozen=True, slots=True)
class EntryDetails:
    """Who evidence received outside Discord is from, how it may be published, when it came, and whether the
    secretariat accepts it as they enter it."""

    name: str
    capacity: Capacity
    publication: Publication
    organisation: str | None = None
    contact: str | None = None
    received_on: date | None = None  # None: today
    accept: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The details as JSON-able data (kept with an upload link until its file arrives)."""
        data = asdict(self)
        data.update(capacity=self.capacity.value, publication=self.publication.value)
        data["received_on"] = self.received_on.isoformat() if self.received_on else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EntryDetails:
        """The details back from :meth:`to_dict`."""
        received = data.get("received_on")
        return cls(
            name=data["name"],
            capacity=Capacity(data["capacity"]),
            publication=Publication(data["publication"]),
            organisation=data.get("organisation"),
            contact=data.get("contact"),
            received_on=date.fromisoformat(received) if received else None,
            accept=bool(data.get("accept")),
        )


@dataclass(frozen=True, slots=True)
class Entry:
    """How a submission entered by the secretariat came in: who entered it (None: the command line), the day it
    was received, and the way in (``discord``: /review import, ``upload``: an upload link, ``command_line``)."""

    submission_id: int
    entered_by: int | None
    received_on: date
    via: str
    created_at: datetime
