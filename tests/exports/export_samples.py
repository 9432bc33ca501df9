"""Read-models of the seed inquiry (the Social Integration APPG's 2020 inquiry into social connection during
COVID-19) for the export tests, and helpers to reopen the documents with python-docx."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime

import docx
from docx.document import Document

from exports import (
    Answer,
    EvidenceAnswer,
    EvidenceVolumeDoc,
    MediaTranscript,
    Member,
    MinuteItem,
    MinutesDoc,
    QuestionRecord,
    Redaction,
    Submission,
    TranscriptDoc,
    Witness,
)

INQUIRY_TITLE = "What can we learn from the COVID-19 crisis about social connection with isolated groups?"
CODE = "SCI"
COMMITTEE = "Social Integration All Party Parliamentary Group"
CHAIR = "Holly Lynch MP"
SECRETARIAT = "British Future"
TERMS = (
    "The Social Integration All Party Parliamentary Group is running a short inquiry into what we can learn "
    "from the COVID-19 crisis about social connection with isolated groups."
)
QUESTIONS = (
    "What issues has the COVID-19 crisis raised for socially isolated groups?",
    "How are you/your organisation responding to these challenges to reach these groups?",
    "What barriers and challenges have you encountered in your work to reach and support socially isolated "
    "groups? How have you responded to these barriers and solved such problems?",
    "Is there best practice you would like to share with others working in similar situations? What doesn't "
    "work in these situations?",
    "What should the Government be doing to support you in your work to reach and support socially isolated "
    "groups? What support would be useful from other relevant groups such as councils, the NHS and other civil "
    "society bodies?",
)
SESSION_START = datetime(2020, 4, 15, 13, 0, tzinfo=UTC)  # 2.00 pm in London (BST)
CLOSES_AT = datetime(2020, 4, 14, 16, 0, tzinfo=UTC)  # 5.00 pm BST, Tuesday 14 April 2020
CREATED = datetime(2020, 4, 30, 9, 0, tzinfo=UTC)

WITNESSES = [
    Witness("Sam Okafor", "Chief Executive", "Leeds Older People's Forum", 1),
    Witness("Margaret Ellis", "Volunteer organiser", "Village phone tree", 1),
    Witness("Priya Shah", "Head of Community Hubs", "Hackney Council", 2),
]
MEMBERS = [Member(CHAIR, "Chair", chair=True), Member("Member MP"), Member("Baroness Example")]


def answer_to(number: int, text: str) -> EvidenceAnswer:
    """An answer to the seed inquiry's question ``number`` (1-5)."""
    return EvidenceAnswer(number, QUESTIONS[number - 1], text)


def minutes_doc(**changes) -> MinutesDoc:
    """The formal minutes of the inquiry's first oral evidence session."""
    fields = {
        "inquiry_title": INQUIRY_TITLE,
        "committee_name": COMMITTEE,
        "session_title": "Social connection during the lockdown",
        "starts_at": SESSION_START,
        "timezone_name": "Europe/London",
        "place": None,
        "chair": Member(CHAIR, "Chair", chair=True),
        "members": [Member("Member MP"), Member("Baroness Example")],
        "apologies": ["Absent Member MP"],
        "declarations": ["Holly Lynch MP declared that she is a patron of a befriending charity."],
        "witnesses": WITNESSES,
        "items": [
            MinuteItem("decision", "the written evidence accepted by the secretariat be published."),
            MinuteItem("decision", "Ordered, That the oral evidence be published."),
            MinuteItem(
                "action", "Write to DCMS about funding for digital inclusion schemes", SECRETARIAT, date(2020, 4, 29)
            ),
            MinuteItem("action", "Circulate the draft report", None, None),
            MinuteItem("note", "The Chair thanked the witnesses."),
        ],
        "next_meeting": "Wednesday 22 April 2020 at 2.00 pm",
    }
    fields.update(changes)
    return MinutesDoc(**fields)


