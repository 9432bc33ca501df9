"""Queries on evidence the secretariat entered for someone outside Discord, and on what upload links were asked for
beyond their grant (a session recording's start, the details of evidence received by post)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from inquiry.evidence.entry import Entry
from inquiry.evidence.models import Capacity, Publication

from ._base import Repo, from_db_time, to_db_time


class EnteredEvidenceRepo(Repo):
    async def create_submission(
        self,
        *,
        inquiry_id: int,
        number: int,
        reference: str,
        capacity: Capacity,
        name: str,
        organisation: str | None,
        contact: str | None,
        publication: Publication,
        late: bool,
        words: int,
        received_at: datetime,
        now: datetime,
    ) -> int:
        """A submission received outside Discord: no witness account, received as ``reference`` at once."""
        stamp = to_db_time(now)
        return await self._run(
            "INSERT INTO submissions (inquiry_id, user_id, status, capacity, submitter_name, organisation, contact,"
            " publication, reference_number, reference, late, word_count, created_at, updated_at, submitted_at)"
            " VALUES (?, NULL, 'submitted', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                inquiry_id,
                capacity.value,
                name,
                organisation,
                contact,
                publication.value,
                number,
                reference,
                int(late),
                words,
                stamp,
                stamp,
                to_db_time(received_at),
            ),
        )

    async def add(
        self, submission_id: int, *, entered_by: int | None, received_on: date, via: str, now: datetime
    ) -> None:
        await self._run(
            "INSERT INTO entered_evidence (submission_id, entered_by, received_on, via, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (submission_id, entered_by, received_on.isoformat(), via, to_db_time(now)),
        )

    async def get(self, submission_id: int) -> Entry | None:
        row = await self._one("SELECT * FROM entered_evidence WHERE submission_id = ?", (submission_id,))
        if row is None:
            return None
        return Entry(
            submission_id=row["submission_id"],
            entered_by=row["entered_by"],
            received_on=date.fromisoformat(row["received_on"]),
            via=row["via"],
            created_at=from_db_time(row["created_at"]),
        )


class UploadRequestRepo(Repo):
    async def add(self, grant_id: str, details: dict[str, Any], now: datetime) -> None:
        await self._run(
            "INSERT INTO upload_requests (grant_id, details, created_at) VALUES (?, ?, ?)",
            (grant_id, json.dumps(details), to_db_time(now)),
        )

    async def details(self, grant_id: str) -> dict[str, Any]:
        """What the link was asked for ({} when nothing beyond its grant)."""
        row = await self._one("SELECT details FROM upload_requests WHERE grant_id = ?", (grant_id,))
        return json.loads(row[0]) if row else {}
