"""A session's recording is checked before anything of it is downloaded (who uploads it, the session's state, the kind
and the size Discord reports), downloaded a few at a time, and a zip's tracks are streamed into temporary files rather
than held in memory, then removed once queued. Downloads are watched where discord.py fetches attachments
(``HTTPClient.get_from_cdn``), wrapped so that the real download still happens."""

from __future__ import annotations

import asyncio
import tempfile
import zipfile
from pathlib import Path

import pytest

from cogs.sessions._recordings import MAX_DOWNLOADS, download
from demo.driver import make_world
from demo.sessions_scene import reply_text, set_up_session
from inquiry.sessions.recording_zip import RecordingRefused, ZipLimits, unpack_to_files, unpack_tracks
from tests.test_session_recording_export import zipped as stored_zip
from tests.test_sessions_recordings import declare_size, make_zip, wav_bytes


@pytest.fixture
async def world(simcord_env, simcord_bot):
    return await make_world(simcord_env, simcord_bot)


def watch_downloads(bot) -> list[str]:
    """Record every attachment the bot downloads (the download itself goes on as before)."""
    fetched: list[str] = []
    real = bot.http.get_from_cdn

    async def get_from_cdn(url: str) -> bytes:
        fetched.append(url)
        return await real(url)

    bot.http.get_from_cdn = get_from_cdn
    return fetched


def leftovers(folder: Path) -> set[Path]:
    return {*folder.glob("recording-*"), *folder.glob("upload-*")}


async def test_nothing_is_downloaded_for_the_wrong_person_state_or_size(world):
    sw = await set_up_session(world)
    fetched = watch_downloads(world.bot)
    options = {"session": sw.session_id}
    not_open = await world.secretariat.slash(world.general, "session recording", file=("a.wav", wav_bytes()), **options)
    assert "has not been opened" in reply_text(not_open)
    await sw.open()
    chair = await world.chair.slash(world.general, "session recording", file=("a.wav", wav_bytes()), **options)
    assert "Only the secretariat" in reply_text(chair)
    notes = await world.secretariat.slash(world.general, "session recording", file=("notes.pdf", b"%PDF"), **options)
    assert "neither an audio or video file nor a zip" in reply_text(notes)
    world.bot.transcription.settings.max_bytes = 10_000
    big = await world.secretariat.slash(world.general, "session recording", file=("a.wav", wav_bytes(1.0)), **options)
    assert "a.wav is 32 kB; the largest recording I take is 10 kB." in reply_text(big)
    world.bot.services.session_recordings.limits = ZipLimits(max_total_bytes=20_000)
    zipped = stored_zip({"1-holly_lynch_mp.wav": wav_bytes(1.0)})
    assert len(zipped) > 20_000
    big_zip = await world.secretariat.slash(world.general, "session recording", file=("craig.zip", zipped), **options)
    assert "the largest zip of tracks I take is" in reply_text(big_zip)
    assert fetched == []
    assert await world.bot.services.store.sessions.recording(1) is None


@pytest.mark.simcord(settle_timeout=120)  # its transcription job runs to the end inside the settle
async def test_an_accepted_zip_is_downloaded_once_and_its_temporary_files_are_removed(world, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the upload's temporary files go
    sw = await set_up_session(world)
    await sw.open()
    fetched = watch_downloads(world.bot)
    data = make_zip([("1-holly_lynch_mp.wav", wav_bytes(0.3)), ("2-sam_okafor.wav", wav_bytes(0.4))])
    result = await world.secretariat.slash(
        world.general, "session recording", file=("craig.zip", data), session=sw.session_id
    )
    assert "2 track(s)" in reply_text(result)
    assert len(fetched) == 1
    assert leftovers(tmp_path) == set()
    recording = await world.bot.services.store.sessions.recording(1)
    kept = [await world.bot.services.store.media.media(t.media_id) for t in recording.tracks]
    assert sorted(m.size_bytes for m in kept) == sorted(len(wav_bytes(s)) for s in (0.3, 0.4))


async def test_downloads_of_session_attachments_are_bounded(world):
    channel = world.bot.get_channel(world.general.id)
    messages = []
    for index in range(MAX_DOWNLOADS + 3):
        sent = await world.secretariat.send(world.general, f"part {index}", attachments=[(f"{index}.wav", wav_bytes())])
        messages.append(await channel.fetch_message(sent.id))
    real = world.bot.http.get_from_cdn
    gate, busy, most = asyncio.Event(), [0], [0]

    async def get_from_cdn(url: str) -> bytes:
        busy[0] += 1
        most[0] = max(most[0], busy[0])
        await gate.wait()
        busy[0] -= 1
        return await real(url)

    world.bot.http.get_from_cdn = get_from_cdn
    folder = Path(tempfile.mkdtemp())
    tasks = [
        asyncio.create_task(download(world.bot, m.attachments[0], folder / f"{i}.wav")) for i, m in enumerate(messages)
    ]
    for _ in range(50):
        await asyncio.sleep(0)
    assert most[0] == MAX_DOWNLOADS and busy[0] == MAX_DOWNLOADS  # the others wait their turn
    gate.set()
    paths = await asyncio.gather(*tasks)
    assert [p.read_bytes() for p in paths] == [wav_bytes()] * len(messages)
    assert most[0] == MAX_DOWNLOADS


def test_a_zip_is_unpacked_into_files_a_track_at_a_time(tmp_path):
    data = make_zip([("2-sam_okafor.wav", wav_bytes(0.6)), ("1-holly_lynch_mp.wav", wav_bytes(0.5))])
    source = tmp_path / "craig.zip"
    source.write_bytes(data)
    folder = tmp_path / "tracks"
    folder.mkdir()
    on_disk = unpack_to_files(source, folder, ZipLimits())
    in_memory = unpack_tracks(data)
    assert [(t.position, t.speaker, t.filename) for t in on_disk] == [
        (t.position, t.speaker, t.filename) for t in in_memory
    ]
    assert all(t.data == b"" and t.path.parent == folder for t in on_disk)  # nothing held in memory
    assert [t.read() for t in on_disk] == [t.data for t in in_memory]

    lying = declare_size(make_zip([("1-a.wav", wav_bytes())]), len(wav_bytes()) - 100)
    with pytest.raises(RecordingRefused):
        unpack_to_files(lying, tmp_path / "tracks", ZipLimits())
    with pytest.raises(RecordingRefused, match="not a readable zip"):
        unpack_to_files(b"PK\x03\x04 and then nothing", folder, ZipLimits())
    assert zipfile.is_zipfile(source)
