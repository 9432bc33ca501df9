"""Media kept in an S3-compatible bucket, under a prefix: ``s3://BUCKET/PREFIX?endpoint=URL&region=NAME``.

Credentials come from the environment as boto3 finds them (``AWS_ACCESS_KEY_ID`` and ``AWS_SECRET_ACCESS_KEY``, or
its other usual places), never from the URL: the URL travels with every transcription job to the workers.

Uploads send the content's SHA-256 so that a server that checks checksums refuses a damaged upload (one checksum for
a small file, one per part for a large one); afterwards the object's size, its recorded hash and, where the server
reports it, its checksum are compared with the file's. Downloads are hashed before they are handed over. Large files
go in parts through boto3's transfer manager, so memory stays flat whatever their size.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .base import (
    CHUNK,
    BlockingStorage,
    MediaMissing,
    StorageError,
    StorageUnreachable,
    StoredObject,
    check_address,
    check_key,
    mismatch,
    sha256_of_file,
)

log = logging.getLogger(__name__)

PART_BYTES = 8 * 1024 * 1024  # each part of a multipart transfer
MULTIPART_BYTES = 16 * 1024 * 1024  # files larger than this go in parts
_OPTIONS = {"endpoint", "region"}
_MISSING = {"404", "NoSuchKey", "NotFound"}
_REFUSED = {"403", "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken"}


@dataclass(frozen=True, slots=True)
class S3Location:
    """Where media are kept in S3: the bucket, the prefix their keys go under, and the server."""

    bucket: str
    prefix: str
    endpoint: str | None
    region: str | None

    @property
    def url(self) -> str:
        """The location as an ``s3://`` URL (it opens the same storage)."""
        query = "&".join(f"{k}={v}" for k, v in (("endpoint", self.endpoint), ("region", self.region)) if v)
        return f"s3://{self.bucket}/{self.prefix}" + (f"?{query}" if query else "")

    def object_key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def server(self) -> str:
        return self.endpoint or "Amazon S3"


