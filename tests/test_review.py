"""/review through SimCord: the secretariat reads, decides on, redacts and publishes written evidence."""

from __future__ import annotations

import dataclasses
import logging
from zoneinfo import ZoneInfo

import pytest

from inquiry.evidence.models import Publication, SubmissionStatus
from tests.helpers import (
    dm_texts,
    forum_tags,
    last_callback_type,
    open_seed_inquiry,
    reply_text,
    set_up_server,
    submit_evidence,
)

Q1 = "Older people in rural areas lost their lunch clubs overnight, and with them their only weekly contact."
Q3 = "Digital exclusion was the biggest barrier; we lent tablets and ran phone trees for 40 households."
SECRETARIAT_ONLY = "This is for the Secretariat only."


@pytest.fixture
async def server(simcord_env, simcord_bot):
    server = await set_up_server(simcord_env, simcord_bot)
    await open_seed_inquiry(server)
    return server


async def stored(server, reference):
    return await server.bot.services.review.find(await server.inquiry_now(), reference)


async def test_list_shows_each_submission_and_filters_by_status(server, simcord_env):
    await submit_evidence(server, "amira", "Amira Khan", {1: Q1})
    await submit_evidence(server, "sam", "Sam Okafor", {3: Q3}, organisation="Leeds Older People's Forum")
    await server.bot.services.review.accept(await server.inquiry_now(), "SCI0002", server.secretariat.id)

    listed = await server.secretariat_runs("review list")
    assert listed.ephemeral and last_callback_type(server) == 5
    lines = listed.response.content.splitlines()
    assert lines[0] == "**SCI: 2 submission(s)**"
    assert lines[1].startswith("**SCI0001** submitted · Amira Khan · individual · named ·")
    assert "received 1 Jan 2026 00:00 GMT" in lines[1]
    assert lines[2].startswith("**SCI0002** accepted · Leeds Older People's Forum · organisation")

    accepted = await server.secretariat_runs("review list", status="accepted")
    assert "**SCI: 1 accepted submission(s)**" in accepted.response.content
    assert "SCI0001" not in accepted.response.content
    none = await server.secretariat_runs("review list", status="published")
    assert none.response.content == "SCI has no published submissions."


async def test_a_long_list_stays_under_the_message_limit_and_comes_whole_in_a_file(server):
    for n in range(1, 41):
        await submit_evidence(server, f"w{n}", f"Witness number {n} of a busy inquiry", {1: Q1}, forum=False)
    listed = await server.secretariat_runs("review list")
    content = listed.response.content
    assert len(content) <= 2000
    assert "more: the whole list is in the attached SCI-submissions.txt" in content
    full = (await listed.response.attachments[0].read()).decode()
    assert all(f"SCI{n:04d}" in full for n in range(1, 41))


async def test_show_gives_every_detail_contact_answers_and_the_late_flag(server, simcord_env):
    await server.secretariat_runs("inquiry open", closes="2026-01-01 00:05")
    await simcord_env.advance_time(10 * 60)
    await submit_evidence(server, "amira", "Amira Khan", {1: Q1, 3: Q3}, contact="amira@example.org, 07700 900123")
    shown = await server.secretariat_runs("review show", reference="sci1")
    text = reply_text(shown)
    assert shown.ephemeral
    assert "SCI0001: Amira Khan" in text
    assert "Contact (never published): amira@example.org, 07700 900123" in text
    assert "Publication: Publish with my name" in text
    assert "**LATE** (after the closing date)" in text
    assert f"**Q1** What issues has the COVID-19 crisis raised for socially isolated groups?\n{Q1}" in text
    assert f"{Q3}" in text and "Not answered: Q2, Q4, Q5" in text
    assert "Forum post: <#" in text


