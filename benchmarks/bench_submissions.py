"""N witnesses press "Submit evidence" at the same moment, through SimCord; how fast does the bot answer?

The bot is built exactly as in production (``build_bot`` over a real SQLite file in a temporary folder). A server
is set up with /setup and the seed inquiry's call opened with the secretariat's slash commands. Each witness's
draft (details, publication choice, answers to two questions) is prepared through the domain services, which is
what the private flow calls one click at a time; preparing 500 drafts click by click would only measure set-up.

Then all N final "Submit evidence" clicks are dispatched at once. SimCord's public actors settle the bot after
every action and refuse overlapping operations, so this script builds each click's interaction payload the way
SimCord's own ``click`` does (``simcord.interactions.base_payload``) and emits all N ``INTERACTION_CREATE`` events
before settling once: discord.py then handles the N interactions concurrently, as it would a burst from Discord.

Measured (wall clock, ``time.perf_counter``): for each click, the time from its gateway event to the bot's first
response to the interaction (the interaction callback: an acknowledgement or the answer itself), and to the
confirmation carrying the witness's reference. Throughput is N divided by the time until every submission is
received, its receipt sent and its forum post made. Correctness is checked: N distinct references, N forum posts.

    python benchmarks/bench_submissions.py --n 50 200 500
    python benchmarks/bench_submissions.py --n 50 200 500 --store sqlite postgres

With ``--store postgres`` the same bot runs over a fresh database on a PostgreSQL server: the one named by
``--postgres`` (a superuser's URL; default: EVIDENCE_BOT_TEST_POSTGRES), or a throwaway local cluster started with
``scripts/servers.py`` (the Debian ``postgresql`` package) and stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import discord  # noqa: E402
import psycopg  # noqa: E402
import simcord  # noqa: E402
from discord.webhook.async_ import AsyncWebhookAdapter  # noqa: E402
from simcord import interactions as sim_interactions  # noqa: E402
from simcord.enums import ComponentType, InteractionType  # noqa: E402

from bot import Settings, build_bot  # noqa: E402
from demo.driver import make_world  # noqa: E402
from inquiry.evidence.models import Publication, SubmissionStatus  # noqa: E402
from inquiry.store import Store  # noqa: E402

ANSWER = "Lunch clubs closed overnight and isolated older people lost their only weekly contact. " * 6


class ResponseClock:
    """Notes the wall-clock moment the bot first answers each interaction, and when it edits the answer."""

    def __init__(self) -> None:
        self.sent: dict[int, float] = {}
        self.first: dict[int, float] = {}
        self.confirmed: dict[int, float] = {}

    @contextlib.contextmanager
    def installed(self):
        original_create = AsyncWebhookAdapter.create_interaction_response
        original_edit = AsyncWebhookAdapter.edit_original_interaction_response
        clock = self

        def create(adapter, interaction_id, *args, **kwargs):
            clock.first.setdefault(int(interaction_id), time.perf_counter())
            params = kwargs.get("params")
            payload = getattr(params, "payload", None) or {}
            if "content" in (payload.get("data") or {}):  # the answer itself, not an acknowledgement
                clock.confirmed.setdefault(int(interaction_id), time.perf_counter())
            return original_create(adapter, interaction_id, *args, **kwargs)

        def edit(adapter, application_id, token, *args, **kwargs):
            clock.confirmed.setdefault(clock.by_token.get(token, -1), time.perf_counter())
            return original_edit(adapter, application_id, token, *args, **kwargs)

        self.by_token: dict[str, int] = {}
        AsyncWebhookAdapter.create_interaction_response = create
        AsyncWebhookAdapter.edit_original_interaction_response = edit
        try:
            yield self
        finally:
            AsyncWebhookAdapter.create_interaction_response = original_create
            AsyncWebhookAdapter.edit_original_interaction_response = original_edit


async def prepare(world, n: int) -> list[tuple[object, int, object]]:
    """N witnesses, each with a complete draft and the private overview message they would click on."""
    services = world.bot.services
    inquiry = world.inquiry
    prepared = []
    for index in range(n):
        member = world.witness(f"witness{index:04d}")
        draft = await services.submissions.start_or_resume(inquiry, member.id)
        await services.submissions.set_details(
            draft.id, member.id, name=f"Witness {index}", organisation=None, contact=None
        )
        await services.submissions.set_publication(draft.id, member.id, Publication.NAMED)
        for question in inquiry.questions[:2]:
            await services.submissions.save_answer(draft.id, member.id, question.id, ANSWER)
        shown = await member.click(world.call_post, label="Submit evidence")  # the private panel, as they see it
        await member.click(shown.response.message, label="Review and submit")  # now showing the final button
        prepared.append((member, draft.id, shown.response.message))
    return prepared


def burst(env, world, prepared, clock: ResponseClock) -> None:
    """Emit every witness's final click at once, as SimCord's click would, without settling in between."""
    backend = env.backend
    for member, submission_id, panel in prepared:
        stored = backend.get_message(panel.channel.id, panel.id)
        data = {"custom_id": f"evidence:send:{submission_id}:", "component_type": ComponentType.BUTTON}
        record, payload = sim_interactions.base_payload(
            backend,
            type=InteractionType.MESSAGE_COMPONENT,
            channel_id=panel.channel.id,
            guild_id=world.guild.id,
            user_id=member.id,
            data=data,
        )
        payload["message"] = dict(simcord.backend.serializers.message_payload(backend, stored))
        record.source_message_id = stored.id
        clock.by_token[payload["token"]] = int(payload["id"])
        clock.sent[int(payload["id"])] = time.perf_counter()
        backend.emit("INTERACTION_CREATE", payload)


async def run(n: int, database: str | None = None) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(database=database or Path(folder) / "bench.db", media_dir=Path(folder) / "media")
        async with await Store.open(settings.database) as store:
            bot = build_bot(settings, store)
            async with simcord.run(bot, settle_timeout=600) as env:
                world = await make_world(env, bot)
                await world.open_call()
                prepared = await prepare(world, n)
                clock = ResponseClock()
                with clock.installed():
                    started = time.perf_counter()
                    burst(env, world, prepared, clock)
                    await env.settle(timeout=600)
                    elapsed = time.perf_counter() - started
                received = await store.submissions.in_inquiry(world.inquiry.id, (SubmissionStatus.SUBMITTED,))
                references = {s.reference for s in received}
                posts = len(world.forum.threads)
    first = sorted((clock.first[i] - clock.sent[i]) * 1000 for i in clock.sent if i in clock.first)
    confirmed = sorted((clock.confirmed[i] - clock.sent[i]) * 1000 for i in clock.sent if i in clock.confirmed)
    assert len(references) == n, f"{len(references)} distinct references for {n} submissions"
    assert posts == n, f"{posts} forum posts for {n} submissions"
    assert len(first) == n, f"{len(first)} of {n} interactions answered"
    return {
        "store": "PostgreSQL" if database else "SQLite",
        "n": n,
        "per_second": n / elapsed,
        "first_p50": statistics.median(first),
        "first_p99": first[max(0, int(len(first) * 0.99) - 1)],
        "first_max": first[-1],
        "confirmed_p50": statistics.median(confirmed) if confirmed else float("nan"),
        "confirmed_p99": confirmed[max(0, int(len(confirmed) * 0.99) - 1)] if confirmed else float("nan"),
        "elapsed": elapsed,
    }


@contextlib.contextmanager
def throwaway_postgres():
    """A local PostgreSQL cluster for the run (scripts/servers.py), stopped afterwards; its superuser's URL."""
    spec = importlib.util.spec_from_file_location("evidence_servers", ROOT / "scripts" / "servers.py")
    servers = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(servers)
    with tempfile.TemporaryDirectory() as folder:
        info = servers.start_postgres(Path(folder))
        try:
            yield info["url"]
        finally:
            servers.stop_postgres(info)