def transcript_doc(**changes) -> TranscriptDoc:
    """A session whose question numbers run on from an earlier session (Q14 onwards)."""
    questions = [
        QuestionRecord(
            14,
            CHAIR,
            "Welcome. What issues has the crisis raised for the people you work with?",
            [
                Answer("Sam Okafor", "Loneliness first of all.\nMany have no one to collect their shopping."),
                Answer("Margaret Ellis", "We set up a phone tree in the village", spoken=True),
            ],
        ),
        QuestionRecord(15, "Member MP", "A question put in error", [Answer("Sam Okafor", "Gone")], True, "asked twice"),
        QuestionRecord(
            16,
            "Member MP",
            "How have councils helped?",
            [
                Answer("Priya Shah", "Our hubs called every shielding resident.", spoken=True, corrected=True),
                Answer("Priya Shah", "An offensive remark", struck=True, strike_reason="unparliamentary language"),
            ],
            panel=2,
        ),
    ]
    fields = {
        "inquiry_title": INQUIRY_TITLE,
        "session_title": "Social connection during the lockdown",
        "starts_at": SESSION_START,
        "timezone_name": "Europe/London",
        "members": MEMBERS,
        "witnesses": WITNESSES,
        "questions": questions,
        "committee_name": COMMITTEE,
    }
    fields.update(changes)
    return TranscriptDoc(**fields)


def submission(reference: str, name: str, answers: list[EvidenceAnswer], **changes) -> Submission:
    """A named individual's evidence, on time, unless ``changes`` say otherwise."""
    fields = {
        "reference": reference,
        "submitter_name": name,
        "organisation": None,
        "capacity": "individual",
        "publication": "named",
        "late": False,
        "submitted_at": datetime(2020, 4, 10, 12, 0, tzinfo=UTC),
        "answers": answers,
        "media": [],
        "redactions": [],
    }
    fields.update(changes)
    return Submission(**fields)


def volume_doc(submissions: list[Submission] | None = None) -> EvidenceVolumeDoc:
    """The evidence volume: an organisation, a named individual with a Welsh video, an anonymous individual
    and a confidential submission."""
    if submissions is None:
        submissions = seed_submissions()
    return EvidenceVolumeDoc(INQUIRY_TITLE, CODE, TERMS, CLOSES_AT, submissions, committee_name=COMMITTEE)


def seed_submissions() -> list[Submission]:
    return [
        submission(
            "SCI0001",
            "Sunder Katwala",
            [
                answer_to(1, "Isolation has deepened for older people.\nDigital exclusion is the largest barrier."),
                answer_to(2, "We convened councils and charities. Our funder's name is confidential to us."),
            ],
            organisation=SECRETARIAT,
            capacity="organisation",
            redactions=[Redaction(2, "Our funder's name is confidential to us.", "commercially sensitive")],
        ),
        submission(
            "SCI0002",
            "Rhys Evans",
            [answer_to(3, "Contact me at rhys.evans@example.org or on 07700 900123.")],
            late=True,
            media=[
                MediaTranscript(
                    "video", "rhys.mp4", "cy", "Bore da. Mae unigrwydd yn broblem.", "Good morning.", False
                ),
                MediaTranscript("voice", "voice-message.ogg", "en", "We need more volunteers.", None, True),
            ],
        ),
        submission(
            "SCI0007",
            "Jane Bloggs",
            [answer_to(4, "I, Jane Bloggs, live at 14 Acacia Avenue, Leeds LS6 2AB and JANE BLOGGS runs a club.")],
            publication="anonymous",
        ),
        submission(
            "SCI0009",
            "Hidden Witness",
            [answer_to(5, "A confidential account of a care home.")],
            publication="confidential",
        ),
    ]


def reopen(data: bytes) -> Document:
    """The document as python-docx reads it."""
    return docx.Document(io.BytesIO(data))


def part_xml(data: bytes, name: str) -> str:
    """One part of the .docx package (``word/document.xml``) as text."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read(name).decode("utf-8")


def all_xml(data: bytes) -> str:
    """Every XML part of the package, joined: to show something appears nowhere."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return "\n".join(package.read(name).decode("utf-8") for name in package.namelist() if name.endswith(".xml"))


def styled(document: Document) -> list[tuple[str, str]]:
    """``(style name, text)`` of every body paragraph, in order (one style look-up per style, not per paragraph)."""
    names = {style.style_id: style.name for style in document.styles}
    return [(names.get(p._p.style or "Normal", "Normal"), p.text) for p in document.paragraphs]


def texts(document: Document) -> list[str]:
    """The text of every body paragraph in order, leaving out the entries of the table of contents."""
    return [text for style, text in styled(document) if not style.startswith("toc ")]


def headings(document: Document, level: int) -> list[str]:
    """The text of every heading of ``level``, in order."""
    return [text for style, text in styled(document) if style == f"Heading {level}"]
