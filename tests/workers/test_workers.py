"""Workers on PostgreSQL: `evidence-bot worker` processes share the queue, replace one another, survive the bot's
restarts, and fail clearly (and retry) when they cannot reach the media."""

from __future__ import annotations

import asyncio
import io
import re
import wave
from datetime import UTC, datetime
from pathlib import Path

import pytest
from worker_fixtures import WER_BOUND, close_bot_side, open_bot_side

from inquiry.store._base import to_db_time
from storage import open_storage
from transcription.synth import word_error_rate

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

STARTED = re.compile(r"transcribing job (\d+) ")


def runs_in(*logs: str) -> list[int]:
    """The ledger jobs the workers started, one entry per start."""
    return [int(m.group(1)) for log in logs for m in STARTED.finditer(log)]


def assert_transcribed(job, said: str) -> None:
    assert job.state == "done", (job.state, job.error)
    assert word_error_rate(said, job.result["text"]) <= WER_BOUND, job.result["text"]


def joined(wavs: list[bytes]) -> bytes:
    """One WAV file of several, one after another."""
    frames, params = [], None
    for wav in wavs:
        with wave.open(io.BytesIO(wav)) as source:
            params = source.getparams()
            frames.append(source.readframes(source.getnframes()))
    out = io.BytesIO()
    with wave.open(out, "wb") as target:
        target.setparams(params)
        target.writeframes(b"".join(frames))
    return out.getvalue()


async def test_two_workers_share_the_queue_and_no_job_runs_twice(bot, workers, spoken):
    received = [await bot.receive(wav, message_id=100 + i, user_id=1 + i % 3) for i, (_, wav) in enumerate(spoken)]
    await bot.service.recover()
    bot.service.wake()
    first, second = workers.start(), workers.start()
    assert first.work_dir != second.work_dir

    await bot.wait_for(lambda: len(bot.announced) == len(received), within=300)

    for job_received, (said, _) in zip(received, spoken, strict=True):
        job = await bot.job(job_received.job.id)
        assert_transcribed(job, said)
        assert job.attempts == 1  # taken once, by one worker
    assert sorted(runs_in(first.log(), second.log())) == sorted(r.job.id for r in received)  # each started once
    assert runs_in(first.log()) and runs_in(second.log())  # and both workers took part
    assert sorted(j.id for j in bot.announced) == sorted(r.job.id for r in received)  # each ending told once


async def test_a_worker_killed_mid_job_is_replaced_and_the_job_finishes(bot, workers, spoken):
    # about two minutes of speech (some 30 s of work for one thread), so that the worker is killed in the middle
    said = " ".join(text for text, _ in spoken * 3)
    received = await bot.receive(joined([wav for _, wav in spoken * 3]), message_id=1, user_id=1)
    await bot.service.recover()
    bot.service.wake()
    doomed = workers.start()
    await bot.wait_for(lambda: _state_is(bot, received.job.id, "running"), within=180, every=0.1)
    await bot.wait_for(lambda: children_of(doomed.pid), within=30, every=0.1)  # the transcribing child process
    await asyncio.sleep(3)
    transcribing = children_of(doomed.pid)
    doomed.kill()  # SIGKILL: no chance to hand the job back
    assert (await bot.job(received.job.id)).state == "running"  # killed in the middle of it
    await bot.wait_for(lambda: not any(alive(pid) for pid in transcribing), within=10)  # nothing left behind

    replacement = workers.start()
    await bot.wait_for(lambda: len(bot.announced) == 1, within=300)

    job = await bot.job(received.job.id)
    assert_transcribed(job, said)
    assert job.attempts == 2  # the interrupted attempt is counted
    assert "taking over transcription job" in replacement.log()
    assert runs_in(replacement.log()) == [received.job.id]
    assert bot.announced[0].state == "done"


async def test_a_worker_told_twice_to_stop_gives_its_job_back_at_once(bot, workers, spoken):
    received = await bot.receive(joined([wav for _, wav in spoken * 3]), message_id=1, user_id=1)
    await bot.service.recover()
    bot.service.wake()
    stopping = workers.start()
    await bot.wait_for(lambda: _state_is(bot, received.job.id, "running"), within=180, every=0.1)
    assert stopping.stop(now=True, timeout=30) == 0  # SIGTERM twice: stop now, not after the job
    job = await bot.job(received.job.id)
    assert (job.state, job.attempts, job.error) == ("queued", 0, None)  # given back, the attempt not counted
    assert "goes back to the queue: this worker is stopping" in stopping.log()

    workers.start()
    await bot.wait_for(lambda: len(bot.announced) == 1, within=300)
    job = await bot.job(received.job.id)
    assert_transcribed(job, " ".join(text for text, _ in spoken * 3))
    assert job.attempts == 1


