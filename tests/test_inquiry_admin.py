"""/inquiry through SimCord: the secretariat creates an inquiry, writes its questions, opens and closes the call."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from inquiry.evidence.models import Publication, SubmissionStatus
from inquiry.inquiries.models import InquiryStatus
from inquiry.inquiries.templates import TEMPLATES
from tests.helpers import (
    closing_text,
    create_inquiry,
    last_callback_type,
    load_template,
    open_call,
    open_seed_inquiry,
    reply_text,
    set_up_server,
    submit_evidence,
)

SEED_QUESTIONS = TEMPLATES["social-connection"].questions
SECRETARIAT_ONLY = "This is for the Secretariat only."


@pytest.fixture
async def server(simcord_env, simcord_bot):
    return await set_up_server(simcord_env, simcord_bot)


def announcement(server):
    """The bot's post in #call-for-evidence, and the labels of its buttons."""
    [post] = [m for m in server.call_channel.history() if m.author.bot]
    labels = [child.label for row in post.components for child in row.children]
    return post, labels


async def test_create_and_show_a_draft_inquiry(server):
    created = await server.secretariat_runs(
        "inquiry create",
        code="sci",
        title="Social connection",
        terms="Who is isolated, and what helps.",
        word_limit=2500,
    )
    assert created.ephemeral and last_callback_type(server) == 5  # deferred first, then answered
    assert "Created inquiry **SCI**" in created.response.content and "SCI0001" in created.response.content

    shown = await server.secretariat_runs("inquiry show")
    assert shown.ephemeral
    text = reply_text(shown)
    assert "SCI: Social connection" in text
    assert "Draft: the call for evidence is not open yet." in text
    assert "Closing date: not set" in text
    assert "2,500 words per submission" in text
    assert "Who is isolated, and what helps." in text
    assert "No questions yet" in text
    stored = await server.inquiry_now()
    assert (stored.status, stored.word_limit, stored.closes_at) == (InquiryStatus.DRAFT, 2500, None)


async def test_create_refuses_a_bad_or_duplicate_code(server):
    bad = await server.secretariat_runs("inquiry create", code="S1", title="Numbers are not letters")
    assert "2 to 6 letters" in bad.response.content
    await create_inquiry(server)
    again = await server.secretariat_runs("inquiry create", code="SCI", title="A second SCI")
    assert "already exists" in again.response.content
    assert [i.code for i in await server.bot.services.inquiries.in_guild(server.guild.id)] == ["SCI"]


async def test_questions_are_added_edited_moved_and_removed(server):
    await create_inquiry(server)
    for question in ("Who is isolated?", "What helped?", "What should government do?"):
        added = await server.secretariat_runs("inquiry question-add", text=question)
    assert "Added Q3." in added.response.content

    edited = await server.secretariat_runs("inquiry question-edit", number=2, text="What has helped most?")
    assert "Q2 reworded." in edited.response.content and "**2.** What has helped most?" in edited.response.content

    moved = await server.secretariat_runs("inquiry question-move", number=3, to=1)
    assert "Q3 is now Q1." in moved.response.content
    assert [q.text for q in (await server.inquiry_now()).questions] == [
        "What should government do?",
        "Who is isolated?",
        "What has helped most?",
    ]

    removed = await server.secretariat_runs("inquiry question-remove", number=2)
    assert "Q2 removed." in removed.response.content
    questions = (await server.inquiry_now()).questions
    assert [(q.position, q.text) for q in questions] == [
        (1, "What should government do?"),
        (2, "What has helped most?"),
    ]

    missing = await server.secretariat_runs("inquiry question-edit", number=7, text="Nothing here")
    assert "SCI has no question 7 (it has 2)" in missing.response.content
    shown = reply_text(await server.secretariat_runs("inquiry show"))
    assert "**1.** What should government do?\n**2.** What has helped most?" in shown


async def test_template_loads_the_seed_inquirys_five_questions_once(server):
    await create_inquiry(server)
    inquiry = await load_template(server)
    assert [q.text for q in inquiry.questions] == list(SEED_QUESTIONS)
    assert [q.label for q in inquiry.questions] == ["Q1", "Q2", "Q3", "Q4", "Q5"]
    again = await server.secretariat_runs("inquiry template", name="social-connection")
    assert "already has questions" in again.response.content
    assert len((await server.inquiry_now()).questions) == 5


async def test_open_reads_the_deadline_in_the_configured_zone_and_announces_the_call(server):
    await create_inquiry(server)
    await load_template(server)
    opened = await server.secretariat_runs("inquiry open", closes="2026-04-14 17:00")
    assert opened.ephemeral
    text = opened.response.content
    expected = datetime(2026, 4, 14, 16, 0, tzinfo=UTC)  # 17:00 British Summer Time
    assert "is **open**" in text
    assert "Tuesday 14 April 2026, 17:00 BST (Europe/London)" in text
    assert f"<t:{int(expected.timestamp())}:F>" in text
    inquiry = await server.inquiry_now()
    assert inquiry.status is InquiryStatus.OPEN and inquiry.closes_at == expected

    post, labels = announcement(server)
    assert labels == ["Submit evidence"]
    assert post.jump_url in text
    assert inquiry.call_message_id == post.id
    assert SEED_QUESTIONS[0] in post.embeds[0].fields[0].value


