"""Migration 0010 on a real SQLite file: the jobs table keyed by item, old shared jobs split per item (a done
result copied and marked reused), session tracks still pointing at their jobs; and the reuse queries."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

from inquiry.store import Store

pytestmark = pytest.mark.sqlite_only  # SQLite files themselves

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
STAMP = NOW.isoformat()


@pytest.fixture
async def old_store(tmp_path):
    """A database at schema 9 holding one file sent by two witnesses with one shared, finished job, a second file
    whose job is still queued, and a session track that refers to the first job."""
    await (await Store.open(tmp_path / "old.db", target=9)).close()
    conn = sqlite3.connect(tmp_path / "old.db")  # foreign keys off: rows as an older version left them, parents elided
    conn.executescript(
        f"""
        INSERT INTO media (id, sha256, path, filename, size_bytes, created_at) VALUES
            (1, 'a', 'aa/a.ogg', 'a.ogg', 1, '{STAMP}'), (2, 'b', 'bb/b.ogg', 'b.ogg', 1, '{STAMP}');
        INSERT INTO media_items (id, media_id, kind, user_id, discord_message_id, created_at) VALUES
            (1, 1, 'voice', 7, 10, '{STAMP}'), (2, 1, 'voice', 8, 11, '{STAMP}'), (3, 2, 'voice', 8, 12, '{STAMP}'),
            (4, 2, 'voice', 9, 13, '{STAMP}');
        INSERT INTO transcription_jobs (id, media_id, item_id, engine, model, state, not_before, created_at,
            updated_at, result_json, notify_channel_id, notify_message_id) VALUES
            (5, 1, 1, 'faster-whisper', 'tiny.en', 'done', '{STAMP}', '{STAMP}', '{STAMP}', '{{"text": "hello"}}',
             100, 200),
            (6, 2, 3, 'faster-whisper', 'tiny.en', 'queued', '{STAMP}', '{STAMP}', '{STAMP}', NULL, NULL, NULL);
        INSERT INTO session_recording_tracks (id, recording_id, position, filename, media_id, job_id)
            VALUES (1, 1, 1, 'a.ogg', 1, 5);
        """
    )
    conn.commit()
    conn.close()
    store = await Store.open(tmp_path / "old.db", target=9)
    yield store
    await store.close()


async def rows(store, sql: str):
    return [tuple(r) for r in await store.fetch_all(sql)]


async def test_shared_jobs_become_one_job_per_item(old_store):
    await old_store.migrate()
    jobs = await rows(
        old_store,
        "SELECT id, item_id, state, reused_from, result_json, notify_message_id FROM transcription_jobs ORDER BY id",
    )
    assert jobs[:2] == [(5, 1, "done", None, '{"text": "hello"}', 200), (6, 3, "queued", None, None, None)]
    copies = {row[1]: row for row in jobs[2:]}
    assert copies[2][2:] == ("done", 5, '{"text": "hello"}', None)  # the other witness's copy, not their notice
    assert copies[4][2:] == ("queued", None, None, None)  # will reuse job 6's result when there is one
    assert await rows(old_store, "SELECT id, job_id FROM session_recording_tracks") == [(1, 5)]
    assert await rows(old_store, "PRAGMA foreign_key_check(transcription_jobs)") == []


async def test_a_queued_job_reuses_a_finished_one_of_the_same_file_once(old_store):
    await old_store.migrate()
    media = old_store.media
    async with old_store.transaction():
        job = await media.claim_job(NOW)
        assert job.id == 6  # item 4's copy waits while job 6 runs: the same file is not run twice at once
        assert await media.claim_job(NOW) is None
        assert await media.reusable_jobs() == []
        assert await media.finish_job(6, {"text": "bye"}, NOW)
        [(waiting, source)] = await media.reusable_jobs()
        assert source == 6
        assert await media.reuse_result(waiting, source, NOW)
        assert not await media.reuse_result(waiting, source, NOW)  # once
    copy = await media.job(waiting)
    assert (copy.state, copy.result, copy.reused_from, copy.item_id) == ("done", {"text": "bye"}, 6, 4)
    assert (await media.job(6)).item_id == 3  # the original keeps its item
