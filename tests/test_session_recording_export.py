"""The session's recording in the Word transcript: recorded speech under the question put at that moment, in time
order with what was typed in the thread (marked as typed), attributed to the speaker of its track (the chair as
"Chair", a member, a witness, or the track's own name), the opening before the first question, a question read out
by its asker printed once; recordings uploaded again replace what they overlap; struck questions stay struck; the
secretariat says when the recording started.

The tracks are real WAV files uploaded through /session recording and taken by the real transcription queue; their
transcripts are stored beforehand as finished jobs of the same files (the queue takes a file it has already
transcribed at once), or finished through the store after the upload and handed to the service as the queue does,
so the attribution and the export run for real without running Whisper here. The .docx is reopened with
python-docx."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import docx
import pytest

from demo.driver import make_world
from demo.sessions_scene import expect, reply_text, set_up_session
from exports.transcript import TYPED_NOTICE, UNCORRECTED_NOTICE
from inquiry.core.errors import InvalidInput
from inquiry.core.models import Role
from inquiry.sessions.models import Actor
from inquiry.sessions.recording_models import RecordingStatus
from inquiry.sessions.recordings import READING_LEAD_S, question_read_out, reads_question
from inquiry.sessions.rules import recording_offset
from tests.test_sessions_recordings import wav_bytes

pytestmark = pytest.mark.simcord(settle_timeout=120)

U = "[uncorrected transcript]"
T = "[typed in the session thread]"
CHAIR_Q1 = "What did the lockdown mean for older people in your area?"
CHAIR_Q2 = "What should councils do now to keep the volunteers?"
TYPED = "We also sent 300 letters to people who are not online."
# (start, end, text) in seconds from the start of each track. In the hearing below Q1 is put 20 s after the opening,
# the typed answer comes at 60 s and Q2 at 90 s; the recording starts 10 s after the opening.
CHAIR_SAID = [
    (1.0, 5.0, "Good morning and welcome to this session of the inquiry."),
    (11.0, 14.0, "What did the lockdown mean for older people?"),  # Q1 read out, just after it was put
    (70.0, 74.0, "Thank you. What about those who are not online?"),  # a follow-up under Q1
    (76.0, 79.0, "What should councils do now?"),  # Q2 read out at 86 s, 4 s before it was posted
]
SAM_SAID = [
    (15.0, 22.0, "The day centres closed overnight."),
    (23.0, 26.0, "Many people were left completely alone."),
    (74.5, 75.8, "They had a landline at least."),
    (86.0, 95.0, "Councils should thank the volunteers."),
]
MEMBER_SAID = [(96.0, 99.0, "Should they pay volunteers?")]
DESK_SAID = [(100.0, 102.0, "Sorry, the line dropped there.")]
RECORDED = [
    f"Chair: {U} Good morning and welcome to this session of the inquiry.",
    f"Q1 Chair: {CHAIR_Q1}",
    f"Sam Okafor: {U} The day centres closed overnight. Many people were left completely alone.",
    f"Sam Okafor: {T} {TYPED}",
    f"Chair: {U} Thank you. What about those who are not online?",
    f"Sam Okafor: {U} They had a landline at least.",
    f"Q2 Chair: {CHAIR_Q2}",
    f"Sam Okafor: {U} Councils should thank the volunteers.",
    f"Member MP: {U} Should they pay volunteers?",
    f"press_desk: {U} Sorry, the line dropped there.",
]


@pytest.fixture
async def world(simcord_env, simcord_bot):
    return await make_world(simcord_env, simcord_bot)


async def transcribed_before(world, data: bytes, said) -> None:
    """Store ``data`` with a finished transcript, as the queue does once it has transcribed a file."""
    store, now, queue = world.bot.services.store, world.bot.services.clock(), world.bot.transcription
    sha = hashlib.sha256(data).hexdigest()
    path = queue.media_dir / sha[:2] / f"{sha}.wav"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    async with store.transaction():
        media_id = await store.media.add_media(
            sha256=sha, path=f"{sha[:2]}/{sha}.wav", filename="track.wav", content_type=None, size=len(data), now=now
        )
        job_id = await store.media.add_job(
            media_id=media_id, item_id=None, engine=queue.settings.engine, model=queue.settings.model,
            language=None, translate=False, now=now,
        )  # fmt: skip
        await store.media.claim_job(now)
        await store.media.finish_job(job_id, transcript(said), now)


def transcript(said) -> dict:
    """A finished job's result, as the worker stores it."""
    segments = [{"start": start, "end": end, "text": text} for start, end, text in said]
    return {"text": " ".join(t for _, _, t in said), "language": "en", "segments": segments}