async def test_a_bot_restart_during_work_loses_nothing(fresh_postgres_database, tmp_path, workers, spoken):
    media = tmp_path / "media"
    bot = await open_bot_side(fresh_postgres_database, media)
    first = await bot.receive(spoken[1][1], message_id=1, user_id=1)
    await bot.service.recover()
    bot.service.wake()
    worker = workers.start()
    await bot.wait_for(lambda: _state_is(bot, first.job.id, "running"), within=180, every=0.1)
    await close_bot_side(bot)  # the bot stops while the worker transcribes

    # While the bot is down the job ends, and the upload page (a process of its own, which runs no queue) takes in
    # another recording: the worker hands it to itself and transcribes it.
    upload_page = await open_bot_side(fresh_postgres_database, media)
    second = await upload_page.receive(spoken[2][1], message_id=2, user_id=2)
    await upload_page.wait_for(lambda: _all_done(upload_page), within=240)
    assert upload_page.announced == []  # nobody was told: the bot is down
    await upload_page.store.close()

    restarted = await open_bot_side(fresh_postgres_database, media)
    try:
        assert await restarted.service.recover() == 0  # nothing was left running without a worker
        restarted.service.wake()  # as the bot does once started
        await restarted.wait_for(lambda: len(restarted.announced) == 2, within=60)
        assert sorted(j.id for j in restarted.announced) == [first.job.id, second.job.id]
        for received, (said, _) in ((first, spoken[1]), (second, spoken[2])):
            job = await restarted.job(received.job.id)
            assert_transcribed(job, said)
            assert job.attempts == 1
        assert sorted(runs_in(worker.log())) == [first.job.id, second.job.id]
    finally:
        await close_bot_side(restarted)


async def test_a_worker_that_cannot_reach_the_media_fails_clearly_and_retries(bot, workers, spoken, tmp_path):
    said, wav = spoken[3]
    received = await bot.receive(wav, message_id=1, user_id=1)
    await bot.service.recover()
    bot.service.wake()
    workers.media = str(tmp_path / "elsewhere")  # a machine that does not see the media folder
    blind = workers.start()

    await bot.wait_for(lambda: _tried_once(bot, received.job.id), within=180)
    job = await bot.job(received.job.id)
    assert job.state == "queued"  # to be tried again, after a wait
    assert job.error.startswith("the recording could not be read"), job.error
    assert (job.not_before - datetime.now(UTC)).total_seconds() > 10
    assert bot.announced == []  # not a failure for good: the witness is not told
    assert blind.stop() == 0

    # The wait over, a worker that sees the media transcribes it.
    async with bot.store.transaction():
        await bot.store.execute(
            "UPDATE transcription_jobs SET not_before = ? WHERE id = ?", (to_db_time(job.updated_at), job.id)
        )
    workers.media = str(tmp_path / "media")
    workers.start()
    await bot.wait_for(lambda: len(bot.announced) == 1, within=240)
    job = await bot.job(received.job.id)
    assert_transcribed(job, said)
    assert job.attempts == 2


async def test_a_worker_on_another_machine_reads_the_recording_from_the_bucket(
    fresh_postgres_database, fresh_s3_prefix, tmp_path, workers, spoken
):
    said, wav = spoken[4]
    media = tmp_path / "media"
    bot = await open_bot_side(fresh_postgres_database, media, open_storage(fresh_s3_prefix, work_dir=media / "work"))
    try:
        received = await bot.receive(wav, message_id=1, user_id=1)
        await bot.service.recover()
        bot.service.wake()
        workers.media = fresh_s3_prefix  # the worker sees the bucket, not the bot's folder
        worker = workers.start()
        await bot.wait_for(lambda: len(bot.announced) == 1, within=240)
        assert_transcribed(await bot.job(received.job.id), said)
        assert list(worker.work_dir.rglob("*.wav")) == []  # its copy was deleted once read
    finally:
        await close_bot_side(bot)


def children_of(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid):
            found.append(int(status.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "State:\tZ" not in state


async def _state_is(bot, job_id: int, state: str) -> bool:
    return (await bot.job(job_id)).state == state


async def _all_done(bot) -> bool:
    states = await bot.states()
    return len(states) == 2 and set(states.values()) == {"done"}


async def _tried_once(bot, job_id: int) -> bool:
    job = await bot.job(job_id)
    return job.state == "queued" and job.attempts == 1
