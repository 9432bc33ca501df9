"""Domain services: plain async classes over the store that enforce the inquiry's rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from inquiry.evidence.privacy import PrivacyService
from inquiry.evidence.service import SubmissionService
from inquiry.inquiries.service import InquiryService
from inquiry.review.service import ReviewService
from inquiry.sessions.record import SessionRecordService
from inquiry.sessions.reminders import ReminderService
from inquiry.sessions.service import SessionService
from inquiry.store import Store

Clock = Callable[[], datetime]

__all__ = [
    "Clock",
    "InquiryService",
    "PrivacyService",
    "ReminderService",
    "ReviewService",
    "Services",
    "SessionRecordService",
    "SessionService",
    "SubmissionService",
]


@dataclass
class Services:
    """Every domain service, built over one store, clock and time zone."""

    store: Store
    clock: Clock
    tz: ZoneInfo
    inquiries: InquiryService
    submissions: SubmissionService
    review: ReviewService
    privacy: PrivacyService
    sessions: SessionService
    session_record: SessionRecordService
    reminders: ReminderService

    @classmethod
    def build(cls, store: Store, clock: Clock, tz: ZoneInfo) -> Services:
        """Wire the services together."""
        return cls(
            store=store,
            clock=clock,
            tz=tz,
            inquiries=InquiryService(store, clock, tz),
            submissions=SubmissionService(store, clock),
            review=ReviewService(store, clock),
            privacy=PrivacyService(store, clock),
            sessions=SessionService(store, clock, tz),
            session_record=SessionRecordService(store, clock),
            reminders=ReminderService(store, clock),
        )
