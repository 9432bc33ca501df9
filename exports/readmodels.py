"""The read-models the exports take: plain frozen dataclasses of standard-library types.

This is the contract between the domain and the Word writers. The domain builds these from the database;
the writers never see a database row, a Discord object or a domain class. Every string may hold anything a
witness typed: the writers strip what XML cannot hold and redact personal data on their own.

Dates and times: ``datetime`` values should be timezone-aware; the writers show them in ``timezone_name``
(an IANA name such as ``Europe/London``). A naive ``datetime`` is taken to be in that zone already.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

MinuteKind = Literal["decision", "action", "note"]
MinutesStatus = Literal["draft", "agreed"]
WitnessAttendance = Literal["gave_evidence", "not_called", "absent"]
MediaKind = Literal["voice", "audio", "video"]
DocumentBlockKind = Literal["paragraph", "heading", "list_item", "table_row"]
Capacity = Literal["individual", "organisation"]
Publication = Literal["named", "anonymous", "confidential"]


@dataclass(frozen=True, slots=True)
class Member:
    """A member of the committee. ``chair`` marks the member in the Chair (transcripts list them first)."""

    name: str
    role_label: str | None = None
    chair: bool = False


@dataclass(frozen=True, slots=True)
class Witness:
    """A witness on an oral evidence panel (panels are numbered from 1). ``attended``: whether they gave oral
    evidence; the minutes list those who did apart from those not called or absent."""

    name: str
    role: str | None = None
    organisation: str | None = None
    panel: int = 1
    attended: WitnessAttendance = "gave_evidence"


@dataclass(frozen=True, slots=True)
class MinuteItem:
    """An item of the formal minutes: a decision (``Ordered, That ...``), an action point, or a note."""

    kind: MinuteKind
    text: str
    owner: str | None = None
    due: date | None = None
    key: str = ""  # a stable name of the item (``minute_item:7``), for the audit of automatic redactions


@dataclass(frozen=True, slots=True)
class MinutesDoc:
    """Everything the formal minutes of one meeting show."""

    inquiry_title: str
    committee_name: str | None  # None: the inquiry's title stands as the document's author
    session_title: str
    starts_at: datetime
    timezone_name: str
    place: str | None
    chair: Member
    members: list[Member] = field(default_factory=list)  # the other members present, not the chair
    apologies: list[str] = field(default_factory=list)
    declarations: list[str] = field(default_factory=list)
    witnesses: list[Witness] = field(default_factory=list)
    items: list[MinuteItem] = field(default_factory=list)
    next_meeting: str | None = None
    status: MinutesStatus | None = None  # "draft" (not yet agreed) or "agreed" (on ``agreed_on``); None: not shown
    agreed_on: date | None = None


@dataclass(frozen=True, slots=True)
class Answer:
    """An answer given under a question, attributed to ``witness_name``.

    ``text`` is the text for the record: for a spoken answer, the corrected text when ``corrected`` is true,
    otherwise the uncorrected transcript (which the transcript marks as such). ``typed``: an answer typed during a
    session whose spoken record is also given, marked so that it is not read as speech. A struck answer is left
    out of the transcript, with a note giving ``strike_reason``.
    """

    witness_name: str
    text: str
    spoken: bool = False
    corrected: bool = False
    struck: bool = False
    strike_reason: str | None = None
    typed: bool = False
    key: str = ""  # a stable name of what was said (``session_answer:12``, ``segment:40``), for the audit log
    redactions: list[Redaction] = field(default_factory=list)  # the secretariat's, of this answer only


@dataclass(frozen=True, slots=True)
class QuestionRecord:
    """A numbered oral question (numbers run on across an inquiry's sessions).

    ``asked_by`` is the asker's name; the transcript writes ``Chair`` when it is the chair's, as committees do.
    """

    number: int
    asked_by: str
    text: str
    answers: list[Answer] = field(default_factory=list)
    struck: bool = False
    strike_reason: str | None = None
    panel: int = 1
    key: str = ""  # a stable name of the question (``oral_question:3``), for the audit log


@dataclass(frozen=True, slots=True)
class TranscriptDoc:
    """An oral evidence session for its transcript. ``members`` are those present, the chair first and flagged."""

    inquiry_title: str
    session_title: str
    starts_at: datetime
    timezone_name: str
    members: list[Member] = field(default_factory=list)
    witnesses: list[Witness] = field(default_factory=list)
    questions: list[QuestionRecord] = field(default_factory=list)
    committee_name: str | None = None
    opening: list[Answer] = field(default_factory=list)  # what was said before the first question was put


@dataclass(frozen=True, slots=True)
class EvidenceAnswer:
    """A written answer to one of the inquiry's numbered questions."""

    question_number: int
    question_text: str
    text: str


@dataclass(frozen=True, slots=True)
class MediaTranscript:
    """The transcript of a voice message, audio or video file given as evidence.

    ``language`` is a language name or code (``English``, ``cy``); ``translation`` the English translation
    when the evidence was in another language; ``corrected`` true once the witness or secretariat has checked it.
    ``filename`` is for the domain's own use: the volume does not publish it (file names often carry names).
    """

    kind: MediaKind
    filename: str
    language: str
    text: str
    translation: str | None = None
    corrected: bool = False
    key: str = ""  # a stable name of the recording (``media_item:12``): redactions with this target apply to it
    question_number: int | None = None  # the question it answers (printed under it); None: a general statement
    edited: bool = False  # the witness changed the text from what was transcribed (else confirmed as transcribed)


@dataclass(frozen=True, slots=True)
class DocumentBlock:
    """A block of a document given as written evidence, in reading order. A ``numbered`` paragraph takes the
    piece's next paragraph number; headings, list items (``text`` with its marker, ``level`` its depth) and table
    rows (cells joined by `` | ``) are printed unnumbered."""

    kind: DocumentBlockKind
    text: str
    level: int = 0
    numbered: bool = False


@dataclass(frozen=True, slots=True)
class EvidenceDocument:
    """Written evidence given as a file (or the part of it that answers one question).

    ``question_number``: the question it answers (printed under it); None: a statement, printed after the answers.
    ``filename`` and ``format`` are for the domain's own use: the volume does not publish them.
    """

    filename: str
    format: str
    blocks: list[DocumentBlock] = field(default_factory=list)
    question_number: int | None = None
    key: str = ""  # a stable name of the document (``document:12``): redactions with this target apply to it


@dataclass(frozen=True, slots=True)
class Redaction:
    """A passage the secretariat redacted from publication, with its reason.

    A redaction names its passage by text, not by offsets (offsets break when text is cleaned or edited):
    ``question_number`` is the answer it belongs to, ``passage`` the exact words as they appear in that answer.
    Every occurrence of the passage in that answer is replaced by ``replacement``. With ``question_number``
    None the passage is redacted wherever it appears in the submission: every answer and every media
    transcript and translation. Differences of white space (line breaks, repeated spaces) are tolerated;
    a passage found nowhere is reported back in ``ExportResult.unapplied``.
    """

    question_number: int | None
    passage: str
    reason: str
    replacement: str = "[redacted]"
    target: str | None = None  # set: only the text with this key (a recording's ``media_item:12``, a document's)


@dataclass(frozen=True, slots=True)
class Submission:
    """A piece of written evidence as it may be published.

    The domain passes only evidence the secretariat has accepted or published; the volume leaves out
    ``confidential`` evidence entirely and shows ``anonymous`` evidence without its author's name.
    """

    reference: str
    submitter_name: str
    organisation: str | None
    capacity: Capacity
    publication: Publication
    late: bool
    submitted_at: datetime
    answers: list[EvidenceAnswer] = field(default_factory=list)
    media: list[MediaTranscript] = field(default_factory=list)
    redactions: list[Redaction] = field(default_factory=list)
    documents: list[EvidenceDocument] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class EvidenceVolumeDoc:
    """An inquiry's written evidence volume."""

    inquiry_title: str
    inquiry_code: str
    terms_of_reference: str
    call_closes_at: datetime | None
    submissions: list[Submission] = field(default_factory=list)
    committee_name: str | None = None
    timezone_name: str = "Europe/London"


@dataclass(frozen=True, slots=True)
class AppliedRedaction:
    """One passage the volume left out: ``kind`` is ``email``, ``phone``, ``postcode``, ``address``, ``name``
    (an anonymous author's own name) or ``secretariat``; ``location`` says where (``Q2``, ``video transcript``)."""

    reference: str
    kind: str
    original: str
    location: str
    target: str = ""  # a stable name of the text it was taken from: with a hash of ``original``, noted once


@dataclass(frozen=True, slots=True)
class ExportResult:
    """A built document and what was redacted from it, for the audit log.

    ``unapplied`` holds secretariat redactions whose passage was found nowhere (nothing was published that
    they were meant to hide only if the passage really is absent; the domain should check and say so).
    """

    data: bytes
    redactions: list[AppliedRedaction] = field(default_factory=list)
    unapplied: list[tuple[str, Redaction]] = field(default_factory=list)  # (reference, redaction)
