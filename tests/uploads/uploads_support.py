"""What the upload-link behaviour tests share: the upload page served on a loopback port beside the bot (as
``evidence-bot web`` serves it), a tus client that sends a file through a link, and a Word document to send."""

from __future__ import annotations

import asyncio
import contextlib
import io
import re
import socket
import wave
from collections.abc import AsyncIterator
from pathlib import Path

import docx
import numpy as np
from tusclient.client import TusClient

from inquiry.evidence.entry import EntryDetails
from inquiry.evidence.models import Capacity, Publication
from inquiry.services import Services
from inquiry.store import Store
from web import WebSettings, start_web
from web.app import TUS_KEY
from web.settings import MIB

SECRET = b"a secret long enough to sign the upload links here: 0123456789"
LINK = re.compile(r"http://127\.0\.0\.1:\d+/u/[A-Za-z0-9._-]+")


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def web_settings(folder: Path) -> WebSettings:
    """The upload page on a loopback port, with small chunks so that a file goes in several requests."""
    port = free_port()
    return WebSettings(
        secret=SECRET,
        port=port,
        public_url=f"http://127.0.0.1:{port}",
        upload_dir=folder / "uploads",
        max_bytes=64 * MIB,
        chunk_bytes=MIB,
    )


@contextlib.asynccontextmanager
async def upload_page(bot, settings: WebSettings) -> AsyncIterator[object]:
    """Serve the real upload page with the bot's grants and the bot's own ``on_complete``; yields the running app's
    tus endpoints (whose hand-overs the tests wait for)."""
    cog = bot.get_cog("UploadsCog")
    runner = await start_web(settings, bot.services.uploads, cog.intake.take, clock=bot.services.clock)
    try:
        yield runner.app[TUS_KEY]
    finally:
        await runner.cleanup()


def link_in(text: str) -> str:
    """The private link in the bot's reply."""
    found = LINK.search(text)
    assert found, text
    return found.group(0)


async def send_through(link: str, path: Path, tus, *, chunk: int = 256 * 1024) -> None:
    """Send a file through a link as the page's tus client would (in several requests), and wait until the bot
    has answered for it."""
    client = TusClient(f"{link}/files")
    uploader = client.async_uploader(file_path=str(path), chunk_size=chunk, metadata={"filename": path.name})
    await uploader.upload()
    while tus.tasks:
        await asyncio.gather(*list(tus.tasks))


def letter_docx(path: Path, paragraphs: list[str]) -> Path:
    """A Word document with these paragraphs."""
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def tone_wav(path: Path, seconds: float = 1.0, rate: int = 16_000) -> Path:
    """A short WAV file of a tone (a real recording with no speech in it)."""
    t = np.arange(int(seconds * rate)) / rate
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((np.sin(2 * np.pi * 440 * t) * 8000).astype("<i2").tobytes())
    return path


async def enter_from_another_process(world, settings, letter):
    """Evidence entered through a second connection to the database, as ``evidence-bot evidence import`` does."""
    bot_services = world.bot.services
    async with await Store.open(settings.database) as other:
        services = Services.build(other, bot_services.clock, bot_services.tz, media_dir=settings.media_dir)
        details = EntryDetails("Jo Marsh", Capacity.INDIVIDUAL, Publication.NAMED)
        inquiry = await services.imports.inquiry("SCI")
        return await services.imports.enter(inquiry, details, letter, letter.name, actor_id=None, via="command_line")
