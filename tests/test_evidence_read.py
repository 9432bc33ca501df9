"""/evidence read through SimCord: the chair and members read accepted written evidence as it would be published
(named as the witness chose, redactions applied, contact details never shown, none of the secretariat's notes), and
confidential evidence only when the secretariat allows it; everyone else is refused."""

from __future__ import annotations

import io
import re

import docx
import pytest

from bot import build_bot
from inquiry.core.rules import count_words
from inquiry.evidence import access
from inquiry.evidence.models import Publication
from inquiry.review.redaction_models import TargetKind
from tests.helpers import open_seed_inquiry, set_up_server, submit_evidence

Q1 = "Older people in rural areas lost their lunch clubs overnight, and with them their only weekly contact."
Q3 = "Digital exclusion was the biggest barrier; we lent tablets and ran phone trees for 40 households."
REFUSED = "This is for the Chair or Member or Secretariat only."
REFERENCE = re.compile(r"^\*\*(SCI\d{4})\*\*", re.MULTILINE)


@pytest.fixture
async def server(simcord_env, simcord_bot):
    server = await set_up_server(simcord_env, simcord_bot)
    await open_seed_inquiry(server)
    return server


async def decide(server, reference: str, *steps: str) -> None:
    """The secretariat's decisions on a submission, in order (``accept``, ``publish``, ``reject``, ``withdraw``)."""
    review, inquiry, actor = server.bot.services.review, await server.inquiry_now(), server.secretariat.id
    for step in steps:
        if step in ("reject", "withdraw"):
            await getattr(review, step)(inquiry, reference, actor, "For the record.")
        else:
            await getattr(review, step)(inquiry, reference, actor)


def listed(message) -> list[str]:
    """The references on a page of the list."""
    return REFERENCE.findall(message.content)


def button(message, label: str):
    return next(c for row in message.components for c in row.children if getattr(c, "label", None) == label)


def menu_id(message) -> str:
    return next(c.custom_id for row in message.components for c in row.children if c.custom_id.startswith("evread:o:"))


async def open_from_list(person, message, reference: str):
    """Choose a submission in the list's menu; the message now shows it."""
    menu = next(c for row in message.components for c in row.children if c.custom_id.startswith("evread:o:"))
    value = next(o.value for o in menu.options if o.label.startswith(reference))
    return (await person.select(message, [value], custom_id=menu.custom_id)).response.message


async def every_page(person, message):
    """The submission's pages from the one shown to the last, pressing Next; and the message, on the last page."""
    pages = [message.content]
    while not button(message, "Next →").disabled:
        message = (await person.click(message, label="Next →")).response.message
        pages.append(message.content)
    return pages, message


def words(text: str) -> str:
    return " ".join(text.split())