async def test_a_deadline_in_the_past_or_unreadable_is_refused_and_nothing_opens(server):
    await create_inquiry(server)
    await load_template(server)
    past = await server.secretariat_runs("inquiry open", closes="2020-04-14 17:00")
    assert past.ephemeral and "must be in the future" in past.response.content
    unreadable = await server.secretariat_runs("inquiry open", closes="next Tuesday teatime")
    assert "could not read 'next Tuesday teatime'" in unreadable.response.content
    assert "YYYY-MM-DD HH:MM (Europe/London time)" in unreadable.response.content
    assert (await server.inquiry_now()).status is InquiryStatus.DRAFT
    assert not [m for m in server.call_channel.history() if m.author.bot]


async def test_when_the_announcement_cannot_be_posted_the_secretariat_is_told_and_can_retry(server, simcord_env):
    await create_inquiry(server)
    await load_template(server)
    path = f"/channels/{server.call_channel.id}/messages"
    simcord_env.inject_error("POST", path, status=403, code=50013, message="Missing Permissions")
    opened = await open_call(server)
    assert "is **open**" in opened.response.content
    assert "could not post the announcement" in opened.response.content
    assert (await server.inquiry_now()).status is InquiryStatus.OPEN
    assert not [m for m in server.call_channel.history() if m.author.bot]

    again = await open_call(server)
    post, labels = announcement(server)
    assert post.jump_url in again.response.content and labels == ["Submit evidence"]


async def test_a_call_without_questions_cannot_open(server):
    await create_inquiry(server)
    refused = await open_call(server)
    assert "Add at least one question" in refused.response.content
    assert (await server.inquiry_now()).status is InquiryStatus.DRAFT


async def test_changing_the_deadline_and_questions_of_an_open_call_updates_the_one_announcement(server):
    await open_seed_inquiry(server)
    moved = await server.secretariat_runs("inquiry open", closes="2026-02-01 12:00")
    assert "The closing date has been **changed**" in moved.response.content
    await server.secretariat_runs("inquiry question-add", text="Anything else you would like to tell us?")
    limited = await server.secretariat_runs("inquiry word-limit", words=1500)
    assert "now **1,500** words" in limited.response.content and "(was 3,000)" in limited.response.content

    post, _ = announcement(server)  # still a single post, edited in place
    embed = post.embeds[0]
    assert "Anything else you would like to tell us?" in embed.fields[0].value
    assert "Sunday 1 February 2026, 12:00 GMT" in embed.fields[1].value
    assert "1,500 words" in embed.fields[2].value


async def test_answered_questions_can_be_reworded_but_not_moved_or_removed(server):
    await open_seed_inquiry(server)
    await submit_evidence(server, "amira", "Amira Khan", {1: "Lunch clubs closed overnight."}, forum=False)
    removed = await server.secretariat_runs("inquiry question-remove", number=1)
    assert "Q1 already has 1 answer(s) and cannot be removed" in removed.response.content
    moved = await server.secretariat_runs("inquiry question-move", number=1, to=2)
    assert "can no longer reorder questions" in moved.response.content
    edited = await server.secretariat_runs("inquiry question-edit", number=1, text="What has the crisis changed?")
    assert "Q1 reworded." in edited.response.content
    assert "What has the crisis changed?" in announcement(server)[0].embeds[0].fields[0].value


async def test_close_marks_the_announcement_closed_and_stops_submissions(server):
    await open_seed_inquiry(server)
    await submit_evidence(server, "amira", "Amira Khan", {1: "Lunch clubs closed overnight."}, forum=False)
    closed = await server.secretariat_runs("inquiry close")
    assert "is **closed**" in closed.response.content and "1 submission(s) received, 0 late" in closed.response.content
    post, labels = announcement(server)
    assert labels == ["Call closed"]
    assert post.embeds[0].title.startswith("[Closed]")
    again = await server.secretariat_runs("inquiry close")
    assert "not open" in again.response.content
    refused = await server.witness("tardy").slash(server.general, "evidence submit")
    assert "closed" in refused.response.content

    reopened = await open_call(server, days=3)
    assert "is **open again**" in reopened.response.content
    assert announcement(server)[1] == ["Submit evidence"]


