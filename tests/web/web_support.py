"""What the upload page tests share: a real store with an inquiry and a witness's draft, a movable clock, the
callback the bot would give (it keeps each file and says what it received), and raw tus requests."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from inquiry.store import Store
from inquiry.uploads.service import UploadGrantService
from web.grants import Grant, UploadRefused
from web.links import LinkSigner
from web.settings import MIB, WebSettings

NOW = datetime(2026, 5, 12, 9, 0, tzinfo=UTC)
SECRET = b"a secret long enough to sign links: 0123456789abcdef"
WITNESS = 4242
OTHER_WITNESS = 5151
CLERK = 77
TUS = {"Tus-Resumable": "1.0.0"}


class Clock:
    """A clock the tests move by hand."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@dataclass
class Kept:
    """What the callback was given for one file, and what it made of it."""

    grant: Grant
    filename: str
    size: int
    sha256: str
    path: Path


@dataclass
class Bot:
    """The ``on_complete`` callback the bot gives: keeps the file, answers in words, or refuses."""

    keep_dir: Path
    refuse_with: str | None = None
    kept: list[Kept] = field(default_factory=list)
    done: asyncio.Event = field(default_factory=asyncio.Event)

    async def on_complete(self, grant: Grant, path: Path, filename: str, size: int) -> str:
        digest = await asyncio.to_thread(sha256_of, path)
        if self.refuse_with:
            self.done.set()
            raise UploadRefused(self.refuse_with)
        self.keep_dir.mkdir(parents=True, exist_ok=True)
        target = self.keep_dir / f"{grant.id}-{filename}"
        await asyncio.to_thread(shutil.move, path, target)
        self.kept.append(Kept(grant, filename, size, digest, target))
        self.done.set()
        return f"Received: {filename}, {size:,} bytes, for {grant.description}"


@dataclass
class World:
    """A store with an inquiry (two questions), a witness's draft, the ledger and the web settings."""

    store: Store
    clock: Clock
    ledger: UploadGrantService
    settings: WebSettings
    signer: LinkSigner
    inquiry_id: int
    question_ids: list[int]
    draft_id: int
    other_draft_id: int

    async def draft_grant(self, user_id: int = WITNESS, question: int | None = 1) -> Grant:
        """A witness's grant for their own draft (question 1 by default)."""
        draft = self.draft_id if user_id == WITNESS else self.other_draft_id
        question_id = self.question_ids[question - 1] if question else None
        return await self.ledger.grant_for_draft(user_id, draft, question_id=question_id)

    def token(self, grant: Grant) -> str:
        return self.signer.token(grant)

    def page_path(self, grant: Grant) -> str:
        return f"/u/{self.token(grant)}"

    def files_path(self, grant: Grant) -> str:
        return f"/u/{self.token(grant)}/files"


async def make_world(tmp_path: Path, *, max_bytes: int = 64 * MIB, chunk_bytes: int = 4 * MIB) -> World:
    """A real database with an inquiry, two witnesses' drafts and the upload ledger over it."""
    store = await Store.open(tmp_path / "evidence.db")
    clock = Clock()
    inquiry_id = await store.inquiries.create(
        guild_id=1, code="SCI", title="Social connection", terms="", word_limit=3000, actor_id=CLERK, now=NOW
    )
    question_ids = [
        await store.inquiries.add_question(inquiry_id, 1, "How lonely are people in your area?"),
        await store.inquiries.add_question(inquiry_id, 2, "What would help most?"),
    ]
    draft_id = await store.submissions.create_draft(inquiry_id, WITNESS, NOW)
    other_draft_id = await store.submissions.create_draft(inquiry_id, OTHER_WITNESS, NOW)
    settings = WebSettings(
        secret=SECRET,
        upload_dir=tmp_path / "uploads",
        max_bytes=max_bytes,
        chunk_bytes=chunk_bytes,
    )
    return World(
        store=store,
        clock=clock,
        ledger=UploadGrantService(store, clock),
        settings=settings,
        signer=LinkSigner(SECRET),
        inquiry_id=inquiry_id,
        question_ids=question_ids,
        draft_id=draft_id,
        other_draft_id=other_draft_id,
    )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


def random_file(path: Path, size: int) -> Path:
    """A file of random bytes (so a wrong offset or a lost block changes its hash)."""
    with open(path, "wb") as handle:
        left = size
        while left:
            block = os.urandom(min(left, 1024 * 1024))
            handle.write(block)
            left -= len(block)
    return path


def sparse_file(path: Path, size: int) -> Path:
    """A file of ``size`` zero bytes that takes no room on disk."""
    with open(path, "wb") as handle:
        handle.truncate(size)
    return path


def metadata(**pairs: str) -> str:
    """An ``Upload-Metadata`` header."""
    return ",".join(f"{key} {base64.b64encode(value.encode()).decode()}" for key, value in pairs.items())


def partial_files(settings: WebSettings) -> list[str]:
    """The names in the folder of unfinished uploads."""
    folder = settings.upload_dir / "partial"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
