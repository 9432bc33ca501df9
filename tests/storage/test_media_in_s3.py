"""Evidence media kept in a real S3-compatible bucket: a recording taken in goes to the bucket (nothing stays on the
bot's disk), the worker process fetches it from there, checks its hash and transcribes it; a worker that cannot
reach the media, or finds them changed (in the bucket, or in the media folder when media are kept there), fails the
job with the reason and the retry applies; documents' originals go to the bucket too; erasure and the sweep delete
from the bucket."""

from __future__ import annotations

import socket
import time
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

import transcription.intake
from inquiry.evidence.erasure import StorageUnavailable
from inquiry.evidence.models import Publication
from inquiry.services import Services
from inquiry.store import Store
from storage import S3Storage, parse_s3_url
from transcription.intake import WORK
from transcription.queue import TranscriptionService, TranscriptionSettings
from transcription.synth import speak, word_error_rate

SAID = "We found that digital exclusion was the biggest barrier for the people we support."
WER_BOUND = 0.3  # as in the queue's own tests: tiny.en on this sentence measured 0.07 here
WITNESS, SECRETARIAT = 30, 20


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def store(tmp_path):
    opened = await Store.open(tmp_path / "queue.db")
    yield opened
    await opened.close()


def closed_port() -> int:
    """A port on this machine with nothing listening on it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def bucket(fresh_s3_prefix, tmp_path) -> S3Storage:
    return S3Storage(fresh_s3_prefix, work_dir=tmp_path / "media" / WORK)


@pytest.fixture
def speech(tmp_path) -> bytes:
    return speak(SAID, tmp_path / "said.wav").read_bytes()


def queue(store, tmp_path, clock, storage) -> TranscriptionService:
    return TranscriptionService(
        store=store,
        media_dir=tmp_path / "media",
        clock=clock,
        storage=storage,
        settings=TranscriptionSettings(model="tiny.en"),
    )


def local_files(tmp_path) -> list:
    return sorted(p for p in (tmp_path / "media").rglob("*") if p.is_file())


async def keys(storage: S3Storage) -> list[str]:
    return sorted(o.key for o in await storage.list())


@pytest.mark.slow
@pytest.mark.s3
async def test_a_recording_is_kept_in_the_bucket_and_the_worker_transcribes_it_from_there(
    store, tmp_path, bucket, speech
):
    service = queue(store, tmp_path, Clock(), bucket)
    received = await service.receive(speech, "said.wav", "audio/wav", message_id=1, user_id=7)
    assert await keys(bucket) == [received.media.path]
    assert received.media.path == f"{received.media.sha256[:2]}/{received.media.sha256}.wav"
    assert local_files(tmp_path) == []  # uploaded, then deleted here: the bucket is the only copy

    assert await service.run_ready() == 1
    job = await store.media.job(received.job.id)
    assert job.state == "done", job.error
    assert word_error_rate(SAID, job.result["text"]) <= WER_BOUND, job.result["text"]
    assert local_files(tmp_path) == []  # the worker's copy was deleted once read

    assert await service.forget_user(7) == 1
    assert await keys(bucket) == []
    service.pool.close()


@pytest.mark.s3
async def test_a_worker_that_cannot_reach_the_media_fails_the_job_with_the_reason_and_tries_again(
    store, tmp_path, bucket, speech, fresh_s3_prefix
):
    clock = Clock()
    bot = queue(store, tmp_path, clock, bucket)
    received = await bot.receive(speech, "said.wav", "audio/wav", message_id=1, user_id=7)
    location = parse_s3_url(fresh_s3_prefix)
    endpoint = f"http://127.0.0.1:{closed_port()}"
    unreachable = S3Storage(f"s3://{location.bucket}/{location.prefix}?endpoint={endpoint}&region=us-east-1")
    cut_off = queue(store, tmp_path, clock, unreachable)  # a worker whose network cannot reach the bucket

    assert await cut_off.run_ready() == 1
    job = await store.media.job(received.job.id)
    assert job.state == "queued" and job.attempts == 1
    assert job.error.startswith(f"the recording could not be read: the media storage at {endpoint}")
    assert "cannot be reached" in job.error
    assert job.not_before > clock()
    cut_off.pool.close()
    bot.pool.close()


@pytest.mark.s3
async def test_a_recording_changed_in_the_bucket_is_not_transcribed(store, tmp_path, bucket, speech):
    clock = Clock()
    service = queue(store, tmp_path, clock, bucket)
    received = await service.receive(speech, "said.wav", "audio/wav", message_id=1, user_id=7)
    name = bucket.location.object_key(received.media.path)
    bucket._s3().put_object(Bucket=bucket.location.bucket, Key=name, Body=speech[:-100])  # behind the bot's back

    assert await service.run_ready() == 1
    job = await store.media.job(received.job.id)
    assert job.state == "queued" and job.attempts == 1
    assert "does not match its content address" in job.error and received.media.sha256[:16] in job.error
    assert local_files(tmp_path) == []  # the damaged copy was not kept
    service.pool.close()


async def test_a_recording_changed_in_the_media_folder_is_not_transcribed(store, tmp_path, speech):
    clock = Clock()
    service = queue(store, tmp_path, clock, None)  # the default: the folder itself
    received = await service.receive(speech, "said.wav", "audio/wav", message_id=1, user_id=7)
    service.path_of(received.media).write_bytes(speech[:-100])

    assert await service.run_ready() == 1
    job = await store.media.job(received.job.id)
    assert job.state == "queued" and job.attempts == 1
    assert "does not match its content address" in job.error and received.media.sha256[:16] in job.error
    service.pool.close()


@pytest.mark.s3
async def test_the_sweep_deletes_from_the_bucket_what_no_row_names(store, tmp_path, bucket, speech, monkeypatch):
    service = queue(store, tmp_path, Clock(), bucket)
    kept = await service.receive(speech, "said.wav", "audio/wav", message_id=1, user_id=7)
    stray_sha = "ab" * 32
    stray = f"ab/{stray_sha}.ogg"  # a file whose row is gone (an interrupted arrival)
    bucket._s3().put_object(Bucket=bucket.location.bucket, Key=bucket.location.object_key(stray), Body=b"x")
    document = f"documents/cd/{'cd' * 32}.pdf"  # documents' originals are not the queue's to sweep
    bucket._s3().put_object(Bucket=bucket.location.bucket, Key=bucket.location.object_key(document), Body=b"x")

    assert (await service.sweep()).files == 0  # just written: it may be arriving
    later = time.time() + 2 * 3600
    monkeypatch.setattr(transcription.intake, "time", SimpleNamespace(time=lambda: later))
    assert (await service.sweep()).files == 1
    assert await keys(bucket) == sorted([kept.media.path, document])


NOW = datetime(2026, 1, 1, tzinfo=UTC)


def services_over(store, tmp_path, storage) -> Services:
    return Services.build(
        store, clock=lambda: NOW, tz=ZoneInfo("Europe/London"), media_dir=tmp_path / "media", storage=storage
    )


async def evidence_with_a_document_and_a_recording(store, tmp_path, bucket, speech) -> Services:
    """A witness's draft holding a document and a voice message, both kept in the bucket."""
    service = TranscriptionService(store=store, media_dir=tmp_path / "media", clock=lambda: NOW, storage=bucket)
    services = services_over(store, tmp_path, bucket)
    inquiry = await services.inquiries.create(1, code="SCI", title="Social connection", terms="", actor_id=20)
    inquiry = await services.inquiries.load_template(inquiry, "social-connection", SECRETARIAT)
    await services.inquiries.open_call(inquiry, NOW + timedelta(days=14), SECRETARIAT)
    inquiry = await services.inquiries.resolve(1, "SCI")
    submission = await services.submissions.start_or_resume(inquiry, WITNESS)
    await services.submissions.set_details(submission.id, WITNESS, name="Wanda Wardley", organisation=None, contact="")
    await services.submissions.set_publication(submission.id, WITNESS, Publication.NAMED)
    statement = b"Lunch clubs in Lower Wardley closed overnight, and the phone tree took their place.\n"
    taken = await services.documents.receive(
        submission.id, WITNESS, statement, "statement.txt", "text/plain", source="direct_message"
    )
    assert taken.document.path == f"documents/{taken.document.sha256[:2]}/{taken.document.sha256}.txt"
    await service.receive(
        speech, "voice-message.ogg", "audio/ogg", message_id=1, voice=True, user_id=WITNESS,
        submission_id=submission.id, question_id=None, discord_channel_id=900,
    )  # fmt: skip
    service.pool.close()
    assert len(await keys(bucket)) == 2 and local_files(tmp_path) == []
    return services


