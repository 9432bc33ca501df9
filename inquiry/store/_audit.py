"""Queries on the audit log (who did what to which part of the record, when and why) and on the names people go
by on each server."""

from __future__ import annotations

import json
from datetime import datetime

from inquiry.core.models import AuditEntry

from ._base import Repo, from_db_time, to_db_time

ERASED_ACTOR = "(erased witness)"


def _entry(row) -> AuditEntry:
    data = dict(row)
    data["at"] = from_db_time(data["at"])
    return AuditEntry(**data)


def _scope(inquiry_id: int, submission_id: int | None, session_id: int | None) -> tuple[str, tuple]:
    """The WHERE clause of one inquiry's entries, or of those about one submission or one session."""
    if submission_id is not None:
        return (
            "inquiry_id = ? AND (submission_id = ? OR (target_kind = 'submission' AND target_id = ?))",
            (inquiry_id, submission_id, submission_id),
        )
    if session_id is not None:
        return (
            "inquiry_id = ? AND (session_id = ? OR (target_kind = 'session' AND target_id = ?))",
            (inquiry_id, session_id, session_id),
        )
    return "inquiry_id = ?", (inquiry_id,)


class AuditRepo(Repo):
    async def record(
        self,
        *,
        inquiry_id: int | None,
        submission_id: int | None,
        actor_id: int | None,
        action: str,
        at: datetime,
        detail: str = "",
        reason: str | None = None,
        target_kind: str | None = None,
        target_id: int | None = None,
        session_id: int | None = None,
        before: str | None = None,
        after: str | None = None,
        actor_name: str | None = None,
    ) -> int:
        """Add an entry; without a target it is about its submission, else its session, else its inquiry."""
        if target_kind is None:
            if submission_id is not None:
                target_kind, target_id = "submission", submission_id
            elif session_id is not None:
                target_kind, target_id = "session", session_id
            elif inquiry_id is not None:
                target_kind, target_id = "inquiry", inquiry_id
        return await self._run(
            "INSERT INTO audit_log (inquiry_id, submission_id, actor_id, action, detail, reason, at, target_kind,"
            " target_id, session_id, before_value, after_value, actor_name)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                inquiry_id,
                submission_id,
                actor_id,
                action,
                detail,
                reason,
                to_db_time(at),
                target_kind,
                target_id,
                session_id,
                before,
                after,
                actor_name,
            ),
        )

    async def get(self, entry_id: int) -> AuditEntry | None:
        row = await self._one("SELECT * FROM audit_log WHERE id = ?", (entry_id,))
        return _entry(row) if row else None

    async def for_submission(self, submission_id: int) -> list[AuditEntry]:
        rows = await self._all(
            "SELECT * FROM audit_log WHERE submission_id = ? OR (target_kind = 'submission' AND target_id = ?)"
            " ORDER BY id",
            (submission_id, submission_id),
        )
        return [_entry(r) for r in rows]

    async def for_inquiry(self, inquiry_id: int, limit: int = 50) -> list[AuditEntry]:
        rows = await self._all(
            "SELECT * FROM audit_log WHERE inquiry_id = ? ORDER BY id DESC LIMIT ?", (inquiry_id, limit)
        )
        return [_entry(r) for r in rows]

    async def all_of_inquiry(self, inquiry_id: int) -> list[AuditEntry]:
        """Every entry of an inquiry, oldest first."""
        rows = await self._all("SELECT * FROM audit_log WHERE inquiry_id = ? ORDER BY id", (inquiry_id,))
        return [_entry(r) for r in rows]

    async def page(
        self,
        inquiry_id: int,
        *,
        submission_id: int | None = None,
        session_id: int | None = None,
        beyond: int | None = None,
        ascending: bool,
        limit: int,
    ) -> list[AuditEntry]:
        """Up to ``limit`` entries in id order (``ascending`` or not), starting after the entry ``beyond``."""
        where, params = _scope(inquiry_id, submission_id, session_id)
        if beyond is not None:
            where += " AND id > ?" if ascending else " AND id < ?"
            params += (beyond,)
        order = "ASC" if ascending else "DESC"
        rows = await self._all(f"SELECT * FROM audit_log WHERE {where} ORDER BY id {order} LIMIT ?", (*params, limit))
        return [_entry(r) for r in rows]

    async def count(
        self,
        inquiry_id: int,
        *,
        submission_id: int | None = None,
        session_id: int | None = None,
        below: int | None = None,
        above: int | None = None,
    ) -> int:
        """How many entries there are (with an id below ``below`` or above ``above``, when given)."""
        where, params = _scope(inquiry_id, submission_id, session_id)
        if below is not None:
            where += " AND id < ?"
            params += (below,)
        if above is not None:
            where += " AND id > ?"
            params += (above,)
        row = await self._one(f"SELECT count(*) FROM audit_log WHERE {where}", params)
        return int(row[0])

    async def forget_actor(self, actor_id: int, submission_ids: list[int]) -> None:
        """Remove a witness's user id from the entries about their own submissions."""
        for submission_id in submission_ids:
            await self._run(
                "UPDATE audit_log SET actor_id = NULL WHERE actor_id = ? AND submission_id = ?",
                (actor_id, submission_id),
            )

    async def scrub_erased(self, user_id: int, submission_ids: list[int], media_item_ids: list[int]) -> int:
        """After an erasure: the entries about the erased submissions and recordings keep what was done, when and
        why, but lose what was written (details, before and after) and the witness's name and id."""
        subs, items = json.dumps(submission_ids), json.dumps(media_item_ids)
        about = (
            "(submission_id IN (SELECT value FROM json_each(?))"
            " OR (target_kind = 'submission' AND target_id IN (SELECT value FROM json_each(?)))"
            " OR (target_kind = 'media_item' AND target_id IN (SELECT value FROM json_each(?))))"
        )
        changed = await self._run(
            f"UPDATE audit_log SET detail = '', before_value = NULL, after_value = NULL WHERE {about}",
            (subs, subs, items),
        )
        await self._run(
            f"UPDATE audit_log SET actor_id = NULL, actor_name = ? WHERE actor_id = ? AND {about}",
            (ERASED_ACTOR, user_id, subs, subs, items),
        )
        return changed

    async def detach_submission(self, submission_id: int) -> None:
        """Before a draft is deleted: its entries keep it as their target, without the foreign key."""
        await self._run("UPDATE audit_log SET submission_id = NULL WHERE submission_id = ?", (submission_id,))

    # Names --------------------------------------------------------------------------------------

    async def remember_name(self, guild_id: int, user_id: int, name: str, now: datetime) -> bool:
        """Record the name a person goes by on a server; False when it was known already."""
        return await self._changed(
            "INSERT INTO display_names (guild_id, user_id, name, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (guild_id, user_id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at"
            " WHERE display_names.name IS NOT excluded.name",
            (guild_id, user_id, name, to_db_time(now)),
        )

    async def names(self, guild_id: int) -> dict[int, str]:
        """The names people go by on a server, by user id."""
        rows = await self._all("SELECT user_id, name FROM display_names WHERE guild_id = ?", (guild_id,))
        return {r["user_id"]: r["name"] for r in rows}

    async def session_names(self, inquiry_id: int) -> dict[int, str]:
        """Names people were recorded under in an inquiry's sessions (members and witnesses), by user id."""
        rows = await self._all(
            "SELECT m.user_id, m.name FROM session_members m JOIN sessions s ON s.id = m.session_id"
            " WHERE s.inquiry_id = ? UNION ALL"
            " SELECT w.user_id, w.name FROM session_witnesses w JOIN sessions s ON s.id = w.session_id"
            " WHERE s.inquiry_id = ? AND w.user_id IS NOT NULL",
            (inquiry_id, inquiry_id),
        )
        return {r["user_id"]: r["name"] for r in rows}

    async def session_targets(self, inquiry_id: int) -> dict[tuple[str, int], str]:
        """Names for the parts of an inquiry's sessions that entries are about: ``session 2, Q7``,
        ``session 2, answer to Q7``, ``session 2, minute 3``."""
        rows = await self._all(
            "SELECT 'oral_question' AS kind, q.id, s.number AS session, 'Q' || q.number AS what"
            " FROM session_questions q JOIN sessions s ON s.id = q.session_id WHERE s.inquiry_id = :i"
            " UNION ALL SELECT 'session_answer', a.id, s.number, 'answer to Q' || q.number"
            " FROM session_answers a JOIN session_questions q ON q.id = a.question_id"
            " JOIN sessions s ON s.id = a.session_id WHERE s.inquiry_id = :i"
            " UNION ALL SELECT 'minute', m.id, s.number, 'minute ' || m.number"
            " FROM minute_items m JOIN sessions s ON s.id = m.session_id WHERE s.inquiry_id = :i",
            {"i": inquiry_id},
        )
        return {(r["kind"], r["id"]): f"session {r['session']}, {r['what']}" for r in rows}

    async def forget_name(self, guild_id: int, user_id: int) -> int:
        return await self._run("DELETE FROM display_names WHERE guild_id = ? AND user_id = ?", (guild_id, user_id))
