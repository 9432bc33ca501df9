"""Evidence Bot: the composition root and command line.

``evidence-bot run`` connects to Discord (and serves the upload page, when it is configured); ``web`` serves the
upload page on its own; ``demo`` runs the seed inquiry offline; ``export`` writes the record as Word documents;
``evidence`` enters evidence received outside Discord and shows a submission; ``transcribe`` prints the transcript
of a media file; ``worker`` transcribes recordings on this machine for a bot whose database is PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import discord
from discord.ext import commands

from inquiry.services import Services
from inquiry.store import Store, is_postgres
from storage import MediaStorage, is_s3_url, open_storage, parse_s3_url
from transcription.intake import WORK, IntakeLimits
from transcription.queue import TranscriptionService, TranscriptionSettings
from web import WebSettings, WebSettingsError

log = logging.getLogger(__name__)


class SettingsError(ValueError):
    """A setting is missing or malformed."""


@dataclass(frozen=True)
class Settings:
    """Every setting of the bot, read once in ``main()`` from the environment and an optional ``.env``."""

    token: str | None = None
    database: Path | str = Path("data/evidence.db")  # a SQLite file, or a postgresql:// URL
    media_dir: Path = Path("data/media")  # the media store; with media_storage, only files being taken in or read
    media_storage: str | None = None  # an s3:// URL: media kept in an S3-compatible bucket instead of media_dir
    export_dir: Path = Path("data/exports")
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/London"))
    dev_guild_id: int | None = None
    log_level: str = "INFO"
    transcription_engine: str = "faster-whisper"
    transcription_model: str = "base"
    max_media_mb: int = 200
    max_media_minutes: int = 120
    # Each person's limits on the recordings they send (0: no limit), and the disk space kept free.
    max_files_per_hour: int = 20
    max_media_mb_per_day: int = 2048
    max_pending_recordings: int = 5
    min_free_disk_mb: int = 1024
    # On PostgreSQL: transcription workers the bot runs in its own process (0: only `evidence-bot worker` processes)
    transcription_workers: int = 1
    web: WebSettings | None = None  # the upload page, when configured
    web_in_bot: bool = True  # serve the upload page inside ``run`` (else ``evidence-bot web`` serves it)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """Build settings from ``EVIDENCE_BOT_*`` variables (see ``.env.example``)."""

        def get(name: str) -> str | None:
            value = env.get(f"EVIDENCE_BOT_{name}")
            return value.strip() if value and value.strip() else None

        def number(name: str, default: int | None) -> int | None:
            raw = get(name)
            if raw is None:
                return default
            try:
                return int(raw)
            except ValueError:
                raise SettingsError(f"EVIDENCE_BOT_{name} must be a whole number, not {raw!r}") from None

        def limit(name: str, default: int) -> int:
            value = number(name, default)
            if value < 0:
                raise SettingsError(f"EVIDENCE_BOT_{name} must be 0 (no limit) or more, not {value}")
            return value

        data_dir = Path(get("DATA_DIR") or "data")
        try:
            tz = ZoneInfo(get("TIMEZONE") or "Europe/London")
        except (ZoneInfoNotFoundError, ValueError):
            raise SettingsError(f"EVIDENCE_BOT_TIMEZONE {get('TIMEZONE')!r} is not a known time zone") from None
        serve = (get("WEB_SERVE") or "bot").lower()
        if serve not in ("bot", "separate"):
            raise SettingsError(f"EVIDENCE_BOT_WEB_SERVE must be bot or separate, not {serve!r}")
        return cls(
            token=get("TOKEN") or env.get("DISCORD_TOKEN"),
            database=database_setting(get("DATABASE") or data_dir / "evidence.db"),
            **media_settings(get("MEDIA"), get("MEDIA_DIR"), data_dir),
            export_dir=Path(get("EXPORT_DIR") or data_dir / "exports"),
            timezone=tz,
            dev_guild_id=number("DEV_GUILD_ID", None),
            log_level=(get("LOG_LEVEL") or "INFO").upper(),
            transcription_engine=get("TRANSCRIPTION_ENGINE") or cls.transcription_engine,
            transcription_model=get("TRANSCRIPTION_MODEL") or cls.transcription_model,
            max_media_mb=number("MAX_MEDIA_MB", cls.max_media_mb),
            max_media_minutes=number("MAX_MEDIA_MINUTES", cls.max_media_minutes),
            max_files_per_hour=limit("MAX_FILES_PER_HOUR", cls.max_files_per_hour),
            max_media_mb_per_day=limit("MAX_MEDIA_MB_PER_DAY", cls.max_media_mb_per_day),
            max_pending_recordings=limit("MAX_PENDING_RECORDINGS", cls.max_pending_recordings),
            min_free_disk_mb=limit("MIN_FREE_DISK_MB", cls.min_free_disk_mb),
            transcription_workers=limit("TRANSCRIPTION_WORKERS", cls.transcription_workers),
            web=web_settings(env),
            web_in_bot=serve == "bot",
        )


def database_setting(value: str | Path) -> Path | str:
    """EVIDENCE_BOT_DATABASE: a SQLite file's path, or a PostgreSQL server's ``postgresql://`` URL."""
    return str(value) if is_postgres(value) else Path(value)


