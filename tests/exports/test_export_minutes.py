"""Formal minutes: members with the chair, apologies, numbered items, decisions, the action table."""

from __future__ import annotations

from datetime import UTC, datetime

from export_samples import CHAIR, minutes_doc, reopen, texts

from exports import MinuteItem, build_minutes
from exports.minutes import ordered


def test_minutes_have_numbered_items_as_headings():
    document = reopen(build_minutes(minutes_doc()))

    assert [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")] == [
        ("Heading 1", "Members present"),
        ("Heading 1", "1. Declarations of interest"),
        ("Heading 1", "2. Oral evidence"),
        ("Heading 1", "3. Decisions"),
        ("Heading 1", "4. Action points"),
        ("Heading 1", "5. Other business"),
        ("Heading 1", "6. Next meeting"),
    ]


def test_front_matter_and_members_present():
    document = reopen(build_minutes(minutes_doc()))
    body = texts(document)

    assert body[0] == "Formal minutes"
    assert document.paragraphs[0].style.name == "Title"
    assert "Inquiry: What can we learn from the COVID-19 crisis about social connection with isolated groups?" in body
    assert "Date and time: Wednesday 15 April 2020, 2.00 pm (BST)" in body
    assert "Place: Online" in body
    chair_line = body.index(f"{CHAIR}, in the Chair")
    assert body[chair_line + 1] == "Member MP; Baroness Example"
    assert body[chair_line + 2] == "Apologies were received from Absent Member MP."


def test_declarations_witnesses_by_panel_decisions_and_next_meeting():
    body = texts(reopen(build_minutes(minutes_doc())))

    assert "Holly Lynch MP declared that she is a patron of a befriending charity." in body
    panel_1, panel_2 = body.index("Panel 1"), body.index("Panel 2")
    assert body[panel_1 + 1 : panel_2] == [
        "Sam Okafor, Chief Executive, Leeds Older People's Forum",
        "Margaret Ellis, Volunteer organiser, Village phone tree",
    ]
    assert body[panel_2 + 1] == "Priya Shah, Head of Community Hubs, Hackney Council"
    decisions = body.index("3. Decisions")
    assert body[decisions + 1 : decisions + 3] == [
        "Ordered, That the written evidence accepted by the secretariat be published.",
        "Ordered, That the oral evidence be published.",
    ]
    assert "The Chair thanked the witnesses." in body
    assert body[-1] == "Wednesday 22 April 2020 at 2.00 pm"


def test_action_points_are_a_table_of_action_owner_and_due_date():
    document = reopen(build_minutes(minutes_doc()))

    [table] = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows == [
        ["Action", "Owner", "Due"],
        ["Write to DCMS about funding for digital inclusion schemes", "British Future", "29 April 2020"],
        ["Circulate the draft report", "—", "—"],
    ]
    header_cells = table.rows[0].cells
    assert all(run.bold for cell in header_cells for run in cell.paragraphs[0].runs)


def test_a_bare_meeting_still_has_declarations_and_the_next_meeting():
    doc = minutes_doc(
        place="Committee Room 10", witnesses=[], items=[], apologies=[], declarations=[], next_meeting=None, members=[]
    )
    document = reopen(build_minutes(doc))
    body = texts(document)

    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == [
        "Members present",
        "1. Declarations of interest",
        "2. Next meeting",
    ]
    assert "Place: Committee Room 10" in body
    assert "No apologies were received." in body
    assert "No interests were declared." in body
    assert body[-1] == "The date of the next meeting has not been set."
    assert document.tables == []


def test_created_defaults_to_the_meeting_and_can_be_given():
    doc = minutes_doc()
    assert reopen(build_minutes(doc)).core_properties.created == datetime(2020, 4, 15, 13, 0, tzinfo=UTC)
    given = datetime(2020, 5, 1, 8, 30, tzinfo=UTC)
    assert reopen(build_minutes(doc, created=given)).core_properties.created == given


def test_ordered_writes_decisions_in_committee_form():
    assert ordered("the evidence be published") == "Ordered, That the evidence be published."
    assert ordered("The report be circulated.") == "Ordered, That the report be circulated."
    assert ordered("Holly Lynch MP write to the Minister") == "Ordered, That Holly Lynch MP write to the Minister."
    assert ordered("Ordered, That the draft be read.") == "Ordered, That the draft be read."
    assert ordered("Resolved, That the inquiry close.") == "Resolved, That the inquiry close."
    assert ordered("Agreed   to\nmeet again") == "Agreed to meet again"


def test_decision_with_odd_white_space_is_one_clean_paragraph():
    doc = minutes_doc(items=[MinuteItem("decision", "  the  evidence\n\nbe published  ")])
    body = texts(reopen(build_minutes(doc)))
    assert "Ordered, That the evidence be published." in body


def test_without_a_committee_name_the_inquiry_is_the_author():
    document = reopen(build_minutes(minutes_doc(committee_name=None)))
    assert document.core_properties.author == minutes_doc().inquiry_title
    assert [p.style.name for p in document.paragraphs[:2]] == ["Title", "Normal"]
