"""The media storages, each through the same tests: a local folder, and a real S3-compatible server (SeaweedFS, or
the one EVIDENCE_BOT_TEST_S3 names). Files are stored and read by content address; content that does not match its
address is refused on the way in and on the way out; missing files and unreachable servers give a clear error;
large files go in parts with memory that stays flat."""

from __future__ import annotations

import hashlib
import os
import socket
import tracemalloc
from pathlib import Path

import pytest

from storage import (
    FolderStorage,
    MediaCorrupt,
    MediaMissing,
    S3Location,
    S3Storage,
    StorageError,
    StorageUnreachable,
    open_storage,
    parse_s3_url,
)

MiB = 1024 * 1024


def content(text: str) -> tuple[bytes, str, str]:
    """Some bytes, their SHA-256 and their key in the store."""
    data = text.encode() * 50
    sha = hashlib.sha256(data).hexdigest()
    return data, sha, f"{sha[:2]}/{sha}.ogg"


@pytest.fixture(params=["folder", pytest.param("s3", marks=pytest.mark.s3)])
def storage(request, tmp_path):
    """Each storage in turn, empty. The S3 one sends files over 8 MiB in parts of 5 MiB (the least S3 allows)."""
    if request.param == "folder":
        return FolderStorage(tmp_path / "media")
    url = request.getfixturevalue("fresh_s3_prefix")
    return S3Storage(url, work_dir=tmp_path / "work", part_bytes=5 * MiB, multipart_bytes=8 * MiB)


def work_files(tmp_path) -> list[Path]:
    folder = tmp_path / "work"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


async def test_a_file_is_stored_under_its_address_read_listed_and_deleted(storage, tmp_path):
    data, sha, key = content("a witness speaking")
    assert not await storage.exists(key)
    await storage.put(key, data, sha)
    assert await storage.exists(key)
    [listed] = await storage.list()
    assert (listed.key, listed.size) == (key, len(data))
    async with storage.reading(key, sha) as path:
        assert path.read_bytes() == data
    assert work_files(tmp_path) == []  # a fetched copy is gone once read
    await storage.put(key, data, sha)  # the same content again changes nothing
    assert [o.key for o in await storage.list()] == [key]
    assert await storage.delete(key) is True
    assert await storage.delete(key) is False  # deleting again is not an error
    assert not await storage.exists(key)
    assert await storage.list() == []


async def test_a_file_on_disk_is_moved_or_copied_in(storage, tmp_path):
    data, sha, key = content("moved in")
    source = tmp_path / "staged.ogg"
    source.write_bytes(data)
    await storage.put(key, source, sha, move=True)
    assert not source.exists()
    other, other_sha, other_key = content("copied in")
    source.write_bytes(other)
    await storage.put(other_key, source, other_sha)
    assert source.read_bytes() == other  # a copy leaves the original where it was
    assert sorted(o.key for o in await storage.list()) == sorted([key, other_key])
    with storage.local_copy(other_key, other_sha) as path:  # the blocking form, as a worker process uses it
        assert path.read_bytes() == other


async def test_content_that_is_not_its_address_is_refused_and_nothing_stored(storage, tmp_path):
    data, sha, key = content("the real recording")
    with pytest.raises(MediaCorrupt, match="does not match its content address"):
        await storage.put(key, b"something else", sha)
    source = tmp_path / "staged.ogg"
    source.write_bytes(b"something else")
    with pytest.raises(MediaCorrupt):
        await storage.put(key, source, sha, move=True)
    assert source.exists()  # refused: left for its owner to discard
    assert await storage.list() == []
    with pytest.raises(ValueError, match="content address"):
        await storage.put("ab/not-a-hash.ogg", data, sha)
    with pytest.raises(ValueError, match="not the content address"):
        await storage.put(key, data, hashlib.sha256(b"x").hexdigest())


async def test_a_stored_file_changed_afterwards_is_not_handed_over(storage, tmp_path):
    data, sha, key = content("what the witness said")
    await storage.put(key, data, sha)
    damaged = data[:-1] + b"!"
    if isinstance(storage, FolderStorage):
        storage.path_of(key).write_bytes(damaged)
    else:  # written behind the storage's back, as a fault or a tamperer would
        storage._s3().put_object(Bucket=storage.location.bucket, Key=storage.location.object_key(key), Body=damaged)
    with pytest.raises(MediaCorrupt, match="does not match its content address") as raised:
        async with storage.reading(key, sha):
            pytest.fail("a damaged file was handed over")
    assert sha[:16] in str(raised.value)
    assert work_files(tmp_path) == []  # the damaged copy is not left behind


async def test_a_missing_file_says_so(storage, tmp_path):
    _, sha, key = content("never sent")
    with pytest.raises(MediaMissing, match="is not in the media"):
        async with storage.reading(key, sha):
            pytest.fail("nothing should be read")
    with pytest.raises(MediaMissing), storage.local_copy(key, sha):
        pytest.fail("nothing should be read")
    assert work_files(tmp_path) == []


