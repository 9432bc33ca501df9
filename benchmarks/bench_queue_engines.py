"""The two queue engines considered for transcription on PostgreSQL, measured alike: pgqueuer and procrastinate.

For each engine, on a fresh database: (1) latency from a job's commit to its handler starting, one idle consumer,
jobs one after another; (2) throughput of 1000 jobs that do nothing but record themselves, with 1 and then 2
consumer processes, each taking one job at a time, checking that no job runs twice; (3) how many jobs a consumer
that is meant to run one at a time takes at once, with three 8-second jobs waiting; (4) how long after a consumer
is SIGKILLed in the middle of a job another consumer starts it, with a heartbeat timeout of 10 s (pgqueuer:
``heartbeat_timeout``, and ``dequeue_timeout`` as noted; procrastinate: ``stalled_worker_timeout``, its stalled jobs
put back by a loop beside the consumers, as transcription/remote/engine.py does).

pgqueuer is not a dependency of the bot: ``pip install pgqueuer==1.6.0`` to run this.

    python benchmarks/bench_queue_engines.py [--postgres URL] [--engines pgqueuer procrastinate]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import asyncpg

ROOT = Path(__file__).resolve().parents[1]
HEARTBEAT = 10.0


async def record(pool, payload: dict, name: str) -> None:
    started = time.time()
    await pool.execute(
        "INSERT INTO bench_runs (key, worker, started, latency) VALUES ($1, $2, $3, $4)",
        payload["key"],
        name,
        started,
        started - payload["sent"],
    )
    if payload.get("sleep"):
        await asyncio.sleep(payload["sleep"])


# pgqueuer ---------------------------------------------------------------------------------------------------------


async def pgqueuer_consume(dsn: str, name: str, dequeue_timeout: float) -> None:
    from pgqueuer import AsyncpgDriver, Queries, QueueManager

    pool = await asyncpg.create_pool(dsn, min_size=1, max_size=2)
    manager = QueueManager(Queries(AsyncpgDriver(await asyncpg.connect(dsn))))

    @manager.entrypoint("job")
    async def job(job) -> None:
        await record(pool, json.loads(job.payload), name)

    await manager.run(
        dequeue_timeout=timedelta(seconds=dequeue_timeout),
        batch_size=1,
        max_concurrent_tasks=2,  # its least: twice the batch size
        heartbeat_timeout=timedelta(seconds=HEARTBEAT),
    )


async def pgqueuer_install(dsn: str) -> None:
    from pgqueuer import AsyncpgDriver, Queries

    conn = await asyncpg.connect(dsn)
    await Queries(AsyncpgDriver(conn)).install()
    await conn.close()


async def pgqueuer_enqueue(conn, payloads: list[dict]) -> None:
    from pgqueuer import AsyncpgDriver, Queries

    queries = Queries(AsyncpgDriver(conn))
    await queries.enqueue(
        ["job"] * len(payloads),
        [json.dumps(p).encode() for p in payloads],
        [0] * len(payloads),
        dedupe_key=[p["key"] for p in payloads],
    )


async def pgqueuer_picked(conn) -> int:
    return await conn.fetchval("SELECT count(*) FROM pgqueuer WHERE status = 'picked'")


# procrastinate ----------------------------------------------------------------------------------------------------


def procrastinate_app(dsn: str):
    import procrastinate

    return procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=dsn, min_size=1, max_size=3))


async def procrastinate_consume(dsn: str, name: str, _dequeue_timeout: float) -> None:
    app = procrastinate_app(dsn)
    pool = await asyncpg.create_pool(dsn, min_size=1, max_size=2)

    @app.task(name="job", queue="bench")
    async def job(payload: dict) -> None:
        await record(pool, payload, name)

    async with app.open_async():
        await app.run_worker_async(
            queues=["bench"],
            concurrency=1,
            name=name,
            update_heartbeat_interval=HEARTBEAT / 4,
            stalled_worker_timeout=HEARTBEAT,
            delete_jobs="successful",
        )


async def procrastinate_install(dsn: str) -> None:
    app = procrastinate_app(dsn)
    async with app.open_async():
        await app.schema_manager.apply_schema_async()


async def procrastinate_enqueue(conn, payloads: list[dict]) -> None:
    # the SQL function procrastinate itself calls, usable inside the caller's own transaction
    await conn.execute(
        "SELECT procrastinate_defer_jobs_v1(array_agg(ROW('bench', 'job', 0, NULL, k, jsonb_build_object('payload',"
        " p), NULL)::procrastinate_job_to_defer_v1)) FROM unnest($1::text[], $2::jsonb[]) AS t(k, p)",
        [p["key"] for p in payloads],
        [json.dumps(p) for p in payloads],
    )


async def procrastinate_picked(conn) -> int:
    return await conn.fetchval("SELECT count(*) FROM procrastinate_jobs WHERE status = 'doing'")


async def procrastinate_take_back(dsn: str, stop: asyncio.Event) -> None:
    """What the bot and every worker do for procrastinate: put back the jobs of silent workers."""
    app = procrastinate_app(dsn)
    async with app.open_async():
        while not stop.is_set():
            await app.job_manager.prune_stalled_workers(HEARTBEAT)
            for job in await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=HEARTBEAT):
                with contextlib.suppress(Exception):
                    await app.job_manager.retry_job(job)
            await asyncio.sleep(1)


CLEAR = {"pgqueuer": "DELETE FROM pgqueuer", "procrastinate": "DELETE FROM procrastinate_jobs"}
ENGINES = {
    "pgqueuer": (pgqueuer_install, pgqueuer_enqueue, pgqueuer_consume, pgqueuer_picked),
    "procrastinate": (procrastinate_install, procrastinate_enqueue, procrastinate_consume, procrastinate_picked),
}

# measurements -----------------------------------------------------------------------------------------------------


def start_consumer(dsn: str, engine: str, name: str, dequeue_timeout: float = 30.0) -> subprocess.Popen:
    command = [sys.executable, __file__, "--consume", engine, name, str(dequeue_timeout), "--dsn", dsn]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(process: subprocess.Popen) -> None:
    process.kill()
    process.wait()


async def rows(conn) -> int:
    return await conn.fetchval("SELECT count(*) FROM bench_runs")


async def until_rows(conn, count: int, within: float = 300) -> bool:
    end = time.time() + within
    while time.time() < end:
        if await rows(conn) >= count:
            return True
        await asyncio.sleep(0.01)
    return False


async def measure(admin: str, engine: str) -> dict:
    install, enqueue, _, picked = ENGINES[engine]
    dsn = await fresh_database(admin, f"bench_{engine}")
    await install(dsn)
    conn = await asyncpg.connect(dsn)
    await conn.execute(
        "CREATE TABLE bench_runs (key text, worker text, started double precision, latency double precision)"
    )
    out: dict = {}

    consumer = start_consumer(dsn, engine, "idle")
    await asyncio.sleep(4)
    for index in range(60):
        await enqueue(conn, [{"key": f"latency-{index}", "sent": time.time()}])
        await until_rows(conn, index + 1, 30)
        await asyncio.sleep(0.05)
    latencies = sorted(r[0] * 1000 for r in await conn.fetch("SELECT latency FROM bench_runs ORDER BY started"))[10:]
    out["latency_ms"] = {"median": round(statistics.median(latencies), 1), "p95": round(latencies[-3], 1)}
    stop(consumer)

    for count in (1, 2):
        await conn.execute("TRUNCATE bench_runs")
        await enqueue(conn, [{"key": f"throughput-{count}-{i}", "sent": time.time()} for i in range(1000)])
        consumers = [start_consumer(dsn, engine, f"consumer-{k}") for k in range(count)]
        done = await until_rows(conn, 1000)
        await asyncio.sleep(1)
        first, last = await conn.fetchrow("SELECT min(started), max(started) FROM bench_runs")
        out[f"throughput_{count}"] = {
            "jobs_per_s": round(1000 / (last - first), 1) if done else None,
            "runs": await rows(conn),
            "distinct_jobs": await conn.fetchval("SELECT count(DISTINCT key) FROM bench_runs"),
        }
        for consumer in consumers:
            stop(consumer)

    await conn.execute("TRUNCATE bench_runs")
    consumer = start_consumer(dsn, engine, "one-at-a-time")
    await asyncio.sleep(4)
    await enqueue(conn, [{"key": f"held-{i}", "sent": time.time(), "sleep": 8} for i in range(3)])
    await asyncio.sleep(2)
    out["taken_at_once_by_one_consumer"] = await picked(conn)
    stop(consumer)

    for dequeue_timeout in (30.0, 2.0) if engine == "pgqueuer" else (30.0,):
        await conn.execute(CLEAR[engine])  # nothing left from before: a consumer takes only the job below
        await conn.execute("TRUNCATE bench_runs")
        stopping = asyncio.Event()
        take_back = asyncio.create_task(procrastinate_take_back(dsn, stopping)) if engine == "procrastinate" else None
        victim = start_consumer(dsn, engine, "victim", dequeue_timeout)
        await asyncio.sleep(4)
        await enqueue(conn, [{"key": f"long-{dequeue_timeout}", "sent": time.time(), "sleep": 600}])
        await until_rows(conn, 1, 60)
        rescuer = start_consumer(dsn, engine, "rescuer", dequeue_timeout)
        await asyncio.sleep(3)
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        killed = time.time()
        again = await until_rows(conn, 2, 180)
        started = await conn.fetchval("SELECT max(started) FROM bench_runs")
        label = (
            f"restarted_after_kill_s (dequeue_timeout {dequeue_timeout:g} s)"
            if engine == "pgqueuer"
            else ("restarted_after_kill_s")
        )
        out[label] = round(started - killed, 1) if again else None
        stopping.set()
        if take_back is not None:
            await take_back
        stop(rescuer)
    await conn.close()
    return out


async def fresh_database(admin: str, name: str) -> str:
    conn = await asyncpg.connect(admin)
    await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    return admin.rsplit("/", 1)[0] + f"/{name}"


@contextlib.contextmanager
def throwaway_postgres():
    spec = importlib.util.spec_from_file_location("evidence_servers", ROOT / "scripts" / "servers.py")
    servers = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(servers)
    with tempfile.TemporaryDirectory() as folder:
        info = servers.start_postgres(Path(folder))
        try:
            yield info["url"]
        finally:
            servers.stop_postgres(info)


def main() -> int:
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("--postgres", default=os.environ.get("EVIDENCE_BOT_TEST_POSTGRES"), help="a superuser's URL")
    cli.add_argument("--engines", nargs="+", choices=tuple(ENGINES), default=list(ENGINES))
    cli.add_argument("--consume", nargs=3, metavar=("ENGINE", "NAME", "DEQUEUE_TIMEOUT"), help=argparse.SUPPRESS)
    cli.add_argument("--dsn", help=argparse.SUPPRESS)
    args = cli.parse_args()
    if args.consume:
        engine, name, dequeue_timeout = args.consume
        asyncio.run(ENGINES[engine][2](args.dsn, name, float(dequeue_timeout)))
        return 0
    with contextlib.ExitStack() as stack:
        admin = args.postgres or stack.enter_context(throwaway_postgres())
        results = {engine: asyncio.run(measure(admin, engine)) for engine in args.engines}
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