def fresh_database(admin: str) -> str:
    """A new empty database on the server of ``admin``; its URL."""
    name = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin.rsplit("/", 1)[0] + f"/{name}"


def table(rows: list[dict[str, float]]) -> str:
    lines = [
        "| store | witnesses at once | submissions/s | first response p50 (ms) | p99 (ms) | max (ms) "
        "| confirmation with reference p50 (ms) | p99 (ms) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['store']} | {r['n']} | {r['per_second']:.0f} | {r['first_p50']:.1f} | {r['first_p99']:.1f}"
            f" | {r['first_max']:.1f}"
            f" | {r['confirmed_p50']:.1f} | {r['confirmed_p99']:.1f} |"
        )
    return "\n".join(lines)


def main() -> int:
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("--n", type=int, nargs="+", default=[50, 200, 500])
    cli.add_argument("--store", nargs="+", choices=("sqlite", "postgres"), default=["sqlite"])
    cli.add_argument("--postgres", default=os.environ.get("EVIDENCE_BOT_TEST_POSTGRES"), help="a superuser's URL")
    cli.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "submissions.md"))
    args = cli.parse_args()
    discord.utils.setup_logging(level=40)
    rows = []
    with contextlib.ExitStack() as stack:
        admin = args.postgres
        if "postgres" in args.store and not admin:
            admin = stack.enter_context(throwaway_postgres())
        for store in args.store:
            for n in args.n:
                database = fresh_database(admin) if store == "postgres" else None
                rows.append(asyncio.run(run(n, database)))
    text = table(rows)
    print(text)
    Path(args.out).write_text(
        "# Concurrent submissions through SimCord\n\n" + text + "\n\n"
        "2 CPU cores; the bot, SimCord and SQLite share one process and one event loop (PostgreSQL runs beside"
        " them on the same machine). "
        "Produced by `python benchmarks/bench_submissions.py`.\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