@pytest.mark.s3
async def test_documents_and_recordings_are_erased_from_the_bucket(store, tmp_path, bucket, speech):
    services = await evidence_with_a_document_and_a_recording(store, tmp_path, bucket, speech)
    report = await services.privacy.forget(WITNESS, 1)
    assert report.drafts_deleted == 1 and report.recordings_deleted == 1 and report.files_deleted == 2
    assert await keys(bucket) == []


@pytest.mark.s3
async def test_erasure_that_cannot_reach_the_bucket_is_not_reported_done(store, tmp_path, bucket, speech):
    await evidence_with_a_document_and_a_recording(store, tmp_path, bucket, speech)
    location = bucket.location
    endpoint = f"http://127.0.0.1:{closed_port()}"
    unreachable = S3Storage(f"s3://{location.bucket}/{location.prefix}?endpoint={endpoint}&region=us-east-1")
    with pytest.raises(StorageUnavailable, match=r"the erasure was not finished\. Please ask again"):
        await services_over(store, tmp_path, unreachable).privacy.forget(WITNESS, 1)
    assert len(await keys(bucket)) == 2
    assert len(await store.submissions.of_user(WITNESS)) == 1  # the draft is still there to erase

    report = await services_over(store, tmp_path, bucket).privacy.forget(WITNESS, 1)  # asked again
    assert report.drafts_deleted == 1 and report.files_deleted == 2
    assert await keys(bucket) == []
