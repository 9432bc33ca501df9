"""Drive the bot through a simulated Discord as its users would: a set-up server, an open call, a witness's
steps. The offline demo and the behaviour tests both use these."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import discord
from simcord import SetupError

from cogs.evidence._ui import split_answer
from inquiry.inquiries.models import Inquiry

SEED_TITLE = "What can we learn from the COVID-19 crisis about social connection with isolated groups?"


@dataclass
class World:
    """A server set up with /setup, its people, and (once opened) the seed inquiry's call for evidence."""

    env: object
    bot: object
    guild: object
    general: object
    admin: object
    secretariat: object
    chair: object
    member: object
    inquiry: Inquiry | None = None
    witnesses: dict[str, object] = field(default_factory=dict)
    replies: list = field(default_factory=list)

    @property
    def call_channel(self):
        return self.guild.channels["call-for-evidence"]

    @property
    def forum(self):
        return self.guild.channels["evidence"]

    @property
    def call_post(self):
        return self.call_channel.last_message

    def witness(self, name: str):
        """A plain server member (no inquiry role) who will give evidence."""
        if name not in self.witnesses:
            self.witnesses[name] = self.guild.add_member(self.env.create_user(name))
        return self.witnesses[name]

    async def secretariat_runs(self, command: str, **options):
        """Run a slash command as the secretariat, in #general; returns SimCord's InteractionResult."""
        return await self.secretariat.slash(self.general, command, **options)

    async def inquiry_now(self, code: str = "SCI") -> Inquiry:
        """The inquiry as stored now."""
        return await self.bot.services.inquiries.resolve(self.guild.id, code)

    def closing_text(self, days: float) -> str:
        """A closing date ``days`` from the simulated now, as the secretariat types it (local time)."""
        local = (self.env.now() + timedelta(days=days)).astimezone(self.bot.services.tz)
        return f"{local:%Y-%m-%d %H:%M}"

    async def open_call(self, *, days: float = 14, word_limit: int | None = None) -> Inquiry:
        """The secretariat creates the seed inquiry, loads its five questions and opens the call, by slash
        commands; the replies are kept in ``self.replies`` for the demo's account."""
        self.replies = [
            await self.secretariat_runs("inquiry create", code="SCI", title=SEED_TITLE),
            await self.secretariat_runs("inquiry template", name="social-connection", inquiry="SCI"),
        ]
        if word_limit:
            self.replies.append(await self.secretariat_runs("inquiry word-limit", words=word_limit, inquiry="SCI"))
        opened = await self.secretariat_runs("inquiry open", closes=self.closing_text(days), inquiry="SCI")
        self.replies.append(opened)
        assert "is **open**" in opened.response.content, opened.response.content
        self.inquiry = await self.inquiry_now()
        return self.inquiry


async def make_world(env, bot) -> World:
    """A guild where an administrator has run /setup, with a secretariat, a chair and a member."""
    guild = env.create_guild("Social Integration APPG")
    general = guild.create_text_channel("general")
    admins = guild.create_role("Admins", permissions=discord.Permissions(administrator=True))
    admin = guild.add_member(env.create_user("clerk"), roles=[admins])
    result = await admin.slash(general, "setup")
    assert "set up" in result.response.content
    roles = guild.roles
    return World(
        env=env,
        bot=bot,
        guild=guild,
        general=general,
        admin=admin,
        secretariat=guild.add_member(env.create_user("british_future"), roles=[roles["Secretariat"]]),
        chair=guild.add_member(env.create_user("holly_lynch_mp"), roles=[roles["Chair"]]),
        member=guild.add_member(env.create_user("member_mp"), roles=[roles["Member"]]),
    )


class WitnessSteps:
    """One witness going through the private flow, by clicking what they would click."""

    def __init__(self, world: World, witness) -> None:
        self.world = world
        self.witness = witness
        self.panel = None
        self.last = None

    async def start(self):
        """Press 'Submit evidence' under the call."""
        self.last = await self.witness.click(self.world.call_post, label="Submit evidence")
        if self.last.response is not None and self.last.response.components:
            self.panel = self.last.response.message
        return self.last

    async def details(self, name: str, organisation: str | None = None, contact: str | None = None):
        shown = await self.witness.click(self.panel, label="Your details")
        values = {"name": name, "organisation": organisation or "", "contact": contact or ""}
        self.last = await self.witness.submit_modal(shown, values)
        return self.last

    async def choose(self, capacity: str | None = None, publication: str | None = None):
        if capacity:
            self.last = await self.witness.select(self.panel, [capacity], custom_id=_select_id(self.panel, "cap"))
        if publication:
            self.last = await self.witness.select(self.panel, [publication], custom_id=_select_id(self.panel, "pub"))
        return self.last

    async def answer(self, *parts: str):
        """On a question page: write an answer (in up to five parts); the flow moves to the next question."""
        try:
            shown = await self.witness.click(self.panel, label="Write answer")
        except SetupError:
            shown = await self.witness.click(self.panel, label="Edit answer")
        self.last = await self.witness.submit_modal(shown, {f"part{i + 1}": p for i, p in enumerate(parts)})
        return self.last

    async def send_file(self, filename: str, data: bytes):
        """Send the bot a file by direct message, as Discord's client uploads it."""
        env = self.witness._env
        channel = self.witness.user.dm_channel
        payloads = env.backend.store_attachments(channel.id, [(filename, data)])
        return await self.witness.send_dm("", attachments=payloads)

    @property
    def dm(self):
        """The witness's direct-message channel with the bot."""
        return self.witness.user.dm_channel

    @property
    def last_words(self) -> str:
        """What the bot last said to the witness in answer to their last action (a follow-up, else the reply)."""
        if self.last.followups:
            return self.last.followups[-1].content
        return self.last.response.content if self.last.response else ""

    async def click(self, label: str):
        self.last = await self.witness.click(self.panel, label=label)
        return self.last

    async def give(self, name: str, answers: dict[int, str], *, organisation=None, publication="named", submit=True):
        """The whole flow: details, choices, answers by question number (others skipped), submit."""
        await self.start()
        await self.details(name, organisation, f"{name.split()[0].lower()}@example.org")
        await self.choose("organisation" if organisation else "individual", publication)
        await self.click("Answer the questions")
        for number in range(1, len(self.world.inquiry.questions) + 1):
            if number in answers:
                await self.answer(*split_answer(answers[number]))
            else:
                await self.click("Skip →")
        if submit:
            await self.click("Submit evidence")
        return self.last


def _select_id(message, field: str) -> str:
    for row in message.components:
        for item in row.children:
            if (item.custom_id or "").startswith(f"evidence:{field}:"):
                return item.custom_id
    raise AssertionError(f"no {field} select on the panel")
