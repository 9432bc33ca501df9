"""Media kept in a local folder: each file at its key under the folder, written once and atomically."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
from pathlib import Path

from .base import (
    CHUNK,
    BlockingStorage,
    MediaMissing,
    StoredObject,
    check_address,
    check_key,
    mismatch,
    sha256_of_file,
)

log = logging.getLogger(__name__)


class FolderStorage(BlockingStorage):
    """Media in the folder ``root``. Reading hands over the stored file itself (after checking its hash): nothing
    is copied. Folders whose names start with a dot (where files are staged) are not part of the store."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self.spec = str(self.root.absolute())

    def __repr__(self) -> str:
        return f"FolderStorage({str(self.root)!r})"

    def where(self, key: str) -> str:
        return str(self.root / check_key(key))

    def path_of(self, key: str) -> Path:
        """Where the file of ``key`` is (or would be)."""
        return self.root / check_key(key)

    def put_blocking(self, key: str, source: Path | bytes, sha256: str, *, move: bool = False) -> None:
        check_address(key, sha256)
        target = self.path_of(key)
        if isinstance(source, bytes):
            if (actual := hashlib.sha256(source).hexdigest()) != sha256:
                raise mismatch("the file to store", sha256, actual)
            if not target.exists():
                _write_atomically(target, lambda out: out.write(source))
            return
        source = Path(source)
        if move:
            if (actual := sha256_of_file(source)) != sha256:
                raise mismatch(f"the file to store ({source.name})", sha256, actual)
            if target.exists():  # the same content is there already
                source.unlink(missing_ok=True)
                return
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.replace(source, target)  # the same file system: a rename, nothing copied
            except OSError as error:
                if error.errno != getattr(os, "EXDEV", 18):
                    raise
                _copy_checked(source, target, sha256)
                source.unlink()
            _sync_folder(target.parent)
            return
        if target.exists():
            if (actual := sha256_of_file(source)) != sha256:
                raise mismatch(f"the file to store ({source.name})", sha256, actual)
            return
        _copy_checked(source, target, sha256)

    def fetch_blocking(self, key: str, sha256: str, work_dir: Path | None = None) -> tuple[Path, bool]:
        check_address(key, sha256)
        path = self.path_of(key)
        try:
            actual = sha256_of_file(path)
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise MediaMissing(f"{key} is not in the media folder {self.root}") from None
        if actual != sha256:
            raise mismatch(str(path), sha256, actual)
        return path, False

    def delete_blocking(self, key: str) -> bool:
        try:
            self.path_of(key).unlink()
        except FileNotFoundError:
            return False
        return True

    def exists_blocking(self, key: str) -> bool:
        return self.path_of(key).is_file()

    def list_blocking(self) -> list[StoredObject]:
        found = []
        if not self.root.is_dir():
            return found
        for folder, dirs, files in os.walk(self.root):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not os.path.islink(os.path.join(folder, d)))
            relative = Path(folder).relative_to(self.root)
            for name in sorted(files):
                if name.startswith("."):
                    continue
                path = Path(folder) / name
                try:
                    stat = path.lstat()
                except FileNotFoundError:
                    continue
                if path.is_symlink() or not path.is_file():
                    continue
                key = name if relative == Path(".") else f"{relative.as_posix()}/{name}"
                found.append(StoredObject(key, stat.st_size, stat.st_mtime))
        return found


def _copy_checked(source: Path, target: Path, sha256: str) -> None:
    """Copy ``source`` to ``target`` (atomically), hashing as it goes; nothing is left if the hash differs."""
    digest = hashlib.sha256()

    def copy(out) -> None:
        with open(source, "rb") as data:
            while block := data.read(CHUNK):
                digest.update(block)
                out.write(block)
        if (actual := digest.hexdigest()) != sha256:
            raise mismatch(f"the file to store ({source.name})", sha256, actual)

    _write_atomically(target, copy)


def _write_atomically(target: Path, write) -> None:
    """Write a new file with ``write(handle)`` beside ``target`` and rename it into place, durably."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix=".", delete=False) as handle:
        try:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        except BaseException:
            Path(handle.name).unlink(missing_ok=True)
            raise
    os.replace(handle.name, target)
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """Make a rename into ``folder`` durable."""
    with contextlib.suppress(OSError):
        directory = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
