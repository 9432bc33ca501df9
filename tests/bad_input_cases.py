"""What the table of bad inputs (``test_bad_input.py``) is made of: a row type, the worlds rows start from, a
snapshot of everything stored (to show that nothing was stored or lost), what the bot said, and ways to send
the bot what a modified client could send (modal values over their limits, another person's custom_id, slash
options over their length) through SimCord's own dispatch.
"""

from __future__ import annotations

import io
import os
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
from simcord.actors import _dispatch_actor_interaction, _resolve_visible_command
from simcord.backend import serializers
from simcord.builders import ChannelHandle
from simcord.enums import AppCommandType, ComponentType, InteractionType
from simcord.interactions import build_options, nest_options, walk_to_subcommand

from demo.driver import WitnessSteps, World, make_world
from demo.sessions_scene import set_up_session
from tests.documents.document_samples import encrypted_pdf, pdf_of_words, sample_docx, save_docx, zip_bomb_docx
from transcription import hostile
from transcription.synth import silence, tone, write_media

Q1 = "Lunch clubs closed overnight, and with them the only weekly contact many older people had."

# Tables that change without anything being stored as evidence: the names of the people seen, the log of files
# offered (kept to enforce each person's limits, refused ones included), and SQLite's counters of the ids given.
VOLATILE_TABLES = frozenset({"display_names", "media_intake", "sqlite_sequence", "alembic_version"})


@dataclass
class Ctx:
    """What a row works on: the world, the witness's steps (when the row has a witness) and a folder of its own."""

    world: World
    tmp: Path
    steps: WitnessSteps | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def store(self):
        return self.world.bot.services.store

    @property
    def services(self):
        return self.world.bot.services


Act = Callable[[Ctx], Awaitable[str]]
Check = Callable[[Ctx, "Snapshot"], Awaitable[None]]


@dataclass(frozen=True)
class Row:
    """One kind of bad input: where it starts (``setup``), what is done (``act``, returning what the user was
    told), the key phrases of that message (``says``), phrases it must not contain (``never``), and how to check
    that nothing was stored or lost (``check``; by default: everything stored is exactly as before)."""

    id: str
    setup: Callable[[Ctx], Awaitable[None]]
    act: Act
    says: tuple[str, ...]
    never: tuple[str, ...] = ()
    check: Check | None = None
    slow: bool = False


# Text ------------------------------------------------------------------------------------------------------


def norm(text: str) -> str:
    """Whitespace made single spaces, and the zero-width space that inert mentions carry removed."""
    return " ".join(text.replace("\u200b", "").split())


def said(result) -> str:
    """Everything the bot answered to one interaction: its reply and follow-ups, with embeds' text."""
    messages = [result.response, *result.followups] if result.response is not None else list(result.followups)
    parts = []
    for message in messages:
        parts.append(message.content or "")
        for embed in getattr(message, "embeds", []):
            parts += [embed.title or "", embed.description or ""]
    return norm("\n".join(parts))


def last_dm(steps: WitnessSteps) -> str:
    return norm(steps.dm.last_message.content)


# Worlds ----------------------------------------------------------------------------------------------------


async def call_open(ctx: Ctx) -> None:
    """The seed inquiry's call for evidence is open."""
    await ctx.world.open_call()


async def answered_q1(ctx: Ctx, handle: str = "rae", name: str = "Rae Fusal") -> WitnessSteps:
    """A witness has given their name and answered Q1, and is on Q2."""
    steps = WitnessSteps(ctx.world, ctx.world.witness(handle))
    await steps.start()
    await steps.details(name, None, f"{handle}@example.org")
    await steps.choose("individual", "named")
    await steps.click("Answer the questions")
    await steps.answer(Q1)
    return steps


async def draft_on_q2(ctx: Ctx) -> None:
    """An open call, and a witness's draft with Q1 answered, on Q2."""
    await call_open(ctx)
    ctx.steps = await answered_q1(ctx)