def media_settings(media: str | None, media_dir: str | None, data_dir: Path) -> dict:
    """EVIDENCE_BOT_MEDIA (a folder, or an ``s3://`` URL) and EVIDENCE_BOT_MEDIA_DIR (the folder; with a bucket,
    the local folder where files are staged and read) as ``media_dir`` and ``media_storage``."""
    if media and is_s3_url(media):
        try:
            parse_s3_url(media)
        except ValueError as error:
            raise SettingsError(f"EVIDENCE_BOT_MEDIA: {error}") from None
        return {"media_dir": Path(media_dir or data_dir / "media"), "media_storage": media}
    if media and "://" in media:
        raise SettingsError(f"EVIDENCE_BOT_MEDIA must be a folder or an s3:// URL, not {media!r}")
    if media and media_dir and Path(media) != Path(media_dir):
        raise SettingsError(
            "EVIDENCE_BOT_MEDIA and EVIDENCE_BOT_MEDIA_DIR name two different folders: set one (with a bucket in"
            " EVIDENCE_BOT_MEDIA, EVIDENCE_BOT_MEDIA_DIR is the local folder for files being taken in)"
        )
    return {"media_dir": Path(media or media_dir or data_dir / "media"), "media_storage": None}


def open_media(settings: Settings) -> MediaStorage:
    """Where the bot keeps media: the bucket of ``media_storage``, or the folder ``media_dir``."""
    return open_storage(settings.media_storage or settings.media_dir, work_dir=settings.media_dir / WORK)


def web_settings(env: Mapping[str, str]) -> WebSettings | None:
    """The upload page's settings when both its secret and its public address are set; None when neither is."""
    secret, public_url = (env.get(f"EVIDENCE_BOT_{name}", "").strip() for name in ("WEB_SECRET", "WEB_PUBLIC_URL"))
    if not secret and not public_url:
        return None
    if not (secret and public_url):
        missing = "EVIDENCE_BOT_WEB_PUBLIC_URL" if secret else "EVIDENCE_BOT_WEB_SECRET"
        raise SettingsError(f"the upload page needs {missing} too (see .env.example), or neither")
    try:
        return WebSettings.from_env(env)
    except WebSettingsError as error:
        raise SettingsError(str(error)) from None


def intents() -> discord.Intents:
    """Guilds, messages and message content (to read answers and voice messages in threads and DMs)."""
    wanted = discord.Intents.default()
    wanted.message_content = True
    return wanted


