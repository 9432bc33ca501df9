"""The tus 1.0.0 server of the upload page, spoken to over real HTTP: creation, offsets, resuming after a
connection broke off mid-PATCH, termination, size limits, and the hand-over to the bot's callback."""

from __future__ import annotations

import asyncio
import hashlib
import os

from web_support import TUS, metadata, partial_files

from web.app import SWEEP_KEY
from web.grants import GrantStatus

OCTETS = {**TUS, "Content-Type": "application/offset+octet-stream"}


async def create(client, world, grant, size, name="session.mp4"):
    response = await client.post(
        world.files_path(grant),
        headers={**TUS, "Upload-Length": str(size), "Upload-Metadata": metadata(filename=name, filetype="video/mp4")},
    )
    return response


async def offset_of(client, location) -> int:
    response = await client.head(location, headers=TUS)
    assert response.status == 200, response.status
    assert response.headers["Cache-Control"] == "no-store"
    return int(response.headers["Upload-Offset"])


async def patch(client, location, offset, data):
    return await client.patch(location, headers={**OCTETS, "Upload-Offset": str(offset)}, data=data)


async def wait_answered(client, world, grant):
    for _ in range(200):
        response = await client.get(f"{world.page_path(grant)}/status")
        body = await response.json()
        if body["status"] in ("complete", "refused"):
            return body
        await asyncio.sleep(0.02)
    raise AssertionError("the bot never answered")


async def test_options_tells_the_version_extensions_and_size_limit(client, world):
    grant = await world.draft_grant()
    response = await client.options(world.files_path(grant))
    assert response.status == 204
    assert response.headers["Tus-Version"] == "1.0.0"
    assert set(response.headers["Tus-Extension"].split(",")) == {"creation", "termination", "expiration"}
    assert int(response.headers["Tus-Max-Size"]) == world.settings.max_bytes


async def test_a_file_sent_in_parts_arrives_whole_and_the_bot_answers(client, world, bot):
    grant = await world.draft_grant()
    data = os.urandom(3 * 1024 * 1024 + 17)
    response = await create(client, world, grant, len(data), name="../../etc/evidence video.mp4")
    assert response.status == 201
    location = response.headers["Location"]
    assert location.startswith(world.files_path(grant) + "/")
    assert "Upload-Expires" in response.headers
    assert await offset_of(client, location) == 0

    first = await patch(client, location, 0, data[:1_000_000])
    assert first.status == 204
    assert first.headers["Upload-Offset"] == "1000000"
    assert await offset_of(client, location) == 1_000_000
    last = await patch(client, location, 1_000_000, data[1_000_000:])
    assert last.status == 204
    assert last.headers["Upload-Offset"] == str(len(data))

    answer = await wait_answered(client, world, grant)
    assert answer["status"] == "complete"
    assert answer["message"].startswith("Received: evidence video.mp4")
    [kept] = bot.kept
    assert kept.sha256 == hashlib.sha256(data).hexdigest()
    assert (kept.filename, kept.size, kept.grant.id) == ("evidence video.mp4", len(data), grant.id)
    stored = await world.ledger.get(grant.id)
    assert stored.status is GrantStatus.COMPLETE
    assert (stored.filename, stored.size_bytes) == ("evidence video.mp4", len(data))
    assert partial_files(world.settings) == []
    assert not any((world.settings.upload_dir / "received").iterdir())


async def test_after_a_patch_breaks_off_head_gives_the_bytes_kept_and_the_upload_resumes(client, world, bot):
    grant = await world.draft_grant()
    data = os.urandom(5 * 1024 * 1024)
    location = (await create(client, world, grant, len(data))).headers["Location"]

    # A PATCH announcing the whole file breaks off after 3 MiB and a bit: the connection is closed mid-body.
    sent = 3 * 1024 * 1024 + 12345
    _, writer = await asyncio.open_connection(client.server.host, client.server.port)
    writer.write(
        (
            f"PATCH {location} HTTP/1.1\r\nHost: test\r\nTus-Resumable: 1.0.0\r\n"
            f"Content-Type: application/offset+octet-stream\r\nUpload-Offset: 0\r\nContent-Length: {len(data)}\r\n\r\n"
        ).encode()
        + data[:sent]
    )
    await writer.drain()
    await asyncio.sleep(0.2)
    writer.close()

    for _ in range(100):
        offset = await offset_of(client, location)
        if offset == sent:
            break
        await asyncio.sleep(0.05)
    assert offset == sent  # every byte received before the drop was kept

    stale = await patch(client, location, 0, data)
    assert stale.status == 409  # the client must resume from the server's offset
    resumed = await patch(client, location, offset, data[offset:])
    assert resumed.status == 204
    assert (await wait_answered(client, world, grant))["status"] == "complete"
    assert bot.kept[0].sha256 == hashlib.sha256(data).hexdigest()


async def test_an_upload_over_the_limit_is_refused_at_creation_before_anything_is_stored(client, world, bot):
    grant = await world.draft_grant()
    response = await create(client, world, grant, world.settings.max_bytes + 1)
    assert response.status == 413
    assert "larger than the 64 MB this page accepts" in await response.text()
    assert partial_files(world.settings) == []
    # The limit itself is accepted.
    assert (await create(client, world, grant, world.settings.max_bytes)).status == 201