async def test_the_chair_and_a_member_read_accepted_and_published_evidence_and_nothing_else(server):
    await submit_evidence(server, "amira", "Amira Khan", {1: Q1, 3: Q3}, forum=False)  # accepted
    await submit_evidence(server, "sam", "Sam Okafor", {1: "Not yet accepted."}, forum=False)  # submitted
    await submit_evidence(server, "door", "Doorbell Direct", {1: "Buy our doorbells."}, forum=False)  # rejected
    await submit_evidence(server, "dana", "Dana Haddad", {3: "Phone trees worked."}, forum=False)  # published
    await submit_evidence(server, "wes", "Wes Tan", {1: "Please take this down."}, forum=False)  # withdrawn
    await decide(server, "SCI0001", "accept")
    await decide(server, "SCI0003", "reject")
    await decide(server, "SCI0004", "accept", "publish")
    await decide(server, "SCI0005", "accept", "publish", "withdraw")
    inquiry, services = await server.inquiry_now(), server.bot.services
    draft = await services.submissions.start_or_resume(inquiry, server.witness("drafty").id)
    await services.submissions.save_answer(draft.id, server.witness("drafty").id, inquiry.questions[0].id, "Draft!")

    for person in (server.chair, server.member):
        shown = await person.slash(server.general, "evidence read")
        assert shown.ephemeral
        message = shown.response.message
        assert listed(message) == ["SCI0001", "SCI0004"]
        assert f"**SCI0001** · Amira Khan · accepted · {count_words(Q1) + count_words(Q3)} words" in message.content
        assert "**SCI0004** · Dana Haddad · published · 3 words" in message.content
        assert "2 submission(s) the committee can read" in message.content

        amira = await open_from_list(person, message, "SCI0001")
        assert amira.content.startswith("**SCI0001** · Amira Khan · accepted")
        assert f"**Q1** What issues has the COVID-19 crisis raised for socially isolated groups?\n{Q1}" in amira.content
        assert Q3 in amira.content and "**Q2**" not in amira.content
        back = (await person.click(amira, label="All submissions")).response.message
        assert listed(back) == ["SCI0001", "SCI0004"]

        for reference in ("SCI0002", "SCI0003", "SCI0005", "SCI0099"):
            refused = await person.slash(server.general, "evidence read", reference=reference)
            assert refused.ephemeral
            assert refused.response.content.startswith(f"{reference} is not among the evidence the committee can read")
        everything = await person.autocomplete(server.general, "evidence read", "reference", "")
        assert [c["value"] for c in everything] == ["SCI0001", "SCI0004"]
    every_text = " ".join(m.content for m in server.general.history())
    assert "Draft!" not in every_text and "Not yet accepted" not in every_text  # nothing was posted in the channel


async def test_confidential_evidence_is_read_only_when_the_secretariat_allows_it_and_each_change_is_audited(server):
    await submit_evidence(server, "pat", "Pat Doe", {1: "As Pat Doe, I saw the lunch club close."}, forum=False,
                          publication=Publication.CONFIDENTIAL)  # fmt: skip
    await submit_evidence(server, "amira", "Amira Khan", {1: Q1}, forum=False)
    await decide(server, "SCI0001", "accept")
    await decide(server, "SCI0002", "accept")

    hidden = (await server.chair.slash(server.general, "evidence read")).response.message
    assert listed(hidden) == ["SCI0002"] and "evidence given in confidence is not shown" in hidden.content
    refused = await server.member.slash(server.general, "evidence read", reference="SCI0001")
    assert refused.response.content.startswith("SCI0001 is not among the evidence the committee can read")

    not_theirs = await server.chair.slash(server.general, "inquiry committee-access", confidential=True)
    assert not_theirs.response.content == "This is for the Secretariat only."
    allowed = await server.secretariat_runs("inquiry committee-access", confidential=True)
    assert allowed.ephemeral
    assert "The chair and members may now read the evidence given in confidence to **SCI**" in allowed.response.content
    again = await server.secretariat_runs("inquiry committee-access", confidential=True)
    assert again.response.content == "Confidential evidence to SCI is already readable by the committee."

    for person in (server.chair, server.member):
        message = (await person.slash(server.general, "evidence read")).response.message
        assert listed(message) == ["SCI0001", "SCI0002"]
        assert "including evidence given in confidence" in message.content
        assert "**SCI0001** · an individual · accepted · 9 words · given in confidence" in message.content
        pat = await open_from_list(person, message, "SCI0001")
        assert "As [name redacted], I saw the lunch club close." in pat.content
        assert "Pat Doe" not in pat.content and "pat@example.org" not in pat.content

    await server.secretariat_runs("inquiry committee-access", confidential=False)
    again_hidden = (await server.member.slash(server.general, "evidence read")).response.message
    assert listed(again_hidden) == ["SCI0002"]

    audit = await server.secretariat_runs("review audit")
    lines = [line for line in audit.response.content.splitlines() if "committee access changed" in line]
    assert len(lines) == 2
    assert lines[0].endswith(
        "**committee access changed** · confidential evidence | before: readable by the committee"
        " | after: hidden from the committee"
    )
    assert lines[1].endswith("before: hidden from the committee | after: readable by the committee")
    assert f"<@{server.secretariat.id}>" in lines[0]