class EvidenceBot(commands.Bot):
    """The bot, with its settings and domain services injected."""

    def __init__(self, settings: Settings, services: Services, transcription: TranscriptionService) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
        )
        self.settings = settings
        self.services = services
        self.transcription = transcription

    async def setup_hook(self) -> None:
        """Migrate the store, load the cogs, register persistent views and sync the commands."""
        from cogs import EXTENSIONS
        from cogs._shared import errors as _errors

        await self.services.store.migrate()
        _errors.install(self.tree)
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        if self.settings.dev_guild_id:
            guild = discord.Object(self.settings.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            await self.tree.sync(guild=guild)
        else:
            await self.tree.sync()
        log.info("ready to serve: %d commands", len(self.tree.get_commands()))


def build_services(settings: Settings, store: Store) -> tuple[Services, TranscriptionService]:
    """The domain services and the transcription queue over an open store (for the bot, and the upload page alone)."""
    storage = open_media(settings)
    transcription = TranscriptionService(
        store=store,
        media_dir=settings.media_dir,
        storage=storage,
        clock=discord.utils.utcnow,
        settings=TranscriptionSettings(
            engine=settings.transcription_engine,
            model=settings.transcription_model,
            max_bytes=settings.max_media_mb * 1024 * 1024,
            max_seconds=settings.max_media_minutes * 60,
            limits=IntakeLimits(
                files_per_hour=settings.max_files_per_hour,
                bytes_per_day=settings.max_media_mb_per_day * 1024 * 1024,
                pending_per_person=settings.max_pending_recordings,
                min_free_bytes=settings.min_free_disk_mb * 1024 * 1024,
            ),
        ),
        runner=remote_runner(settings, store),
    )
    services = Services.build(
        store,
        clock=discord.utils.utcnow,
        tz=settings.timezone,
        export_dir=settings.export_dir,
        media_dir=settings.media_dir,
        storage=storage,
    )
    return services, transcription


def remote_runner(settings: Settings, store: Store):
    """With EVIDENCE_BOT_DATABASE on PostgreSQL, the queue engine runs the transcription jobs (workers on any
    machine, and the bot's own worker processes); with a SQLite file the bot's one worker process does."""
    if not (is_postgres(settings.database) and store.postgres):
        return None
    from inquiry.store._queue import QueueRepo
    from transcription.remote.runner import RemoteRunner

    return RemoteRunner(str(store.target), QueueRepo(store.db), workers=settings.transcription_workers)


async def open_worker_ledger(database: str):
    """The store and the queue's queries for ``evidence-bot worker``: the bot's PostgreSQL database, whose schema
    the bot keeps up to date (a worker does not migrate it)."""
    from inquiry.store._db import redacted
    from inquiry.store._queue import QueueRepo
    from inquiry.store.migrations import LATEST_VERSION
    from transcription.remote.cli import LedgerUnavailable

    try:
        store = await Store.open(database, migrate=False)
    except Exception as error:
        raise LedgerUnavailable(f"cannot open the database {redacted(database)}: {error}") from None
    try:
        version = await store.schema_version()
    except Exception:  # no version table: the bot has never run on this database
        version = 0
    if version != LATEST_VERSION:
        await store.close()
        advice = "start the bot once: it brings the schema up to date" if version < LATEST_VERSION else "upgrade"
        raise LedgerUnavailable(
            f"the database's schema is at version {version} and this worker's at {LATEST_VERSION}: {advice}"
        )
    return store, QueueRepo(store.db)


def build_bot(settings: Settings, store: Store) -> EvidenceBot:
    """Build the bot exactly as production runs it, over an open store."""
    services, transcription = build_services(settings, store)
    return EvidenceBot(settings, services, transcription)


def load_settings(env_file: str | None = ".env") -> Settings:
    """Settings from the process environment, over the values of an optional ``.env`` file."""
    values: dict[str, str] = {}
    if env_file and Path(env_file).is_file():
        from dotenv import dotenv_values

        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ)
    return Settings.from_env(values)


async def run_bot(settings: Settings) -> None:
    """Connect to Discord and serve until interrupted."""
    if not settings.token:
        raise SettingsError("set EVIDENCE_BOT_TOKEN (the bot token from the Discord developer portal)")
    async with await Store.open(settings.database) as store:
        bot = build_bot(settings, store)
        async with bot:
            await bot.start(settings.token)