async def add_recording(server, submission, *, question_position: int, corrected: bool) -> int:
    """A filmed statement's rows as the transcription queue writes them: transcribed by tiny.en, confirmed or
    corrected by the witness, and queued again with base by the secretariat."""
    store, now = server.bot.services.store, server.bot.services.clock()
    inquiry = await server.inquiry_now()
    question = next(q for q in inquiry.questions if q.position == question_position)
    async with store.transaction():
        media_id = await store.media.add_media(
            sha256="cd" * 32, path="cd/statement.mp4", filename="statement.mp4", content_type="video/mp4", size=9,
            now=now,
        )  # fmt: skip
        await store.media.set_media_probe(media_id, 194.4, True)
        item_id = await store.media.add_item(
            media_id=media_id, kind="video", now=now, user_id=submission.user_id, submission_id=submission.id,
            question_id=question.id, discord_message_id=1,
        )  # fmt: skip
        for model in ("tiny.en", "base"):
            await store.media.add_job(
                media_id=media_id, item_id=item_id, engine="faster-whisper", model=model, language=None,
                translate=False, now=now,
            )  # fmt: skip
        first = await store.media.claim_job(now)
        await store.media.finish_job(first.id, {"text": "We lent tablets.", "language": "en", "segments": []}, now)
        await store.media.confirm_item(item_id, "We lent tablets to forty households.", corrected, now)
    return item_id


async def test_show_lists_the_recordings_and_every_transcription_of_them(server):
    await submit_evidence(server, "amira", "Amira Khan", {1: Q1})
    item_id = await add_recording(server, await stored(server, "SCI0001"), question_position=3, corrected=True)
    text = reply_text(await server.secretariat_runs("review show", reference="SCI0001"))
    assert "Recordings (1)" in text
    assert (
        f"**#{item_id}** · Q3 · video, 3 min 14 s · transcript corrected by the witness · "
        "faster-whisper tiny.en: done; faster-whisper base: queued"
    ) in text
    assert "/retranscribe item:<number>" in text


async def test_a_long_answer_is_shortened_in_the_embed_and_given_whole_in_a_file(server):
    await server.secretariat_runs("inquiry word-limit", words=20_000)
    long_answer = " ".join(f"Sentence {n} about the phone tree and the lunch club." for n in range(300))
    await submit_evidence(server, "essa", "Essa Yist", {2: long_answer, 4: long_answer}, forum=False)
    shown = await server.secretariat_runs("review show", reference="SCI0001")
    embed = shown.response.embeds[0]
    assert len(embed.description) <= 4096 and len(embed) <= 6000
    assert "shortened" in embed.description
    full = (await shown.response.attachments[0].read()).decode()
    assert full.count(long_answer) == 2 and "essa@example.org" in full


async def test_accepting_updates_the_forum_tells_the_witness_and_cannot_happen_twice(server):
    await submit_evidence(server, "amira", "Amira Khan", {1: Q1})
    accepted = await server.secretariat_runs("review accept", reference="SCI0001")
    assert accepted.ephemeral
    assert "**SCI0001** (Amira Khan) is now **accepted**." in accepted.response.content
    assert "told by direct message" in accepted.response.content
    submission = await stored(server, "SCI0001")
    assert submission.status is SubmissionStatus.ACCEPTED
    assert forum_tags(server, submission) == {"Accepted", "Individual"}
    assert "has been **accepted**" in dm_texts(server, "amira")[-1]
    assert "Accepted by british_future." in server.bot.get_channel(submission.forum_thread_id).last_message.content

    twice = await server.secretariat_runs("review accept", reference="SCI0001")
    assert twice.ephemeral and twice.response.content == "SCI0001 is accepted; it cannot be made accepted."
    assert len(dm_texts(server, "amira")) == 1


async def test_rejecting_records_the_reason_and_sends_it_to_the_witness(server):
    await submit_evidence(server, "doorbell", "Doorbell Direct Ltd", {1: "Buy our doorbells."}, organisation="Doorbell")
    reason = "An advertisement, outside the inquiry's terms of reference."
    rejected = await server.secretariat_runs("review reject", reference="SCI0001", reason=reason)
    assert f"is now **rejected**.\nReason recorded: {reason}" in rejected.response.content
    submission = await stored(server, "SCI0001")
    assert (submission.status, submission.decision_reason) == (SubmissionStatus.REJECTED, reason)
    assert "Rejected" in forum_tags(server, submission)
    assert dm_texts(server, "doorbell")[-1].endswith(f"has **not been accepted** by the secretariat.\nReason: {reason}")
    unpublishable = await server.secretariat_runs("review publish", reference="SCI0001")
    assert "is rejected; it cannot be made published" in unpublishable.response.content