async def test_anonymous_witnesses_are_not_named_and_contact_details_are_never_shown(server):
    said = (
        "I am Dana Haddad. Write to dana.h@example.org or call 020 7946 0958; I live at 14 Acacia Avenue, Leeds"
        " LS6 2AB. The phone tree reached everyone."
    )
    await submit_evidence(server, "dana", "Dana Haddad", {2: said}, contact="dana@example.org, 07700 900123",
                          publication=Publication.ANONYMOUS, forum=False)  # fmt: skip
    await submit_evidence(server, "forum", "Sam Okafor", {3: Q3}, organisation="Leeds Older People's Forum",
                          publication=Publication.ANONYMOUS, forum=False)  # fmt: skip
    await decide(server, "SCI0001", "accept", "publish")
    await decide(server, "SCI0002", "accept")

    message = (await server.member.slash(server.general, "evidence read")).response.message
    assert "**SCI0001** · an individual · published" in message.content
    assert "**SCI0002** · an organisation · accepted" in message.content
    assert "Dana" not in message.content and "Okafor" not in message.content and "Leeds Older" not in message.content
    menu = next(c for row in message.components for c in row.children if c.custom_id.startswith("evread:o:"))
    assert [o.label for o in menu.options] == ["SCI0001 · an individual", "SCI0002 · an organisation"]

    dana = await open_from_list(server.member, message, "SCI0001")
    text = dana.content
    assert "I am [name redacted]." in text
    assert "[email address redacted]" in text and "[telephone number redacted]" in text
    assert "[address redacted]" in text and "The phone tree reached everyone." in text
    for secret in ("Dana", "Haddad", "dana.h@example.org", "7946", "Acacia", "LS6", "dana@example.org", "07700"):
        assert secret not in text, secret
    assert "4 passages withheld" in text and "Contact details and the secretariat's notes are not shown" in text


async def test_the_secretariats_redactions_apply_and_its_notes_stay_with_it(server):
    await submit_evidence(server, "amira", "Amira Khan", {1: Q1, 3: Q3}, forum=False)
    await decide(server, "SCI0001", "reject", "accept")
    redacted = await server.secretariat_runs(
        "review redact", reference="SCI0001", question=3, passage="for 40 households", reason="Identifies them"
    )
    assert "Redaction recorded" in redacted.response.content

    shown = await server.chair.slash(server.general, "evidence read", reference="sci1")
    text = shown.response.content
    assert "we lent tablets and ran phone trees [redacted]." in text
    assert "40 households" not in text and "Identifies them" not in text
    assert "For the record." not in text and "rejected" not in text  # the decision's reason and history
    assert "amira@example.org" not in text
    assert "1 passage withheld" in text
    original = (await server.bot.services.review.find(await server.inquiry_now(), "SCI0001")).answers
    assert Q3 in original.values()  # the record keeps the original


async def test_a_long_answer_is_paged_within_discords_limits_even_after_a_restart(server, settings, store):
    await server.secretariat_runs("inquiry word-limit", words=20_000)
    long_answer = " ".join(f"Sentence {n} about the phone tree and the lunch club." for n in range(300))
    await submit_evidence(server, "essa", "Essa Yist", {2: long_answer, 4: Q3}, forum=False)
    await decide(server, "SCI0001", "accept")

    first = (await server.chair.slash(server.general, "evidence read", reference="SCI0001")).response.message
    assert button(first, "← Previous").disabled and not button(first, "Next →").disabled

    fresh = build_bot(settings, store)  # the buttons carry their state: a new bot serves them
    await server.env.restart_bot(fresh)
    server.bot = fresh

    pages, last = await every_page(server.chair, first)
    assert len(pages) >= 10
    assert all(len(page) <= 2000 for page in pages)
    assert all(page.startswith("**SCI0001** · Essa Yist · accepted") for page in pages)
    assert all(f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, start=1))
    assert all("**Q2**" in page for page in pages[1:-1])  # a continued answer keeps its question in sight
    bodies = [page.split("\n\n", 1)[1].rsplit("\n\n", 1)[0] for page in pages]
    read = words(" ".join(bodies).replace("**Q2** (continued)", ""))
    assert words(long_answer) in read and read.index(words(long_answer)) < read.index(Q3)

    assert button(last, "Next →").disabled
    back = (await server.chair.click(last, label="← Previous")).response.message
    assert back.content == pages[-2]