async def draft_on_overview(ctx: Ctx) -> None:
    """An open call, and a witness's draft with Q1 answered, on the overview."""
    await draft_on_q2(ctx)
    await ctx.steps.click("Overview")


async def submitted(ctx: Ctx) -> None:
    """A witness's evidence has been submitted as SCI0001 (and posted to the forum)."""
    await draft_on_q2(ctx)
    await ctx.steps.click("Overview")
    await ctx.steps.click("Review and submit")
    done = await ctx.steps.click("Submit evidence")
    assert "SCI0001" in said(done), said(done)


async def new_world(env, bot) -> World:
    return await make_world(env, bot)


# Everything stored -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """Every row of every table (but the volatile ones), the files kept, and the forum's posts."""

    tables: dict[str, list[tuple]]
    files: tuple[str, ...]
    forum: tuple[tuple[str, tuple[str, ...]], ...]

    def differences(self, other: Snapshot) -> list[str]:
        """Where ``other`` differs from this snapshot, in words (empty: nothing changed)."""
        found = [
            f"table {name}: {self.tables.get(name)} -> {other.tables.get(name)}"
            for name in sorted(set(self.tables) | set(other.tables))
            if self.tables.get(name) != other.tables.get(name)
        ]
        if self.files != other.files:
            found.append(f"files: {self.files} -> {other.files}")
        if self.forum != other.forum:
            found.append(f"forum: {self.forum} -> {other.forum}")
        return found


async def snapshot(world: World) -> Snapshot:
    """What the bot holds now: the database, the media and export folders, the evidence forum."""
    store = world.bot.services.store
    names = await store.table_names()
    tables = {}
    for name in sorted(set(names) - VOLATILE_TABLES):
        rows = await store.fetch_all(f'SELECT * FROM "{name}"')
        tables[name] = sorted((tuple(row) for row in rows), key=repr)
    files = kept_files(world.bot.transcription.media_dir, world.bot.services.exports.export_dir)
    forum = tuple((t.name, tuple(m.content for m in t.history())) for t in world.forum.threads)
    return Snapshot(tables, files, forum)


def kept_files(*folders: Path) -> tuple[str, ...]:
    """Every file under ``folders`` (staged arrivals included), by its path inside its folder."""
    return tuple(
        sorted(
            f"{folder.name}/{path.relative_to(folder)}"
            for folder in map(Path, folders)
            if folder.exists()
            for path in folder.rglob("*")
            if path.is_file()
        )
    )


async def unchanged(ctx: Ctx, before: Snapshot) -> None:
    """Nothing stored, nothing lost: the database, the files and the forum are exactly as they were."""
    after = await snapshot(ctx.world)
    assert not before.differences(after), "\n".join(before.differences(after))


# What a modified client can send ----------------------------------------------------------------------------


async def forge_modal(actor, shown, values: dict[str, str], custom_id: str | None = None):
    """Submit the modal ``shown`` to ``actor`` with any ``values`` (past its inputs' limits, or empty where one is
    required) and, given ``custom_id``, as if it were another modal: what Discord's own client would never send."""
    interaction = shown._interaction
    env, backend = actor._env, actor._env.backend
    text = ComponentType.TEXT_INPUT
    rows = [
        {"type": ComponentType.ACTION_ROW, "components": [{"type": text, "custom_id": key, "value": value}]}
        for key, value in values.items()
    ]
    data = {"custom_id": custom_id or interaction.modal["custom_id"], "components": rows}
    extra = None
    if interaction.source_message_id is not None:
        source = backend.get_message(interaction.channel_id, interaction.source_message_id)
        extra = {"message": dict(serializers.message_payload(backend, source))}
    channel = ChannelHandle(env, getattr(actor, "guild", None), backend.get_channel(interaction.channel_id))
    interaction.modal_consumed = True
    return await _dispatch_actor_interaction(
        actor,
        InteractionType.MODAL_SUBMIT,
        channel,
        data,
        extra=extra,
        source_message_id=interaction.source_message_id,
    )


