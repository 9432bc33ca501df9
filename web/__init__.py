"""The upload page: private, signed, single-use links through which people send files too large for Discord.

The web face never imports discord nor the inquiry store: it keeps grants through the :class:`GrantLedger` it is
given, and hands each file that arrived whole to the ``on_complete`` callback it is given. The grant types load
without aiohttp (the store imports them); the application loads when first asked for.
"""

from typing import Any

from .grants import Grant, GrantLedger, GrantStatus, OnComplete, TargetKind, UploadRefused
from .links import BadLink, Claims, LinkSigner
from .settings import WebSettings, WebSettingsError

_APP_NAMES = {"UploadLinks", "make_app", "run_web", "start_web"}

__all__ = [
    "BadLink",
    "Claims",
    "Grant",
    "GrantLedger",
    "GrantStatus",
    "LinkSigner",
    "OnComplete",
    "TargetKind",
    "UploadLinks",
    "UploadRefused",
    "WebSettings",
    "WebSettingsError",
    "make_app",
    "run_web",
    "start_web",
]


def __getattr__(name: str) -> Any:
    if name in _APP_NAMES:
        from . import app

        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
