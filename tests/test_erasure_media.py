"""Erasure on the real store and media folder: recordings and their transcripts go with the evidence they belong
to (drafts included, whichever way the draft goes), files another witness also sent stay for them, saved
documents that hold the evidence are deleted, upload links go, and the erased words are nowhere in the database
file afterwards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from inquiry.evidence.models import Publication, SubmissionStatus
from inquiry.outbox.models import OutboxKind, OutboxState
from inquiry.services import Services
from transcription.queue import TranscriptionService
from transcription.synth import tone, write_media

GUILD, OTHER_GUILD, SECRETARIAT, WITNESS, NEIGHBOUR = 1, 2, 20, 30, 31
SPOKEN = "The parish phone tree rang every widow in Upper Wardley twice a week."
WRITTEN = "Lunch clubs in Lower Wardley closed overnight."
NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
async def world(store, settings, tmp_path):
    queue = TranscriptionService(store=store, media_dir=settings.media_dir, clock=lambda: NOW)
    services = Services.build(
        store, clock=lambda: NOW, tz=ZoneInfo("Europe/London"), export_dir=tmp_path / "exports",
        media_path=queue.path_of,
    )  # fmt: skip
    for guild in (GUILD, OTHER_GUILD):
        inquiry = await services.inquiries.create(guild, code="SCI", title="Social connection", terms="", actor_id=20)
        inquiry = await services.inquiries.load_template(inquiry, "social-connection", SECRETARIAT)
        await services.inquiries.open_call(inquiry, NOW + timedelta(days=14), SECRETARIAT)
    return services, queue, tmp_path


async def draft(services, user_id: int = WITNESS, guild: int = GUILD, answer: str = WRITTEN):
    inquiry = await services.inquiries.resolve(guild, "SCI")
    submission = await services.submissions.start_or_resume(inquiry, user_id)
    await services.submissions.set_details(submission.id, user_id, name="Wanda Wardley", organisation=None, contact="")
    await services.submissions.set_publication(submission.id, user_id, Publication.NAMED)
    return await services.submissions.save_answer(submission.id, user_id, inquiry.questions[0].id, answer)


def sound(tmp_path, hz: float = 440.0) -> bytes:
    """A second of tone as Ogg/Opus (each file made is different bytes: Ogg streams carry a random serial)."""
    return write_media(tmp_path / f"tone-{hz:g}.ogg", tone(1.0, hz)).read_bytes()


async def recording(services, queue, submission, tmp_path, *, hz=440.0, user_id=WITNESS, data: bytes | None = None):
    """A recording sent with the evidence, kept and queued by the real queue, its transcript stored as the worker
    stores it; the bot's "Got your recording" message noted on the job."""
    data = data or sound(tmp_path, hz)
    received = await queue.receive(
        data, "voice-message.ogg", "audio/ogg", message_id=int(hz) * 1000 + user_id, voice=True, user_id=user_id,
        submission_id=submission.id, question_id=None, discord_channel_id=900 + user_id,
    )  # fmt: skip
    store = services.store
    if (await store.media.job(received.job.id)).state == "queued":  # else it took a finished transcript of the file
        async with store.transaction():
            assert (await store.media.claim_job(NOW)).id == received.job.id
            assert await store.media.finish_job(received.job.id, {"text": SPOKEN, "language": "en"}, NOW)
    await services.recordings.remember_notice(received.job.id, 900 + user_id, 5000 + int(hz))
    return received


async def rows(store, sql: str, *params):
    return [tuple(r) for r in await store.fetch_all(sql, params)]


def files(folder) -> list:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


async def test_forgetting_erases_a_drafts_recordings_with_their_transcripts_and_files(world, settings):
    services, queue, tmp_path = world
    submission = await draft(services)
    kept = await recording(services, queue, submission, tmp_path)
    assert files(settings.media_dir) == [queue.path_of(kept.media)]
    assert await rows(
        services.store, "SELECT count(*) FROM transcription_jobs WHERE result_json LIKE ?", "%Wardley%"
    ) == [(1,)]

    report = await services.privacy.forget(WITNESS, GUILD)

    assert report.drafts_deleted == 1 and report.recordings_deleted == 1 and report.files_deleted == 1
    assert files(settings.media_dir) == []
    assert await rows(services.store, "SELECT * FROM transcription_jobs") == []
    assert await rows(services.store, "SELECT * FROM media") == []
    assert await rows(services.store, "SELECT * FROM media_items") == []
    [delete] = [r for r in await services.outbox.in_state(OutboxState.PENDING) if r.kind is OutboxKind.DM_DELETE]
    assert delete.payload == {"channel_id": 900 + WITNESS, "message_ids": [5440]}  # "Got your recording ..."


async def test_withdrawing_a_draft_takes_its_recordings_with_it(world, settings):
    services, queue, tmp_path = world
    submission = await draft(services)
    await recording(services, queue, submission, tmp_path)
    await services.submissions.withdraw(submission.id, WITNESS)
    assert files(settings.media_dir) == []
    assert await rows(services.store, "SELECT count(*) FROM transcription_jobs") == [(0,)]
    assert await rows(services.store, "SELECT count(*) FROM media") == [(0,)]