async def forge_click(actor, message, custom_id: str):
    """Press a button the person was never shown (another witness's submission, recording or answer): the
    interaction names ``message`` as Discord would, with the forged button on it, since discord.py dispatches a
    click only to a component the message carries."""
    env, backend = actor._env, actor._env.backend
    channel_id = message.channel_id if hasattr(message, "channel_id") else message.channel.id
    stored = backend.get_message(channel_id, message.id)
    payload = dict(serializers.message_payload(backend, stored))
    button = {"type": ComponentType.BUTTON, "style": 2, "label": "…", "custom_id": custom_id}
    payload["components"] = [{"type": ComponentType.ACTION_ROW, "components": [button]}]
    channel = ChannelHandle(env, getattr(actor, "guild", None), backend.get_channel(channel_id))
    data = {"custom_id": custom_id, "component_type": ComponentType.BUTTON}
    return await _dispatch_actor_interaction(
        actor, InteractionType.MESSAGE_COMPONENT, channel, data, extra={"message": payload}, source_message_id=stored.id
    )


async def forge_slash(actor, channel, name: str, options: dict[str, Any], forged: dict[str, Any], *, dm=None):
    """Run a slash command whose ``forged`` option values break the limits the command declares to Discord; with
    ``dm`` (a user), sent by them from their direct messages with the bot, where Discord never offers it."""
    parts = name.split()
    root = _resolve_visible_command(actor, channel.id, parts[0], AppCommandType.CHAT_INPUT)
    leaf, nesting = walk_to_subcommand(root, parts[1:])
    leaf_options, resolved = build_options(actor, name, leaf, options, channel_id=channel.id)
    for option in leaf_options:
        if option["name"] in forged:
            option["value"] = forged[option["name"]]
    data = {
        "id": root["id"],
        "name": root["name"],
        "type": root.get("type", AppCommandType.CHAT_INPUT),
        "options": nest_options(root, nesting, leaf_options),
    }
    if resolved:
        data["resolved"] = resolved
    if dm is not None:
        return await _dispatch_actor_interaction(dm, InteractionType.APPLICATION_COMMAND, dm.dm_channel, data)
    if root.get("guild_id"):
        data["guild_id"] = root["guild_id"]
    return await _dispatch_actor_interaction(actor, InteractionType.APPLICATION_COMMAND, channel, data)


def custom_ids(message) -> list[str]:
    """The custom_ids of a message's components."""
    found = []
    for row in message.components:
        for child in getattr(row, "children", [row]):
            if getattr(child, "custom_id", None):
                found.append(child.custom_id)
    return found


def submission_id_of(message) -> int:
    """The submission a witness's private page is about (from its buttons' custom_ids)."""
    for custom_id in custom_ids(message):
        match = re.match(r"evidence:[a-z]+:(\d+)", custom_id)
        if match:
            return int(match[1])
    raise AssertionError("no submission on this page")


# More worlds -----------------------------------------------------------------------------------------------


async def witness_steps(ctx: Ctx, handle: str, name: str | None = None) -> WitnessSteps:
    """Another witness, with their own draft (name given) on its overview."""
    steps = WitnessSteps(ctx.world, ctx.world.witness(handle))
    await steps.start()
    if name:
        await steps.details(name, None, f"{handle}@example.org")
        await steps.choose("individual", "named")
    return steps


async def on_review_page(ctx: Ctx) -> None:
    """A witness's draft with Q1 answered, on the page with Submit."""
    await draft_on_overview(ctx)
    await ctx.steps.click("Review and submit")


async def accepted(ctx: Ctx) -> None:
    """SCI0001, accepted by the secretariat."""
    await submitted(ctx)
    done = await ctx.world.secretariat_runs("review accept", reference="SCI0001")
    assert "now **accepted**" in said(done), said(done)


async def inquiry_in_draft(ctx: Ctx) -> None:
    """The seed inquiry created, with its five questions, not yet open."""
    world = ctx.world
    await world.secretariat_runs("inquiry create", code="SCI", title="Social connection in a crisis")
    await world.secretariat_runs("inquiry template", name="social-connection", inquiry="SCI")