async def test_status_counts_submissions_late_ones_drafts_and_answers_per_question(server, simcord_env):
    inquiry = await open_seed_inquiry(server, days=5 / 1440)  # closes in five minutes
    services = server.bot.services
    await submit_evidence(server, "a", "Ann", {1: "One.", 2: "Two."}, forum=False)
    await submit_evidence(server, "b", "Bea", {1: "One."}, publication=Publication.CONFIDENTIAL, forum=False)
    gone = await submit_evidence(server, "c", "Cat", {3: "Three."}, forum=False)
    await services.submissions.withdraw(gone.id, gone.user_id)
    await services.review.accept(inquiry, "SCI0001", server.secretariat.id)
    await services.submissions.start_or_resume(inquiry, server.witness("d").id)  # a draft, not submitted
    await simcord_env.advance_time(10 * 60)
    await submit_evidence(server, "e", "Eve", {1: "Late.", 5: "Five."}, forum=False)

    text = reply_text(await server.secretariat_runs("inquiry status"))
    assert "Open, past its closing date" in text
    assert "Submissions received: **4** (submitted 2 · accepted 1 · rejected 0 · published 0 · withdrawn 1)" in text
    assert "Late: **1** · Drafts in progress: **1**" in text
    for number, count in ((1, 3), (2, 1), (3, 0), (4, 0), (5, 1)):
        assert f"Q{number}: **{count}** · " in text
    stored = await services.review.list(inquiry, SubmissionStatus.SUBMITTED)
    assert [s.reference for s in stored] == ["SCI0002", "SCI0004"]


async def test_only_the_secretariat_may_use_inquiry_commands(server):
    await create_inquiry(server)
    for person in (server.witness("walk_in"), server.member, server.chair):
        refused = await person.slash(server.general, "inquiry create", code="ABC", title="Hijack")
        assert refused.ephemeral and refused.response.content == SECRETARIAT_ONLY
        refused = await person.slash(server.general, "inquiry open", closes=closing_text(server))
        assert refused.response.content == SECRETARIAT_ONLY
    assert [i.code for i in await server.bot.services.inquiries.in_guild(server.guild.id)] == ["SCI"]
    assert (await server.inquiry_now()).status is InquiryStatus.DRAFT


async def test_with_several_inquiries_the_code_is_needed_and_autocompleted(server):
    await create_inquiry(server)
    await create_inquiry(server, code="LON", title="Loneliness in cities")
    ambiguous = await server.secretariat_runs("inquiry show")
    assert "several inquiries (SCI, LON)" in ambiguous.response.content
    choices = await server.secretariat.autocomplete(server.general, "inquiry show", "inquiry", "cit")
    assert [c["value"] for c in choices] == ["LON"]
    choices = await server.secretariat.autocomplete(server.general, "inquiry show", "inquiry", "")
    assert [c["value"] for c in choices] == ["SCI", "LON"]
    shown = await server.secretariat_runs("inquiry show", inquiry="lon")
    assert "LON: Loneliness in cities" in reply_text(shown)
    unknown = await server.secretariat_runs("inquiry show", inquiry="XYZ")
    assert "no inquiry with the code XYZ" in unknown.response.content


async def test_question_text_never_pings(server):
    await create_inquiry(server)
    role = server.guild.roles["Member"]
    added = await server.secretariat_runs("inquiry question-add", text=f"@everyone <@&{role.id}> what helped?")
    message = added.response.message
    assert "@\u200beveryone" in message.content and "<@\u200b&" in message.content
    assert not message.mention_everyone and message.role_mentions == []


async def test_many_long_questions_are_shown_in_full_in_a_file(server):
    await create_inquiry(server)
    questions = [f"Question {n}: " + "why? " * 179 + "why?" for n in range(1, 13)]  # about 900 characters each
    services = server.bot.services
    inquiry = await server.inquiry_now()
    for text in questions:
        inquiry = await services.inquiries.add_question(inquiry, text, server.secretariat.id)
    shown = await server.secretariat_runs("inquiry show")
    embed = shown.response.embeds[0]
    assert len(embed.description) <= 4096 and len(embed) <= 6000
    [attached] = shown.response.attachments
    full = (await attached.read()).decode()
    assert all(f"{n}. {text}" in full for n, text in enumerate(questions, start=1))

    added = await server.secretariat_runs("inquiry question-add", text="A thirteenth, short question?")
    assert len(added.response.content) <= 2000
    listed = (await added.response.attachments[0].read()).decode()
    assert "**13.** A thirteenth, short question?" in listed


class TestInAnotherTimeZone:
    """The time zone comes from the settings, not from the code."""

    @pytest.fixture
    def settings(self, settings):
        return dataclasses.replace(settings, timezone=ZoneInfo("America/New_York"))

    async def test_the_deadline_is_read_and_shown_in_the_configured_zone(self, server):
        await create_inquiry(server)
        await load_template(server)
        opened = await server.secretariat_runs("inquiry open", closes="14/04/2026 17:00")
        expected = datetime(2026, 4, 14, 21, 0, tzinfo=UTC)  # 17:00 Eastern Daylight Time
        assert "Tuesday 14 April 2026, 17:00 EDT (America/New_York)" in opened.response.content
        assert f"<t:{int(expected.timestamp())}:F>" in opened.response.content
        assert (await server.inquiry_now()).closes_at == expected
        unreadable = await server.secretariat_runs("inquiry open", closes="soon")
        assert "(America/New_York time)" in unreadable.response.content
