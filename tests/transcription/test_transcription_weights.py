"""Model resolution: bundled models verified against pinned hashes, no download ever."""

from __future__ import annotations

import hashlib

import pytest

from transcription import weights
from transcription.errors import SettingsError, TranscriptionError


def test_tiny_en_is_the_packaged_folder():
    source = weights.resolve_ct2("tiny.en")
    assert source.english_only and source.files is None
    assert (source.directory / "model.bin").is_file()


def test_base_is_joined_in_memory_and_matches_its_pin():
    source = weights.resolve_ct2("base")
    assert source.directory is None and not source.english_only
    assert set(source.files) == set(weights.MODEL_FILES)
    digest = hashlib.sha256(source.files["model.bin"]).hexdigest()
    assert digest == weights.PINNED_SHA256["base"]["model.bin"]


def test_weights_that_do_not_match_the_pin_are_refused(monkeypatch):
    monkeypatch.setattr(weights, "_verified", set())
    pins = {name: dict(files) for name, files in weights.PINNED_SHA256.items()}
    pins["tiny.en"]["config.json"] = "0" * 64
    monkeypatch.setattr(weights, "PINNED_SHA256", pins)
    with pytest.raises(TranscriptionError, match="does not match its pinned SHA-256"):
        weights.resolve_ct2("tiny.en")


def test_a_local_model_folder_is_accepted(tmp_path):
    folder = tmp_path / "my-model"
    folder.mkdir()
    (folder / "model.bin").write_bytes(b"\0")
    assert weights.resolve_ct2(str(folder)).directory == folder


def test_other_names_say_which_work_offline():
    with pytest.raises(SettingsError, match=r"not available offline; use one of: tiny\.en, base"):
        weights.resolve_ct2("large-v3")