async def session_scheduled(ctx: Ctx) -> None:
    """An open call and a session scheduled on the Stage, with its chair, a member and two panels."""
    ctx.extra["session"] = await set_up_session(ctx.world)


async def session_open(ctx: Ctx) -> None:
    """The session above, opened by its chair."""
    await session_scheduled(ctx)
    await ctx.extra["session"].open()


async def spoken_answers(ctx: Ctx) -> None:
    """An open session where Sam Okafor gave a spoken answer, sent to him to correct."""
    await session_open(ctx)
    sw = ctx.extra["session"]
    session = await sw.refresh()
    sam = sw.witnesses["sam_okafor"]
    await sw.chair_does("ask", text="Who is most at risk?")
    record = ctx.services.session_record
    intake = await record.take_voice(session, sam.id, 9001, None, "voice-message.ogg", "https://cdn.example/v.ogg")
    ctx.extra["answer"] = await record.on_spoken_answer(intake.answer.id, SAM_HEARD)
    sent = await ctx.world.secretariat.slash(ctx.world.general, "session transcript-send", session=sw.session_id)
    assert "Transcripts sent to Sam Okafor" in said(sent), said(sent)
    ctx.extra["sam"] = sam
    ctx.extra["sam_post"] = next(m for m in sam.user.dm_channel.history() if m.components)


SAM_HEARD = "Older people in rural villages lost there lunch clubs and there only weekly contact."


async def recording_transcribed(ctx: Ctx, steps: WitnessSteps, data: bytes, text: str) -> int:
    """A recording ``steps``' witness sent for the question they are on, kept by the bot's own queue, its transcript
    written as the worker writes it, then posted to them by the bot (no model runs); the item's id."""
    store, queue, now = ctx.store, ctx.world.bot.transcription, ctx.services.clock()
    [submission] = [s for s in await ctx.services.submissions.of_user(steps.witness.id) if s.editable_by_witness]
    inquiry = await ctx.world.inquiry_now()
    question = inquiry.questions[submission.step - 1] if 1 <= submission.step <= len(inquiry.questions) else None
    received = await queue.receive(
        data, "voice-message.ogg", "audio/ogg", message_id=steps.witness.id + submission.step, voice=True,
        user_id=steps.witness.id, submission_id=submission.id, question_id=question.id if question else None,
        discord_channel_id=steps.dm.id,
    )  # fmt: skip
    async with store.transaction():
        claimed = await store.media.claim_job(now)
        assert claimed is not None and claimed.id == received.job.id
        await store.media.finish_job(received.job.id, {"text": text, "language": "en", "segments": []}, now)
        await store.media.advance_item(received.item.id, "transcribed")
    await ctx.services.recordings.remember_notice(received.job.id, steps.dm.id, 0)
    await ctx.world.bot.get_cog("VoiceEvidenceCog")._done(await store.media.job(received.job.id))
    await ctx.world.env.settle()
    return received.item.id


TRANSCRIBED = "We lent tablets to forty households and rang the rest every week."


async def transcript_on_q2(ctx: Ctx) -> None:
    """A witness on Q2 whose voice message for Q2 has been transcribed and posted with Confirm and Correct."""
    await draft_on_q2(ctx)
    ctx.extra["item"] = await recording_transcribed(ctx, ctx.steps, ogg_tone(ctx.tmp, 440), TRANSCRIBED)
    ctx.extra["post"] = ctx.steps.dm.last_message
    assert ctx.extra["post"].content.startswith("**Transcript of your recording for Q2"), ctx.extra["post"].content


# Files ------------------------------------------------------------------------------------------------------


def ogg_tone(folder: Path, hz: float, seconds: float = 1.0) -> bytes:
    """A real Ogg/Opus recording of a tone (each call makes other bytes: Ogg streams carry a random serial)."""
    return write_media(folder / f"tone-{hz:g}.ogg", tone(seconds, hz)).read_bytes()


