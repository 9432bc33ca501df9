"""The upload page in a real headless Chromium (Debian's chromium and chromium-driver, driven by Selenium): a
file sent through the page arrives whole and the bot's answer is shown; a connection dropped mid-upload resumes;
used, expired, tampered and over-size uploads are refused in the page. The page is worked with the keyboard."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import pytest_asyncio
from aiohttp import web
from aiohttp.test_utils import TestServer
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from web_support import Bot, make_world, partial_files, random_file, sha256_of, sparse_file

from web.app import make_app
from web.settings import MIB

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)
# Records every text the live region announces, so that a test can see what a screen reader was told.
RECORD_ANNOUNCEMENTS = """
window.announced = [];
const region = document.getElementById("status");
if (region) {
  new MutationObserver(() => window.announced.push(region.textContent))
    .observe(region, {childList: true, characterData: true, subtree: true});
}
"""


@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    """One headless Chromium for the module, with a fresh profile, from the Debian packages only."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.fail("browser tests need Debian's chromium and chromium-driver: run scripts/bootstrap.sh")
    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SE_OFFLINE", "true")  # Selenium Manager must never download a browser or driver
        driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


class Site:
    """The upload application served on a real port, with its world, the bot's callback and a record of PATCHes."""

    def __init__(self, world, bot, server: TestServer, patches: list[tuple[int, int]], drops: list[int]) -> None:
        self.world = world
        self.bot = bot
        self.server = server
        self.patches = patches
        self.drops = drops

    def url(self, path: str) -> str:
        return str(self.server.make_url(path))


async def serve(tmp_path, *, drop_after: int | None = None, max_bytes: int = 8 * MIB) -> Site:
    world = await make_world(tmp_path, max_bytes=max_bytes, chunk_bytes=4 * MIB)
    bot = Bot(tmp_path / "kept")
    patches: list[tuple[int, int]] = []
    drops: list[int] = []

    async def drop_connection(request: web.Request, info, offset: int) -> None:
        # The network fails once, in the middle of the first request body, after `drop_after` bytes are on disk.
        if drop_after is not None and not drops and offset >= drop_after:
            drops.append(offset)
            request.transport.abort()

    @web.middleware
    async def record_patches(request: web.Request, handler):
        response = await handler(request)
        if request.method == "PATCH":
            patches.append((int(request.headers.get("Upload-Offset", "-1")), response.status))
        return response

    app = make_app(world.settings, world.ledger, bot.on_complete, clock=world.clock, on_block=drop_connection)
    app.middlewares.append(record_patches)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    return Site(world, bot, server, patches, drops)


@pytest_asyncio.fixture
async def site(tmp_path):
    served = await serve(tmp_path)
    yield served
    await served.server.close()
    await served.world.store.close()


async def call(function: Callable, *args):
    """Run a blocking WebDriver call off the event loop that serves the page."""
    return await asyncio.to_thread(function, *args)


async def text_of(driver, element_id: str) -> str:
    return await call(lambda: driver.find_element(By.ID, element_id).text)


async def wait_for_text(driver, element_id: str, needle: str, within_s: float = 60.0) -> str:
    deadline = time.monotonic() + within_s
    text = ""
    while time.monotonic() < deadline:
        text = await text_of(driver, element_id)
        if needle in text:
            return text
        await asyncio.sleep(0.1)
    raise AssertionError(f"#{element_id} never showed {needle!r}; it shows {text!r}")


async def open_page(driver, url: str) -> None:
    await call(driver.get, url)
    await call(driver.execute_script, RECORD_ANNOUNCEMENTS)


async def choose_and_send_with_keyboard(driver, path: Path) -> None:
    """Tab to the file field, give it the file, Tab to the send button and press Enter."""

    def work() -> None:
        driver.find_element(By.TAG_NAME, "body").click()
        ActionChains(driver).send_keys(Keys.TAB).perform()
        field = driver.switch_to.active_element
        assert field.get_attribute("id") == "file", "the file field comes first in the focus order"
        field.send_keys(str(path))  # what choosing a file in the dialog does (a file field takes a path)
        ActionChains(driver).send_keys(Keys.TAB).perform()
        button = driver.switch_to.active_element
        assert button.get_attribute("id") == "send", "the send button follows the file field"
        ActionChains(driver).send_keys(Keys.ENTER).perform()

    await call(work)


async def test_a_file_sent_through_the_page_arrives_whole_and_the_answer_is_shown(chromium, site, tmp_path):
    grant = await site.world.draft_grant(question=2)
    source = random_file(tmp_path / "hearing clip.mp4", 6 * MIB + 321)
    await open_page(chromium, site.url(site.world.page_path(grant)))
    assert "Your draft evidence to SCI: Social connection, question 2: What would help most?" in await text_of(
        chromium, "target"
    )
    label_for = await call(lambda: chromium.find_element(By.CSS_SELECTOR, "label[for=file]").text)
    assert label_for == "File to send"
    status = await call(chromium.find_element, By.ID, "status")
    assert (status.get_attribute("role"), status.get_attribute("aria-live")) == ("status", "polite")

    await choose_and_send_with_keyboard(chromium, source)
    shown = await wait_for_text(chromium, "status", "Received:")
    assert shown == f"Received: hearing clip.mp4, {source.stat().st_size:,} bytes, for {grant.description}"
    [kept] = site.bot.kept
    assert kept.sha256 == sha256_of(source)
    assert kept.size == source.stat().st_size
    assert await call(lambda: chromium.find_element(By.ID, "progress").get_attribute("value")) == "100"
    assert "100% sent" in await text_of(chromium, "progress-text")
    assert await call(lambda: chromium.switch_to.active_element.get_attribute("id")) == "status"
    announced = await call(chromium.execute_script, "return window.announced")
    assert any(text.startswith("Sending: ") for text in announced)
    assert site.patches == [(0, 204), (4 * MIB, 204)]  # two requests of at most 4 MiB