def parse_s3_url(url: str) -> S3Location:
    """Read ``s3://BUCKET/PREFIX?endpoint=http://host:port&region=NAME``; ValueError (saying what is wrong) if it
    is not one."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() != "s3":
        raise ValueError(f"{url!r} is not an s3:// URL")
    if "@" in parts.netloc:
        raise ValueError("the s3:// URL must not hold credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
    bucket = parts.netloc
    if not bucket:
        raise ValueError(f"{url!r} names no bucket (s3://BUCKET/PREFIX)")
    prefix = parts.path.strip("/")
    if any(not p or p in (".", "..") for p in prefix.split("/")) and prefix:
        raise ValueError(f"the prefix {prefix!r} in {url!r} has an empty, '.' or '..' part")
    options = parse_qs(parts.query, keep_blank_values=True)
    if unknown := sorted(set(options) - _OPTIONS):
        raise ValueError(f"{url!r} has unknown options {', '.join(unknown)} (known: endpoint, region)")
    endpoint = options.get("endpoint", [None])[-1] or None
    if endpoint is not None and urlsplit(endpoint).scheme not in ("http", "https"):
        raise ValueError(f"the endpoint {endpoint!r} must be an http:// or https:// address")
    return S3Location(bucket, prefix, endpoint, options.get("region", [None])[-1] or None)


class S3Storage(BlockingStorage):
    """Media in an S3-compatible bucket. Reading downloads a checked copy into ``work_dir`` (default: the one
    given when opened, else the system's temporary folder), deleted once read."""

    def __init__(
        self,
        url: str,
        *,
        work_dir: Path | None = None,
        part_bytes: int = PART_BYTES,
        multipart_bytes: int = MULTIPART_BYTES,
        concurrency: int = 4,
        connect_timeout: float = 5.0,
        read_timeout: float = 60.0,
        attempts: int = 3,
    ) -> None:
        self.location = parse_s3_url(url)
        self.spec = self.location.url
        self.work_dir = Path(work_dir) if work_dir is not None else None
        self.part_bytes = part_bytes
        self.multipart_bytes = multipart_bytes
        self.concurrency = concurrency
        self._timeouts = (connect_timeout, read_timeout, attempts)
        self._client = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"S3Storage({self.spec!r})"

    def where(self, key: str) -> str:
        return f"s3://{self.location.bucket}/{self.location.object_key(check_key(key))}"

    # Writing -------------------------------------------------------------------------------------

    def put_blocking(self, key: str, source: Path | bytes, sha256: str, *, move: bool = False) -> None:
        check_address(key, sha256)
        if isinstance(source, bytes):
            size, parts = len(source), None
            if (actual := hashlib.sha256(source).hexdigest()) != sha256:
                raise mismatch("the file to store", sha256, actual)
        else:
            source = Path(source)
            size = source.stat().st_size
            actual, parts = self._hashes(source, size)
            if actual != sha256:
                raise mismatch(f"the file to store ({source.name})", sha256, actual)
        with self._errors(key):
            if not self._holds(key, sha256, size):
                self._upload(key, source, sha256, size)
                self._check_upload(key, sha256, size, parts)
        if move and not isinstance(source, bytes):
            source.unlink(missing_ok=True)

    def _upload(self, key: str, source: Path | bytes, sha256: str, size: int) -> None:
        client, bucket, name = self._s3(), self.location.bucket, self.location.object_key(key)
        metadata = {"sha256": sha256}
        if size <= self.multipart_bytes:  # one request, its checksum checked by the server
            checksum = base64.b64encode(bytes.fromhex(sha256)).decode()
            if isinstance(source, bytes):
                client.put_object(Bucket=bucket, Key=name, Body=source, ChecksumSHA256=checksum, Metadata=metadata)
            else:
                with open(source, "rb") as body:
                    client.put_object(Bucket=bucket, Key=name, Body=body, ChecksumSHA256=checksum, Metadata=metadata)
            return
        extra = {"ChecksumAlgorithm": "SHA256", "Metadata": metadata}  # a checksum for every part
        if isinstance(source, bytes):
            client.upload_fileobj(io.BytesIO(source), bucket, name, ExtraArgs=extra, Config=self._transfer())
        else:
            client.upload_file(str(source), bucket, name, ExtraArgs=extra, Config=self._transfer())

    def _holds(self, key: str, sha256: str, size: int) -> bool:
        """Whether the same content is stored under ``key`` already (by its recorded hash and size)."""
        head = self._head(key)
        return head is not None and head["ContentLength"] == size and head.get("Metadata", {}).get("sha256") == sha256

    def _check_upload(self, key: str, sha256: str, size: int, parts: list[bytes] | None) -> None:
        """After an upload: the object's size, recorded hash and (where reported) checksum are the file's."""
        head = self._head(key)
        if head is None:
            raise StorageError(f"{self.where(key)} was not there after it was uploaded")
        problems = []
        if head["ContentLength"] != size:
            problems.append(f"{head['ContentLength']} bytes instead of {size}")
        if head.get("Metadata", {}).get("sha256") != sha256:
            problems.append("its recorded SHA-256 is not the file's")
        reported = head.get("ChecksumSHA256")
        if reported and (expected := self._expected_checksum(sha256, parts, reported)) and reported != expected:
            problems.append(f"its checksum is {reported}, not {expected}")
        if problems:
            raise StorageError(f"{self.where(key)} does not hold what was uploaded: {'; '.join(problems)}")

    @staticmethod
    def _expected_checksum(sha256: str, parts: list[bytes] | None, reported: str) -> str | None:
        """The checksum the server should report: the content's SHA-256, or for an upload in parts the SHA-256 of
        the parts' digests with their count; None when it cannot be known here."""
        if "-" not in reported:
            return base64.b64encode(bytes.fromhex(sha256)).decode()
        if not parts:
            return None
        return base64.b64encode(hashlib.sha256(b"".join(parts)).digest()).decode() + f"-{len(parts)}"

    def _hashes(self, path: Path, size: int) -> tuple[str, list[bytes] | None]:
        """The file's SHA-256 and, when it will go in parts, each part's SHA-256 digest (one reading for both)."""
        whole = hashlib.sha256()
        if size <= self.multipart_bytes:
            return sha256_of_file(path), None
        from s3transfer.utils import ChunksizeAdjuster

        part_size = ChunksizeAdjuster().adjust_chunksize(self.part_bytes, size)
        parts = []
        with open(path, "rb") as data:
            while True:
                part, left = hashlib.sha256(), part_size
                while left and (block := data.read(min(CHUNK, left))):
                    part.update(block)
                    whole.update(block)
                    left -= len(block)
                if left == part_size:
                    break
                parts.append(part.digest())
        return whole.hexdigest(), parts

    # Reading -------------------------------------------------------------------------------------

    def fetch_blocking(self, key: str, sha256: str, work_dir: Path | None = None) -> tuple[Path, bool]:
        check_address(key, sha256)
        folder = Path(work_dir or self.work_dir or tempfile.gettempdir())
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=folder, prefix="fetched-", suffix=Path(key).suffix)
        os.close(handle)
        copy = Path(name)
        try:
            with self._errors(key):
                self._s3().download_file(
                    self.location.bucket, self.location.object_key(key), name, Config=self._transfer()
                )
            if (actual := sha256_of_file(copy)) != sha256:
                raise mismatch(self.where(key), sha256, actual)
        except BaseException:
            copy.unlink(missing_ok=True)
            raise
        return copy, True

    def exists_blocking(self, key: str) -> bool:
        with self._errors(key):
            return self._head(key) is not None

    def list_blocking(self) -> list[StoredObject]:
        prefix = f"{self.location.prefix}/" if self.location.prefix else ""
        found = []
        with self._errors(None):
            pages = self._s3().get_paginator("list_objects_v2").paginate(Bucket=self.location.bucket, Prefix=prefix)
            for page in pages:
                for entry in page.get("Contents", []):
                    key = entry["Key"][len(prefix) :]
                    found.append(StoredObject(key, int(entry["Size"]), entry["LastModified"].timestamp()))
        return found

    # Deleting ------------------------------------------------------------------------------------

    def delete_blocking(self, key: str) -> bool:
        """Delete the object and, in a bucket that keeps versions, every earlier version of it too: evidence
        erased must not stay behind a delete marker."""
        with self._errors(key):
            existed = self._head(key) is not None
            name = self.location.object_key(key)
            self._s3().delete_object(Bucket=self.location.bucket, Key=name)
            for version in self._versions(name):
                self._s3().delete_object(Bucket=self.location.bucket, Key=name, VersionId=version)
        return existed

    def _versions(self, name: str) -> list[str]:
        """The ids of the versions and delete markers kept for object ``name`` (none where the bucket keeps no
        versions, or the server does not list them)."""
        from botocore.exceptions import ClientError

        found = []
        try:
            pages = self._s3().get_paginator("list_object_versions").paginate(Bucket=self.location.bucket, Prefix=name)
            for page in pages:
                for entry in page.get("Versions", []) + page.get("DeleteMarkers", []):
                    if entry["Key"] == name and entry.get("VersionId") not in (None, "null"):
                        found.append(entry["VersionId"])
        except ClientError as error:
            if _code(error) not in {"NotImplemented", "501", "MethodNotAllowed", "405"}:
                raise
            log.debug("the media storage does not list versions: %s", error)
        return found

    # The client ----------------------------------------------------------------------------------

    def _s3(self):
        """The boto3 client, made once (clients may be shared between threads; making one takes a while)."""
        with self._lock:
            if self._client is None:
                import boto3
                from botocore.config import Config

                connect, read, attempts = self._timeouts
                config = Config(
                    connect_timeout=connect,
                    read_timeout=read,
                    retries={"max_attempts": attempts, "mode": "standard"},
                    # Checksums only where asked for (the SHA-256 sent with each upload): some S3-compatible
                    # servers refuse the CRC trailers that newer clients add by default.
                    request_checksum_calculation="when_required",
                    response_checksum_validation="when_required",
                    s3={"addressing_style": "path"} if self.location.endpoint else None,
                )
                self._client = boto3.session.Session().client(
                    "s3", endpoint_url=self.location.endpoint, region_name=self.location.region, config=config
                )
            return self._client

    def _transfer(self):
        from boto3.s3.transfer import TransferConfig

        return TransferConfig(
            multipart_threshold=self.multipart_bytes,
            multipart_chunksize=self.part_bytes,
            max_concurrency=self.concurrency,
            # Parts downloaded ahead of the disk wait in memory: a short queue keeps that to a few megabytes.
            max_io_queue=16,
        )

    def _head(self, key: str) -> dict | None:
        """The object's facts, or None when there is no such object."""
        from botocore.exceptions import ClientError

        try:
            return self._s3().head_object(
                Bucket=self.location.bucket, Key=self.location.object_key(key), ChecksumMode="ENABLED"
            )
        except ClientError as error:
            if _code(error) in _MISSING and self._bucket_exists():
                return None
            raise

    def _bucket_exists(self) -> bool:
        from botocore.exceptions import ClientError

        try:
            self._s3().head_bucket(Bucket=self.location.bucket)
        except ClientError as error:
            if _code(error) in _MISSING | {"NoSuchBucket"}:
                return False
            raise
        return True

    def _errors(self, key: str | None) -> _Translated:
        return _Translated(self, key)


