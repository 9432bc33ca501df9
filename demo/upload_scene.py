"""A video too large for Discord, sent through the upload page: a youth worker asks the bot for a private link,
the page (served by the bot, on a loopback port) takes the file in pieces over the tus protocol, and the video
joins his draft at the question he was on and is transcribed, as if he had sent it on Discord. He submits his
evidence and then confirms the transcript, which joins the evidence he sent."""

from __future__ import annotations

import asyncio
import base64
import re
import secrets
import socket
import tempfile
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import aiohttp

from transcription.probe import describe_bytes
from web import WebSettings
from web.app import TUS_KEY
from web.settings import MIB

from .assembled import DISCORD_LIMIT, large_video
from .driver import WitnessSteps, World
from .narrator import Narrator
from .recordings import YOUTH_FILE

VIDEO_NAME = "youth-club-video.mp4"
TYPED_Q1 = (
    "The young people we work with lost school, their friends and the youth club in the same week. Those in"
    " overcrowded homes or caring for a parent were the most isolated."
)
LINK = re.compile(r"https?://\S+/u/[A-Za-z0-9._~-]+")
TUS_VERSION = "1.0.0"


def page_settings(out: Path) -> WebSettings:
    """The upload page on a free loopback port, its unfinished uploads kept in ``out``; pieces of 4 MB, as a
    proxy with a small body limit would need. Its folder is swept of abandoned uploads every six hours rather than
    every ten minutes: under the demo's simulated clock every wake-up costs real time, and weeks pass."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return WebSettings(
        secret=secrets.token_urlsafe(48).encode(),
        port=port,
        public_url=f"http://127.0.0.1:{port}",
        upload_dir=out / "uploads",
        chunk_bytes=4 * MIB,
        sweep_interval_s=6 * 3600,
    )


async def send_through(link: str, path: Path, size: int, chunk: int) -> int:
    """Send a file of ``size`` bytes through an upload link as the page's script does: create the upload, then
    append it in pieces of ``chunk`` bytes, each at the offset the server has. How many pieces were sent."""
    metadata = f"filename {base64.b64encode(path.name.encode()).decode()}"
    headers = {"Tus-Resumable": TUS_VERSION}
    pieces = 0
    async with aiohttp.ClientSession() as client:
        creation = {**headers, "Upload-Length": str(size), "Upload-Metadata": metadata}
        async with client.post(f"{link}/files", headers=creation) as created:
            if created.status != 201:
                raise RuntimeError(f"the upload page refused the upload: {created.status} {await created.text()}")
            location = urljoin(link, created.headers["Location"])
        with path.open("rb") as file:  # the bot serves the page in this event loop: read off it
            offset = 0
            while offset < size:
                body = await asyncio.to_thread(file.read, chunk)
                patch = {**headers, "Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"}
                async with client.patch(location, data=body, headers=patch) as sent:
                    if sent.status != 204:
                        raise RuntimeError(f"the upload page refused a piece: {sent.status} {await sent.text()}")
                    offset = int(sent.headers["Upload-Offset"])
                pieces += 1
    return pieces


async def page_heading(link: str) -> str:
    """What the page behind a link shows first: its heading, then what the file is for (or why the link cannot be
    used)."""
    async with aiohttp.ClientSession() as client, client.get(link) as page:
        html = await page.text()
    parts = [
        re.search(pattern, html, re.S) for pattern in (r"<h1>(.*?)</h1>", r'<p id="(?:target|refusal)"[^>]*>(.*?)</p>')
    ]
    return ": ".join(unescape(part.group(1)).strip() for part in parts if part)


async def page_status(link: str) -> str:
    """What the page says once the bot has taken the file in (its status answer)."""
    async with aiohttp.ClientSession() as client, client.get(f"{link}/status") as status:
        return (await status.json()).get("message") or ""


async def large_video_upload(world: World, narrator: Narrator) -> None:
    """The youth worker types his answer to Q1, skips to Q4, and sends his video for it through the upload page."""
    narrator.section("A large video through the upload page")
    steps = WitnessSteps(world, world.witness("bradford_youth"))
    await steps.start()
    await steps.details("Tom Reid", "Bradford Youth Service", "tom@example.org")
    await steps.choose("organisation", "named")
    await steps.click("Answer the questions")
    await steps.answer(TYPED_Q1)
    narrator.act("bradford_youth (a youth worker)", "answers Q1 in writing, skips Q2 and Q3")
    for _ in range(2):
        await steps.click("Skip →")

    with tempfile.TemporaryDirectory() as scratch:
        video = await asyncio.to_thread(large_video, YOUTH_FILE, Path(scratch) / VIDEO_NAME)
        size = (await asyncio.to_thread(video.stat)).st_size
        narrator.act(
            "bradford_youth",
            f"on Q4, has a video from the youth club's phone, {VIDEO_NAME} ({describe_bytes(size)}): more than the"
            f" {describe_bytes(DISCORD_LIMIT)} Discord lets him send without Nitro. He asks for an upload link:",
        )
        asked = await steps.witness.slash(world.general, "evidence upload")
        reply = (asked.followups[-1] if asked.followups else asked.response).content
        narrator.act("bradford_youth", "/evidence upload")
        narrator.bot(reply, private=True, limit=6)
        link = LINK.search(reply).group(0)

        narrator.act("bradford_youth", "opens the link in his browser; the page reads:")
        narrator.bot(await page_heading(link))
        chunk = world.bot.settings.web.chunk_bytes
        pieces = await send_through(link, video, size, chunk)
        narrator.act(
            "bradford_youth",
            f"chooses the file and presses Send the file: the page sends it in {pieces} pieces of up to"
            f" {describe_bytes(chunk)} (tus, so a dropped connection resumes where it stopped)",
        )
    tus = world.bot.get_cog("UploadsCog").runner.app[TUS_KEY]  # the page the bot serves hands the file over
    while tus.tasks:
        await asyncio.gather(*list(tus.tasks))
    await world.env.settle()  # the bot tells him on Discord, and transcribes the video
    narrator.act("the upload page", "answers, once the bot has taken the file in:")
    narrator.bot(await page_status(link))
    narrator.act("bot", "tells bradford_youth by direct message, then sends the transcript:")
    for content in [m.content for m in steps.dm.history()][-2:]:
        narrator.bot(content, limit=6)
    narrator.act("bradford_youth", "opens the link again; it worked once only:")
    narrator.bot(await page_heading(link))

    await steps.click("Overview")
    narrator.act("bradford_youth", "opens the overview: the video waits for his confirmation under Q4")
    narrator.bot(steps.last.response.content, private=True, limit=9)
    await steps.click("Review and submit")
    done = await steps.click("Submit evidence")
    narrator.act("bradford_youth", "submits; the transcript can still be confirmed until his evidence is accepted")
    narrator.bot(done.response.content, private=True)
    transcript = next(m for m in reversed(steps.dm.history()) if m.content.startswith("**Transcript of your"))
    confirmed = await steps.witness.user.click(transcript, label="Confirm")
    narrator.act("bradford_youth", "then presses Confirm under the video's transcript")
    narrator.bot(confirmed.response.content if confirmed.response else steps.dm.last_message.content, limit=3)