async def test_a_witness_and_a_stranger_are_refused_and_a_reader_who_loses_the_role_too(server):
    await submit_evidence(server, "amira", "Amira Khan", {1: Q1}, forum=False)
    await decide(server, "SCI0001", "accept")
    stranger = server.guild.add_member(server.env.create_user("passer_by"))
    for person in (server.witness("amira"), stranger):
        for options in ({}, {"reference": "SCI0001"}):
            refused = await person.slash(server.general, "evidence read", **options)
            assert refused.ephemeral and refused.response.content == REFUSED
        assert await person.autocomplete(server.general, "evidence read", "reference", "") == []

    opened = (await server.member.slash(server.general, "evidence read")).response.message
    server.guild.remove_member(server.member)
    server.guild.add_member(server.member.user)  # back on the server, without the Member role
    pressed = await server.member.select(opened, [menu_value(opened)], custom_id=menu_id(opened))
    assert pressed.response.content == REFUSED or pressed.followups[-1].content == REFUSED


def menu_value(message) -> str:
    menu = next(c for row in message.components for c in row.children if c.custom_id.startswith("evread:o:"))
    return menu.options[0].value


async def test_the_committee_reads_what_the_rules_allow_and_the_volume_prints_the_same_names(server):
    given = [  # (witness, name, organisation, publication, decisions)
        ("amira", "Amira Khan", None, Publication.NAMED, ("accept",)),
        ("forum", "Sam Okafor", "Leeds Older People's Forum", Publication.NAMED, ("accept", "publish")),
        ("dana", "Dana Haddad", None, Publication.ANONYMOUS, ("accept", "publish")),
        ("pat", "Pat Doe", None, Publication.CONFIDENTIAL, ("accept",)),
        ("sid", "Sid Vale", None, Publication.NAMED, ()),
        ("door", "Doorbell Direct", None, Publication.NAMED, ("reject",)),
    ]
    for number, (witness, name, organisation, publication, steps) in enumerate(given, start=1):
        await submit_evidence(server, witness, name, {1: Q1}, organisation=organisation, publication=publication,
                              forum=False)  # fmt: skip
        await decide(server, f"SCI{number:04d}", *steps)
    services = server.bot.services
    inquiry = await server.inquiry_now()
    received = await services.review.list(inquiry)

    exported = await services.exports.evidence_volume(inquiry, server.secretariat.id)
    volume = words(" ".join(p.text for p in docx.Document(io.BytesIO(exported.data)).paragraphs))
    assert set(re.findall(r"SCI\d{4}", volume)) == {s.reference for s in received if access.in_the_volume(s)}
    assert {s.reference for s in received if access.in_the_volume(s)} == {"SCI0001", "SCI0002", "SCI0003"}

    for confidential in (False, True):
        if confidential:
            await server.secretariat_runs("inquiry committee-access", confidential=True)
        settings = access.AccessSettings(committee_reads_confidential=confidential)
        allowed = [s.reference for s in received if access.may_read(access.Reader.COMMITTEE, s, settings)]
        message = (await server.chair.slash(server.general, "evidence read")).response.message
        assert listed(message) == allowed
        for summary in await services.reading.readable(await server.inquiry_now(), access.Reader.COMMITTEE):
            if summary.reference in volume:  # the committee and the volume name each witness alike
                assert f"Written evidence submitted by {summary.who} ({summary.reference})" in volume
    assert allowed == ["SCI0001", "SCI0002", "SCI0003", "SCI0004"]


