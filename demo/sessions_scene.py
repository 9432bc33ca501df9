"""Oral evidence sessions driven as their users would drive them (the demo scene and the tests use these)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from demo.driver import World

CHAIR_NAME = "Holly Lynch MP"
MEMBER_NAME = "Member MP"
WITNESSES = {
    "sam_okafor": ("Sam Okafor", "Chief Executive", "Leeds Older People's Forum", 1),
    "margaret": ("Margaret Ellis", "Volunteer organiser", "Village phone tree", 1),
    "priya_shah": ("Priya Shah", "Head of Community Hubs", "Hackney Council", 2),
}


@dataclass
class SessionWorld:
    """A world with the seed inquiry open, a session scheduled in the Stage channel, its panels and members."""

    world: World
    stage: object
    session_id: int
    witnesses: dict[str, object] = field(default_factory=dict)
    thread_id: int | None = None

    @property
    def env(self):
        return self.world.env

    @property
    def chair(self):
        return self.world.chair

    @property
    def member(self):
        return self.world.member

    @property
    def sessions_channel(self):
        return self.world.guild.channels["evidence-sessions"]

    @property
    def thread(self):
        """The thread that holds the session's record (once the chair has opened it)."""
        [thread] = [t for t in self.sessions_channel.threads if t.id == self.thread_id]
        return thread

    async def refresh(self):
        session = await self.world.bot.services.sessions.get(self.session_id)
        self.thread_id = session.thread_id
        return session

    async def chair_does(self, command: str, **options):
        """The chair runs a /session command in the session's thread."""
        return await self.chair.slash(self.thread, f"session {command}", **options)

    async def open(self):
        result = await self.chair.slash(self.world.general, "session open", session=self.session_id)
        await self.refresh()
        return result


def start_text(world: World, *, days: float = 2, hours: float = 10) -> str:
    """A start in the future as the secretariat types it (SimCord's clock runs in UTC; London is UTC in January)."""
    start = world.env.now() + timedelta(days=days, hours=hours)
    return start.strftime("%Y-%m-%d %H:%M")


async def schedule(world: World, title: str, *, place=None, link=None, days: float = 2, hours: float = 10, **options):
    """/session schedule run by the secretariat; returns the interaction result."""
    where = {"channel": place} if place is not None else {"link": link or "https://meet.example.org/sci-1"}
    return await world.secretariat.slash(
        world.general,
        "session schedule",
        title=title,
        start=start_text(world, days=days, hours=hours),
        minutes=90,
        **where,
        **options,
    )


async def latest_session_id(world: World) -> int:
    sessions = await world.bot.services.sessions.live_in_guild(world.guild.id)
    return max(s.id for s in sessions)


async def set_up_session(world: World, title: str = "Older people and rural isolation", **options) -> SessionWorld:
    """Schedule a session in a Stage channel, name the chair, add the member and two panels of witnesses."""
    if world.inquiry is None:
        await world.open_call()
    stage = world.guild.channels.get("evidence-stage") or world.guild.create_stage_channel("evidence-stage")
    result = await schedule(world, title, place=stage, **options)
    assert "Scheduled" in reply_text(result), reply_text(result)
    session_id = await latest_session_id(world)
    sw = SessionWorld(world, stage, session_id)
    sec = world.secretariat
    await expect(
        sec.slash(world.general, "session chair", member=world.chair, name=CHAIR_NAME, session=session_id),
        "will chair",
    )
    await expect(
        sec.slash(world.general, "session member-add", member=world.member, name=MEMBER_NAME, session=session_id),
        "Members present",
    )
    for handle, (name, role, organisation, panel) in WITNESSES.items():
        witness = world.witness(handle)
        sw.witnesses[handle] = witness
        await expect(
            sec.slash(
                world.general,
                "session witness-add",
                panel=panel,
                witness=witness,
                name=name,
                role=role,
                organisation=organisation,
                session=session_id,
            ),
            "Witnesses of session",
        )
    return sw


async def expect(pending, wanted: str):
    """Await a slash command and check the bot's answer says ``wanted``."""
    result = await pending
    content = reply_text(result)
    assert wanted in content, content
    return result


def reply_text(result) -> str:
    """The text of the bot's (possibly deferred) answer to an interaction."""
    if result.followups:
        return result.followups[-1].content
    return result.response.content if result.response else ""


def thread_texts(thread) -> list[str]:
    return [m.content for m in thread.history()]
