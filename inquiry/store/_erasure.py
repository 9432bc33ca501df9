"""Queries for erasure at a witness's request, one server at a time: what the bot holds from them there, the direct
messages it sent them that hold their evidence, the documents saved to the export folder that contain it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from ._base import Repo, from_db_time, to_db_time


@dataclass(frozen=True, slots=True)
class WitnessMessage:
    """A direct message the bot sent a witness that holds their evidence."""

    id: int
    user_id: int
    submission_id: int | None
    channel_id: int
    message_id: int
    kind: str
    sent_at: datetime


@dataclass(frozen=True, slots=True)
class SavedExport:
    """A document written to the export folder."""

    id: int
    inquiry_id: int
    session_id: int | None
    kind: str
    filename: str
    path: str
    created_at: datetime
    deleted_at: datetime | None = None
    deleted_why: str | None = None


@dataclass(frozen=True, slots=True)
class OralEvidence:
    """A session in which a witness gave (or was listed to give) oral evidence, and how much of it is theirs."""

    session_id: int
    inquiry_id: int
    number: int
    title: str
    witness_name: str | None
    answers: int
    passages: int


def _message(row) -> WitnessMessage:
    return WitnessMessage(**{**dict(row), "sent_at": from_db_time(row["sent_at"])})


def _export(row) -> SavedExport:
    data = dict(row)
    data.update(created_at=from_db_time(data["created_at"]), deleted_at=from_db_time(data["deleted_at"]))
    return SavedExport(**data)


class ErasureRepo(Repo):
    # The bot's direct messages ----------------------------------------------------------------

    async def remember_message(
        self, user_id: int, submission_id: int | None, channel_id: int, message_id: int, kind: str, now: datetime
    ) -> None:
        """Record a direct message that holds a witness's evidence (once)."""
        await self._run(
            "INSERT INTO witness_messages (user_id, submission_id, channel_id, message_id, kind, sent_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (channel_id, message_id) DO NOTHING",
            (user_id, submission_id, channel_id, message_id, kind, to_db_time(now)),
        )

    async def messages_of(self, user_id: int, submission_ids: list[int]) -> list[WitnessMessage]:
        """The recorded messages about these submissions."""
        rows = await self._all(
            "SELECT * FROM witness_messages WHERE user_id = ? AND submission_id IN (SELECT value FROM json_each(?))"
            " ORDER BY id",
            (user_id, json.dumps(submission_ids)),
        )
        return [_message(r) for r in rows]

    async def forget_messages(self, message_ids: list[int]) -> int:
        """Drop the records of messages whose deletion is owed."""
        return await self._run(
            "DELETE FROM witness_messages WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(message_ids),)
        )

    # Saved exports ----------------------------------------------------------------------------

    async def add_saved_export(
        self,
        *,
        inquiry_id: int,
        session_id: int | None,
        kind: str,
        filename: str,
        path: str,
        submission_ids: list[int],
        now: datetime,
    ) -> int:
        """Record a document written to the export folder and the submissions it holds (a document saved before
        under the same path was replaced by it)."""
        await self._run(
            "UPDATE saved_exports SET deleted_at = ?, deleted_why = 'replaced' WHERE path = ? AND deleted_at IS NULL",
            (to_db_time(now), path),
        )
        export_id = await self._run(
            "INSERT INTO saved_exports (inquiry_id, session_id, kind, filename, path, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (inquiry_id, session_id, kind, filename, path, to_db_time(now)),
        )
        for submission_id in dict.fromkeys(submission_ids):
            await self._run(
                "INSERT INTO saved_export_submissions (export_id, submission_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (export_id, submission_id),
            )
        return export_id

    async def saved_exports_holding(self, submission_ids: list[int]) -> list[SavedExport]:
        """Saved documents, not yet deleted, that hold any of these submissions."""
        rows = await self._all(
            "SELECT * FROM saved_exports WHERE deleted_at IS NULL AND id IN (SELECT export_id FROM"
            " saved_export_submissions WHERE submission_id IN (SELECT value FROM json_each(?))) ORDER BY id",
            (json.dumps(submission_ids),),
        )
        return [_export(r) for r in rows]

    async def saved_exports_of_sessions(self, session_ids: list[int]) -> list[SavedExport]:
        """Saved documents of these sessions (minutes, transcripts), not deleted."""
        rows = await self._all(
            "SELECT * FROM saved_exports WHERE deleted_at IS NULL AND session_id IN (SELECT value FROM json_each(?))"
            " ORDER BY id",
            (json.dumps(session_ids),),
        )
        return [_export(r) for r in rows]

    async def mark_export_deleted(self, export_id: int, why: str, now: datetime) -> bool:
        return await self._changed(
            "UPDATE saved_exports SET deleted_at = ?, deleted_why = ? WHERE id = ? AND deleted_at IS NULL",
            (to_db_time(now), why, export_id),
        )

    # What a witness gave on a server ----------------------------------------------------------

    async def guilds_of_user(self, user_id: int) -> list[int]:
        """The servers whose inquiries hold something from this person: written or oral evidence."""
        rows = await self._all(
            "SELECT DISTINCT i.guild_id FROM inquiries i WHERE i.id IN ("
            " SELECT inquiry_id FROM submissions WHERE user_id = ?"
            " UNION SELECT s.inquiry_id FROM session_witnesses w JOIN sessions s ON s.id = w.session_id"
            " WHERE w.user_id = ?"
            " UNION SELECT s.inquiry_id FROM session_answers a JOIN sessions s ON s.id = a.session_id"
            " WHERE a.user_id = ?) ORDER BY i.guild_id",
            (user_id, user_id, user_id),
        )
        return [r["guild_id"] for r in rows]

    async def oral_evidence(self, user_id: int, guild_id: int) -> list[OralEvidence]:
        """Sessions of this server's inquiries in which the person was a witness or answered."""
        rows = await self._all(
            "SELECT s.id AS session_id, s.inquiry_id, s.number, s.title,"
            " (SELECT name FROM session_witnesses w WHERE w.session_id = s.id AND w.user_id = :user) AS witness_name,"
            " (SELECT count(*) FROM session_answers a WHERE a.session_id = s.id AND a.user_id = :user) AS answers,"
            " (SELECT count(*) FROM session_transcript_segments g WHERE g.session_id = s.id AND g.user_id = :user)"
            " AS passages"
            " FROM sessions s JOIN inquiries i ON i.id = s.inquiry_id WHERE i.guild_id = :guild AND ("
            " EXISTS (SELECT 1 FROM session_witnesses w WHERE w.session_id = s.id AND w.user_id = :user)"
            " OR EXISTS (SELECT 1 FROM session_answers a WHERE a.session_id = s.id AND a.user_id = :user))"
            " ORDER BY s.inquiry_id, s.number",
            {"user": user_id, "guild": guild_id},
        )
        return [OralEvidence(**dict(r)) for r in rows]

    async def forget_grants(self, user_id: int, guild_id: int, submission_ids: list[int]) -> int:
        """Delete a person's upload links on this server (and those to their drafts there): they stop working."""
        return await self._run(
            "DELETE FROM upload_grants WHERE user_id = ? AND (guild_id = ? OR (target_kind = 'draft' AND target_id"
            " IN (SELECT value FROM json_each(?))))",
            (user_id, guild_id, json.dumps(submission_ids)),
        )

    async def count_grants(self, user_id: int, guild_id: int, submission_ids: list[int]) -> int:
        row = await self._one(
            "SELECT count(*) FROM upload_grants WHERE user_id = ? AND (guild_id = ? OR (target_kind = 'draft' AND"
            " target_id IN (SELECT value FROM json_each(?))))",
            (user_id, guild_id, json.dumps(submission_ids)),
        )
        return int(row[0])

    async def scrub_outbox(self, submission_ids: list[int]) -> int:
        """Outbox rows about erased submissions keep what they did, not what they carried (notes, files)."""
        subjects = json.dumps([f"submission:{s}:{c}" for s in submission_ids for c in ("forum", "receipt", "witness")])
        rows = await self._all(
            "SELECT id, payload FROM outbox WHERE subject IN (SELECT value FROM json_each(?))"
            " AND kind != 'forum_delete'",
            (subjects,),
        )
        for row in rows:
            payload = {k: v for k, v in json.loads(row["payload"]).items() if k not in ("note", "file", "reason")}
            await self._run("UPDATE outbox SET payload = ? WHERE id = ?", (json.dumps(payload), row["id"]))
        return len(rows)
