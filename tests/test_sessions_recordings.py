"""Recordings of a session: a zip of one track per speaker is checked before it is unpacked, each track is
transcribed by the real queue (Whisper tiny.en in a worker process), and the segments are attributed to speakers
and to the questions the chair put, in time order."""

from __future__ import annotations

import asyncio
import io
import stat
import struct
import zipfile

import docx
import numpy as np
import pytest

from demo.driver import make_world
from demo.sessions_scene import reply_text, set_up_session
from inquiry.sessions.recording_models import RecordingStatus
from inquiry.sessions.recording_zip import RecordingRefused, ZipLimits, check_zip, speaker_of, unpack_tracks
from inquiry.sessions.recordings import normalise, question_at

SAMPLE_RATE = 16_000
CHAIR_Q1 = "What did the lockdown mean for older people in your area?"
SAM_A1 = "The day centres closed and many older people were left completely alone."
CHAIR_Q2 = "What should councils do now to keep the volunteers?"
SAM_A2 = "Councils should thank the volunteers and ask them what they would like to do next."
# tiny.en on these answers as espeak-ng speech: 0.17 ("The May Center's closed" for "The day centres closed") and
# 0.07 ("Council should") measured with AVX-512, AVX2 and generic int8 kernels; the other answer scores 0.9 or
# more, so the bound still tells which answer a turn holds.
WER_BOUND = 0.35


def wav_bytes(seconds: float = 0.5) -> bytes:
    """A small real WAV file (a tone), for members of zips that are checked but not transcribed."""
    buffer = io.BytesIO()
    import wave

    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
        out.writeframes((np.sin(2 * np.pi * 440 * t) * 8000).astype("<i2").tobytes())
    return buffer.getvalue()


