"""The queue's rules on a real PostgreSQL with procrastinate, step by step and without a model: which jobs are
handed to the engine and when, a worker taken for dead and its successor, a job given back, rows no worker holds;
and the worker command's refusals."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from inquiry.store import Store
from inquiry.store._queue import QueueRepo
from transcription.outcomes import MAX_ATTEMPTS, Outcome, judge_interrupted, record_outcome
from transcription.remote.dispatcher import Dispatcher
from transcription.remote.engine import install_schema, make_app, retry_stalled
from transcription.remote.names import QUEUE
from transcription.worker import _ProgressWriter

STALLED = timedelta(seconds=30)


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def ledger(fresh_postgres_database):
    store = await Store.open(fresh_postgres_database)
    await install_schema(fresh_postgres_database)
    app = make_app(fresh_postgres_database)
    async with app.open_async():
        yield store, QueueRepo(store.db), app
    await store.close()


async def add_job(store, clock, *, user_id: int, media: str, message_id: int) -> int:
    """A recording (``media`` names its content) sent by ``user_id``, queued for transcription."""
    async with store.transaction():
        name = f"{media}.wav"
        media_id = await store.media.add_media(
            sha256=media * 8, path=name, filename=name, content_type="audio/wav", size=1, now=clock()
        )
        item_id = await store.media.add_item(
            media_id=media_id, kind="audio", now=clock(), user_id=user_id, discord_message_id=message_id
        )
        return await store.media.add_job(
            media_id=media_id, item_id=item_id, engine="faster-whisper", model="tiny.en", language=None,
            translate=False, now=clock(),
        )  # fmt: skip


async def live_workers(app, count: int) -> list[int]:
    return [await app.job_manager.register_worker() for _ in range(count)]


async def handed(store) -> list[int]:
    """Ledger ids with an engine job waiting or running, in the order they were handed over."""
    rows = await store.fetch_all(
        "SELECT (args->>'job_id')::bigint FROM procrastinate_jobs WHERE status IN ('todo', 'doing') ORDER BY id"
    )
    return [r[0] for r in rows]


async def test_only_as_many_jobs_wait_as_there_are_live_workers_and_people_take_turns(ledger):
    store, queries, app = ledger
    clock = Clock()
    dispatcher = Dispatcher(store, queries, clock)
    first = [await add_job(store, clock, user_id=1, media=f"a{i}", message_id=i) for i in range(3)]
    async with store.transaction():
        assert (await queries.claim(first[0], clock()))[1] == "queued"  # person 1 was served just now
    other = await add_job(store, clock, user_id=2, media="b0", message_id=10)
    await live_workers(app, 2)

    assert await dispatcher.dispatch() == 2
    assert await handed(store) == [other, first[1]]  # person 2 before person 1's second recording
    assert await dispatcher.dispatch() == 0  # both workers have their next job waiting
    assert await handed(store) == [other, first[1]]


async def test_the_same_file_twice_is_handed_over_once(ledger):
    store, queries, app = ledger
    clock = Clock()
    jobs = [await add_job(store, clock, user_id=user, media="same", message_id=user) for user in (1, 2)]
    await live_workers(app, 3)
    assert await Dispatcher(store, queries, clock).dispatch() == 1
    assert await handed(store) == [jobs[0]]  # the other waits: it will reuse this one's transcript
    assert await Dispatcher(store, queries, clock).dispatch() == 0


async def test_a_job_waiting_to_be_retried_is_handed_over_only_when_due(ledger):
    store, queries, _ = ledger
    clock = Clock()
    job_id = await add_job(store, clock, user_id=1, media="a", message_id=1)
    async with store.transaction():
        await queries.claim(job_id, clock())
        await store.media.retry_job(job_id, "the recording could not be read", clock() + timedelta(seconds=30), clock())
    dispatcher = Dispatcher(store, queries, clock)
    assert await dispatcher.dispatch() == 0
    clock.now += timedelta(seconds=31)
    assert await dispatcher.dispatch() == 1


async def test_a_worker_taken_for_dead_writes_nothing_over_its_successor(ledger):
    store, queries, app = ledger
    clock = Clock()
    job_id = await add_job(store, clock, user_id=1, media="a", message_id=1)
    assert await Dispatcher(store, queries, clock).dispatch() == 1
    (first,) = await live_workers(app, 1)
    engine_job = await app.job_manager.fetch_job(queues=[QUEUE], worker_id=first)
    async with store.transaction():
        assert await queries.holds(engine_job.id, first)
        job, previous = await queries.claim(job_id, clock())
    assert (previous, job.attempts) == ("queued", 1)

    # The first worker falls silent (its machine hangs); the engine gives its job to a second worker.
    await store.execute("UPDATE procrastinate_workers SET last_heartbeat = now() - interval '5 minutes'")
    assert await retry_stalled(app, STALLED) == 1
    (second,) = await live_workers(app, 1)
    again = await app.job_manager.fetch_job(queues=[QUEUE], worker_id=second)
    assert again.id == engine_job.id
    async with store.transaction():
        assert await queries.holds(again.id, second)
        taken, previous = await queries.claim(job_id, clock())
    assert (previous, taken.attempts, taken.progress) == ("running", 2, 0)
    assert judge_interrupted(taken) is None  # attempts left: it runs again

    # The first worker wakes up and finishes: its result is dropped; the second one's is kept.
    late = Outcome("done", result={"text": "from the worker taken for dead"})
    assert not await record_outcome(store, job, late, clock(), still_held=lambda: queries.holds(engine_job.id, first))
    assert (await store.media.job(job_id)).state == "running"
    kept = Outcome("done", result={"text": "from its successor"})
    assert await record_outcome(store, taken, kept, clock(), still_held=lambda: queries.holds(again.id, second))
    finished = await store.media.job(job_id)
    assert (finished.state, finished.result["text"]) == ("done", "from its successor")


async def test_a_job_whose_workers_keep_dying_fails_for_good(ledger):
    store, queries, _ = ledger
    clock = Clock()
    job_id = await add_job(store, clock, user_id=1, media="a", message_id=1)
    for _ in range(MAX_ATTEMPTS + 1):
        async with store.transaction():
            job, _previous = await queries.claim(job_id, clock())
    outcome = judge_interrupted(job)
    assert outcome.kind == "failed" and f"interrupted {MAX_ATTEMPTS} times" in outcome.reason
    assert await record_outcome(store, job, outcome, clock())
    assert (await store.media.job(job_id)).state == "failed"


async def test_a_job_given_back_or_held_by_no_one_goes_back_to_the_queue(ledger):
    store, queries, _ = ledger
    clock = Clock()
    given_back = await add_job(store, clock, user_id=1, media="a", message_id=1)
    orphan = await add_job(store, clock, user_id=2, media="b", message_id=2)
    async with store.transaction():
        await queries.claim(given_back, clock())
        await queries.claim(orphan, clock())  # marked running with no engine job behind it
        assert await queries.release(given_back, clock())
    job = await store.media.job(given_back)
    assert (job.state, job.attempts) == ("queued", 0)  # a worker stopping on purpose costs the job no attempt
    assert await Dispatcher(store, queries, clock).requeue_orphaned() == 1
    assert (await store.media.job(orphan)).state == "queued"


def run_worker_command(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", "worker", *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_the_worker_command_needs_postgresql(tmp_path):
    done = run_worker_command("--database", str(tmp_path / "evidence.db"), "--media", str(tmp_path))
    assert done.returncode == 2
    assert "PostgreSQL" in done.stderr and "Traceback" not in done.stderr


def test_the_worker_command_waits_for_the_bot_to_make_the_schema(fresh_postgres_database, tmp_path):
    done = run_worker_command("--database", fresh_postgres_database, "--media", str(tmp_path))
    assert done.returncode == 1
    assert "schema is at version 0" in done.stderr and "start the bot once" in done.stderr
    assert "Traceback" not in done.stderr


async def test_progress_written_by_a_worker_process_reaches_the_ledger(ledger, fresh_postgres_database):
    store, queries, _ = ledger
    clock = Clock()
    job_id = await add_job(store, clock, user_id=1, media="a", message_id=1)
    async with store.transaction():
        await queries.claim(job_id, clock())
    progress = _ProgressWriter(fresh_postgres_database, job_id)  # as the child process writes it
    try:
        await asyncio.to_thread(progress, 0.4)
        assert (await store.media.job(job_id)).progress == pytest.approx(0.4)
        async with store.transaction():
            await queries.release(job_id, clock())  # the job left this worker: its progress is no longer written
        await asyncio.to_thread(progress, 1.0)
        assert (await store.media.job(job_id)).progress == 0
    finally:
        progress.close()
