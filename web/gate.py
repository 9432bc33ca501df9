"""Who may use a link: the checks every request makes on its token, and the refusals they give."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from .grants import Grant, GrantLedger, GrantStatus
from .links import BadLink, LinkSigner
from .page import time_text

log = logging.getLogger(__name__)


class Refusal(Exception):
    """Why a request on a link is refused: an HTTP status, a page title and a message for the person."""

    def __init__(self, status: int, title: str, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.title = title
        self.message = message
        self.detail = detail


def not_valid() -> Refusal:
    """The refusal of a malformed or forged token."""
    return Refusal(
        403,
        "This link is not valid",
        "This upload link is not valid: it may have been copied only in part, or changed. "
        "Open the link exactly as the bot sent it, or ask the bot for a new one.",
    )


def not_known() -> Refusal:
    """The refusal of a genuine token whose grant is gone."""
    return Refusal(404, "This link is not known", "This upload link is no longer known. Ask the bot for a new one.")


def not_yours() -> Refusal:
    """The refusal of a signed token that names a grant for another person or target."""
    return Refusal(
        403,
        "This link does not match",
        "This upload link does not match the file request it names, so it cannot be used. "
        "Use the link the bot sent you for your own draft, or ask for a new one.",
    )


def used_refusal(grant: Grant) -> Refusal:
    """The refusal of a link whose file has already been sent."""
    return Refusal(
        410,
        "This link has been used",
        "This upload link has already been used to send a file, and each link works once. "
        "Ask the bot for a new link to send another file.",
        detail=grant.message,
    )


def expired_refusal(grant: Grant) -> Refusal:
    """The refusal of a link past its expiry."""
    return Refusal(
        410,
        "This link has expired",
        f"This upload link expired on {time_text(grant.expires_at)}. Ask the bot for a new one.",
    )


class Gate:
    """Turns a token into the grant it names, or a refusal."""

    def __init__(self, signer: LinkSigner, ledger: GrantLedger, clock: Callable[[], datetime]) -> None:
        self.signer = signer
        self.ledger = ledger
        self.clock = clock

    async def grant(self, token: str) -> Grant:
        """The grant a token names, whatever its state; refused when the token is forged or does not match."""
        try:
            claims = self.signer.verify(token)
        except BadLink as error:
            log.info("refused an upload link: %s", error)
            raise not_valid() from None
        grant = await self.ledger.get(claims.grant_id)
        if grant is None:
            raise not_known()
        if not claims.matches(grant):
            log.warning("refused a signed upload link that does not match its grant %s", grant.id)
            raise not_yours()
        return grant

    async def open_grant(self, token: str) -> Grant:
        """The grant a token names, refused unless a file may still be sent with it now."""
        grant = await self.grant(token)
        if grant.status is not GrantStatus.OPEN:
            raise used_refusal(grant)
        if grant.expired(self.clock()):
            raise expired_refusal(grant)
        return grant