def make_zip(members: list[tuple[str | zipfile.ZipInfo, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def declare_size(data: bytes, size: int) -> bytes:
    """Rewrite the uncompressed size that the zip's central directory declares for its first member."""
    at = data.index(b"PK\x01\x02")
    return data[: at + 24] + struct.pack("<I", size) + data[at + 28 :]


# Checks before unpacking -----------------------------------------------------------------------------------


def test_a_craig_zip_is_unpacked_with_speakers_from_the_file_names():
    data = make_zip([("2-sam_okafor.wav", wav_bytes()), ("1-holly_lynch_mp.wav", wav_bytes()), ("info.txt", b"x")])
    tracks = unpack_tracks(data)
    assert [(t.position, t.speaker, t.filename) for t in tracks] == [
        (1, "holly_lynch_mp", "1-holly_lynch_mp.wav"),
        (2, "sam_okafor", "2-sam_okafor.wav"),
    ]
    assert tracks[0].data[:4] == b"RIFF"
    assert speaker_of("recording.flac") == (None, "recording")
    assert normalise("Holly Lynch MP") == normalise("holly_lynch_mp")


@pytest.mark.parametrize(
    ("members", "said"),
    [
        ([("../x.wav", b"RIFF")], "points outside the archive"),
        ([("/etc/x.wav", b"RIFF")], "points outside the archive"),
        ([("tracks/../../x.wav", b"RIFF")], "points outside the archive"),
        ([("1-a.wav", b"RIFF"), ("run.exe", b"MZ")], "not an audio or video file"),
        ([(f"{i}-speaker.wav", b"RIFF") for i in range(30)], "at most"),
        ([("1-bomb.wav", bytes(20_000_000))], "compressed"),
    ],
    ids=["traversal", "absolute", "nested-traversal", "not-audio", "too-many", "ratio-bomb"],
)
def test_a_malicious_zip_is_refused_before_unpacking(members, said):
    with pytest.raises(RecordingRefused, match=said):
        check_zip(make_zip(members))


def test_a_huge_declared_size_or_a_symlink_is_refused():
    lying = declare_size(make_zip([("1-a.wav", wav_bytes())]), 0xFFFF0000)
    with pytest.raises(RecordingRefused, match="would unpack to"):
        check_zip(lying)
    link = zipfile.ZipInfo("1-link.wav")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with pytest.raises(RecordingRefused, match="symbolic link"):
        check_zip(make_zip([(link, b"/etc/passwd")]))
    with pytest.raises(RecordingRefused, match="not a readable zip"):
        check_zip(b"PK\x03\x04 and then nothing")
    with pytest.raises(RecordingRefused, match="would unpack to"):
        check_zip(make_zip([("1-a.wav", wav_bytes()), ("2-b.wav", wav_bytes())]), ZipLimits(max_total_bytes=20_000))


def test_the_question_of_a_moment_is_the_last_put_before_it():
    asked = [(0.0, "Q1"), (10.0, "Q2")]
    assert [question_at(s, asked) for s in (-1, 0, 9.9, 10, 50)] == [None, "Q1", "Q1", "Q2", "Q2"]


def test_segment_times_are_tightened_to_the_sound_inside_them(tmp_path):
    from inquiry.sessions.speech_activity import envelope
    from transcription.synth import silence, tone, write_media

    path = write_media(tmp_path / "1-x.flac", np.concatenate([silence(3.0), tone(1.0), silence(2.0)]))
    loudness = envelope(path)
    assert len(loudness.levels) == 60
    assert loudness.tighten(0.0, 6.0) == (3.0, 4.0)  # Whisper's span of the pause and the speech
    assert loudness.tighten(4.5, 5.5) == (4.5, 5.5)  # nothing loud inside: kept as reported


# Through Discord and the real queue ------------------------------------------------------------------------


@pytest.fixture
async def world(simcord_env, simcord_bot):
    return await make_world(simcord_env, simcord_bot)


async def test_a_malicious_zip_upload_is_refused_and_nothing_is_kept(world):
    sw = await set_up_session(world)
    await sw.open()
    bad = make_zip([("1-holly.wav", wav_bytes()), ("../../evil.wav", wav_bytes())])
    result = await world.secretariat.slash(
        world.general, "session recording", file=("bad.zip", bad), session=sw.session_id
    )
    assert "points outside the archive" in reply_text(result)
    store = world.bot.services.store
    assert await store.sessions.recording(1) is None
    assert await store.media.pending_jobs() == 0
    result = await world.chair.slash(
        world.general, "session recording", file=("a.wav", wav_bytes()), session=sw.session_id
    )
    assert "Only the secretariat" in reply_text(result)


@pytest.mark.slow
@pytest.mark.simcord(settle_timeout=300)
async def test_a_two_track_zip_becomes_an_attributed_transcript_in_question_order(world, tmp_path):
    from transcription.synth import silence, spoken_samples, word_error_rate, write_media

    sw = await set_up_session(world)
    await sw.open()
    await sw.chair_does("ask", text=CHAIR_Q1)  # 0 s into the recording
    await world.env.advance_time(12)
    await sw.chair_does("ask", text=CHAIR_Q2)  # 12 s into the recording

    def timeline(*parts: tuple[float, str]) -> np.ndarray:
        """Speech placed at given seconds, silence between."""
        out = np.zeros(0, dtype=np.float32)
        for at, text in parts:
            out = np.concatenate([out, silence(max(0.0, at - len(out) / SAMPLE_RATE)), spoken_samples(text, tmp_path)])
        return np.concatenate([out, silence(1.0)])

    chair = write_media(tmp_path / "1-holly_lynch_mp.flac", timeline((0.3, CHAIR_Q1), (12.3, CHAIR_Q2)))
    sam = write_media(tmp_path / "2-sam_okafor.flac", timeline((5.0, SAM_A1), (17.0, SAM_A2)))
    data = make_zip([(chair.name, chair.read_bytes()), (sam.name, sam.read_bytes())])

    result = await world.secretariat.slash(
        world.general, "session recording", file=("craig.zip", data), session=sw.session_id
    )
    said = reply_text(result)
    assert "2 track(s)" in said and "1-holly_lynch_mp.flac: Holly Lynch MP" in said
    assert "2-sam_okafor.flac: Sam Okafor" in said

    store = world.bot.services.store
    for _ in range(360):  # two tracks through the worker: model loading and transcription, on two cores
        recording = await store.sessions.recording(1)
        if recording.status is not RecordingStatus.TRANSCRIBING:
            break
        await asyncio.sleep(0.5)
    assert recording.status is RecordingStatus.DONE
    segments = await store.sessions.segments(recording.id)
    q1, q2 = await store.sessions.questions(sw.session_id)
    centres = [(s.start_s + s.end_s) / 2 for s in segments]
    assert centres == sorted(centres) and [s.position for s in segments] == list(range(1, len(segments) + 1))
    turns = []  # consecutive segments of the same speaker under the same question make one turn
    for segment in segments:
        key = (segment.speaker_name, segment.question_id)
        if turns and turns[-1][0] == key:
            turns[-1][1].append(segment.text)
        else:
            turns.append((key, [segment.text]))
    assert [key for key, _ in turns] == [
        ("Holly Lynch MP", q1.id),
        ("Sam Okafor", q1.id),
        ("Holly Lynch MP", q2.id),
        ("Sam Okafor", q2.id),
    ]
    sam_id = sw.witnesses["sam_okafor"].id
    assert all(s.user_id == sam_id for s in segments if s.speaker_name == "Sam Okafor")
    assert word_error_rate(SAM_A1, " ".join(turns[1][1])) <= WER_BOUND, turns[1]
    assert word_error_rate(SAM_A2, " ".join(turns[3][1])) <= WER_BOUND, turns[3]
    await world.env.advance_time(1)
    assert any("uncorrected transcript of recording 1" in m.content for m in sw.thread.history())

    # The Word transcript: each question once (the chair reading it out is not printed again), Sam's words under it.
    result = await world.secretariat.slash(world.general, "export transcript", session=sw.session_id)
    [attachment] = (result.followups[-1] if result.followups else result.response).attachments
    lines = [p.text for p in docx.Document(io.BytesIO(await attachment.read())).paragraphs if p.text.strip()]
    body = lines[lines.index(f"Q1 Chair: {CHAIR_Q1}") :]
    assert [line.split(":")[0] for line in body] == ["Q1 Chair", "Sam Okafor", "Q2 Chair", "Sam Okafor"], body
    assert body[1].startswith("Sam Okafor: [uncorrected transcript]")
    assert word_error_rate(SAM_A1, body[1].removeprefix("Sam Okafor: [uncorrected transcript]")) <= WER_BOUND
    assert body[2] == f"Q2 Chair: {CHAIR_Q2}"
    assert word_error_rate(SAM_A2, body[3].removeprefix("Sam Okafor: [uncorrected transcript]")) <= WER_BOUND


async def test_a_track_the_queue_cannot_read_is_reported_and_the_recording_fails(world):
    sw = await set_up_session(world)
    await sw.open()
    data = make_zip([("1-holly_lynch_mp.wav", b"RIFF but no sound at all")])
    result = await world.secretariat.slash(
        world.general, "session recording", file=("craig.zip", data), session=sw.session_id
    )
    assert "Not taken: 1-holly_lynch_mp.wav" in reply_text(result)
    audit = await world.bot.services.store.audit.for_inquiry(world.inquiry.id)
    assert any(e.action == "recording_uploaded" and "craig.zip, 1 track(s)" in e.detail for e in audit)
    recording = await world.bot.services.store.sessions.recording(1)
    assert recording.status is RecordingStatus.FAILED and recording.tracks[0].status == "failed"
    assert await world.bot.services.store.sessions.segments(recording.id) == []


@pytest.mark.slow
@pytest.mark.simcord(settle_timeout=300)
async def test_a_single_file_gives_segments_with_speaker_unknown(world, tmp_path):
    from transcription.synth import silence, spoken_samples, word_error_rate, write_media

    sw = await set_up_session(world)
    await sw.open()
    await sw.chair_does("ask", text=CHAIR_Q1)
    await world.env.advance_time(12)
    await sw.chair_does("ask", text=CHAIR_Q2)
    first = np.concatenate([silence(0.5), spoken_samples(SAM_A1, tmp_path)])
    samples = np.concatenate([first, silence(13.0 - len(first) / SAMPLE_RATE), spoken_samples(SAM_A2, tmp_path)])
    path = write_media(tmp_path / "session.mp3", np.concatenate([samples, silence(1.0)]))

    result = await world.secretariat.slash(
        world.general, "session recording", file=(path.name, path.read_bytes()), session=sw.session_id
    )
    assert "1 track(s)" in reply_text(result) and "session.mp3: speaker unknown" in reply_text(result)
    store = world.bot.services.store
    for _ in range(360):
        recording = await store.sessions.recording(1)
        if recording.status is not RecordingStatus.TRANSCRIBING:
            break
        await asyncio.sleep(0.5)
    assert recording.status is RecordingStatus.DONE and not recording.multitrack
    segments = await store.sessions.segments(recording.id)
    q1, q2 = await store.sessions.questions(sw.session_id)
    assert segments and all(s.speaker_name is None and s.user_id is None for s in segments)
    assert segments[0].question_id == q1.id and segments[-1].question_id == q2.id
    for question, answer in ((q1, SAM_A1), (q2, SAM_A2)):
        heard = " ".join(s.text for s in segments if s.question_id == question.id)
        assert word_error_rate(answer, heard) <= WER_BOUND, heard
