"""Domain errors: each carries a short message fit to show the user who caused it."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the inquiry was broken; ``str(error)`` is safe to show to the user."""


class NotFound(DomainError):
    """The thing asked for does not exist (or is not visible to this user)."""


class NotAllowed(DomainError):
    """The user may not do this."""


class InvalidInput(DomainError):
    """The input does not meet the rules (length, format, range)."""


class InvalidState(DomainError):
    """The thing is not in a state that allows this action."""


class WordLimitExceeded(InvalidInput):
    """A submission is over the inquiry's word limit."""

    def __init__(self, words: int, limit: int) -> None:
        self.words = words
        self.limit = limit
        super().__init__(
            f"Your answers come to {words:,} words; the limit is {limit:,}. "
            f"Please shorten them by {words - limit:,} words and submit again: your draft is saved."
        )


class NotConfigured(DomainError):
    """The server has not been set up with /setup yet."""
