"""EVIDENCE_BOT_MEDIA: a folder (the default, as EVIDENCE_BOT_MEDIA_DIR always was) or an S3-compatible bucket, with
the local folder then only for files being taken in or read; a value that is neither is named at start-up."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import Settings, SettingsError, open_media
from storage import FolderStorage, S3Storage

BUCKET = "s3://evidence/appg?endpoint=http://127.0.0.1:8333&region=us-east-1"


def test_media_default_to_the_folder_under_the_data_folder():
    settings = Settings.from_env({"EVIDENCE_BOT_DATA_DIR": "/srv/appg"})
    assert settings.media_dir == Path("/srv/appg/media") and settings.media_storage is None
    storage = open_media(settings)
    assert isinstance(storage, FolderStorage) and storage.root == Path("/srv/appg/media")


@pytest.mark.parametrize("name", ["EVIDENCE_BOT_MEDIA", "EVIDENCE_BOT_MEDIA_DIR"])
def test_either_variable_names_the_folder(name):
    settings = Settings.from_env({name: "/mnt/evidence"})
    assert settings.media_dir == Path("/mnt/evidence") and settings.media_storage is None
    assert Settings.from_env({"EVIDENCE_BOT_MEDIA": "/mnt/evidence", "EVIDENCE_BOT_MEDIA_DIR": "/mnt/evidence"})


def test_a_bucket_keeps_the_media_and_the_folder_takes_them_in():
    settings = Settings.from_env({"EVIDENCE_BOT_MEDIA": BUCKET, "EVIDENCE_BOT_MEDIA_DIR": "/var/cache/evidence"})
    assert settings.media_storage == BUCKET and settings.media_dir == Path("/var/cache/evidence")
    storage = open_media(settings)
    assert isinstance(storage, S3Storage)
    assert (storage.location.bucket, storage.location.prefix) == ("evidence", "appg")
    assert storage.location.endpoint == "http://127.0.0.1:8333"
    assert storage.work_dir == Path("/var/cache/evidence/.work")  # copies read by the bot's own worker


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"EVIDENCE_BOT_MEDIA": "s3://key:secret@evidence/appg"}, "must not hold credentials"),
        ({"EVIDENCE_BOT_MEDIA": "s3://evidence/appg?endpoint=minio:9000"}, "http:// or https://"),
        ({"EVIDENCE_BOT_MEDIA": "https://evidence.example.org/media"}, "must be a folder or an s3:// URL"),
        ({"EVIDENCE_BOT_MEDIA": "/mnt/a", "EVIDENCE_BOT_MEDIA_DIR": "/mnt/b"}, "two different folders"),
    ],
)
def test_a_media_setting_that_cannot_work_is_named(env, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env)
