"""Queries on documents given as written evidence: the original's facts, what was read from it, how it is used."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from documents import Document
from inquiry.evidence.content import DocumentSplit, DocumentUse, EvidenceDocument

from ._base import Repo, from_db_time, to_db_time


def _document(row) -> EvidenceDocument:
    return EvidenceDocument(
        id=row["id"],
        submission_id=row["submission_id"],
        user_id=row["user_id"],
        filename=row["filename"],
        format=row["format"],
        size=row["size_bytes"],
        sha256=row["sha256"],
        path=row["path"],
        page_count=row["page_count"],
        content=Document.from_dict(json.loads(row["content_json"])),
        split=DocumentSplit.from_json(row["split_json"]),
        use=DocumentUse(row["use"]),
        words=row["words"],
        source=row["source"],
        created_at=from_db_time(row["created_at"]),
        removed_at=from_db_time(row["removed_at"]),
    )


def _marks(values: Sequence) -> str:
    return ", ".join("?" for _ in values)


class DocumentRepo(Repo):
    async def add(
        self,
        *,
        submission_id: int,
        user_id: int | None,
        document: Document,
        path: str,
        filename: str,
        content_type: str | None,
        split: DocumentSplit | None,
        words: int,
        source: str,
        message_id: int | None,
        now: datetime,
    ) -> int | None:
        """Record a document read from a file, used as one statement; None when the same file is already part of
        that evidence."""
        stamp = to_db_time(now)
        row = await self._one(
            "INSERT INTO documents (submission_id, user_id, sha256, path, filename, content_type, format, size_bytes,"
            " page_count, content_json, split_json, words, source, discord_message_id, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (submission_id, sha256) WHERE removed_at IS NULL DO NOTHING RETURNING id",
            (
                submission_id,
                user_id,
                document.sha256,
                path,
                filename,
                content_type,
                document.format.value,
                document.size,
                document.page_count,
                json.dumps(document.to_dict()),
                split.to_json() if split else None,
                words,
                source,
                message_id,
                stamp,
                stamp,
            ),
        )
        return int(row[0]) if row else None

    async def get(self, document_id: int) -> EvidenceDocument | None:
        row = await self._one("SELECT * FROM documents WHERE id = ?", (document_id,))
        return _document(row) if row else None

    async def current_of(self, submission_id: int) -> list[EvidenceDocument]:
        """The documents a submission holds now (not taken back out), oldest first."""
        rows = await self._all(
            "SELECT * FROM documents WHERE submission_id = ? AND removed_at IS NULL ORDER BY id", (submission_id,)
        )
        return [_document(r) for r in rows]

    async def find_current(self, submission_id: int, sha256: str) -> EvidenceDocument | None:
        """The document of this content a submission holds now, if any."""
        row = await self._one(
            "SELECT * FROM documents WHERE submission_id = ? AND sha256 = ? AND removed_at IS NULL",
            (submission_id, sha256),
        )
        return _document(row) if row else None

    async def set_use_if(
        self, document_id: int, *, was: str, use: str, words: int, now: datetime, editable: Sequence[str]
    ) -> bool:
        """Use a document as a statement or as answers, provided it is still used as ``was``, is not removed, and its
        submission is still in one of the ``editable`` states."""
        return await self._changed(
            "UPDATE documents SET use = ?, words = ?, updated_at = ? WHERE id = ? AND use = ? AND removed_at IS NULL"
            f" AND EXISTS (SELECT 1 FROM submissions s WHERE s.id = documents.submission_id AND s.status IN"
            f" ({_marks(editable)}))",
            (use, words, to_db_time(now), document_id, was, *editable),
        )

    async def remove_if(self, document_id: int, *, now: datetime, editable: Sequence[str]) -> bool:
        """Take a document back out of its evidence (kept, marked removed), provided it is still in, and its
        submission still in one of the ``editable`` states."""
        stamp = to_db_time(now)
        return await self._changed(
            "UPDATE documents SET removed_at = ?, updated_at = ? WHERE id = ? AND removed_at IS NULL"
            f" AND EXISTS (SELECT 1 FROM submissions s WHERE s.id = documents.submission_id AND s.status IN"
            f" ({_marks(editable)}))",
            (stamp, stamp, document_id, *editable),
        )

    async def count_of_submissions(self, submission_ids: Sequence[int]) -> int:
        """How many documents (removed ones too) these submissions hold."""
        row = await self._one(
            "SELECT count(*) FROM documents WHERE submission_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(submission_ids)),),
        )
        return int(row[0])

    async def erase_of_submissions(self, submission_ids: Sequence[int]) -> list[str]:
        """Delete these submissions' documents (inside the caller's transaction); return the paths of the originals
        no other document refers to, for their files to be deleted."""
        ids = json.dumps(list(submission_ids))
        rows = await self._all(
            "SELECT DISTINCT path FROM documents d WHERE submission_id IN (SELECT value FROM json_each(?))"
            " AND NOT EXISTS (SELECT 1 FROM documents o WHERE o.sha256 = d.sha256"
            " AND o.submission_id NOT IN (SELECT value FROM json_each(?)))",
            (ids, ids),
        )
        await self._run("DELETE FROM documents WHERE submission_id IN (SELECT value FROM json_each(?))", (ids,))
        return [r["path"] for r in rows]
