"""Oral evidence sessions driven as their users would drive them (the demo scene and the tests use these)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from .driver import World
from .narrator import Narrator
from .recordings import QUESTION_READ, VOICE_FILE, recording

CHAIR_NAME = "Holly Lynch MP"
MEMBER_NAME = "Member MP"
WITNESSES = {
    "sam_okafor": ("Sam Okafor", "Chief Executive", "Leeds Older People's Forum", 1),
    "margaret": ("Margaret Ellis", "Volunteer organiser", "Village phone tree", 1),
    "hackney_hubs": ("Priya Shah", "Head of Community Hubs", "Hackney Council", 2),
}


@dataclass
class SessionWorld:
    """A world with the seed inquiry open, a session scheduled in the Stage channel, its panels and members."""

    world: World
    stage: object
    session_id: int
    witnesses: dict[str, object] = field(default_factory=dict)
    thread_id: int | None = None
    scheduled_reply: str = ""

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
    """The most recently scheduled live session of the server."""
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
    sw = SessionWorld(world, stage, session_id, scheduled_reply=reply_text(result))
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
    """The contents of a thread's messages, oldest first."""
    return [m.content for m in thread.history()]


# The demo scene -------------------------------------------------------------------------------------

SESSION_TITLE = "Reaching isolated groups during the crisis"
OUTSIDE_WITNESS = ("Jo Marsh", "Organiser", "Rural Coffee Caravan")
CHAIR_Q1 = "What has the crisis meant for the people you work with, and who is most at risk of isolation?"
MEMBER_Q2 = "Was the barrier to getting people online the equipment, or something else?"
MINUTE_2_EDITED = "Write to DCMS and DLUHC about long-term funding for digital inclusion schemes"
CHAIR_Q4 = "How did advice reach the families who do not read English?"
CHAIR_Q3 = "What should councils and the Government do now to keep this year's volunteers involved?"
CHAIR_Q5 = QUESTION_READ  # read out on the Stage too: the session's recording has the chair saying it
ANSWERS = {
    "sam_okafor": (
        "Older people who relied on day centres lost their main contact overnight. Carers are exhausted, and"
        " people with dementia are more confused without their routines.",
        "Confidence far more than equipment. We lent tablets with data, but it was pairing each one with a digital"
        " champion that got people online.",
    ),
    "margaret": (
        "In our village the lunch club, the library and the Sunday service all stopped in the same week. Several"
        " neighbours live alone and do not use the internet, so advice reached them late.",
    ),
    "hackney_hubs": (
        "Keep one shared list with the voluntary sector, fund a council lead for volunteering, and ask the new"
        " volunteers now what they would like to go on doing.",
    ),
}


async def oral_session(env, bot, world: World, narrator: Narrator) -> SessionWorld:
    """Part two of the seed inquiry: an online oral evidence session with two panels, chaired by Holly Lynch MP."""
    narrator.section("The secretariat schedules an oral evidence session")
    sw = await set_up_session(world, SESSION_TITLE)
    narrator.act("british_future (Secretariat)", f"/session schedule '{SESSION_TITLE}' on the Stage, 90 minutes")
    narrator.bot(sw.scheduled_reply, private=True, limit=7)
    narrator.act(
        "british_future (Secretariat)",
        "/session chair Holly Lynch MP, /session member-add, and /session witness-add for two panels",
    )
    await expect(
        world.secretariat.slash(
            world.general,
            "session witness-add",
            panel=1,
            name=OUTSIDE_WITNESS[0],
            role=OUTSIDE_WITNESS[1],
            organisation=OUTSIDE_WITNESS[2],
            session=sw.session_id,
        ),
        "Witnesses of session",
    )
    narrator.note("Jo Marsh of the Rural Coffee Caravan joins panel 1 from outside the server, by name.")
    result = await world.secretariat.slash(
        world.general, "session panel move", panel=2, name=OUTSIDE_WITNESS[0], session=sw.session_id
    )
    narrator.act(
        "british_future (Secretariat)",
        f"/session panel move name:{OUTSIDE_WITNESS[0]} panel:2 (she can join only for the second half)",
    )
    narrator.bot(reply_text(result), private=True, limit=4)

    new_start = start_text(world, days=2, hours=11)
    result = await world.secretariat.slash(world.general, "session reschedule", start=new_start, session=sw.session_id)
    narrator.act("british_future (Secretariat)", f"/session reschedule start:{new_start} (an hour later)")
    narrator.bot(reply_text(result), private=True, limit=5)

    session = await sw.refresh()
    await env.advance_time((session.starts_at - env.now()).total_seconds() - 10 * 60)
    narrator.section("Reminders")
    narrator.note("Time passes to ten minutes before the start. Witnesses and members were reminded by direct message:")
    dms = [m.content for m in sw.member.user.dm_channel.history() if m.content.startswith("Reminder:")]
    narrator.bot(dms[-1], limit=5)
    narrator.note(f"member_mp received {len(dms)} reminders (a day before and 15 minutes before).")

    await _hearing(sw, narrator)
    await _minutes_and_close(sw, narrator)
    return sw


