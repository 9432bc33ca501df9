"""Upload links: signed, tied to one person and one target, single-use and expiring. Each refusal has its
message on the page and its HTTP status on the page and the tus endpoints."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta

import pytest
from web_support import OTHER_WITNESS, SECRET, TUS, WITNESS, metadata, partial_files

from web.app import UploadLinks
from web.grants import TargetKind
from web.links import BadLink, LinkSigner


def replace_field(token: str, index: int, value: str) -> str:
    parts = token.split(".")
    parts[index] = value
    return ".".join(parts)


async def post_file(client, token: str, size: int = 10):
    return await client.post(
        f"/u/{token}/files", headers={**TUS, "Upload-Length": str(size), "Upload-Metadata": metadata(filename="a.mp3")}
    )


async def test_a_token_round_trips_and_names_its_grant(world):
    grant = await world.draft_grant()
    claims = world.signer.verify(world.token(grant))
    assert claims.matches(grant)
    assert (claims.grant_id, claims.user_id, claims.target_kind, claims.target_id) == (
        grant.id,
        WITNESS,
        TargetKind.DRAFT,
        world.draft_id,
    )
    assert int(claims.expires_at.timestamp()) == int(grant.expires_at.timestamp())
    url = UploadLinks(world.settings).url(grant)
    assert url == f"http://127.0.0.1:8080/u/{world.token(grant)}"


@pytest.mark.parametrize(
    ("index", "value"),
    [(1, "0" * 32), (2, str(OTHER_WITNESS)), (3, "s"), (4, "999"), (5, "zzzzzz"), (6, "A" * 43)],
    ids=["grant", "user", "kind", "target", "expiry", "signature"],
)
async def test_changing_any_field_of_a_token_breaks_its_signature(world, index, value):
    token = world.token(await world.draft_grant())
    with pytest.raises(BadLink):
        world.signer.verify(replace_field(token, index, value))


async def test_a_token_signed_with_another_secret_is_refused(world):
    grant = await world.draft_grant()
    forged = LinkSigner(b"another secret, just as long, 0123456789abcdef").token(grant)
    with pytest.raises(BadLink):
        world.signer.verify(forged)
    with pytest.raises(BadLink):
        world.signer.verify("not a token")
    with pytest.raises(ValueError, match="at least 32 bytes"):
        LinkSigner(SECRET[:10])


async def test_the_page_shows_what_the_file_will_join(client, world):
    grant = await world.draft_grant(question=1)
    response = await client.get(world.page_path(grant))
    assert response.status == 200
    html = await response.text()
    assert "Your draft evidence to SCI: Social connection, question 1: How lonely are people in your area?" in html
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


async def test_a_tampered_user_or_target_is_refused_with_403(client, world):
    grant = await world.draft_grant()
    token = world.token(grant)
    for tampered in (replace_field(token, 2, str(OTHER_WITNESS)), replace_field(token, 4, str(world.other_draft_id))):
        page = await client.get(f"/u/{tampered}")
        assert page.status == 403
        assert "This upload link is not valid" in await page.text()
        assert (await post_file(client, tampered)).status == 403
        assert (await client.get(f"/u/{tampered}/status")).status == 403
    assert partial_files(world.settings) == []


async def test_a_signed_token_for_someone_elses_draft_does_not_match_its_grant(client, world):
    # Even with the secret, a token that names this grant but another person or draft is refused.
    grant = await world.draft_grant()
    for other in (
        dataclasses.replace(grant, user_id=OTHER_WITNESS),
        dataclasses.replace(grant, target_id=world.other_draft_id),
        dataclasses.replace(grant, target_kind=TargetKind.SESSION),
        dataclasses.replace(grant, expires_at=grant.expires_at + timedelta(days=30)),
    ):
        token = world.signer.token(other)
        page = await client.get(f"/u/{token}")
        assert page.status == 403
        assert "does not match the file request" in await page.text()
        response = await post_file(client, token)
        assert response.status == 403
        assert "does not match" in await response.text()


async def test_an_expired_link_is_refused_with_410(client, world):
    grant = await world.draft_grant()
    location = (await post_file(client, world.token(grant), size=20)).headers["Location"]
    world.clock.advance(timedelta(hours=24))
    page = await client.get(world.page_path(grant))
    assert page.status == 410
    assert "This upload link expired on 13 May 2026, 09:00 UTC" in await page.text()
    assert (await post_file(client, world.token(grant))).status == 410
    assert (await client.head(location, headers=TUS)).status == 410
    late = await client.patch(
        location,
        headers={**TUS, "Content-Type": "application/offset+octet-stream", "Upload-Offset": "0"},
        data=b"x" * 20,
    )
    assert late.status == 410


async def test_a_used_link_is_refused_with_410_and_shows_the_earlier_answer(client, world, bot):
    grant = await world.draft_grant()
    location = (await post_file(client, world.token(grant), size=3)).headers["Location"]
    done = await client.patch(
        location, headers={**TUS, "Content-Type": "application/offset+octet-stream", "Upload-Offset": "0"}, data=b"abc"
    )
    assert done.status == 204
    await asyncio.wait_for(bot.done.wait(), 30)
    for _ in range(100):
        if (await world.ledger.get(grant.id)).message:
            break
        await asyncio.sleep(0.02)
    page = await client.get(world.page_path(grant))
    assert page.status == 410
    text = await page.text()
    assert "already been used to send a file" in text
    assert "Received: a.mp3, 3 bytes" in text
    again = await post_file(client, world.token(grant))
    assert again.status == 410
    assert len(bot.kept) == 1


async def test_an_unknown_grant_and_a_garbled_link_are_refused(client, world):
    grant = await world.draft_grant()
    ghost = dataclasses.replace(grant, id="f" * 32)
    assert (await client.get(f"/u/{world.signer.token(ghost)}")).status == 404
    garbled = await client.get(f"/u/{world.token(grant)[:-5]}")
    assert garbled.status == 403