async def hearing(world):
    """Q1 put 20 s after the opening, a typed answer at 60 s, Q2 at 90 s."""
    sw = await set_up_session(world)
    await sw.open()
    await world.env.advance_time(20)
    await sw.chair_does("ask", text=CHAIR_Q1)
    await world.env.advance_time(40)
    await sw.witnesses["sam_okafor"].send(sw.thread, TYPED)
    await world.env.advance_time(30)
    await sw.chair_does("ask", text=CHAIR_Q2)
    return sw


def zipped(tracks: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in tracks.items():
            archive.writestr(name, data)
    return buffer.getvalue()


async def four_tracks(world) -> dict[str, bytes]:
    """Craig's tracks of the hearing: the chair, a witness, a member, and a track whose name matches nobody."""
    tracks = {
        "1-holly_lynch_mp.wav": (wav_bytes(0.5), CHAIR_SAID),
        "2-sam_okafor.wav": (wav_bytes(0.6), SAM_SAID),
        "3-member_mp.wav": (wav_bytes(0.7), MEMBER_SAID),
        "4-press_desk.wav": (wav_bytes(0.8), DESK_SAID),
    }
    for data, said in tracks.values():
        await transcribed_before(world, data, said)
    return {name: data for name, (data, _) in tracks.items()}


async def upload(world, sw, tracks: dict[str, bytes] | None = None, *, started: float | None, name="craig.zip"):
    """/session recording with ``started`` given as the clock time that many seconds after the opening."""
    options = {}
    if started is not None:
        session = await world.bot.services.sessions.get(sw.session_id)
        moment = (session.opened_at + timedelta(seconds=started)).astimezone(world.bot.services.tz)
        options["started"] = moment.strftime("%H:%M:%S")
    data = zipped(tracks or await four_tracks(world))
    return await world.secretariat.slash(
        world.general, "session recording", file=(name, data), session=sw.session_id, **options
    )


async def exported(world, session_id: int) -> list[str]:
    """The non-empty paragraphs of the exported transcript, reopened with python-docx."""
    result = await expect(world.secretariat.slash(world.general, "export transcript", session=session_id), ".docx")
    [attachment] = result.response.attachments if not result.followups else result.followups[-1].attachments
    document = docx.Document(io.BytesIO(await attachment.read()))
    return [p.text for p in document.paragraphs if p.text.strip()]


def examination(lines: list[str]) -> list[str]:
    """The transcript after the front matter: from the first panel's list of witnesses on."""
    return lines[lines.index("Witnesses: Sam Okafor and Margaret Ellis.") + 1 :]


async def test_recorded_speech_joins_the_transcript_under_its_question_by_speaker_in_time_order(world):
    sw = await hearing(world)
    said = reply_text(await upload(world, sw, started=10))
    assert "4 track(s)" in said and "3-member_mp.wav: Member MP" in said and "4-press_desk.wav: press_desk" in said
    assert "0 min 10 s after the session was opened" in said
    recording = await world.bot.services.store.sessions.recording(1)
    assert recording.status is RecordingStatus.DONE and recording.started_offset_s == 10

    lines = await exported(world, sw.session_id)
    assert examination(lines) == RECORDED
    assert UNCORRECTED_NOTICE in lines and TYPED_NOTICE in lines
    assert lines.index(UNCORRECTED_NOTICE) < lines.index("Contents")


async def test_without_the_start_the_recording_is_taken_to_start_at_the_opening(world):
    sw = await hearing(world)
    said = reply_text(await upload(world, sw, started=None))
    assert "Taken to start when the session was opened" in said and "upload it again with started:" in said
    body = examination(await exported(world, sw.session_id))
    at_q1, at_q2 = body.index(f"Q1 Chair: {CHAIR_Q1}"), body.index(f"Q2 Chair: {CHAIR_Q2}")
    # 15 s into the recording is now 15 s after the opening, before Q1 (put at 20 s): Sam's first words are in the
    # opening, his next (23 s) under Q1; his answer at 86 s falls under Q1 too (Q2 was put at 90 s).
    assert body[at_q1 - 1] == f"Sam Okafor: {U} The day centres closed overnight."
    assert body[at_q1 + 1] == f"Sam Okafor: {U} Many people were left completely alone."
    assert body[at_q2 - 1] == f"Sam Okafor: {U} They had a landline at least. Councils should thank the volunteers."
    assert not any("What did the lockdown mean for older people?" in line for line in body[:at_q1])  # read out


async def test_a_recording_uploaded_again_with_its_start_replaces_the_first_without_repeating_it(world):
    sw = await hearing(world)
    await upload(world, sw, started=None)
    again = reply_text(await upload(world, sw, started=10))
    assert "Recording 2" in again
    assert (await world.bot.services.store.sessions.recording(2)).status is RecordingStatus.DONE
    assert examination(await exported(world, sw.session_id)) == RECORDED


async def test_one_track_uploaded_again_replaces_that_speaker_only(world):
    sw = await hearing(world)
    await upload(world, sw, started=10)
    sam_again = wav_bytes(0.9)
    fixed = [(15.0, 22.0, "The day centres shut overnight."), *SAM_SAID[1:]]
    await transcribed_before(world, sam_again, fixed)
    await upload(world, sw, {"2-sam_okafor.wav": sam_again}, started=10)

    body = examination(await exported(world, sw.session_id))
    assert body == [line.replace("centres closed", "centres shut") for line in RECORDED]


async def test_a_session_recorded_in_two_parts_gives_both_in_order(world):
    sw = await hearing(world)
    first, second = wav_bytes(1.1), wav_bytes(1.2)  # two single files, speakers not identified
    await transcribed_before(world, first, [CHAIR_SAID[0], CHAIR_SAID[1], SAM_SAID[0]])
    await transcribed_before(world, second, [(10.0, 14.0, CHAIR_SAID[2][2]), (26.0, 35.0, SAM_SAID[3][2])])
    tz = world.bot.services.tz
    for data, started in ((first, 10), (second, 70)):
        session = await world.bot.services.sessions.get(sw.session_id)
        moment = (session.opened_at + timedelta(seconds=started)).astimezone(tz).strftime("%H:%M:%S")
        result = await world.secretariat.slash(
            world.general, "session recording", file=("part.wav", data), session=sw.session_id, started=moment
        )
        assert "part.wav: speaker unknown" in reply_text(result)

    who = "Speaker not identified"
    assert examination(await exported(world, sw.session_id)) == [
        f"{who}: {U} Good morning and welcome to this session of the inquiry.",
        f"Q1 Chair: {CHAIR_Q1}",
        f"{who}: {U} The day centres closed overnight.",  # the question read out is left out, not the answer
        f"Sam Okafor: {T} {TYPED}",
        f"{who}: {U} Thank you. What about those who are not online?",
        f"Q2 Chair: {CHAIR_Q2}",
        f"{who}: {U} Councils should thank the volunteers.",
    ]


async def test_recorded_speech_under_a_struck_question_stays_struck(world):
    sw = await hearing(world)
    await upload(world, sw, started=10)
    await expect(sw.chair_does("strike", number=1, reason="The witness named a private individual"), "struck")

    lines = await exported(world, sw.session_id)
    text = "\n".join(lines)
    assert "Q1 was struck from the record: The witness named a private individual" in lines
    for words in ("day centres", "completely alone", "not online", "landline", TYPED):
        assert words not in text
    assert examination(lines)[-4:] == RECORDED[-4:]  # Q2 and its answers as before


async def test_a_track_finished_after_the_upload_joins_the_record_when_the_queue_reports_it(world):
    sw = await hearing(world)
    chair, sam = wav_bytes(0.5), wav_bytes(0.6)
    await transcribed_before(world, chair, CHAIR_SAID)  # Sam's track is new: its job waits in the queue
    cog = world.bot.get_cog("SessionRecordingsCog")
    store = world.bot.services.store
    session = await world.bot.services.sessions.get(sw.session_id)
    actor = Actor(world.secretariat.user.id, "British Future", frozenset({Role.SECRETARIAT}))
    data = zipped({"1-holly_lynch_mp.wav": chair, "2-sam_okafor.wav": sam})
    uploaded = await cog.recordings.upload(session, actor, "craig.zip", data, world.bot.transcription, {}, 10.0)
    job = await store.media.claim_job(world.bot.services.clock())  # as the worker takes it
    assert job is not None and job.id == uploaded.recording.tracks[1].job_id
    assert uploaded.recording.status is RecordingStatus.TRANSCRIBING

    before = examination(await exported(world, sw.session_id))
    assert before == [f"Q1 Chair: {CHAIR_Q1}", f"Sam Okafor: {TYPED}", f"Q2 Chair: {CHAIR_Q2}"]  # the thread only

    async with store.transaction():
        await store.media.finish_job(job.id, transcript(SAM_SAID), world.bot.services.clock())
    assert await cog.recordings.on_job_finished(await store.media.job(job.id)) == [uploaded.recording.id]
    segments = await cog.recordings.transcript(uploaded.recording.id)
    q1, q2 = await store.sessions.questions(sw.session_id)
    assert [(s.speaker_name, s.question_id) for s in segments if s.speaker_name == "Sam Okafor"] == [
        ("Sam Okafor", q1.id),
        ("Sam Okafor", q1.id),
        ("Sam Okafor", q1.id),
        ("Sam Okafor", q2.id),
    ]
    reading = next(s for s in segments if s.text == "What should councils do now?")
    assert reading.question_id == q2.id  # read out before Q2 was posted: it belongs to Q2
    after = examination(await exported(world, sw.session_id))
    assert after == [line for line in RECORDED if "Member MP" not in line and "press_desk" not in line]


async def test_a_start_that_cannot_be_read_is_refused_and_nothing_is_kept(world):
    sw = await hearing(world)
    result = await world.secretariat.slash(
        world.general, "session recording", file=("craig.zip", zipped(await four_tracks(world))), started="noon"
    )
    assert "write it as HH:MM or HH:MM:SS" in reply_text(result)
    assert await world.bot.services.store.sessions.recording(1) is None
    assert examination(await exported(world, sw.session_id))[1] == f"Sam Okafor: {TYPED}"  # the thread alone


def test_a_question_read_out_is_told_from_other_speech():
    assert reads_question("What did the lockdown mean for older people?", CHAIR_Q1)
    assert reads_question("What should councils do, now, to keep the volunteers", CHAIR_Q2)
    assert not reads_question("Thank you. What about those who are not online?", CHAIR_Q1)
    assert not reads_question("Thank you.", "Thank you for coming")  # too short to tell
    assert not reads_question("Councils should thank the volunteers.", CHAIR_Q2)


def test_a_reading_belongs_to_the_question_put_just_after_it_by_the_same_asker():
    from inquiry.sessions.models import OralQuestion, QuestionStatus

    at = datetime(2026, 6, 3, 9, 0, tzinfo=UTC)
    q2 = OralQuestion(
        id=2, session_id=1, inquiry_id=1, number=2, panel=1, asked_by=77, asker_name="Holly Lynch MP",
        asker_is_chair=True, text=CHAIR_Q2, status=QuestionStatus.OPEN, struck_reason=None, struck_by=None,
        struck_at=None, message_id=None, asked_at=at, closed_at=None,
    )  # fmt: skip
    asked = [(90.0, q2)]
    said = "What should councils do now?"
    assert question_read_out(86.0, 77, said, asked) is q2
    assert question_read_out(86.0, None, said, asked) is q2  # a speaker not identified
    assert question_read_out(86.0, 55, said, asked) is None  # someone else
    assert question_read_out(90.0 - READING_LEAD_S - 1, 77, said, asked) is None  # too long before
    assert question_read_out(91.0, 77, said, asked) is None  # after it: question_at's business


def test_a_recording_start_is_read_as_a_clock_time_on_the_day_of_the_opening():
    london = ZoneInfo("Europe/London")
    opened = datetime(2026, 6, 3, 9, 0, 30, tzinfo=UTC)  # 10:00:30 in London (summer time)
    assert recording_offset("10:02", opened, london) == 90
    assert recording_offset("09:59:30", opened, london) == -60
    assert recording_offset(None, opened, london) == 0
    for bad in ("25:00", "10h02", "noon"):
        with pytest.raises(InvalidInput, match="HH:MM"):
            recording_offset(bad, opened, london)
    with pytest.raises(InvalidInput, match="more than six hours"):
        recording_offset("18:00", opened, london)
