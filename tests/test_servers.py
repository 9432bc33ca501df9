"""The test servers are real: a PostgreSQL server reached over asyncpg, an S3 server with enforced credentials."""

from __future__ import annotations

import time
import urllib.parse

import asyncpg
import pytest
from botocore.exceptions import ClientError

from tests.servers import S3Location, empty_prefix, s3_client


@pytest.mark.postgres
async def test_a_fresh_database_is_a_real_empty_postgresql_database(fresh_postgres_database):
    url = urllib.parse.urlsplit(fresh_postgres_database)
    assert url.scheme == "postgresql"
    assert url.hostname and url.username and url.port

    connection = await asyncpg.connect(fresh_postgres_database)
    try:
        assert await connection.fetchval("SELECT current_database()") == url.path.lstrip("/")
        assert int(await connection.fetchval("SHOW server_version_num")) >= 130000  # DROP DATABASE ... WITH (FORCE)
        assert await connection.fetchval("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == 0
        await connection.execute("CREATE TABLE submissions (id serial PRIMARY KEY, reference text NOT NULL UNIQUE)")
        await connection.executemany(
            "INSERT INTO submissions (reference) VALUES ($1)", [("SCI0001",), ("SCI0002",), ("SCI0003",)]
        )
        rows = await connection.fetch("SELECT id, reference FROM submissions ORDER BY id")
        assert [(row["id"], row["reference"]) for row in rows] == [(1, "SCI0001"), (2, "SCI0002"), (3, "SCI0003")]
        with pytest.raises(asyncpg.UniqueViolationError):
            await connection.execute("INSERT INTO submissions (reference) VALUES ('SCI0002')")
    finally:
        await connection.close()


@pytest.mark.postgres
async def test_two_fresh_databases_do_not_share_tables(postgres_database_factory):
    first, second = postgres_database_factory(), postgres_database_factory()
    assert first != second

    one = await asyncpg.connect(first)
    other = await asyncpg.connect(second)
    try:
        await one.execute("CREATE TABLE witnesses (name text)")
        await one.execute("INSERT INTO witnesses VALUES ('Ada Lovelace')")
        assert await one.fetchval("SELECT name FROM witnesses") == "Ada Lovelace"
        assert await other.fetchval("SELECT to_regclass('public.witnesses')") is None
        await other.execute("CREATE TABLE witnesses (name text)")
        assert await other.fetchval("SELECT count(*) FROM witnesses") == 0
    finally:
        await one.close()
        await other.close()


@pytest.mark.postgres
async def test_a_database_is_dropped_even_while_a_connection_is_left_open(postgres_admin):
    started = time.perf_counter()
    name, url = postgres_admin.create_database()
    created_in = time.perf_counter() - started
    assert created_in < 5, f"CREATE DATABASE took {created_in:.2f} s"

    left_open = await asyncpg.connect(url)
    postgres_admin.drop_database(name)

    admin = await asyncpg.connect(postgres_admin.url)
    try:
        assert await admin.fetchval("SELECT count(*) FROM pg_database WHERE datname = $1", name) == 0
    finally:
        await admin.close()
    # The server ended that session: the client finds it closed (or is told so on its next query).
    with pytest.raises((asyncpg.InterfaceError, asyncpg.PostgresError, ConnectionError)):
        await left_open.fetchval("SELECT 1")
    left_open.terminate()


@pytest.mark.s3
def test_objects_are_stored_read_listed_and_deleted(fresh_s3_prefix):
    location = S3Location.parse(fresh_s3_prefix)
    assert location.endpoint.startswith(("http://", "https://"))
    client = s3_client(fresh_s3_prefix)
    payload = bytes(range(256)) * 64  # every byte value, 16 KiB
    key = location.key("media/recording.ogg")

    client.put_object(Bucket=location.bucket, Key=key, Body=payload, ContentType="audio/ogg")
    stored = client.get_object(Bucket=location.bucket, Key=key)
    assert stored["Body"].read() == payload
    assert stored["ContentLength"] == len(payload)
    assert stored["ContentType"] == "audio/ogg"
    listed = client.list_objects_v2(Bucket=location.bucket, Prefix=location.prefix + "/")
    assert [item["Key"] for item in listed["Contents"]] == [key]

    client.delete_object(Bucket=location.bucket, Key=key)
    with pytest.raises(ClientError) as missing:
        client.get_object(Bucket=location.bucket, Key=key)
    assert missing.value.response["Error"]["Code"] == "NoSuchKey"
    assert client.list_objects_v2(Bucket=location.bucket, Prefix=location.prefix + "/")["KeyCount"] == 0


@pytest.mark.s3
def test_the_server_refuses_a_wrong_secret(fresh_s3_prefix):
    import boto3
    from botocore.config import Config

    location = S3Location.parse(fresh_s3_prefix)
    intruder = boto3.client(
        "s3",
        endpoint_url=location.endpoint,
        region_name=location.region,
        aws_access_key_id="EVIDENCEINTRUDER",
        aws_secret_access_key="not-the-secret",
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
    )
    with pytest.raises(ClientError) as refused:
        intruder.put_object(Bucket=location.bucket, Key=location.key("x"), Body=b"x")
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


@pytest.mark.s3
def test_emptying_a_prefix_leaves_the_rest_of_the_bucket(fresh_s3_prefix):
    location = S3Location.parse(fresh_s3_prefix)
    client = s3_client(fresh_s3_prefix)
    inside = S3Location(location.bucket, location.key("inside"), location.endpoint, location.region)
    beside = S3Location(location.bucket, location.key("inside-not"), location.endpoint, location.region)
    for number in range(3):
        client.put_object(Bucket=location.bucket, Key=inside.key(f"{number}.bin"), Body=b"%d" % number)
    client.put_object(Bucket=location.bucket, Key=beside.key("kept.bin"), Body=b"kept")

    assert empty_prefix(client, inside) == 3

    remaining = client.list_objects_v2(Bucket=location.bucket, Prefix=location.prefix + "/")
    assert [item["Key"] for item in remaining["Contents"]] == [beside.key("kept.bin")]