async def serve_web(settings: Settings) -> None:
    """Serve the upload page on its own until interrupted. Files are taken into the store; the running bot finds
    what it must say about them in the outbox and says it (and runs their transcription)."""
    from inquiry.uploads.intake import UploadIntake
    from web import run_web

    if settings.web is None:
        raise SettingsError("set EVIDENCE_BOT_WEB_SECRET and EVIDENCE_BOT_WEB_PUBLIC_URL to serve the upload page")
    if settings.web_in_bot:
        raise SettingsError(
            "set EVIDENCE_BOT_WEB_SERVE=separate (for the bot too): then the bot leaves the page to this process and"
            " looks for what it must say about the files that arrive"
        )
    async with await Store.open(settings.database) as store:
        services, transcription = build_services(settings, store)
        intake = UploadIntake(services, transcription, lifetime=settings.web.link_lifetime)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for name in ("SIGINT", "SIGTERM"):
            with contextlib.suppress(NotImplementedError, AttributeError):
                loop.add_signal_handler(getattr(signal, name), stop.set)
        await run_web(settings.web, services.uploads, intake.take, stop=stop)


def parser() -> argparse.ArgumentParser:
    """The command line."""
    cli = argparse.ArgumentParser(prog="evidence-bot", description=__doc__.splitlines()[0])
    cli.add_argument("--env-file", default=".env", help="settings file (default .env, if present)")
    sub = cli.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="connect to Discord and serve (with the upload page, when it is configured)")
    sub.add_parser("web", help="serve the upload page on its own, beside a running bot")
    demo = sub.add_parser("demo", help="run the seed inquiry offline against a simulated Discord")
    demo.add_argument("--out", default="demo-out", help="folder for the database and documents")
    demo.add_argument("--quiet", action="store_true", help="do not print the conversation")
    demo.add_argument(
        "--database",
        help="an empty PostgreSQL database (postgresql://...) instead of DIR/evidence.db; its"
        " transcriptions are then done by evidence-bot worker processes",
    )
    demo.add_argument("--media", help="an s3://BUCKET/PREFIX?endpoint=... URL to keep the recordings in")
    demo.add_argument("--workers", type=int, default=2, help="worker processes with --database (default 2)")
    sub.add_parser("transcribe", help="print the transcript of an audio or video file", add_help=False)
    sub.add_parser(
        "export",
        help="write minutes, a transcript or the evidence volume as .docx, or the audit trail as CSV",
        add_help=False,
    )
    sub.add_parser("backup", help="copy the database safely while the bot runs, and check the copy", add_help=False)
    sub.add_parser("evidence", help="enter evidence received outside Discord, or show a submission", add_help=False)
    sub.add_parser("db", help="copy a SQLite database into PostgreSQL, verified row for row", add_help=False)
    sub.add_parser(
        "worker", help="transcribe recordings on this machine, from the bot's PostgreSQL database", add_help=False
    )
    return cli


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``evidence-bot`` command."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args, rest = parser().parse_known_args(argv)
    if args.command == "transcribe":
        from transcription.cli import main as transcribe_main

        return transcribe_main(rest)
    if args.command == "export":
        from inquiry.record.cli import main as export_main

        return export_main(rest)
    if args.command == "backup":
        from inquiry.store.backup import main as backup_main

        return backup_main(rest)
    if args.command == "worker":
        from transcription.remote.cli import main as worker_main

        return worker_main(rest, open_ledger=open_worker_ledger)
    if args.command == "db":
        from inquiry.store.copy import main as db_main

        return db_main(rest)
    if args.command == "evidence":
        from inquiry.evidence.cli import main as evidence_main

        return evidence_main(rest)
    if rest:
        parser().error(f"unrecognised arguments: {' '.join(rest)}")
    try:
        settings = load_settings(args.env_file)
    except SettingsError as error:
        print(f"evidence-bot: {error}", file=sys.stderr)
        return 2
    quiet_by_default = args.command == "demo" and "EVIDENCE_BOT_LOG_LEVEL" not in os.environ
    logging.basicConfig(
        level="WARNING" if quiet_by_default else settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if quiet_by_default:
        logging.getLogger("discord").setLevel(logging.ERROR)  # the simulated client's voice warnings
    try:
        if args.command == "demo":
            from demo import run_demo

            return asyncio.run(
                run_demo(
                    Path(args.out),
                    settings=settings,
                    build_bot=build_bot,
                    quiet=args.quiet,
                    database=args.database,
                    media=args.media,
                    workers=args.workers,
                )
            )
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(serve_web(settings) if args.command == "web" else run_bot(settings))
    except SettingsError as error:
        print(f"evidence-bot: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