async def _hearing(sw: SessionWorld, narrator: Narrator) -> None:
    narrator.section("The chair opens the session")
    await sw.env.advance_time(10 * 60)
    result = await sw.open()
    narrator.act("holly_lynch_mp (Chair)", "/session open")
    narrator.bot(reply_text(result), private=True)
    narrator.bot(sw.thread.history()[0].content, limit=16)

    interest = "that she is a trustee of a befriending charity in Leeds"
    result = await sw.member.slash(sw.thread, "session minutes declare", interest=interest, session=sw.session_id)
    narrator.act("member_mp (Member)", f"/session minutes declare interest:{interest}")
    narrator.bot(reply_text(result), private=True, limit=3)

    sam, margaret, hubs = (sw.witnesses[k] for k in ("sam_okafor", "margaret", "hackney_hubs"))
    await sw.chair_does("ask", text=CHAIR_Q1)
    narrator.bot(sw.thread.last_message.content)
    for witness, answer in ((sam, ANSWERS["sam_okafor"][0]), (margaret, ANSWERS["margaret"][0])):
        await sw.env.advance_time(4 * 60)
        await witness.send(sw.thread, answer)
        narrator.act(witness.name, answer)
    await sw.chair_does("allow", member=sw.member)
    narrator.act("holly_lynch_mp (Chair)", "/session allow member_mp: the member may put a question")
    await sw.member.slash(sw.thread, "session ask", text=MEMBER_Q2)
    narrator.bot(sw.thread.last_message.content)
    await sw.env.advance_time(5 * 60)
    await sam.send(sw.thread, ANSWERS["sam_okafor"][1])
    narrator.act(sam.name, ANSWERS["sam_okafor"][1])

    bystander = sw.world.witness("onlooker")
    await bystander.send(sw.thread, "Can I say something too?")
    narrator.act("onlooker (not a witness)", "Can I say something too?")
    narrator.bot(sw.thread.last_message.content)

    await sw.env.advance_time(20 * 60)
    await sw.chair_does("next-panel")
    narrator.act("holly_lynch_mp (Chair)", "/session next-panel")
    narrator.bot(sw.thread.last_message.content)
    await sw.chair_does("ask", text=CHAIR_Q3)
    narrator.bot(sw.thread.last_message.content)
    await sw.env.advance_time(6 * 60)
    await hubs.send(sw.thread, ANSWERS["hackney_hubs"][0])
    narrator.act(hubs.name, ANSWERS["hackney_hubs"][0])

    await sw.chair_does("ask", text=CHAIR_Q4)
    narrator.bot(sw.thread.last_message.content)
    await sw.env.advance_time(3 * 60)
    await hubs.send(sw.thread, "", attachments=[(VOICE_FILE, recording(VOICE_FILE))])
    narrator.act(hubs.name, "answers by voice message in the thread (the packaged recording)")
    for content in [m.content for m in sw.thread.history()][-2:]:
        narrator.bot(content, limit=6)

    await sw.env.advance_time(2 * 60)
    await sw.chair_does("ask", text=CHAIR_Q5)
    narrator.bot(sw.thread.last_message.content)
    narrator.act(
        hubs.name,
        "answers aloud on the Stage, typing nothing: the secretariat records the Stage with Craig (a track per"
        " speaker), from just before the chair read Q5 out",
    )
    await sw.env.advance_time(3 * 60)


async def _minutes_and_close(sw: SessionWorld, narrator: Narrator) -> None:
    narrator.section("Formal minutes and the close")
    decision = "Ordered, That the written evidence accepted by the secretariat be published."
    result = await sw.chair_does("minute", kind="decision", text=decision)
    narrator.act("holly_lynch_mp (Chair)", "/session minute decision")
    narrator.bot(reply_text(result), private=True)
    result = await sw.world.secretariat.slash(
        sw.thread,
        "session minute",
        kind="action",
        text="Write to DCMS about long-term funding for digital inclusion schemes",
        owner="British Future",
        due=(sw.env.now() + timedelta(days=14)).strftime("%Y-%m-%d"),
    )
    narrator.act("british_future (Secretariat)", "/session minute action")
    narrator.bot(reply_text(result), private=True)
    result = await sw.world.secretariat.slash(
        sw.thread,
        "session minutes edit",
        number=2,
        reason="The letter goes to DCMS and DLUHC jointly",
        text=MINUTE_2_EDITED,
        session=sw.session_id,
    )
    narrator.act("british_future (Secretariat)", "/session minutes edit number:2 (the letter goes to two departments)")
    narrator.bot(reply_text(result), private=True)
    result = await sw.world.secretariat.slash(
        sw.thread, "session panel attendance", attended="absent", name=OUTSIDE_WITNESS[0], session=sw.session_id
    )
    narrator.act("british_future (Secretariat)", f"/session panel attendance name:{OUTSIDE_WITNESS[0]} attended:absent")
    narrator.bot(reply_text(result), private=True, limit=8)
    await sw.env.advance_time(15 * 60)
    await sw.chair_does("close")
    narrator.act("holly_lynch_mp (Chair)", "/session close")
    narrator.bot(sw.thread.last_message.content)

    store = sw.world.bot.services.store
    questions = await store.sessions.questions(sw.session_id)
    answers = await store.sessions.answers(sw.session_id)
    rows = []
    for question in questions:
        speakers = [a.speaker_name for a in answers if a.question_id == question.id]
        rows.append((question.label, question.asker_label, ", ".join(speakers) or "aloud on the Stage (recorded)"))
    narrator.table(("question", "asked by", "answered by"), rows)
    narrator.note("The stage and the server event ended with the session; the thread holds the record and is locked.")