async def test_an_upload_whose_connection_drops_resumes_where_it_stopped(chromium, tmp_path):
    site = await serve(tmp_path, drop_after=MIB)
    try:
        grant = await site.world.draft_grant()
        source = random_file(tmp_path / "session.webm", 7 * MIB + 5)
        await open_page(chromium, site.url(site.world.page_path(grant)))
        await choose_and_send_with_keyboard(chromium, source)
        await wait_for_text(chromium, "status", "Received:")
        [dropped_at] = site.drops
        assert MIB <= dropped_at < 4 * MIB
        # The upload carried on from the bytes kept (all those received before the connection dropped), not from
        # zero nor from the start of the 4 MiB request that broke off.
        # (Chromium itself may first repeat the broken request from zero; the server refuses it with 409.)
        offsets = [offset for offset, _ in site.patches]
        assert offsets[0] == 0
        assert all(status == 409 for offset, status in site.patches[1:] if offset == 0)
        resumed = [offset for offset, status in site.patches if offset > 0]
        assert dropped_at <= resumed[0] < 4 * MIB
        assert (resumed[0], 204) in site.patches
        assert site.bot.kept[0].sha256 == sha256_of(source)
        announced = await call(chromium.execute_script, "return window.announced")
        assert any("interrupted" in text for text in announced)
    finally:
        await site.server.close()
        await site.world.store.close()


async def test_a_used_link_is_refused_in_the_page(chromium, site, tmp_path):
    grant = await site.world.draft_grant()
    url = site.url(site.world.page_path(grant))
    # The witness opens the link twice, in two tabs, and sends a file from the first.
    await open_page(chromium, url)
    first_tab = chromium.current_window_handle
    await call(chromium.switch_to.new_window, "tab")
    await open_page(chromium, url)
    second_tab = chromium.current_window_handle
    await call(chromium.switch_to.window, first_tab)
    first = random_file(tmp_path / "first.mp3", 200_000)
    await choose_and_send_with_keyboard(chromium, first)
    await wait_for_text(chromium, "status", "Received:")

    # Sending another file from the second tab is refused by the server, and the page says why.
    await call(chromium.switch_to.window, second_tab)
    await choose_and_send_with_keyboard(chromium, random_file(tmp_path / "second.mp3", 100_000))
    shown = await wait_for_text(chromium, "status", "already been used")
    assert shown == (
        "This upload link has already been used to send a file, and each link works once. "
        "Ask the bot for a new link to send another file."
    )
    await call(chromium.close)
    await call(chromium.switch_to.window, first_tab)

    # Opening the link again shows the refusal and the earlier answer.
    await open_page(chromium, url)
    assert await text_of(chromium, "refusal") == shown
    assert (await text_of(chromium, "detail")).startswith("Received: first.mp3")
    assert len(site.bot.kept) == 1
    assert partial_files(site.world.settings) == []


async def test_expired_and_tampered_links_are_refused_in_the_page(chromium, site, tmp_path):
    world = site.world
    grant = await world.draft_grant()
    token = world.token(grant)
    parts = token.split(".")
    parts[2] = "5151"  # another person's user id
    await open_page(chromium, site.url("/u/" + ".".join(parts)))
    assert "This upload link is not valid" in await text_of(chromium, "refusal")
    assert await call(lambda: chromium.find_element(By.TAG_NAME, "h1").text) == "This link is not valid"

    # A page opened in time, then left until the link expired: sending is refused with the reason.
    await open_page(chromium, site.url(f"/u/{token}"))
    world.clock.advance(world.settings.link_lifetime)
    await choose_and_send_with_keyboard(chromium, random_file(tmp_path / "late.mp3", 50_000))
    assert "expired on 13 May 2026, 09:00 UTC" in await wait_for_text(chromium, "status", "expired")
    await open_page(chromium, site.url(f"/u/{token}"))
    assert await call(lambda: chromium.find_element(By.TAG_NAME, "h1").text) == "This link has expired"
    assert partial_files(world.settings) == []
    assert site.bot.kept == []


async def test_an_oversized_file_is_refused_before_anything_is_stored(chromium, site, tmp_path):
    grant = await site.world.draft_grant()
    big = tmp_path / "whole day.mov"
    sparse_file(big, 9 * MIB)  # over the 8 MB limit
    await open_page(chromium, site.url(site.world.page_path(grant)))
    await choose_and_send_with_keyboard(chromium, big)
    shown = await wait_for_text(chromium, "status", "larger than")
    assert shown == "This file is 9 MB, larger than the 8 MB this page accepts."
    assert site.patches == []
    assert partial_files(site.world.settings) == []
    assert site.bot.kept == []
    # The refusal leaves the page usable: the file field is enabled again for a smaller file.
    assert await call(lambda: chromium.find_element(By.ID, "file").is_enabled())
