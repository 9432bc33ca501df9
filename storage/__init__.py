"""Where evidence media are kept: a local folder (:class:`FolderStorage`, the default) or an S3-compatible bucket
(:class:`S3Storage`), both by content address and behind one interface (:class:`MediaStorage`).

:func:`open_storage` opens either from a setting's value: a folder's path, or
``s3://BUCKET/PREFIX?endpoint=http://host:port&region=NAME``.
"""

from __future__ import annotations

from pathlib import Path

from .base import (
    MediaCorrupt,
    MediaMissing,
    MediaStorage,
    StorageError,
    StorageUnreachable,
    StoredObject,
    address_of,
    check_key,
    sha256_of_file,
)
from .folder import FolderStorage
from .s3 import S3Location, S3Storage, parse_s3_url

__all__ = [
    "FolderStorage",
    "MediaCorrupt",
    "MediaMissing",
    "MediaStorage",
    "S3Location",
    "S3Storage",
    "StorageError",
    "StorageUnreachable",
    "StoredObject",
    "address_of",
    "check_key",
    "is_s3_url",
    "open_storage",
    "parse_s3_url",
    "sha256_of_file",
]


def is_s3_url(spec: str | Path) -> bool:
    """Whether a setting's value names S3-compatible storage rather than a folder."""
    return isinstance(spec, str) and spec.strip().lower().startswith("s3://")


def open_storage(spec: str | Path, *, work_dir: Path | None = None) -> FolderStorage | S3Storage:
    """The storage a setting's value names: an ``s3://`` URL, or else a folder. ``work_dir`` is where copies
    fetched from S3 are put while they are read. ValueError for a URL of another kind or a malformed one."""
    if is_s3_url(spec):
        return S3Storage(str(spec).strip(), work_dir=work_dir)
    if isinstance(spec, str):
        if "://" in spec:
            raise ValueError(f"{spec!r} is neither a folder nor an s3:// URL")
        if not spec.strip():
            raise ValueError("no folder or s3:// URL given for the media")
    return FolderStorage(Path(spec))
