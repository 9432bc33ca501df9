"""``evidence-bot web``: the upload page served on its own, in its own process, beside the bot. A file sent through a
witness's link is taken into the database there (the document joins the draft), and what the bot must say about it
waits in the outbox for the running bot to send."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
from uploads_support import SECRET, free_port, letter_docx, link_in

from inquiry.store import Store
from inquiry.uploads.service import UploadGrantService
from web import UploadLinks, WebSettings

ROOT = Path(__file__).resolve().parents[2]
LETTER = ["We kept the library open for phone calls.", "Older readers rang us every day to talk."]


async def _draft_and_link(database: Path, settings: WebSettings) -> tuple[int, str, str]:
    """An open inquiry with a witness's draft, and the witness's link for it (as the bot would give it)."""
    now = datetime.now(UTC)
    async with await Store.open(database) as store:
        inquiry_id = await store.inquiries.create(
            guild_id=1, code="SCI", title="Social connection", terms="", word_limit=3000, actor_id=7, now=now
        )
        await store.inquiries.add_question(inquiry_id, 1, "How lonely are people in your area?")
        draft_id = await store.submissions.create_draft(inquiry_id, 4242, now)
        grant = await UploadGrantService(store, lambda: datetime.now(UTC)).grant_for_draft(4242, draft_id)
    return draft_id, grant.id, UploadLinks(settings).url(grant)


async def _wait_answered(client: aiohttp.ClientSession, link: str) -> dict:
    for _ in range(300):
        async with client.get(f"{link}/status") as response:
            body = await response.json()
        if body["status"] in ("complete", "refused"):
            return body
        await asyncio.sleep(0.1)
    raise AssertionError("the upload page never answered")


async def test_the_page_alone_takes_the_file_and_leaves_the_notice_to_the_bot(tmp_path):
    from tusclient.client import TusClient

    port = free_port()
    env = {
        **os.environ,
        "EVIDENCE_BOT_DATA_DIR": str(tmp_path),
        "EVIDENCE_BOT_WEB_SECRET": SECRET.decode(),
        "EVIDENCE_BOT_WEB_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "EVIDENCE_BOT_WEB_PORT": str(port),
        "EVIDENCE_BOT_WEB_SERVE": "separate",
        "EVIDENCE_BOT_LOG_LEVEL": "WARNING",
    }
    settings = WebSettings(secret=SECRET, port=port, public_url=f"http://127.0.0.1:{port}")
    database = tmp_path / "evidence.db"
    async with await Store.open(database) as store:
        env["EVIDENCE_BOT_DATABASE"] = str(store.target)  # the page opens the same database (file or server)
    draft_id, grant_id, link = await _draft_and_link(database, settings)
    page = await asyncio.create_subprocess_exec(
        sys.executable, "-c", "import sys, bot; sys.exit(bot.main())", "--env-file", "", "web", cwd=ROOT, env=env
    )
    try:
        async with aiohttp.ClientSession() as client:
            for _ in range(200):
                try:
                    async with client.get(f"http://127.0.0.1:{port}/healthz") as response:
                        if response.status == 200:
                            break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.1)
            letter = letter_docx(tmp_path / "library.docx", LETTER)
            uploader = TusClient(f"{link_in(link)}/files").async_uploader(
                file_path=str(letter), chunk_size=8192, metadata={"filename": letter.name}
            )
            await uploader.upload()
            answer = await _wait_answered(client, link)
        assert answer["status"] == "complete", answer
        assert "library.docx" in answer["message"]
    finally:
        page.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(page.wait(), 30) == 0

    async with await Store.open(database) as store:
        [document] = await store.documents.current_of(draft_id)
        assert (document.filename, document.source) == ("library.docx", "upload")
        [row] = await store.fetch_all("SELECT kind, state, key FROM outbox")  # for the bot to send
        assert (row["kind"], row["state"], row["key"]) == ("upload_taken", "pending", f"upload:{grant_id}")
