"""The grant ledger on the real store (who may get a link for what, single use, expiry, audit), the upload
folder's file names, and files that arrived before a restart being handed over at the next start."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer
from web_support import CLERK, NOW, OTHER_WITNESS, WITNESS

from inquiry.core.errors import InvalidState, NotAllowed, NotFound
from web.app import TUS_KEY, make_app
from web.grants import GrantStatus, TargetKind
from web.storage import UploadStore, safe_filename


class Body:
    """A request body given in pieces."""

    def __init__(self, *pieces: bytes) -> None:
        self.pieces = list(pieces)

    async def readany(self) -> bytes:
        return self.pieces.pop(0) if self.pieces else b""


async def test_a_grant_is_used_once_and_answered_once(world):
    grant = await world.draft_grant()
    assert grant.status is GrantStatus.OPEN
    assert grant.expires_at == NOW + timedelta(hours=24)
    assert len(grant.id) == 32
    assert await world.ledger.consume(grant.id, filename="a.mp4", size_bytes=9)
    assert not await world.ledger.consume(grant.id, filename="b.mp4", size_bytes=9)
    assert await world.ledger.mark_complete(grant.id, accepted=True, message="Received")
    assert not await world.ledger.mark_complete(grant.id, accepted=False, message="again")
    stored = await world.ledger.get(grant.id)
    assert (stored.status, stored.message, stored.filename) == (GrantStatus.COMPLETE, "Received", "a.mp4")
    actions = [entry.action for entry in await world.store.audit.for_submission(world.draft_id)]
    assert actions == ["upload link issued", "file uploaded", "uploaded file taken in"]


async def test_an_expired_grant_cannot_be_used(world):
    grant = await world.draft_grant()
    world.clock.advance(timedelta(hours=24))
    assert not await world.ledger.consume(grant.id, filename="a.mp4", size_bytes=9)
    assert (await world.ledger.get(grant.id)).status is GrantStatus.OPEN


async def test_a_witness_gets_links_only_for_their_own_draft(world):
    with pytest.raises(NotAllowed):
        await world.ledger.grant_for_draft(OTHER_WITNESS, world.draft_id)
    with pytest.raises(NotFound):
        await world.ledger.grant_for_draft(WITNESS, world.draft_id, question_id=999_999)
    whole = await world.ledger.grant_for_draft(WITNESS, world.draft_id)
    assert whole.description == "Your draft evidence to SCI: Social connection"
    assert (whole.target_kind, whole.target_id, whole.question_id, whole.guild_id) == (
        TargetKind.DRAFT,
        world.draft_id,
        None,
        1,
    )
    await world.store.submissions.mark_submitted(
        world.draft_id, number=1, reference="SCI0001", late=False, words=0, now=world.clock()
    )
    with pytest.raises(InvalidState):
        await world.ledger.grant_for_draft(WITNESS, world.draft_id)


async def test_the_secretariat_gets_links_for_evidence_by_post(world):
    grant = await world.ledger.grant_for_post(CLERK, world.inquiry_id, lifetime=timedelta(hours=2))
    assert grant.description == "Evidence received by post for SCI: Social connection"
    assert grant.expires_at == NOW + timedelta(hours=2)
    assert (grant.user_id, grant.target_kind, grant.target_id) == (CLERK, TargetKind.POST, world.inquiry_id)
    [entry] = await world.store.audit.for_inquiry(world.inquiry_id)
    assert entry.action == "upload link issued"
    assert entry.actor_id == CLERK


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\Desktop\\clip.mov", "clip.mov"),
        ("a\x00b\nc.mp4", "a_b_c.mp4"),
        ("..", "upload"),
        ("", "upload"),
        ("x" * 300 + ".wav", "x" * 116 + ".wav"),
    ],
)
def test_file_names_are_made_safe(given, kept):
    assert safe_filename(given) == kept


async def test_a_file_that_arrived_before_a_restart_is_handed_over_at_the_next_start(world, bot):
    grant = await world.draft_grant()
    store = UploadStore(world.settings.upload_dir)
    await store.prepare()
    info = await store.create(
        grant_id=grant.id,
        length=11,
        filename="late.ogg",
        content_type="audio/ogg",
        now=world.clock(),
        expires_at=grant.expires_at,
    )
    assert await store.append(info, 0, Body(b"hello ", b"world")) == 11
    assert await world.ledger.consume(grant.id, filename=info.filename, size_bytes=info.length)
    await store.finish(info)  # the process stopped here, before the bot answered

    app = make_app(world.settings, world.ledger, bot.on_complete, clock=world.clock)
    async with TestClient(TestServer(app)):
        await asyncio.wait_for(bot.done.wait(), 30)
        for task in list(app[TUS_KEY].tasks):
            await task
    [kept] = bot.kept
    assert kept.sha256 == hashlib.sha256(b"hello world").hexdigest()
    assert (await world.ledger.get(grant.id)).status is GrantStatus.COMPLETE