async def test_a_file_another_witness_also_sent_stays_with_its_transcript_for_them(world, settings):
    services, queue, tmp_path = world
    mine = await draft(services)
    theirs = await draft(services, NEIGHBOUR)
    same = sound(tmp_path)
    await recording(services, queue, mine, tmp_path, data=same)  # the same file from both
    shared = await recording(services, queue, theirs, tmp_path, user_id=NEIGHBOUR, data=same)
    assert len(files(settings.media_dir)) == 1
    await services.privacy.forget(WITNESS, GUILD)
    [item] = await services.store.media.items_of_submission(theirs.id)
    [job] = await services.store.media.jobs_for_item(item.id)
    assert job.result["text"] == SPOKEN  # their transcript is still theirs
    assert files(settings.media_dir) == [queue.path_of(shared.media)]


async def test_erasure_acts_on_one_server_only(world, settings):
    services, queue, tmp_path = world
    here = (await services.submissions.submit((await draft(services)).id, WITNESS)).submission
    there = (await services.submissions.submit((await draft(services, guild=OTHER_GUILD)).id, WITNESS)).submission
    await recording(services, queue, await services.submissions.submission(there.id), tmp_path, hz=330)
    grant_here = await services.uploads.grant_for_draft(WITNESS, (await draft(services, answer="x")).id)
    grant_there = await services.uploads.grant_for_draft(
        WITNESS, (await draft(services, guild=OTHER_GUILD, answer="y")).id
    )

    report = await services.privacy.forget(WITNESS, GUILD)
    assert [s.reference for s in report.erased] == ["SCI0001"] and report.grants_deleted == 1
    assert (await services.submissions.submission(here.id)).status is SubmissionStatus.ERASED
    still = await services.submissions.submission(there.id)
    assert still.status is SubmissionStatus.SUBMITTED and still.user_id == WITNESS and WRITTEN in still.answers.values()
    assert len(files(settings.media_dir)) == 1  # the other server's recording
    grants = {g.id for g in await services.uploads.of_user(WITNESS)}
    assert grant_there.id in grants and grant_here.id not in grants
    assert await services.privacy.servers_of(WITNESS) == [OTHER_GUILD]


async def test_a_saved_evidence_volume_that_holds_the_evidence_is_deleted_and_named_to_the_secretariat(world):
    services, _, tmp_path = world
    submission = (await services.submissions.submit((await draft(services)).id, WITNESS)).submission
    other = (await services.submissions.submit((await draft(services, NEIGHBOUR)).id, NEIGHBOUR)).submission
    inquiry = await services.inquiries.resolve(GUILD, "SCI")
    await services.review.accept(inquiry, other.reference, SECRETARIAT)
    without = await services.exports.save(await services.exports.evidence_volume(inquiry, SECRETARIAT))
    await services.review.accept(inquiry, submission.reference, SECRETARIAT)
    exported = await services.exports.evidence_volume(inquiry, SECRETARIAT)
    saved = await services.exports.save(exported, tmp_path / "elsewhere")
    assert set(exported.submission_ids) == {submission.id, other.id}

    plan = await services.privacy.plan(WITNESS, GUILD)
    assert [e.filename for e in plan.exports] == [exported.filename]
    report = await services.privacy.forget(WITNESS, GUILD)
    assert not saved.exists() and without.exists()  # only the document that held it
    assert [e.filename for e in report.exports_deleted] == [exported.filename]
    [notice] = [r for r in await services.outbox.in_state(OutboxState.PENDING) if r.kind is OutboxKind.ERASURE_NOTICE]
    assert notice.payload["exports_deleted"] == [{"filename": exported.filename, "kind": "evidence"}]
    assert notice.payload["erased"] == [submission.reference]


@pytest.mark.sqlite_only  # reads the SQLite files
async def test_the_erased_words_are_nowhere_in_the_database_files(world, settings):
    services, queue, tmp_path = world
    submission = (await services.submissions.submit((await draft(services)).id, WITNESS)).submission
    inquiry = await services.inquiries.resolve(GUILD, "SCI")
    edited = f"{WRITTEN} Upper Wardley's bus stopped too."
    await services.submissions.save_answer(submission.id, WITNESS, inquiry.questions[1].id, edited)  # a noted edit
    await recording(services, queue, await services.submissions.submission(submission.id), tmp_path)
    assert _on_disk(settings.database, b"Wardley")  # in the database (or its log) before

    await services.privacy.forget(WITNESS, GUILD)
    assert not _on_disk(settings.database, b"Wardley")
    assert not _on_disk(settings.database, b"Wanda")


async def test_a_draft_with_an_upload_link_can_be_forgotten(world):
    services, _, _ = world
    submission = await draft(services)
    await services.uploads.grant_for_draft(WITNESS, submission.id)  # its audit entry names the draft
    report = await services.privacy.forget(WITNESS, GUILD)
    assert report.drafts_deleted == 1 and report.grants_deleted == 1
    entries = await services.store.audit.for_submission(submission.id)
    assert entries and all(e.actor_id is None and e.detail == "" for e in entries if e.action != "erasure requested")


def _on_disk(database, needle: bytes) -> bool:
    found = False
    for path in (database, database.with_name(database.name + "-wal")):
        if path.exists():
            found = found or needle in path.read_bytes()
    return found
