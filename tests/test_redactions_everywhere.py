"""Redaction everywhere, through SimCord: the secretariat redacts a passage of a witness's confirmed recording
transcript, of a written answer too long for a command's option (through the form), and of oral evidence (an answer
typed in a session's thread, a passage of its recording); lists them and undoes one, each with its reason in the
audit log; the evidence volume and the transcript apply them. Refusals: the wrong role, a transcript not yet
confirmed, a session not yet heard, a passage that is not there. The documents are reopened with python-docx."""

from __future__ import annotations

import io

import docx
import pytest

from demo.driver import make_world
from demo.sessions_scene import reply_text as session_reply
from demo.sessions_scene import set_up_session
from inquiry.evidence.models import Publication
from tests.helpers import open_seed_inquiry, reply_text, submit_evidence
from tests.test_session_recording_export import RECORDED, TYPED, U, examination, exported, hearing, upload

STATEMENT = "We lent tablets to forty households on Mill Lane, and taught each of them to make video calls."
SECRETARIAT_ONLY = "This is for the Secretariat only."


@pytest.fixture
async def world(simcord_env, simcord_bot):
    return await make_world(simcord_env, simcord_bot)


async def accepted(world, witness: str, name: str, answers: dict[int, str], **options):
    submission = await submit_evidence(world, witness, name, answers, **options)
    await world.bot.services.review.accept(await world.inquiry_now(), submission.reference, world.secretariat.id)
    return submission


async def recording_of(world, submission, text: str | None) -> int:
    """A filmed statement as the queue and the witness leave it: transcribed, and confirmed (unless ``text`` is
    None)."""
    store, now = world.bot.services.store, world.bot.services.clock()
    async with store.transaction():
        media_id = await store.media.add_media(
            sha256=f"{submission.id:02d}" * 32, path="x/statement.mp4", filename="statement.mp4",
            content_type="video/mp4", size=9, now=now,
        )  # fmt: skip
        item_id = await store.media.add_item(
            media_id=media_id, kind="video", now=now, user_id=submission.user_id, submission_id=submission.id,
            discord_message_id=submission.id,
        )  # fmt: skip
        if text is not None:
            await store.media.confirm_item(item_id, text, False, now)
    return item_id


async def volume_text(world) -> str:
    result = await world.secretariat_runs("export evidence")
    [attachment] = result.response.attachments
    document = docx.Document(io.BytesIO(await attachment.read()))
    return " ".join(" ".join(p.text for p in document.paragraphs).split())


async def audit_of(world, reference: str | None = None):
    return await world.bot.services.review.audit(await world.inquiry_now(), reference)


# Written and spoken evidence -----------------------------------------------------------------------------


async def test_a_passage_of_a_confirmed_recording_is_redacted_listed_and_undone_with_reasons(world):
    await open_seed_inquiry(world)
    submission = await accepted(world, "amira", "Amira Khan", {1: "Lunch clubs closed."})
    item_id = await recording_of(world, submission, STATEMENT)

    done = await world.secretariat_runs(
        "review redact", reference="SCI0001", recording=item_id, passage="on Mill Lane", reason="Names the street"
    )
    assert f"Redaction recorded on **SCI0001**, recording #{item_id} (1 on this submission)" in reply_text(done)
    text = await volume_text(world)
    assert "forty households [redacted], and taught" in text and "Mill Lane" not in text

    listed = reply_text(await world.secretariat_runs("review redactions", reference="SCI0001"))
    [redaction] = await world.bot.services.store.redactions.of_submission(submission.id)
    assert f"**{redaction.id}** · recording #{item_id}: “on Mill Lane” — Names the street" in listed

    undone = await world.secretariat_runs("review unredact", id=redaction.id, reason="The witness agreed to it")
    assert "is undone: the passage is published again" in reply_text(undone)
    assert "forty households on Mill Lane" in await volume_text(world)
    listed = reply_text(await world.secretariat_runs("review redactions", reference="SCI0001"))
    assert "undone by" in listed and "The witness agreed to it" in listed
    again = await world.secretariat_runs("review unredact", id=redaction.id, reason="Twice")
    assert "already undone" in reply_text(again)

    entries = {e.action: e for e in await audit_of(world, "SCI0001")}
    assert entries["redacted"].reason == "Names the street" and entries["redacted"].actor_id == world.secretariat.id
    assert entries["unredacted"].reason == "The witness agreed to it"


