"""The right to be forgotten: erase a witness's personal data and content, keep anonymous tombstones."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from inquiry.evidence.models import Submission, SubmissionStatus
from inquiry.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ErasureReport:
    erased: list[Submission]  # as they were before erasure (for removing their Discord posts)
    drafts_deleted: int


class PrivacyService:
    """Erasure on request. References are kept as tombstones so they are never handed out again."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock
        # Other parts of the bot (media, transcripts, sessions) register their own erasure here.
        self.hooks: list[Callable[[int], object]] = []

    async def forget(self, user_id: int) -> ErasureReport:
        """Erase everything the witness gave us; keep only ``SCI0001: erased`` tombstones."""
        submissions = await self.store.submissions.of_user(user_id)
        now = self.clock()
        erased, drafts = [], 0
        async with self.store.transaction():
            for submission in submissions:
                if submission.status is SubmissionStatus.DRAFT:
                    await self.store.submissions.delete_draft(submission.id)
                    drafts += 1
                    continue
                await self.store.submissions.erase(submission.id, now)
                await self.store.audit.record(
                    inquiry_id=submission.inquiry_id,
                    submission_id=submission.id,
                    actor_id=None,
                    action="erased",
                    detail="personal data and content erased at the witness's request",
                    at=now,
                )
                erased.append(submission)
            await self.store.audit.forget_actor(user_id, [s.id for s in erased])
            for hook in self.hooks:
                result = hook(user_id)
                if hasattr(result, "__await__"):
                    await result
        log.info("erased %d submissions and %d drafts at a witness's request", len(erased), drafts)
        return ErasureReport(erased=erased, drafts_deleted=drafts)
