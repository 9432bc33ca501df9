"""Domain services: plain async classes over the store that enforce the inquiry's rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from ..store import Store
from .inquiries import InquiryService
from .privacy import PrivacyService
from .review import ReviewService
from .submissions import SubmissionService

Clock = Callable[[], datetime]

__all__ = ["Clock", "InquiryService", "PrivacyService", "ReviewService", "Services", "SubmissionService"]


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
        )
