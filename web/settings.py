"""Settings of the upload page, read from ``EVIDENCE_BOT_WEB_*`` variables."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from .links import MIN_SECRET_BYTES

MIB = 1024 * 1024


class WebSettingsError(ValueError):
    """A web setting is missing or malformed."""


@dataclass(frozen=True)
class WebSettings:
    """Where the upload page listens, the address people reach it at, and what it accepts.

    ``public_url`` is the address in the links the bot hands out (scheme, host and any path prefix, as a reverse
    proxy serves it). ``chunk_bytes`` is the most the page sends in one request, kept under a proxy's body limit.
    """

    secret: bytes
    host: str = "127.0.0.1"
    port: int = 8080
    public_url: str = "http://127.0.0.1:8080"
    upload_dir: Path = Path("data/uploads")
    max_bytes: int = 4096 * MIB
    link_lifetime: timedelta = timedelta(hours=24)
    chunk_bytes: int = 32 * MIB
    sweep_interval_s: float = 600.0

    def __post_init__(self) -> None:
        if len(self.secret) < MIN_SECRET_BYTES:
            raise WebSettingsError(f"the web secret must be at least {MIN_SECRET_BYTES} bytes long")
        parts = urlsplit(self.public_url)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            raise WebSettingsError(f"the public URL must be an http(s) address, not {self.public_url!r}")
        if self.max_bytes <= 0 or self.chunk_bytes <= 0:
            raise WebSettingsError("the size limits must be positive")
        if self.link_lifetime <= timedelta(0):
            raise WebSettingsError("the link lifetime must be positive")

    @property
    def base_url(self) -> str:
        """The public URL without a trailing slash."""
        return self.public_url.rstrip("/")

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> WebSettings:
        """Build settings from ``EVIDENCE_BOT_WEB_*`` variables (``EVIDENCE_BOT_DATA_DIR`` for the default folder)."""

        def get(name: str) -> str | None:
            value = env.get(f"EVIDENCE_BOT_{name}")
            return value.strip() if value and value.strip() else None

        def number(name: str, default: float) -> float:
            raw = get(name)
            if raw is None:
                return default
            try:
                value = float(raw)
            except ValueError:
                raise WebSettingsError(f"EVIDENCE_BOT_{name} must be a number, not {raw!r}") from None
            if value <= 0:
                raise WebSettingsError(f"EVIDENCE_BOT_{name} must be positive, not {raw!r}")
            return value

        secret = get("WEB_SECRET")
        if secret is None:
            raise WebSettingsError(
                "set EVIDENCE_BOT_WEB_SECRET to a long random text (for example the output of "
                "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`): it signs the upload links"
            )
        port = int(number("WEB_PORT", 8080))
        host = get("WEB_HOST") or "127.0.0.1"
        data_dir = Path(get("DATA_DIR") or "data")
        return cls(
            secret=secret.encode("utf-8"),
            host=host,
            port=port,
            public_url=get("WEB_PUBLIC_URL") or f"http://{host}:{port}",
            upload_dir=Path(get("WEB_UPLOAD_DIR") or data_dir / "uploads"),
            max_bytes=int(number("WEB_MAX_MB", 4096) * MIB),
            link_lifetime=timedelta(hours=number("WEB_LINK_HOURS", 24)),
            chunk_bytes=int(number("WEB_CHUNK_MB", 32) * MIB),
        )
