"""Signed upload links: a compact token naming a grant, its person, its target and its expiry, with an HMAC.

A token reads ``v1.<grant>.<user>.<kind>.<target>.<expiry>.<signature>``: the expiry in Unix seconds written in
base 36, the signature the URL-safe base64 of HMAC-SHA256 over everything before it under the web secret. A link
is only as good as the grant it names: :class:`LinkSigner` checks the signature, and the application checks that
the grant still exists, matches every field of the token and is open.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from .grants import Grant, TargetKind

VERSION = "v1"
_KIND_CODES = {TargetKind.DRAFT: "d", TargetKind.SESSION: "s", TargetKind.POST: "p"}
_CODE_KINDS = {code: kind for kind, code in _KIND_CODES.items()}
_GRANT_ID = re.compile(r"[0-9a-f]{16,64}")
_NUMBER = re.compile(r"[0-9]{1,20}")
_BASE36 = re.compile(r"[0-9a-z]{1,13}")
MIN_SECRET_BYTES = 32


class BadLink(Exception):
    """The token is malformed or its signature does not match."""


@dataclass(frozen=True, slots=True)
class Claims:
    """What a token says, once its signature is checked."""

    grant_id: str
    user_id: int
    target_kind: TargetKind
    target_id: int
    expires_at: datetime

    def matches(self, grant: Grant) -> bool:
        """True when the grant is the one the token was made for, to the second of its expiry."""
        return (
            grant.id == self.grant_id
            and grant.user_id == self.user_id
            and grant.target_kind is self.target_kind
            and grant.target_id == self.target_id
            and int(grant.expires_at.timestamp()) == int(self.expires_at.timestamp())
        )


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if number == 0:
            return text


class LinkSigner:
    """Makes and checks upload tokens with one secret key."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < MIN_SECRET_BYTES:
            raise ValueError(f"the signing secret must be at least {MIN_SECRET_BYTES} bytes")
        self._secret = secret

    def _signature(self, payload: str) -> str:
        digest = hmac.new(self._secret, payload.encode("ascii"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")

    def token(self, grant: Grant) -> str:
        """The token for a grant."""
        expiry = _base36(int(grant.expires_at.timestamp()))
        payload = ".".join(
            (VERSION, grant.id, str(grant.user_id), _KIND_CODES[grant.target_kind], str(grant.target_id), expiry)
        )
        return f"{payload}.{self._signature(payload)}"

    def verify(self, token: str) -> Claims:
        """The claims of a token whose signature is right; :class:`BadLink` otherwise."""
        parts = token.split(".")
        if len(parts) != 7 or parts[0] != VERSION:
            raise BadLink("not an upload token")
        payload, signature = ".".join(parts[:6]), parts[6]
        if not hmac.compare_digest(self._signature(payload).encode("ascii"), signature.encode("ascii", "replace")):
            raise BadLink("signature does not match")
        _, grant_id, user, kind, target, expiry = parts[:6]
        if not (
            _GRANT_ID.fullmatch(grant_id)
            and _NUMBER.fullmatch(user)
            and kind in _CODE_KINDS
            and _NUMBER.fullmatch(target)
            and _BASE36.fullmatch(expiry)
        ):
            raise BadLink("malformed token")
        return Claims(
            grant_id=grant_id,
            user_id=int(user),
            target_kind=_CODE_KINDS[kind],
            target_id=int(target),
            expires_at=datetime.fromtimestamp(int(expiry, 36), UTC),
        )
