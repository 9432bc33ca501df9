"""The right to be forgotten, one server at a time: erase what a witness gave an inquiry in writing, keep anonymous
tombstones, keep the oral record for the secretariat to decide on, and tell the secretariat.

On a server, erasure removes the witness's written evidence (name, organisation, contact details, answers, the
secretariat's redactions of them), their drafts, the recordings given with that evidence (files, and the
transcripts kept in the job rows), the forum posts, the bot's direct messages that hold the evidence, saved
documents that hold it, their upload links and the name the bot knew them by. It keeps each reference as an empty
tombstone (never handed out again), the audit trail's record of what was done (without what was written), and
oral evidence given in a session: that is part of the published record, and the secretariat decides on it.
Discord side effects (deleting posts and messages, telling the secretariat) are owed through the outbox.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from inquiry.evidence.erasure import ErasurePlan, ErasureReport, EvidenceEraser, MediaPath
from inquiry.evidence.models import Submission, SubmissionStatus
from inquiry.outbox.models import OutboxKind
from inquiry.outbox.service import OutboxService
from inquiry.store import Store
from inquiry.store._audit import ERASED_ACTOR
from storage import MediaStorage

log = logging.getLogger(__name__)

ERASED_WHY = "the witness asked to be forgotten"


class PrivacyService:
    """Erasure on request. References are kept as tombstones so they are never handed out again."""

    def __init__(
        self,
        store: Store,
        clock: Callable[[], datetime],
        outbox: OutboxService | None = None,
        *,
        media_path: MediaPath | None = None,
        storage: MediaStorage | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.outbox = outbox or OutboxService(store, clock)
        self.eraser = EvidenceEraser(store, media_path, storage=storage)

    # Before -------------------------------------------------------------------------------------

    async def servers_of(self, user_id: int) -> list[int]:
        """The servers whose inquiries hold written or oral evidence from this person."""
        return await self.store.erasure.guilds_of_user(user_id)

    async def plan(self, user_id: int, guild_id: int) -> ErasurePlan:
        """What erasure would remove and keep on this server (shown before the witness confirms)."""
        inquiries = {i.id: i for i in await self.store.inquiries.in_guild(guild_id)}
        theirs = [
            s
            for s in await self.store.submissions.of_user(user_id)
            if s.inquiry_id in inquiries and s.status is not SubmissionStatus.ERASED
        ]
        sent = [s for s in theirs if s.status is not SubmissionStatus.DRAFT]
        drafts = [s for s in theirs if s.status is SubmissionStatus.DRAFT]
        ids = [s.id for s in theirs]
        items = [i.id for i in await self.store.media.items_to_erase(ids, user_id)]
        oral = await self.store.erasure.oral_evidence(user_id, guild_id)
        messages = len(await self.store.erasure.messages_of(user_id, ids)) + len(
            await self.store.media.job_notices(items)
        )
        return ErasurePlan(
            user_id=user_id,
            guild_id=guild_id,
            inquiries=inquiries,
            submissions=sent,
            drafts=drafts,
            recordings=len(items),
            documents=await self.store.documents.count_of_submissions(ids),
            messages=messages,
            grants=await self.store.erasure.count_grants(user_id, guild_id, ids),
            exports=await self.store.erasure.saved_exports_holding([s.id for s in sent]),
            oral=oral,
            session_exports=await self.store.erasure.saved_exports_of_sessions([o.session_id for o in oral]),
        )

    async def remember_message(
        self, user_id: int, submission_id: int | None, channel_id: int, message_id: int, kind: str
    ) -> None:
        """Note a direct message the bot sent a witness that holds their evidence (deleted if they are forgotten)."""
        async with self.store.transaction():
            await self.store.erasure.remember_message(
                user_id, submission_id, channel_id, message_id, kind, self.clock()
            )

    # Erasure ------------------------------------------------------------------------------------

    async def forget(self, user_id: int, guild_id: int | None = None) -> ErasureReport:
        """Erase what the witness gave on one server (``guild_id``), or on each server in turn (None)."""
        if guild_id is not None:
            return await self._forget_on(user_id, guild_id)
        report = ErasureReport(plan=None)
        for guild in await self.servers_of(user_id):
            report = report.merged(await self._forget_on(user_id, guild))
        return report

    async def _forget_on(self, user_id: int, guild_id: int) -> ErasureReport:
        now = self.clock()
        async with self.store.transaction():
            plan = await self.plan(user_id, guild_id)  # read again in the transaction: exactly what is erased
            if not plan.holds_anything:
                return ErasureReport(plan=plan)
            ids = [s.id for s in plan.submissions + plan.drafts]
            items = [i.id for i in await self.store.media.items_to_erase(ids, user_id)]
            await self.store.audit.scrub_erased(user_id, ids, items)  # before the entries recorded below
            media = await self.eraser.recordings(ids, user_id)
            files = list(media.files)
            erasure_id = await self._audit_request(plan, media.items, now)
            messages = await self._owe_message_deletions(plan, ids, media.notices, erasure_id)
            erased = await self._erase_sent(plan.submissions, now)
            for draft in plan.drafts:
                await self.store.audit.detach_submission(draft.id)
                await self.store.submissions.delete_draft(draft.id)
            await self.store.erasure.scrub_outbox(ids)
            grants = await self.store.erasure.forget_grants(user_id, guild_id, ids)
            await self.store.audit.forget_name(guild_id, user_id)
            exports = await self.store.erasure.saved_exports_holding([s.id for s in plan.submissions])
            for export in exports:
                await self.store.erasure.mark_export_deleted(export.id, ERASED_WHY, now)
            await self._owe_notice(plan, erasure_id, media.items, exports)
            # Last, so that nothing is ever reported erased while its file remains: if the commit failed, the
            # rows would still be there, and asking again erases them.
            deleted = await self.eraser.delete_files(files + [Path(e.path) for e in exports], strict=True)
        self.outbox.wake()
        await self.store.checkpoint()  # no copy of the erased pages stays in the write-ahead log
        log.info(
            "erased on server %s at a witness's request: %d submission(s), %d draft(s), %d recording(s)",
            guild_id,
            len(erased),
            len(plan.drafts),
            media.items,
        )
        return ErasureReport(
            plan=plan,
            erased=erased,
            drafts_deleted=len(plan.drafts),
            recordings_deleted=media.items,
            files_deleted=deleted,
            messages_owed=messages,
            grants_deleted=grants,
            exports_deleted=exports,
            secretariat_told=True,
        )

    async def _erase_sent(self, submissions: list[Submission], now: datetime) -> list[Submission]:
        erased = []
        for submission in submissions:
            if not await self.store.submissions.erase(submission.id, now):
                continue  # erased meanwhile
            if submission.forum_thread_id:
                await self.outbox.forum_delete_owed(submission.id, submission.forum_thread_id)
            await self.store.audit.record(
                inquiry_id=submission.inquiry_id,
                submission_id=submission.id,
                actor_id=None,
                actor_name=ERASED_ACTOR,
                action="erased",
                detail="personal data and content erased at the witness's request",
                reason=ERASED_WHY,
                at=now,
            )
            erased.append(submission)
        return erased

    async def _audit_request(self, plan: ErasurePlan, recordings: int, now: datetime) -> int:
        """One entry per inquiry of the server that held something; returns the first (it names the erasure)."""
        touched = {s.inquiry_id for s in plan.submissions + plan.drafts} | {o.inquiry_id for o in plan.oral}
        first = None
        for inquiry_id in sorted(touched):
            refs = [s.reference for s in plan.submissions if s.inquiry_id == inquiry_id and s.reference]
            drafts = sum(1 for d in plan.drafts if d.inquiry_id == inquiry_id)
            oral = [f"session {o.number}" for o in plan.oral if o.inquiry_id == inquiry_id]
            parts = [f"erased: {', '.join(refs) or 'no sent evidence'}", f"{drafts} draft(s) deleted"]
            if inquiry_id == min(touched):
                parts.append(f"{recordings} recording(s) deleted")
            if oral:
                parts.append(f"oral evidence kept for the secretariat's decision: {', '.join(oral)}")
            entry = await self.store.audit.record(
                inquiry_id=inquiry_id,
                submission_id=None,
                actor_id=None,
                actor_name=ERASED_ACTOR,
                action="erasure requested",
                detail="; ".join(parts),
                reason=ERASED_WHY,
                target_kind="erasure",
                at=now,
            )
            first = first or entry
        return first

    async def _owe_message_deletions(
        self, plan: ErasurePlan, ids: list[int], notices: list[tuple[int, int]], erasure_id: int
    ) -> int:
        """Owe the deletion of the bot's direct messages that hold the evidence, one outbox row per channel."""
        recorded = await self.store.erasure.messages_of(plan.user_id, ids)
        by_channel: dict[int, list[int]] = {}
        for message in recorded:
            by_channel.setdefault(message.channel_id, []).append(message.message_id)
        for channel_id, message_id in notices:
            if channel_id:
                by_channel.setdefault(channel_id, []).append(message_id)
        for channel_id, message_ids in by_channel.items():
            payload = {"channel_id": channel_id, "message_ids": sorted(set(message_ids))}
            key = f"erasure:{erasure_id}:dm:{channel_id}"
            await self.outbox.owe(OutboxKind.DM_DELETE, key, f"dm:{channel_id}", payload)
        await self.store.erasure.forget_messages([m.id for m in recorded])
        return sum(len(set(v)) for v in by_channel.values())

    async def _owe_notice(self, plan: ErasurePlan, erasure_id: int, recordings: int, exports: list) -> None:
        """Tell the secretariat what was erased, which saved documents to make again, and what awaits their
        decision (no personal data of the witness beyond what the oral record keeps)."""
        payload = {
            "guild_id": plan.guild_id,
            "erased": plan.references,
            "drafts": len(plan.drafts),
            "recordings": recordings,
            "documents": plan.documents,
            "messages": plan.messages,
            "exports_deleted": [{"filename": e.filename, "kind": e.kind} for e in exports],
            "oral": [
                {
                    "code": plan.code(o.inquiry_id),
                    "number": o.number,
                    "title": o.title,
                    "witness": o.witness_name,
                    "answers": o.answers,
                    "passages": o.passages,
                }
                for o in plan.oral
            ],
            "session_exports": [e.filename for e in plan.session_exports],
        }
        key = f"erasure:{erasure_id}:notice"
        await self.outbox.owe(OutboxKind.ERASURE_NOTICE, key, f"guild:{plan.guild_id}:secretariat", payload)