async def test_documents_and_confirmed_recordings_are_read_with_their_redactions(server):
    services = server.bot.services
    inquiry, user_id = await server.inquiry_now(), server.witness("lena").id
    draft = await services.submissions.start_or_resume(inquiry, user_id)
    await services.submissions.set_details(draft.id, user_id, name="Lena Park", organisation=None, contact="x@y.org")
    await services.submissions.set_publication(draft.id, user_id, Publication.NAMED)
    await services.submissions.save_answer(draft.id, user_id, inquiry.questions[0].id, Q1)
    statement = "Our befriending calls doubled in April.\n\nThe volunteer on Mill Lane knew every caller by name."
    taken = await services.documents.receive(
        draft.id, user_id, statement.encode(), "statement.txt", "text/plain", source="form"
    )
    await services.submissions.submit(draft.id, user_id)
    submission = await services.review.find(inquiry, "SCI0001")
    item_id = await confirmed_recording(server, submission, "We lent tablets to forty households in Hebden Bridge.")
    await decide(server, "SCI0001", "accept")
    actor = server.secretariat.id
    await services.redactions.redact_target(
        submission, TargetKind.DOCUMENT, taken.document.id, "on Mill Lane", "Identifies a volunteer", actor
    )
    await services.redactions.redact_recording(submission, item_id, "in Hebden Bridge", "Identifies a place", actor)

    text = (await server.member.slash(server.general, "evidence read", reference="SCI0001")).response.content
    assert f"**Q1** What issues has the COVID-19 crisis raised for socially isolated groups?\n{Q1}" in text
    assert "*video, transcript corrected by the witness*\nWe lent tablets to forty households [redacted]." in text
    assert "**Statement**\n*from plain text file*" in text
    assert "Our befriending calls doubled in April." in text and "The volunteer [redacted] knew every caller" in text
    assert text.index("**Q1**") < text.index("**Q3**") < text.index("**Statement**")
    assert "Mill Lane" not in text and "Hebden" not in text and "Identifies" not in text
    assert "2 passages withheld" in text


async def confirmed_recording(server, submission, confirmed: str) -> int:
    """A filmed statement given on Q3 whose transcript the witness corrected, as their confirmation leaves it."""
    store, now = server.bot.services.store, server.bot.services.clock()
    question = (await server.inquiry_now()).questions[2]
    async with store.transaction():
        media_id = await store.media.add_media(
            sha256="cd" * 32, path="cd/statement.mp4", filename="statement.mp4", content_type="video/mp4", size=9,
            now=now,
        )  # fmt: skip
        item_id = await store.media.add_item(
            media_id=media_id, kind="video", now=now, user_id=submission.user_id, submission_id=submission.id,
            question_id=question.id, discord_message_id=1,
        )  # fmt: skip
        await store.media.confirm_item(item_id, confirmed, True, now)
    return item_id


async def test_a_long_list_comes_ten_at_a_time(server):
    for n in range(1, 13):
        await submit_evidence(server, f"w{n}", f"Witness number {n}", {1: Q1}, forum=False)
        await decide(server, f"SCI{n:04d}", "accept")
    first = (await server.member.slash(server.general, "evidence read")).response.message
    assert listed(first) == [f"SCI{n:04d}" for n in range(1, 11)] and "Page 1 of 2" in first.content
    second = (await server.member.click(first, label="Next →")).response.message
    assert listed(second) == ["SCI0011", "SCI0012"] and "Page 2 of 2" in second.content
    assert button(second, "Next →").disabled
    opened = await open_from_list(server.member, second, "SCI0012")
    assert opened.content.startswith("**SCI0012** · Witness number 12 · accepted")
    back = (await server.member.click(opened, label="All submissions")).response.message
    assert listed(back) == ["SCI0011", "SCI0012"]  # the page it was opened from