async def test_publishing_honours_confidentiality_and_withdrawing_needs_publication(server):
    await submit_evidence(server, "anon", "Dana Haddad", {1: Q1}, publication=Publication.ANONYMOUS)
    await submit_evidence(server, "secret", "Pat Doe", {1: Q1}, publication=Publication.CONFIDENTIAL)
    early = await server.secretariat_runs("review publish", reference="SCI0001")
    assert "is submitted; it cannot be made published" in early.response.content
    for reference in ("SCI0001", "SCI0002"):
        await server.secretariat_runs("review accept", reference=reference)

    published = await server.secretariat_runs("review publish", reference="SCI0001")
    assert "is now **published**" in published.response.content
    assert "published** anonymously" in dm_texts(server, "anon")[-1]
    assert forum_tags(server, await stored(server, "SCI0001")) == {"Published", "Individual", "Anonymous"}

    confidential = await server.secretariat_runs("review publish", reference="SCI0002")
    assert confidential.response.content == "SCI0002 was given in confidence and cannot be published."
    assert (await stored(server, "SCI0002")).status is SubmissionStatus.ACCEPTED

    not_published = await server.secretariat_runs("review withdraw", reference="SCI0002", reason="Asked to")
    assert "is accepted; it cannot be made withdrawn" in not_published.response.content
    withdrawn = await server.secretariat_runs("review withdraw", reference="SCI0001", reason="The witness asked us to.")
    assert "is now **withdrawn**" in withdrawn.response.content
    assert dm_texts(server, "anon")[-1].endswith(
        "withdrawn from publication** by the secretariat.\nReason: The witness asked us to."
    )
    assert "Withdrawn" in forum_tags(server, await stored(server, "SCI0001"))


async def test_redacting_an_exact_passage_and_refusing_one_that_is_not_there(server):
    await submit_evidence(server, "amira", "Amira Khan", {1: Q1, 3: Q3})
    passage = "for 40 households"
    redacted = await server.secretariat_runs(
        "review redact", reference="SCI0001", question=3, passage=passage, reason="Identifies the households"
    )
    assert "Redaction recorded on **SCI0001**, Q3 (1 on this submission)" in redacted.response.content
    assert f"> {passage}" in redacted.response.content
    [redaction] = await server.bot.services.review.redactions(await stored(server, "SCI0001"))
    assert (redaction.passage, redaction.reason) == (passage, "Identifies the households")
    assert (await stored(server, "SCI0001")).answers == {
        q.id: t for q, t in zip((await server.inquiry_now()).questions[::2], (Q1, Q3), strict=False)
    }  # the original is kept
    shown = reply_text(await server.secretariat_runs("review show", reference="SCI0001"))
    assert f"Q3: “{passage}” — Identifies the households (<@{server.secretariat.id}>" in shown

    absent = await server.secretariat_runs(
        "review redact", reference="SCI0001", question=1, passage=passage, reason="Wrong answer"
    )
    assert absent.response.content == "That passage does not appear word for word in the answer to Q1."
    no_question = await server.secretariat_runs(
        "review redact", reference="SCI0001", question=9, passage="lunch", reason="No such question"
    )
    assert no_question.response.content == "SCI has no question 9."
    assert len(await server.bot.services.review.redactions(await stored(server, "SCI0001"))) == 1


async def test_audit_shows_who_when_what_and_why_in_the_configured_zone(server):
    await submit_evidence(server, "doorbell", "Doorbell Direct", {1: "Buy doorbells."})
    await server.secretariat_runs("review accept", reference="SCI0001")
    await server.secretariat_runs("review reject", reference="SCI0001", reason="On reflection, an advert.")
    audit = await server.secretariat_runs("review audit", reference="SCI0001")
    lines = audit.response.content.splitlines()
    assert lines[0] == "**Audit log of SCI0001** (oldest first; times Europe/London)"
    witness, secretariat = server.witness("doorbell").id, server.secretariat.id
    assert lines[1] == f"`1 Jan 2026 00:00 GMT` <@{witness}> · **submitted** · SCI0001, 2 words"
    assert lines[2] == f"`1 Jan 2026 00:00 GMT` <@{secretariat}> · **accepted** · submitted → accepted"
    assert lines[3].endswith("**rejected** · accepted → rejected · reason: On reflection, an advert.")

    whole = await server.secretariat_runs("review audit")
    text = whole.response.content
    assert "**Audit log of SCI**" in text and "newest first" in text
    assert "**SCI0001 rejected**" in text and "**call opened**" in text and "**inquiry created**" in text
    assert text.index("SCI0001 rejected") < text.index("call opened")


