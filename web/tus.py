"""The tus 1.0.0 resumable upload protocol, server side: core protocol with the creation, termination and
expiration extensions (https://tus.io/protocols/resumable-upload), on aiohttp.

Every request names a signed link; an upload belongs to the grant of the link that created it. A file that
arrives whole uses the grant up, moves aside and is handed to the ``on_complete`` callback in a task of its own;
the page asks ``/status`` for the callback's answer.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from email.utils import format_datetime

from aiohttp import ClientPayloadError, web
from aiohttp.http_exceptions import HttpProcessingError

from .gate import Gate, Refusal, expired_refusal, used_refusal
from .grants import GrantLedger, GrantStatus, OnComplete, UploadRefused
from .page import size_text
from .settings import WebSettings
from .storage import Received, TooLarge, UploadInfo, UploadStore

log = logging.getLogger(__name__)

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,termination,expiration"
OFFSET_TYPE = "application/offset+octet-stream"
LOCK_WAIT_S = 10.0
FAILED_MESSAGE = (
    "The file arrived, but the bot could not take it in. The secretariat can see what went wrong; "
    "ask the bot for a new link to try again."
)

BlockHook = Callable[[web.Request, UploadInfo, int], Awaitable[None]]


def http_date(when: datetime) -> str:
    """An instant as an HTTP date (RFC 9110), as ``Upload-Expires`` wants it."""
    return format_datetime(when.astimezone(UTC), usegmt=True)


def parse_metadata(header: str) -> dict[str, str]:
    """The pairs of an ``Upload-Metadata`` header: comma-separated keys, each with an optional Base64 value."""
    pairs: dict[str, str] = {}
    for item in header.split(","):
        item = item.strip()
        if not item:
            continue
        key, _, value = item.partition(" ")
        if not key.isascii() or not key.isprintable() or key in pairs or " " in value.strip():
            raise ValueError(f"malformed Upload-Metadata item {item[:40]!r}")
        try:
            pairs[key] = base64.b64decode(value.strip(), validate=True).decode("utf-8") if value.strip() else ""
        except (binascii.Error, UnicodeDecodeError):
            raise ValueError(f"Upload-Metadata value of {key!r} is not Base64 UTF-8") from None
    return pairs


def _number(request: web.Request, name: str) -> int | None:
    raw = request.headers.get(name)
    if raw is None or not raw.isdigit() or len(raw) > 19:
        return None
    return int(raw)


class TusUploads:
    """The tus endpoints of the upload links, and the hand-over of whole files to the bot."""

    def __init__(
        self,
        *,
        settings: WebSettings,
        gate: Gate,
        ledger: GrantLedger,
        store: UploadStore,
        on_complete: OnComplete,
        clock: Callable[[], datetime],
        prefix: str,
        on_block: BlockHook | None = None,
    ) -> None:
        self.settings = settings
        self.gate = gate
        self.ledger = ledger
        self.store = store
        self.on_complete = on_complete
        self.clock = clock
        self.prefix = prefix
        self.on_block = on_block
        self._locks: dict[str, asyncio.Lock] = {}
        self._lock_users: dict[str, int] = {}
        self.tasks: set[asyncio.Task] = set()

    def add_routes(self, router: web.UrlDispatcher) -> None:
        """Register the endpoints under ``/u/{token}/files``."""
        router.add_route("OPTIONS", "/u/{token}/files", self.options)
        router.add_route("POST", "/u/{token}/files", self.create)
        router.add_route("OPTIONS", "/u/{token}/files/{upload}", self.options)
        router.add_route("HEAD", "/u/{token}/files/{upload}", self.head)
        router.add_route("PATCH", "/u/{token}/files/{upload}", self.patch)
        router.add_route("DELETE", "/u/{token}/files/{upload}", self.terminate)

    # Responses ----------------------------------------------------------------------------------

    @staticmethod
    def _headers(**extra: str) -> dict[str, str]:
        return {"Tus-Resumable": TUS_VERSION, "Cache-Control": "no-store", **extra}

    def _refused(self, refusal: Refusal) -> web.Response:
        return web.Response(status=refusal.status, text=refusal.message, headers=self._headers())

    def _plain(self, status: int, text: str) -> web.Response:
        return self._refused(Refusal(status, "", text))

    def _unsupported(self, request: web.Request) -> web.Response | None:
        if request.headers.get("Tus-Resumable") == TUS_VERSION:
            return None
        return web.Response(
            status=412,
            text="tus 1.0.0 is the version supported",
            headers=self._headers(**{"Tus-Version": TUS_VERSION}),
        )

    @contextlib.asynccontextmanager
    async def _locked(self, upload_id: str) -> AsyncIterator[None]:
        """One request at a time on an upload; a retry waits for the request it replaces to let go."""
        lock = self._locks.setdefault(upload_id, asyncio.Lock())
        self._lock_users[upload_id] = self._lock_users.get(upload_id, 0) + 1
        try:
            try:
                await asyncio.wait_for(lock.acquire(), LOCK_WAIT_S)
            except TimeoutError:
                raise Refusal(423, "", "This upload is still busy with an earlier connection. Try again.") from None
            try:
                yield
            finally:
                lock.release()
        finally:
            self._lock_users[upload_id] -= 1
            if not self._lock_users[upload_id]:
                del self._lock_users[upload_id]
                del self._locks[upload_id]

    def busy(self, upload_id: str) -> bool:
        """True while a request works on the upload."""
        return upload_id in self._lock_users

    async def _upload(self, grant_id: str, upload_id: str) -> UploadInfo:
        info = await self.store.info(upload_id)
        if info is None or info.grant_id != grant_id:
            raise Refusal(404, "", "There is no such upload under this link.")
        if self.clock() >= info.expires:
            raise Refusal(410, "", "This upload has expired.")
        return info

    # Endpoints ----------------------------------------------------------------------------------

    async def options(self, request: web.Request) -> web.Response:
        """What this server supports (no link check: it says nothing about any upload)."""
        return web.Response(
            status=204,
            headers=self._headers(
                **{
                    "Tus-Version": TUS_VERSION,
                    "Tus-Extension": TUS_EXTENSIONS,
                    "Tus-Max-Size": str(self.settings.max_bytes),
                }
            ),
        )

    async def create(self, request: web.Request) -> web.Response:
        """Creation: a new, empty upload of a declared length for the link's grant."""
        if (refused := self._unsupported(request)) is not None:
            return refused
        try:
            grant = await self.gate.open_grant(request.match_info["token"])
        except Refusal as refusal:
            return self._refused(refusal)
        if "Upload-Defer-Length" in request.headers:
            return self._plain(400, "The size of the file must be known when the upload starts.")
        length = _number(request, "Upload-Length")
        if length is None:
            return self._plain(400, "Upload-Length must give the size of the file in bytes.")
        limit = self.settings.max_bytes
        if length > limit:
            return self._plain(
                413, f"This file is {size_text(length)}, larger than the {size_text(limit)} this page accepts."
            )
        if length == 0:
            return self._plain(400, "This file is empty.")
        try:
            metadata = parse_metadata(request.headers.get("Upload-Metadata", ""))
        except ValueError as error:
            return self._plain(400, str(error))
        info = await self.store.create(
            grant_id=grant.id,
            length=length,
            filename=metadata.get("filename", ""),
            content_type=metadata.get("filetype") or None,
            now=self.clock(),
            expires_at=grant.expires_at,
        )
        log.info("upload %s started for grant %s: %d bytes", info.id, grant.id, length)
        location = f"{self.prefix}/u/{request.match_info['token']}/files/{info.id}"
        return web.Response(
            status=201, headers=self._headers(Location=location, **{"Upload-Expires": http_date(info.expires)})
        )

    async def head(self, request: web.Request) -> web.Response:
        """How much of an upload the server has; a finished one answers as whole."""
        if (refused := self._unsupported(request)) is not None:
            return refused
        token, upload_id = request.match_info["token"], request.match_info["upload"]
        try:
            grant = await self.gate.grant(token)
            finished = await self.store.finished(upload_id)
            if finished is not None and finished.grant_id == grant.id:
                whole = {"Upload-Offset": str(finished.length), "Upload-Length": str(finished.length)}
                return web.Response(status=200, headers=self._headers(**whole))
            grant = await self.gate.open_grant(token)
            info = await self._upload(grant.id, upload_id)
            async with self._locked(info.id):
                offset = await self.store.offset(info.id)
        except Refusal as refusal:
            return web.Response(status=refusal.status, headers=self._headers())
        except FileNotFoundError:
            return web.Response(status=404, headers=self._headers())
        return web.Response(
            status=200,
            headers=self._headers(
                **{
                    "Upload-Offset": str(offset),
                    "Upload-Length": str(info.length),
                    "Upload-Expires": http_date(info.expires),
                }
            ),
        )

    async def patch(self, request: web.Request) -> web.Response:
        """Append the body at the offset the client names, which must be the server's; finish when whole."""
        if (refused := self._unsupported(request)) is not None:
            return refused
        if request.content_type != OFFSET_TYPE:
            return self._plain(415, f"PATCH bodies must be {OFFSET_TYPE}.")
        offset = _number(request, "Upload-Offset")
        if offset is None:
            return self._plain(400, "Upload-Offset must give the offset in bytes.")
        try:
            grant = await self.gate.open_grant(request.match_info["token"])
            info = await self._upload(grant.id, request.match_info["upload"])
            async with self._locked(info.id):
                return await self._append(request, info, offset)
        except Refusal as refusal:
            return self._refused(refusal)

    async def _append(self, request: web.Request, info: UploadInfo, offset: int) -> web.Response:
        try:
            current = await self.store.offset(info.id)
        except FileNotFoundError:
            return self._plain(404, "There is no such upload under this link.")
        if offset != current:
            return self._plain(409, f"The upload is at byte {current}, not {offset}.")
        declared = request.content_length
        if declared is not None and offset + declared > info.length:
            return self._plain(413, "This request carries more bytes than the file has.")

        async def on_block(written: int) -> None:
            if self.on_block is not None:
                await self.on_block(request, info, written)

        try:
            written = await self.store.append(info, offset, request.content, on_block)
        except TooLarge:
            await self.store.delete(info.id)
            return self._plain(413, "More bytes arrived than the file has; the upload was dropped. Send it again.")
        except (ConnectionError, ClientPayloadError, HttpProcessingError) as error:
            written = await self.store.offset(info.id)
            log.info("upload %s broke off at byte %d of %d: %s", info.id, written, info.length, error)
            return self._plain(400, "The connection broke off; resume from the offset the server has.")
        except OSError:
            log.exception("could not write upload %s", info.id)
            return self._plain(500, "The server could not store the file just now. It will be tried again.")
        if written == info.length:
            return await self._finish(info)
        return web.Response(
            status=204,
            headers=self._headers(**{"Upload-Offset": str(written), "Upload-Expires": http_date(info.expires)}),
        )

    async def terminate(self, request: web.Request) -> web.Response:
        """Termination: forget an unfinished upload."""
        if (refused := self._unsupported(request)) is not None:
            return refused
        try:
            grant = await self.gate.grant(request.match_info["token"])
            info = await self._upload(grant.id, request.match_info["upload"])
            async with self._locked(info.id):
                await self.store.delete(info.id)
        except Refusal as refusal:
            return self._refused(refusal)
        log.info("upload %s cancelled", info.id)
        return web.Response(status=204, headers=self._headers())

    # Hand-over ----------------------------------------------------------------------------------

    async def _finish(self, info: UploadInfo) -> web.Response:
        if not await self.ledger.consume(info.grant_id, filename=info.filename, size_bytes=info.length):
            await self.store.delete(info.id)
            grant = await self.ledger.get(info.grant_id)
            if grant is None:
                return self._plain(404, "This upload link is no longer known.")
            refusal = expired_refusal(grant) if grant.expired(self.clock()) else used_refusal(grant)
            return self._refused(refusal)
        received = await self.store.finish(info)
        log.info("upload %s arrived whole (%d bytes) for grant %s", info.id, info.length, info.grant_id)
        self.hand_over(received)
        return web.Response(status=204, headers=self._headers(**{"Upload-Offset": str(info.length)}))

    def hand_over(self, received: Received) -> None:
        """Give a whole file to ``on_complete`` in a task of its own."""
        task = asyncio.create_task(self._take_in(received), name=f"upload-{received.info.id}")
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _take_in(self, received: Received) -> None:
        info = received.info
        grant = await self.ledger.get(info.grant_id)
        if grant is None:
            await self.store.discard_received(received)
            return
        try:
            message = await self.on_complete(grant, received.path, info.filename, info.length)
            accepted = True
        except UploadRefused as refusal:
            message, accepted = str(refusal), False
        except Exception:
            log.exception("the bot could not take in upload %s for grant %s", info.id, grant.id)
            message, accepted = FAILED_MESSAGE, False
        if not await self.ledger.mark_complete(grant.id, accepted=accepted, message=message):
            log.warning("grant %s was not waiting for an answer", grant.id)
        await self.store.discard_received(received)
        log.info("upload %s %s: %s", info.id, "taken in" if accepted else "refused", message)

    async def resume_waiting(self) -> int:
        """After a restart, hand over the files that arrived whole but were never answered."""
        count = 0
        for received in await self.store.waiting():
            grant = await self.ledger.get(received.info.grant_id)
            if grant is not None and grant.status is GrantStatus.RECEIVED:
                self.hand_over(received)
                count += 1
            else:
                await self.store.discard_received(received)
        return count

    async def close(self, grace_s: float = 30.0) -> None:
        """Let the hand-overs under way finish (up to ``grace_s``); cancel the rest, to resume at next start."""
        if self.tasks:
            _, pending = await asyncio.wait(set(self.tasks), timeout=grace_s)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)
