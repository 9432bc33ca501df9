"""Evidence Bot: the composition root and command line.

``evidence-bot run`` connects to Discord; ``demo`` runs the seed inquiry offline; ``export`` writes the
record as Word documents; ``transcribe`` prints the transcript of a media file.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import discord
from discord.ext import commands

from inquiry.services import Services
from inquiry.store import Store
from transcription.queue import TranscriptionService, TranscriptionSettings

log = logging.getLogger(__name__)


class SettingsError(ValueError):
    """A setting is missing or malformed."""


@dataclass(frozen=True)
class Settings:
    """Every setting of the bot, read once in ``main()`` from the environment and an optional ``.env``."""

    token: str | None = None
    database: Path = Path("data/evidence.db")
    media_dir: Path = Path("data/media")
    export_dir: Path = Path("data/exports")
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/London"))
    dev_guild_id: int | None = None
    log_level: str = "INFO"
    transcription_engine: str = "faster-whisper"
    transcription_model: str = "tiny.en"
    max_media_mb: int = 200
    max_media_minutes: int = 120

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

        data_dir = Path(get("DATA_DIR") or "data")
        try:
            tz = ZoneInfo(get("TIMEZONE") or "Europe/London")
        except (ZoneInfoNotFoundError, ValueError):
            raise SettingsError(f"EVIDENCE_BOT_TIMEZONE {get('TIMEZONE')!r} is not a known time zone") from None
        return cls(
            token=get("TOKEN") or env.get("DISCORD_TOKEN"),
            database=Path(get("DATABASE") or data_dir / "evidence.db"),
            media_dir=Path(get("MEDIA_DIR") or data_dir / "media"),
            export_dir=Path(get("EXPORT_DIR") or data_dir / "exports"),
            timezone=tz,
            dev_guild_id=number("DEV_GUILD_ID", None),
            log_level=(get("LOG_LEVEL") or "INFO").upper(),
            transcription_engine=get("TRANSCRIPTION_ENGINE") or cls.transcription_engine,
            transcription_model=get("TRANSCRIPTION_MODEL") or cls.transcription_model,
            max_media_mb=number("MAX_MEDIA_MB", cls.max_media_mb),
            max_media_minutes=number("MAX_MEDIA_MINUTES", cls.max_media_minutes),
        )


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


def build_bot(settings: Settings, store: Store) -> EvidenceBot:
    """Build the bot exactly as production runs it, over an open store."""
    transcription = TranscriptionService(
        store=store,
        media_dir=settings.media_dir,
        clock=discord.utils.utcnow,
        settings=TranscriptionSettings(
            engine=settings.transcription_engine,
            model=settings.transcription_model,
            max_bytes=settings.max_media_mb * 1024 * 1024,
            max_seconds=settings.max_media_minutes * 60,
        ),
    )
    services = Services.build(
        store,
        clock=discord.utils.utcnow,
        tz=settings.timezone,
        export_dir=settings.export_dir,
        media_path=transcription.path_of,
    )
    services.privacy.hooks.append(transcription.forget_user)
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


def parser() -> argparse.ArgumentParser:
    """The command line."""
    cli = argparse.ArgumentParser(prog="evidence-bot", description=__doc__.splitlines()[0])
    cli.add_argument("--env-file", default=".env", help="settings file (default .env, if present)")
    sub = cli.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="connect to Discord and serve")
    demo = sub.add_parser("demo", help="run the seed inquiry offline against a simulated Discord")
    demo.add_argument("--out", default="demo-out", help="folder for the database and documents")
    demo.add_argument("--quiet", action="store_true", help="do not print the conversation")
    sub.add_parser("transcribe", help="print the transcript of an audio or video file", add_help=False)
    sub.add_parser("export", help="write minutes, a transcript or the evidence volume as .docx", add_help=False)
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

            return asyncio.run(run_demo(Path(args.out), settings=settings, build_bot=build_bot, quiet=args.quiet))
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(run_bot(settings))
    except SettingsError as error:
        print(f"evidence-bot: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