async def test_a_patch_carrying_more_than_the_declared_length_is_refused(client, world, bot):
    grant = await world.draft_grant()
    location = (await create(client, world, grant, 1000)).headers["Location"]
    declared = await patch(client, location, 0, b"x" * 1001)
    assert declared.status == 413
    assert await offset_of(client, location) == 0

    async def chunks():  # no Content-Length: the overflow is found while streaming
        yield b"y" * 600
        yield b"y" * 600

    streamed = await patch(client, location, 0, chunks())
    assert streamed.status == 413
    assert (await client.head(location, headers=TUS)).status == 404  # the upload was dropped
    assert partial_files(world.settings) == []
    assert bot.kept == []


async def test_malformed_requests_get_the_statuses_of_the_protocol(client, world):
    grant = await world.draft_grant()
    path = world.files_path(grant)
    no_version = await client.post(path, headers={"Upload-Length": "10"})
    assert no_version.status == 412
    assert no_version.headers["Tus-Version"] == "1.0.0"
    assert (await client.post(path, headers=TUS)).status == 400  # no Upload-Length
    assert (await client.post(path, headers={**TUS, "Upload-Length": "-4"})).status == 400
    assert (await client.post(path, headers={**TUS, "Upload-Length": "0"})).status == 400
    bad_metadata = await client.post(path, headers={**TUS, "Upload-Length": "10", "Upload-Metadata": "filename ***"})
    assert bad_metadata.status == 400
    location = (await create(client, world, grant, 10)).headers["Location"]
    wrong_type = await client.patch(location, headers={**TUS, "Upload-Offset": "0"}, data=b"0123456789")
    assert wrong_type.status == 415
    assert (await client.patch(location, headers=OCTETS, data=b"0123456789")).status == 400  # no Upload-Offset
    assert (await client.head(f"{path}/{grant.id}-0000000000000000", headers=TUS)).status == 404
    assert (await client.head(f"{path}/..%2F..%2Fevidence.db", headers=TUS)).status == 404


async def test_termination_forgets_the_upload_and_a_new_one_can_start(client, world, bot):
    grant = await world.draft_grant()
    location = (await create(client, world, grant, 100)).headers["Location"]
    assert (await patch(client, location, 0, b"a" * 40)).status == 204
    deleted = await client.delete(location, headers=TUS)
    assert deleted.status == 204
    assert (await client.head(location, headers=TUS)).status == 404
    assert partial_files(world.settings) == []
    again = (await create(client, world, grant, 3)).headers["Location"]
    assert (await patch(client, again, 0, b"abc")).status == 204
    assert (await wait_answered(client, world, grant))["status"] == "complete"


async def test_a_new_upload_on_the_same_link_replaces_the_unfinished_one(client, world):
    grant = await world.draft_grant()
    first = (await create(client, world, grant, 100)).headers["Location"]
    await patch(client, first, 0, b"a" * 10)
    second = (await create(client, world, grant, 50)).headers["Location"]
    assert (await client.head(first, headers=TUS)).status == 404
    assert await offset_of(client, second) == 0
    assert len(partial_files(world.settings)) == 2  # one upload: its data and its description


async def test_when_the_last_response_was_lost_head_answers_whole(client, world):
    grant = await world.draft_grant()
    location = (await create(client, world, grant, 5)).headers["Location"]
    await patch(client, location, 0, b"hello")
    await wait_answered(client, world, grant)
    # The client never saw the 204 and asks again: the upload is whole, so it finishes without sending more.
    response = await client.head(location, headers=TUS)
    assert response.status == 200
    assert response.headers["Upload-Offset"] == response.headers["Upload-Length"] == "5"
    # But the link cannot start another upload.
    again = await create(client, world, grant, 5)
    assert again.status == 410
    assert "already been used" in await again.text()


async def test_a_file_the_bot_refuses_shows_its_reason_and_is_not_kept(client, world, bot):
    bot.refuse_with = "This is not a sound or video file the inquiry can use."
    grant = await world.draft_grant()
    location = (await create(client, world, grant, 4, name="notes.exe")).headers["Location"]
    assert (await patch(client, location, 0, b"MZ\x90\x00")).status == 204
    answer = await wait_answered(client, world, grant)
    assert answer == {"status": "refused", "message": bot.refuse_with}
    assert (await world.ledger.get(grant.id)).status is GrantStatus.REFUSED
    assert not any((world.settings.upload_dir / "received").iterdir())


async def test_expired_unfinished_uploads_are_swept_from_the_folder(client, app, world):
    grant = await world.draft_grant()
    location = (await create(client, world, grant, 100)).headers["Location"]
    await patch(client, location, 0, b"a" * 10)
    assert await app[SWEEP_KEY]() == 0
    assert len(partial_files(world.settings)) == 2
    world.clock.advance(world.settings.link_lifetime)
    assert await app[SWEEP_KEY]() == 1
    assert partial_files(world.settings) == []
    assert (await client.head(location, headers=TUS)).status == 410
