"""The audit of automatic redactions: what the exports took out on their own (contact details, an anonymous author's
name) is written to the audit log once per passage, however often the record is exported.

Each passage is known by a stable key: the inquiry, the text it was taken from (its ``target``: ``SCI0001/Q2``,
``media_item:12``, ``session_answer:40``, ``segment:7``, ``minute_item:3``) and a SHA-256 of its kind and words.
The first export that takes a passage out notes its key and logs it; later exports find the key and log nothing.
The secretariat's own redactions are logged when they are made, not here.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

from exports.readmodels import AppliedRedaction
from inquiry.store import Store

log = logging.getLogger(__name__)

ACTION = "redacted in export"
REASON = "personal data is not published"


def automatic_key(inquiry_id: int, applied: AppliedRedaction) -> str:
    """The stable key of an automatic redaction: inquiry, target, and a hash of the passage (not the passage)."""
    digest = hashlib.sha256(f"{applied.kind}\n{applied.original}".encode()).hexdigest()
    return f"{inquiry_id}|{applied.target or applied.reference + '/' + applied.location}|{digest}"


async def log_automatic(
    store: Store,
    clock: Callable[[], datetime],
    inquiry_id: int,
    applied: Sequence[AppliedRedaction],
    actor_id: int | None,
    *,
    submission_ids: Mapping[str, int] | None = None,
    session: tuple[int, str] | None = None,
) -> int:
    """Note the automatic redactions of one export and log those not noted before: one audit entry per submission
    (``submission_ids``: by reference) or for the session (``session``: its id and what was exported, such as
    ``the transcript of session 2``). Returns how many passages were new."""
    found = [a for a in applied if a.kind != "secretariat"]
    if not found:
        return 0
    now = clock()
    new: dict[int | None, list[AppliedRedaction]] = {}
    async with store.transaction():
        for redaction in found:
            submission_id = (submission_ids or {}).get(redaction.reference)
            noted = await store.redactions.note_automatic(
                automatic_key(inquiry_id, redaction),
                inquiry_id=inquiry_id,
                submission_id=submission_id,
                session_id=session[0] if session else None,
                kind=redaction.kind,
                location=redaction.location,
                now=now,
            )
            if noted:
                new.setdefault(submission_id, []).append(redaction)
        for submission_id, redactions in new.items():
            where = f" in {session[1]}" if session else ""
            listed = "; ".join(f"{r.kind} in {r.location}" for r in redactions)
            await store.audit.record(
                inquiry_id=inquiry_id,
                submission_id=submission_id,
                actor_id=actor_id,
                action=ACTION,
                detail=f"{len(redactions)} automatic redaction(s){where}: {listed}",
                reason=REASON,
                at=now,
                session_id=session[0] if session else None,
            )
    count = sum(len(r) for r in new.values())
    log.info("automatic redactions: %d in this export, %d new", len(found), count)
    return count