async def test_redactions_of_written_evidence_are_refused_to_other_roles_and_where_nothing_is_to_redact(world):
    await open_seed_inquiry(world)
    submission = await accepted(world, "amira", "Amira Khan", {1: "Lunch clubs closed."})
    unconfirmed = await recording_of(world, submission, None)
    confirmed = await recording_of(world, await accepted(world, "ruth", "Ruth Evans", {2: "Phones."}), STATEMENT)
    for person in (world.chair, world.member, world.witness("amira")):
        refused = await person.slash(world.general, "review redact", reference="SCI0001", question=1,
                                     passage="Lunch", reason="x")  # fmt: skip
        assert SECRETARIAT_ONLY in reply_text(refused)
        refused = await person.slash(world.general, "review unredact", id=1, reason="x")
        assert SECRETARIAT_ONLY in reply_text(refused)
    cases = [
        ({"recording": unconfirmed, "passage": "tablets"}, "has not confirmed the transcript"),
        ({"recording": confirmed, "passage": "tablets"}, f"SCI0001 has no recording #{confirmed}"),
        ({"question": 1, "passage": "tablets"}, "does not appear word for word in the answer to Q1"),
        ({"passage": "Lunch"}, "Name one question (question:), recording (recording:) or document (document:)"),
        ({"document": 99, "passage": "Lunch"}, "SCI0001 has no document #99"),
    ]
    for options, said in cases:
        result = await world.secretariat_runs("review redact", reference="SCI0001", reason="x", **options)
        assert said in reply_text(result), reply_text(result)
    assert await world.bot.services.store.redactions.of_submission(submission.id, undone=True) == []


async def test_a_passage_longer_than_a_command_option_is_redacted_through_the_form(world):
    await open_seed_inquiry(world)
    await world.secretariat_runs("inquiry word-limit", words=20_000)
    opening = "Our befriending line took calls every day. "
    private = " ".join(f"Household {n} on the estate told us about their debts and their health." for n in range(80))
    await accepted(world, "amira", "Amira Khan", {2: opening + private + " We thank the volunteers."})
    assert len(private) > 4000

    shown = await world.secretariat.slash(world.general, "review redact", reference="SCI0001", question=2)
    assert shown.modal is not None and shown.modal["title"] == "Redact Q2"
    done = await world.secretariat.submit_modal(
        shown, {"passage1": private[:4000], "passage2": private[4000:], "reason": "Private details of households"}
    )
    assert "Redaction recorded on **SCI0001**, Q2 (1 on this submission)" in reply_text(done)
    text = await volume_text(world)
    assert "took calls every day. [redacted] We thank the volunteers." in text and "their debts" not in text


async def test_a_passage_of_a_document_is_redacted_by_its_number(world):
    from tests.test_document_evidence import on_the_overview, send_through_the_form, statement_docx

    await world.open_call()
    steps = await on_the_overview(world, "Norah Field", "norah")
    await send_through_the_form(steps, "statement.docx", statement_docx())
    await steps.click("Overview")
    await steps.click("Review and submit")
    await steps.click("Submit evidence")
    submission = await world.bot.services.review.find(world.inquiry, "SCI0001")
    [document] = await world.bot.services.documents.of_submission(submission.id)

    absent = await world.secretariat_runs(
        "review redact", reference="SCI0001", document=document.id, passage="not in it", reason="x"
    )
    assert f"That passage does not appear in document #{document.id}" in reply_text(absent)
    done = await world.secretariat_runs(
        "review redact", reference="SCI0001", document=document.id, passage="food banks", reason="Not evidence"
    )
    assert f"Redaction recorded on **SCI0001**, document #{document.id}" in reply_text(done)
    await world.secretariat_runs("review accept", reference="SCI0001")
    text = await volume_text(world)
    assert "Evidence from Leeds Community Radio" in text and "[redacted]" in text and "food banks" not in text


# Oral evidence ---------------------------------------------------------------------------------------------