async def test_a_witness_and_a_member_cannot_review(server):
    await submit_evidence(server, "amira", "Amira Khan", {1: Q1})
    for person in (server.witness("amira"), server.member, server.chair):
        refused = await person.slash(server.general, "review accept", reference="SCI0001")
        assert refused.ephemeral and refused.response.content == SECRETARIAT_ONLY
        shown = await person.slash(server.general, "review show", reference="SCI0001")
        assert shown.response.content == SECRETARIAT_ONLY
        assert await person.autocomplete(server.general, "review show", "reference", "SCI") == []
    assert (await stored(server, "SCI0001")).status is SubmissionStatus.SUBMITTED
    assert dm_texts(server, "amira") == []


async def test_unknown_and_malformed_references_are_refused_clearly(server):
    await submit_evidence(server, "amira", "Amira Khan", {1: Q1}, forum=False)
    unknown = await server.secretariat_runs("review accept", reference="SCI0099")
    assert unknown.response.content == "SCI has no submission SCI0099."
    other = await server.secretariat_runs("review show", reference="XYZ0001")
    assert other.response.content == "There is no inquiry XYZ on this server, so no submission XYZ0001."
    nonsense = await server.secretariat_runs("review show", reference="the one from Amira")
    assert "is not a reference: they look like SCI0001" in nonsense.response.content


async def test_reference_autocomplete_offers_references_and_names(server):
    await submit_evidence(server, "amira", "Amira Khan", {1: Q1}, forum=False)
    await submit_evidence(server, "sam", "Sam Okafor", {1: Q1}, forum=False)
    choices = await server.secretariat.autocomplete(server.general, "review accept", "reference", "okafor")
    assert choices == [{"name": "SCI0002 · Sam Okafor · submitted", "value": "SCI0002"}]
    everything = await server.secretariat.autocomplete(server.general, "review show", "reference", "")
    assert [c["value"] for c in everything] == ["SCI0001", "SCI0002"]


async def test_closed_dms_are_noted_not_fatal(server, simcord_env, caplog):
    await submit_evidence(server, "shy", "Shy Sheila", {1: Q1})
    dm = server.witness("shy").user.dm_channel
    simcord_env.inject_error(
        "POST", f"/channels/{dm.id}/messages", status=403, code=50007, message="Cannot send messages to this user"
    )
    with caplog.at_level(logging.INFO, logger="cogs.review._cog"):
        accepted = await server.secretariat_runs("review accept", reference="SCI0001")
    assert "is now **accepted**" in accepted.response.content
    assert "direct messages are closed, so they were not told" in accepted.response.content
    assert (await stored(server, "SCI0001")).status is SubmissionStatus.ACCEPTED
    assert "could not tell the witness of SCI0001 by DM (DMs closed)" in caplog.text


async def test_witness_text_shown_back_never_pings(server):
    role = server.guild.roles["Member"]
    await submit_evidence(server, "pinger", "@everyone", {1: f"Hello @here and <@&{role.id}>."})
    for command in ("review show", "review accept"):
        result = await server.secretariat_runs(command, reference="SCI0001")
        message = result.response.message
        assert not message.mention_everyone and message.role_mentions == []
    shown = reply_text(await server.secretariat_runs("review show", reference="SCI0001"))
    assert "@\u200beveryone" in shown and "@\u200bhere" in shown and "<@\u200b&" in shown
    listed = await server.secretariat_runs("review list")
    assert "@\u200beveryone" in listed.response.content and not listed.response.message.mention_everyone


class TestInAnotherTimeZone:
    @pytest.fixture
    def settings(self, settings):
        return dataclasses.replace(settings, timezone=ZoneInfo("America/New_York"))

    async def test_times_are_shown_in_the_configured_zone(self, server):
        await submit_evidence(server, "amira", "Amira Khan", {1: Q1})
        await server.secretariat_runs("review accept", reference="SCI0001")
        audit = await server.secretariat_runs("review audit", reference="SCI0001")
        assert "(oldest first; times America/New_York)" in audit.response.content
        assert "`31 Dec 2025 19:00 EST` " in audit.response.content  # 1 January 2026, 00:00 UTC
        listed = await server.secretariat_runs("review list")
        assert "received 31 Dec 2025 19:00 EST" in listed.response.content