def random_file(path: Path, size: int) -> str:
    """Write ``size`` random bytes to ``path``, a megabyte at a time; their SHA-256."""
    digest = hashlib.sha256()
    with open(path, "wb") as out:
        for _ in range(size // MiB):
            block = os.urandom(MiB)
            digest.update(block)
            out.write(block)
    return digest.hexdigest()


async def test_a_large_file_goes_in_parts_with_flat_memory(storage, tmp_path):
    size = 48 * MiB
    source = tmp_path / "long-session.wav"
    sha = random_file(source, size)
    key = f"{sha[:2]}/{sha}.wav"
    await storage.exists(key)  # the client is made before memory is measured
    tracemalloc.start()
    try:
        await storage.put(key, source, sha)
        _, stored_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        async with storage.reading(key, sha) as path:
            assert path.stat().st_size == size
            _, read_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert stored_peak < 16 * MiB and read_peak < 16 * MiB, (stored_peak / MiB, read_peak / MiB)
    if isinstance(storage, S3Storage):
        head = storage._s3().head_object(Bucket=storage.location.bucket, Key=storage.location.object_key(key))
        assert head["ETag"].strip('"').endswith("-10")  # ten parts of 5 MiB (the last one shorter)
        assert head["Metadata"]["sha256"] == sha


@pytest.mark.s3
async def test_an_unreachable_server_gives_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")  # credentials as the environment gives them; none is asked
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    with socket.socket() as probe:  # a port with nothing listening on it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    endpoint = f"http://127.0.0.1:{port}"
    storage = S3Storage(f"s3://evidence/media?endpoint={endpoint}&region=us-east-1", work_dir=tmp_path / "work")
    data, sha, key = content("nobody listening")
    with pytest.raises(StorageUnreachable, match=f"the media storage at {endpoint} cannot be reached"):
        await storage.put(key, data, sha)
    with pytest.raises(StorageUnreachable):
        async with storage.reading(key, sha):
            pytest.fail("nothing should be read")
    with pytest.raises(StorageUnreachable):
        await storage.delete(key)
    with pytest.raises(StorageUnreachable):
        await storage.list()
    assert work_files(tmp_path) == []


@pytest.mark.s3
async def test_a_bucket_that_does_not_exist_is_named(fresh_s3_prefix, tmp_path):
    location = parse_s3_url(fresh_s3_prefix)
    missing = f"{location.bucket}-missing-{os.getpid()}"
    storage = S3Storage(fresh_s3_prefix.replace(f"s3://{location.bucket}/", f"s3://{missing}/", 1))
    data, sha, key = content("into the void")
    with pytest.raises(StorageError, match=f"the bucket {missing} does not exist"):
        await storage.put(key, data, sha)
    with pytest.raises(StorageError, match=f"the bucket {missing} does not exist"):
        async with storage.reading(key, sha, tmp_path):
            pytest.fail("nothing should be read")


@pytest.mark.s3
async def test_the_spec_opens_the_same_storage_elsewhere(fresh_s3_prefix, tmp_path):
    first = open_storage(fresh_s3_prefix, work_dir=tmp_path)
    data, sha, key = content("read by a worker on another machine")
    await first.put(key, data, sha)
    again = open_storage(first.spec)
    assert isinstance(again, S3Storage) and again.location == first.location
    with again.local_copy(key, sha, tmp_path / "elsewhere") as path:
        assert path.read_bytes() == data
    assert first.where(key).endswith(f"/{key}") and first.where(key).startswith("s3://")


def test_the_setting_chooses_the_storage(tmp_path):
    assert isinstance(open_storage(tmp_path / "media"), FolderStorage)
    assert isinstance(open_storage(str(tmp_path / "media")), FolderStorage)
    s3 = open_storage("s3://evidence/appg/media?endpoint=http://127.0.0.1:9000&region=eu-west-2")
    assert isinstance(s3, S3Storage)
    assert s3.location == parse_s3_url("s3://evidence/appg/media/?region=eu-west-2&endpoint=http://127.0.0.1:9000")
    assert (s3.location.bucket, s3.location.prefix) == ("evidence", "appg/media")
    assert s3.where("ab/cd.ogg") == "s3://evidence/appg/media/ab/cd.ogg"
    assert open_storage("s3://evidence").where("ab/cd.ogg") == "s3://evidence/ab/cd.ogg"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("s3://key:secret@evidence/media", "must not hold credentials"),
        ("s3:///media", "names no bucket"),
        ("s3://evidence/media?endpoint=127.0.0.1:9000", "http:// or https://"),
        ("s3://evidence/media?endpiont=http://127.0.0.1:9000", "unknown options endpiont"),
        ("s3://evidence/a/../b", "'..'"),
        ("ftp://evidence/media", "neither a folder nor an s3:// URL"),
    ],
)
def test_a_malformed_url_says_what_is_wrong(url, message):
    with pytest.raises(ValueError, match=message):
        open_storage(url)


def test_keys_stay_inside_the_store(tmp_path):
    storage = FolderStorage(tmp_path / "media")
    for key in ("../outside.ogg", "/etc/passwd", ".incoming/x.ogg", "ab//x.ogg", ""):
        with pytest.raises(ValueError, match="not a key of the media store"):
            storage.where(key)


@pytest.mark.s3
async def test_deleting_from_a_bucket_that_keeps_versions_leaves_no_version_behind(s3_url, tmp_path):
    location = parse_s3_url(s3_url)
    bucket = f"{location.bucket}-versions-{os.getpid()}-{os.urandom(3).hex()}"
    storage = S3Storage(S3Location(bucket, "media", location.endpoint, location.region).url)
    client = storage._s3()
    client.create_bucket(Bucket=bucket)
    try:
        client.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        data, sha, key = content("erased for good")
        await storage.put(key, data, sha)
        client.put_object(Bucket=bucket, Key=storage.location.object_key(key), Body=data)  # a second version
        assert await storage.delete(key) is True
        assert not await storage.exists(key)
        left = client.list_object_versions(Bucket=bucket)
        assert left.get("Versions", []) == [] and left.get("DeleteMarkers", []) == []
    finally:
        left = client.list_object_versions(Bucket=bucket)
        for entry in left.get("Versions", []) + left.get("DeleteMarkers", []):
            client.delete_object(Bucket=bucket, Key=entry["Key"], VersionId=entry["VersionId"])
        client.delete_bucket(Bucket=bucket)
