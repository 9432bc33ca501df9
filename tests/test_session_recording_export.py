"""The session's recording in the Word transcript: recorded speech under the question put at that moment, in time
order with what was typed in the thread, attributed to the speaker of its track (the chair as "Chair"), the
opening before the first question; the secretariat says when the recording started.

The tracks are real WAV files uploaded through /session recording and taken by the real transcription queue; their
transcripts are stored beforehand as finished jobs of the same files (the queue takes a file it has already
transcribed at once), so the attribution and the export run for real without running Whisper here."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import timedelta

import docx
import pytest

from demo.driver import make_world
from demo.sessions_scene import expect, reply_text, set_up_session
from inquiry.models_recordings import RecordingStatus
from inquiry.session_rules import recording_offset
from tests.test_sessions_recordings import wav_bytes

pytestmark = pytest.mark.simcord(settle_timeout=120)

CHAIR_Q1 = "What did the lockdown mean for older people in your area?"
CHAIR_Q2 = "What should councils do now to keep the volunteers?"
TYPED = "We also sent 300 letters to people who are not online."
# (start, end, text) in seconds from the start of each track; the recording starts 10 s after the opening.
CHAIR_SAID = [
    (1.0, 5.0, "Good morning and welcome to this session of the inquiry."),
    (11.0, 14.0, "What did the lockdown mean for older people?"),
    (81.0, 85.0, "What should councils do now?"),
]
SAM_SAID = [
    (15.0, 22.0, "The day centres closed overnight."),
    (23.0, 26.0, "Many people were left completely alone."),
    (86.0, 95.0, "Councils should thank the volunteers."),
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
    segments = [{"start": start, "end": end, "text": text} for start, end, text in said]
    async with store.transaction():
        media_id = await store.media.add_media(
            sha256=sha, path=f"{sha[:2]}/{sha}.wav", filename="track.wav", content_type=None, size=len(data), now=now
        )
        job_id = await store.media.add_job(
            media_id=media_id, item_id=None, engine=queue.settings.engine, model=queue.settings.model,
            language=None, translate=False, now=now,
        )  # fmt: skip
        await store.media.claim_job(now)
        text = " ".join(t for _, _, t in said)
        await store.media.finish_job(job_id, {"text": text, "language": "en", "segments": segments}, now)


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


def craig_zip(chair: bytes, sam: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("1-holly_lynch_mp.wav", chair)
        archive.writestr("2-sam_okafor.wav", sam)
    return buffer.getvalue()


async def upload(world, sw, *, started: str | None):
    chair, sam = wav_bytes(0.5), wav_bytes(0.6)
    await transcribed_before(world, chair, CHAIR_SAID)
    await transcribed_before(world, sam, SAM_SAID)
    options = {"started": started} if started else {}
    return await world.secretariat.slash(
        world.general, "session recording", file=("craig.zip", craig_zip(chair, sam)), session=sw.session_id, **options
    )


def transcript_lines(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs if p.text.strip()]


async def exported_transcript(world, session_id: int) -> list[str]:
    result = await expect(world.secretariat.slash(world.general, "export transcript", session=session_id), ".docx")
    [attachment] = result.response.attachments if not result.followups else result.followups[-1].attachments
    return transcript_lines(await attachment.read())


async def test_recorded_speech_joins_the_transcript_under_its_question_in_time_order(world):
    sw = await hearing(world)
    session = await world.bot.services.sessions.get(sw.session_id)
    tz = world.bot.services.tz
    started = (session.opened_at + timedelta(seconds=10)).astimezone(tz).strftime("%H:%M:%S")
    said = reply_text(await upload(world, sw, started=started))
    assert "2 track(s)" in said
    recording = await world.bot.services.store.sessions.recording(1)
    assert recording.status is RecordingStatus.DONE and recording.started_offset_s == 10

    lines = await exported_transcript(world, sw.session_id)
    body = lines[lines.index("Witnesses: Sam Okafor and Margaret Ellis.") + 1 :]  # after the contents and the list
    uncorrected = "[uncorrected transcript]"
    assert body[:6] == [
        f"Chair: {uncorrected} Good morning and welcome to this session of the inquiry.",
        f"Q1 Chair: {CHAIR_Q1}",
        f"Chair: {uncorrected} What did the lockdown mean for older people?",
        f"Sam Okafor: {uncorrected} The day centres closed overnight. Many people were left completely alone.",
        f"Sam Okafor: {TYPED}",
        f"Q2 Chair: {CHAIR_Q2}",
    ]
    assert body[6:] == [
        f"Chair: {uncorrected} What should councils do now?",
        f"Sam Okafor: {uncorrected} Councils should thank the volunteers.",
    ]


async def test_without_the_start_the_recording_is_taken_to_start_at_the_opening(world):
    sw = await hearing(world)
    await upload(world, sw, started=None)
    lines = await exported_transcript(world, sw.session_id)
    at_q1 = lines.index(f"Q1 Chair: {CHAIR_Q1}")
    # 15 s into the recording is now 15 s after the opening, before Q1 (put at 20 s): Sam's first words are in the
    # opening, his next (23 s) under Q1.
    assert lines[at_q1 - 1] == "Sam Okafor: [uncorrected transcript] The day centres closed overnight."
    assert lines[at_q1 + 1] == "Sam Okafor: [uncorrected transcript] Many people were left completely alone."


def test_a_recording_start_is_read_as_a_clock_time_on_the_day_of_the_opening():
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from inquiry.errors import InvalidInput

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