class _Translated:
    """Turns boto3's exceptions into :class:`StorageError` with a sentence that says what failed and where."""

    def __init__(self, storage: S3Storage, key: str | None) -> None:
        self.storage = storage
        self.key = key

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, traceback) -> bool:
        if error is None or isinstance(error, (StorageError, OSError)) or not isinstance(error, Exception):
            return False  # an OSError is the local disk's, reported as any disk error is
        raise self.translate(_root(error)) from error

    def translate(self, error: Exception) -> StorageError:
        from botocore.exceptions import (
            ClientError,
            ConnectionClosedError,
            ConnectTimeoutError,
            EndpointConnectionError,
            NoCredentialsError,
            PartialCredentialsError,
            ReadTimeoutError,
        )

        location = self.storage.location
        where = self.storage.where(self.key) if self.key else f"s3://{location.bucket}/{location.prefix}"
        if isinstance(error, (EndpointConnectionError, ConnectTimeoutError, ConnectionClosedError, ReadTimeoutError)):
            return StorageUnreachable(f"the media storage at {location.server()} cannot be reached: {error}")
        if isinstance(error, (NoCredentialsError, PartialCredentialsError)):
            return StorageError(
                "there are no credentials for the media storage: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
            )
        if isinstance(error, ClientError):
            code, message = _code(error), error.response.get("Error", {}).get("Message") or str(error)
            if code == "NoSuchBucket" or (code in _MISSING and not self._bucket_exists()):
                return StorageError(f"the bucket {location.bucket} does not exist on {location.server()}")
            if code in _MISSING:
                return MediaMissing(f"{where} is not in the media storage")
            if code in _REFUSED:
                return StorageError(
                    f"the media storage at {location.server()} refused access to {where} ({code}: {message});"
                    " check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
                )
            return StorageError(f"the media storage at {location.server()} answered {code} for {where}: {message}")
        return StorageError(f"the media storage at {location.server()} failed on {where}: {error}")

    def _bucket_exists(self) -> bool:
        try:
            return self.storage._bucket_exists()
        except Exception:  # cannot tell: the key is reported missing
            return True


def _root(error: Exception) -> Exception:
    """The error under boto3's wrappers of failed transfers (which keep the last error they met)."""
    from boto3.exceptions import RetriesExceededError, S3UploadFailedError
    from s3transfer.exceptions import RetriesExceededError as TransferRetriesExceededError

    for _ in range(5):
        inner = None
        if isinstance(error, (RetriesExceededError, TransferRetriesExceededError)):
            inner = getattr(error, "last_exception", None)
        elif isinstance(error, S3UploadFailedError):
            inner = error.__cause__ or error.__context__
        if not isinstance(inner, Exception):
            break
        error = inner
    return error


def _code(error) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))