def wav_tone(folder: Path, seconds: float = 1.0, hz: float = 440) -> bytes:
    return write_media(folder / f"tone-{hz:g}-{seconds:g}.wav", tone(seconds, hz)).read_bytes()


def silent_wav(folder: Path, seconds: float = 3.0) -> bytes:
    return write_media(folder / "quiet.wav", silence(seconds)).read_bytes()


def mute_video(folder: Path) -> bytes:
    """A video with no sound track at all."""
    return write_media(folder / "mute.mp4", None, video=True, seconds=2).read_bytes()


def truncated_ogg(folder: Path) -> bytes:
    """A real recording cut off inside its first pages: the headers promise sound that never comes."""
    return ogg_tone(folder, 330, 2.0)[:400]


def lying_file(folder: Path, suffix: str) -> bytes:
    """Ten minutes of sound in a file whose header says two seconds (see transcription.hostile)."""
    short = hostile.encode_short(folder / f"short{suffix}", tone(2.0, 300))
    long = hostile.repeat_packets(short, folder / f"long{suffix}", 600)
    (hostile.declare_webm_duration if suffix == ".webm" else hostile.declare_mp4_duration)(long, 2.0)
    return long.read_bytes()


def hls_playlist(folder: Path) -> bytes:
    segment = hostile.write_ts(folder / "segment.ts", tone(2.0, 300))
    return hostile.hls_playlist(folder / "list.m3u8", segment, 2.0).read_bytes()


def ffconcat(folder: Path) -> bytes:
    (folder / "other.ogg").write_bytes(ogg_tone(folder, 350))
    return hostile.ffconcat_list(folder / "list.ffconcat", folder / "other.ogg").read_bytes()


def empty_docx() -> bytes:
    return save_docx(docx.Document())


def damaged_docx() -> bytes:
    data = sample_docx()
    return data[: len(data) // 2]


def locked_pdf() -> bytes:
    return encrypted_pdf(pdf_of_words("Evidence of isolation in rural villages"), "witness-password")


def bomb_docx() -> bytes:
    return zip_bomb_docx(sample_docx())


def scanned_pdf(width: int = 200, height: int = 260) -> bytes:
    """A one-page PDF holding only a picture of lines of print, as a scanner makes: no text layer."""
    rows = b"".join(bytes(40 if (y // 12) % 3 == 0 else 235 for _ in range(width)) for y in range(height))
    image = zlib.compress(rows)
    content = b"q 495 0 0 742 50 50 cm /Im1 Do Q"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /XObject << /Im1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8"
        b" /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream" % (width, height, len(image), image),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + os.urandom(4096)
NOT_UTF8 = b"Evidence \x81\x8d\x8f\x90\x9d from a reader"


# Zips of session recordings ---------------------------------------------------------------------------------


def make_zip(members: list[tuple[str | zipfile.ZipInfo, bytes]], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_encrypted(track: bytes) -> bytes:
    """A track whose entry is marked encrypted (as a password-protected zip marks it)."""
    data = bytearray(make_zip([("1-holly_lynch_mp.wav", track)]))
    data[data.index(b"PK\x03\x04") + 6] |= 1
    data[data.index(b"PK\x01\x02") + 8] |= 1
    return bytes(data)


def zip_overlapping(track: bytes) -> bytes:
    """Two directory entries whose data is the same bytes (how zip bombs without nesting are made)."""
    data = make_zip([("1-holly_lynch_mp.wav", track), ("2-sam_okafor.wav", track)], zipfile.ZIP_STORED)
    second = data.index(b"PK\x01\x02", data.index(b"PK\x01\x02") + 4)
    return data[: second + 42] + struct.pack("<I", 0) + data[second + 46 :]


def zip_symlink(track: bytes) -> bytes:
    link = zipfile.ZipInfo("2-sam_okafor.wav")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    return make_zip([("1-holly_lynch_mp.wav", track), (link, b"/etc/passwd")])