async def test_oral_evidence_is_redacted_in_the_thread_and_on_the_recording_and_undone(world):
    sw = await hearing(world)
    await upload(world, sw, started=10)
    recorded = await world.secretariat.slash(
        world.general, "review redact-oral", question=1, passage="Many people were left completely alone.",
        reason="Identifies a vulnerable group in a small village", session=sw.session_id,
    )  # fmt: skip
    said = session_reply(recorded)
    assert "Redaction recorded in session 1 (1 place(s))" in said and "Q1, Sam Okafor (recording)" in said
    shown = await world.secretariat.slash(world.general, "review redact-oral", question=1, session=sw.session_id)
    typed = await world.secretariat.submit_modal(shown, {"passage1": "300 letters", "reason": "Not yet public"})
    assert "Q1, Sam Okafor (in the thread)" in session_reply(typed)

    body = examination(await exported(world, sw.session_id))
    expected = [
        line.replace("Many people were left completely alone.", "[redacted]").replace("300 letters", "[redacted]")
        for line in RECORDED
    ]
    assert body == expected
    listed = session_reply(await world.secretariat.slash(world.general, "review redactions", session=sw.session_id))
    assert "Identifies a vulnerable group" in listed and "Not yet public" in listed

    [first, _] = await world.bot.services.store.redactions.of_session(sw.session_id)
    undone = await world.secretariat.slash(world.general, "review unredact", id=first.id, reason="Agreed with them")
    assert "is undone" in session_reply(undone)
    body = examination(await exported(world, sw.session_id))
    assert body == [line.replace("300 letters", "[redacted]") for line in RECORDED]
    actions = [(e.action, e.reason) for e in await audit_of(world)]
    assert ("unredacted", "Agreed with them") in actions and ("redacted", "Not yet public") in actions


async def test_oral_redactions_are_refused_when_nothing_was_said_or_heard_or_by_other_roles(world):
    sw = await hearing(world)
    cases = [
        ({"question": 1, "passage": "not said by anyone"}, "does not appear in what was said under Q1 in session 1"),
        ({"question": 9, "passage": TYPED}, "Q9 was not put in session 1"),
    ]
    for options, said in cases:
        result = await world.secretariat.slash(
            world.general, "review redact-oral", reason="x", session=sw.session_id, **options
        )
        assert said in session_reply(result), session_reply(result)
    refused = await world.chair.slash(
        world.general, "review redact-oral", question=1, passage=TYPED, reason="x", session=sw.session_id
    )
    assert SECRETARIAT_ONLY in session_reply(refused)
    assert await world.bot.services.store.redactions.of_session(sw.session_id, undone=True) == []

    later = await set_up_session(world, "A session not yet heard")
    result = await world.secretariat.slash(
        world.general, "review redact-oral", question=1, passage="x", reason="x", session=later.session_id
    )
    assert "has not been heard yet" in session_reply(result)


# Contact details, taken out of every export and logged once ---------------------------------------------


async def test_contact_details_said_in_a_session_are_redacted_from_its_transcript_and_minutes_and_logged_once(world):
    from tests.test_session_recording_export import CHAIR_SAID, transcribed_before
    from tests.test_sessions_recordings import wav_bytes

    sw = await hearing(world)
    sam_said = [(15.0, 22.0, "You can call me on 07700 900123 any time."), (86.0, 95.0, "Thank the volunteers.")]
    tracks = {"1-holly_lynch_mp.wav": (wav_bytes(0.5), CHAIR_SAID), "2-sam_okafor.wav": (wav_bytes(0.6), sam_said)}
    for data, said in tracks.values():
        await transcribed_before(world, data, said)
    await upload(world, sw, {name: data for name, (data, _) in tracks.items()}, started=10)
    await sw.witnesses["sam_okafor"].send(sw.thread, "Or write to sam.okafor@example.org.")
    note = "Contact the venue manager on 0113 496 0000 about the room."
    await world.chair.slash(world.general, "session minute", kind="note", text=note, session=sw.session_id)

    for _ in range(2):
        text = "\n".join(await exported(world, sw.session_id))
        assert "07700 900123" not in text and "sam.okafor@example.org" not in text
        assert f"Sam Okafor: {U} You can call me on [telephone number redacted] any time." in text
        minutes = await world.secretariat.slash(world.general, "export minutes", session=sw.session_id)
        [attachment] = (minutes.followups[-1] if minutes.followups else minutes.response).attachments
        paragraphs = [p.text for p in docx.Document(io.BytesIO(await attachment.read())).paragraphs]
        assert "0113 496 0000" not in " ".join(paragraphs) and any(
            "[telephone number redacted]" in p for p in paragraphs
        )
    logged = [e for e in await audit_of(world) if e.action == "redacted in export"]
    assert len(logged) == 2  # one for the transcript, one for the minutes: not again on the second export
    transcript_entry = next(e for e in logged if "transcript of session 1" in e.detail)
    assert "phone in Q1, Sam Okafor" in transcript_entry.detail  # heard on the recording under Q1
    assert "email in Q2, Sam Okafor" in transcript_entry.detail  # typed in the thread after Q2 was put
    minutes_entry = next(e for e in logged if "minutes of session 1" in e.detail)
    assert "phone in item 1" in minutes_entry.detail
    assert "07700" not in transcript_entry.detail  # the audit log names the kind and place, not the number


