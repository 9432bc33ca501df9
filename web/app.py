"""The upload web application: the page behind each private link, its tus endpoints, and how to run it.

The bot runs it in its own event loop with :func:`start_web` (stop it with ``await runner.cleanup()``), or it runs
alone with :func:`run_web`. Either way the caller gives the grant ledger and the ``on_complete`` callback, and hands
out links made by :class:`UploadLinks` with the same settings.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from .gate import Gate, Refusal
from .grants import Grant, GrantLedger, GrantStatus, OnComplete
from .links import LinkSigner
from .page import home_page, refusal_page, upload_page
from .settings import WebSettings
from .storage import UploadInfo, UploadStore
from .tus import BlockHook, TusUploads

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
TUS_KEY = web.AppKey("tus", TusUploads)
STORE_KEY = web.AppKey("upload_store", UploadStore)
SWEEPER_KEY = web.AppKey("sweeper", asyncio.Task)
SWEEP_KEY: web.AppKey[Callable[[], Awaitable[int]]] = web.AppKey("sweep_uploads")
_SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}
_TOKEN_IN_PATH = re.compile(r"/u/[^/?#]+")


def _now() -> datetime:
    return datetime.now(UTC)


class UploadLinks:
    """Makes the private link for a grant, with the web settings' secret and public address."""

    def __init__(self, settings: WebSettings) -> None:
        self.signer = LinkSigner(settings.secret)
        self.base_url = settings.base_url
        self.lifetime = settings.link_lifetime

    def url(self, grant: Grant) -> str:
        """The link to give the grant's person."""
        return f"{self.base_url}/u/{self.signer.token(grant)}"

    def expiry(self, now: datetime) -> datetime:
        """When a link made now expires, by default."""
        return now + self.lifetime


class RedactedAccessLogger(AbstractAccessLogger):
    """Access log lines without the tokens (a token in a log is a link anyone reading it could use)."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        path = _TOKEN_IN_PATH.sub("/u/…", request.path)
        self.logger.info("%s %s %s %s %.3fs", request.remote, request.method, path, response.status, time)


async def _add_security_headers(request: web.Request, response: web.StreamResponse) -> None:
    for name, value in _SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)


def _html(text: str, status: int = 200) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html", headers={"Cache-Control": "no-store"})


def make_app(
    settings: WebSettings,
    ledger: GrantLedger,
    on_complete: OnComplete,
    *,
    clock: Callable[[], datetime] = _now,
    on_block: BlockHook | None = None,
) -> web.Application:
    """The application. ``on_block(request, upload, offset)`` is awaited after each block written to disk."""
    prefix = urlsplit(settings.public_url).path.rstrip("/")
    gate = Gate(LinkSigner(settings.secret), ledger, clock)
    store = UploadStore(settings.upload_dir)
    tus = TusUploads(
        settings=settings,
        gate=gate,
        ledger=ledger,
        store=store,
        on_complete=on_complete,
        clock=clock,
        prefix=prefix,
        on_block=on_block,
    )

    async def home(request: web.Request) -> web.Response:
        return _html(home_page(prefix))

    async def page(request: web.Request) -> web.Response:
        token = request.match_info["token"]
        try:
            grant = await gate.open_grant(token)
        except Refusal as refusal:
            return _html(refusal_page(prefix, refusal.title, refusal.message, detail=refusal.detail), refusal.status)
        body = upload_page(
            prefix,
            grant,
            endpoint=f"{prefix}/u/{token}/files",
            status_url=f"{prefix}/u/{token}/status",
            max_bytes=settings.max_bytes,
            chunk_bytes=settings.chunk_bytes,
        )
        return _html(body)

    async def status(request: web.Request) -> web.Response:
        try:
            grant = await gate.grant(request.match_info["token"])
        except Refusal as refusal:
            return web.json_response({"status": "refused", "message": refusal.message}, status=refusal.status)
        return web.json_response(
            {"status": grant.status.value, "message": grant.message}, headers={"Cache-Control": "no-store"}
        )

    async def healthz(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    async def no_icon(request: web.Request) -> web.Response:
        return web.Response(status=204)

    async def keep(info: UploadInfo) -> bool:
        if tus.busy(info.id):
            return True
        grant = await ledger.get(info.grant_id)
        return grant is not None and grant.status is GrantStatus.OPEN and not grant.expired(clock())

    async def sweep() -> int:
        """Delete the unfinished uploads that expired or whose grant is no longer open."""
        return await store.sweep(clock(), keep)

    async def sweep_forever() -> None:
        while True:
            await asyncio.sleep(settings.sweep_interval_s)
            try:
                await sweep()
            except Exception:
                log.exception("sweeping the upload folder failed")

    async def startup(app: web.Application) -> None:
        await store.prepare()
        await sweep()
        resumed = await tus.resume_waiting()
        if resumed:
            log.info("handing over %d uploads that arrived before a restart", resumed)
        app[SWEEPER_KEY] = asyncio.create_task(sweep_forever(), name="upload-sweeper")

    async def cleanup(app: web.Application) -> None:
        sweeper = app.get(SWEEPER_KEY)
        if sweeper is not None:
            sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeper
        await tus.close()

    app = web.Application()
    app[TUS_KEY] = tus
    app[STORE_KEY] = store
    app[SWEEP_KEY] = sweep
    app.on_response_prepare.append(_add_security_headers)
    app.on_startup.append(startup)
    app.on_cleanup.append(cleanup)
    app.router.add_get("/", home)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/favicon.ico", no_icon)
    app.router.add_get("/u/{token}", page)
    app.router.add_get("/u/{token}/status", status)
    tus.add_routes(app.router)
    app.router.add_static("/static", STATIC_DIR)
    return app


async def start_web(
    settings: WebSettings,
    ledger: GrantLedger,
    on_complete: OnComplete,
    *,
    clock: Callable[[], datetime] = _now,
    on_block: BlockHook | None = None,
) -> web.AppRunner:
    """Serve the upload page in the running event loop; stop it with ``await runner.cleanup()``."""
    app = make_app(settings, ledger, on_complete, clock=clock, on_block=on_block)
    runner = web.AppRunner(app, access_log_class=RedactedAccessLogger, handler_cancellation=False)
    await runner.setup()
    site = web.TCPSite(runner, settings.host, settings.port)
    await site.start()
    log.info("upload page listening on %s:%d, linked as %s", settings.host, settings.port, settings.base_url)
    return runner


async def run_web(
    settings: WebSettings,
    ledger: GrantLedger,
    on_complete: OnComplete,
    *,
    stop: asyncio.Event | None = None,
    clock: Callable[[], datetime] = _now,
) -> None:
    """Serve the upload page alone until ``stop`` is set (or the task is cancelled)."""
    runner = await start_web(settings, ledger, on_complete, clock=clock)
    try:
        await (stop or asyncio.Event()).wait()
    finally:
        await runner.cleanup()