async def test_the_evidence_volume_logs_each_automatic_redaction_once_however_often_it_is_exported(world):
    await open_seed_inquiry(world)
    await accepted(world, "ruth", "Ruth Evans", {1: "Call me on 07700 900123 or ruth@example.org any time."})
    await accepted(world, "anon", "Jo Bloggs", {3: "Jo Bloggs says data poverty."}, publication=Publication.ANONYMOUS)
    for _ in range(3):
        text = await volume_text(world)
        assert "07700 900123" not in text and "Jo Bloggs" not in text
    ruth = [e for e in await audit_of(world, "SCI0001") if e.action == "redacted in export"]
    anon = [e for e in await audit_of(world, "SCI0002") if e.action == "redacted in export"]
    assert len(ruth) == 1 and "email in Q1" in ruth[0].detail and "phone in Q1" in ruth[0].detail
    assert len(anon) == 1 and "name in Q3" in anon[0].detail


# The schema ---------------------------------------------------------------------------------------------------


@pytest.mark.sqlite_only
async def test_redactions_and_corrections_made_before_the_change_keep_their_rows(tmp_path):
    from inquiry.review.redaction_models import TargetKind
    from inquiry.sessions.recording_models import CorrectionDecision
    from inquiry.store import Store

    old = await Store.open(tmp_path / "old.db", target=7)
    rows = [
        "INSERT INTO inquiries (id, guild_id, code, title, created_by, created_at) VALUES (1, 5, 'SCI', 'T', 1, 'x')",
        "INSERT INTO questions (id, inquiry_id, position, text) VALUES (3, 1, 1, 'Q?')",
        "INSERT INTO submissions (id, inquiry_id, user_id, status, created_at, updated_at)"
        " VALUES (2, 1, 9, 'accepted', 'x', 'x')",
        "INSERT INTO redactions (id, submission_id, question_id, passage, reason, actor_id, created_at)"
        " VALUES (4, 2, 3, 'on Mill Lane', 'Names the street', 7, '2026-01-01T00:00:00+00:00')",
        "INSERT INTO sessions (id, inquiry_id, number, title, starts_at, ends_at, place_kind, location, created_by,"
        " created_at) VALUES (6, 1, 1, 'S', 'x', 'x', 'external', 'https://x', 1, 'x')",
        "INSERT INTO session_questions (id, session_id, inquiry_id, number, panel, asked_by, asker_name, text,"
        " asked_at) VALUES (8, 6, 1, 1, 1, 1, 'Chair', 'Q?', 'x')",
        "INSERT INTO session_answers (id, session_id, question_id, speaker_name, spoken, uncorrected_text,"
        " created_at) VALUES (10, 6, 8, 'Sam', 1, 'there lunch clubs', 'x')",
        "INSERT INTO session_corrections (id, answer_id, session_id, user_id, original_text, proposed_text,"
        " proposed_at) VALUES (11, 10, 6, 9, 'there lunch clubs', 'their lunch clubs', '2026-01-01T00:00:00+00:00')",
    ]
    for sql in rows:
        await old.execute(sql)
    await old.close()

    store = await Store.open(tmp_path / "old.db")
    try:
        [redaction] = await store.redactions.of_submission(2)
        assert (redaction.id, redaction.target_kind, redaction.target_id) == (4, TargetKind.ANSWER, 3)
        assert (redaction.question_id, redaction.passage, redaction.active) == (3, "on Mill Lane", True)
        assert [r.passage for r in await store.submissions.redactions(2)] == ["on Mill Lane"]
        [correction] = await store.sessions.corrections(6)
        assert (correction.id, correction.answer_id, correction.segment_id) == (11, 10, None)
        assert correction.segment_ids == ()
        assert correction.status is CorrectionDecision.PROPOSED and correction.proposed_text == "their lunch clubs"
        # still one pending proposal per answer
        again = await store.sessions.add_correction(
            answer_id=10, session_id=6, user_id=9, original="a", proposed="b", now=correction.proposed_at
        )
        assert again is None
    finally:
        await store.close()
