"""Everything a witness's evidence holds, whatever form it came in: typed answers, documents sent as files, and
recordings with their transcripts. One place decides what counts as an answer to a question and how many words the
evidence has, so that every page, the receipt, the forum post, the review and the volume say the same.

- A typed answer answers its question.
- A document stands as one statement, or, when it answers the questions by their numbers and the witness chose so,
  its parts answer those questions (the text before the first answer stays a statement).
- A recording answers the question the witness was on when they sent it, once they have confirmed (or corrected) its
  transcript; until then it is shown with the state of its transcript, and counts for nothing.

Words: typed answers, documents in use and confirmed transcripts all count toward the word limit.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from documents import Block, Document
from documents.model import join_blocks
from inquiry.core.rules import count_words
from inquiry.evidence.models import Submission
from transcription.ledger import Job, MediaItem, MediaRow

if TYPE_CHECKING:
    from inquiry.store import Store

log = logging.getLogger(__name__)

FORMAT_NAMES = {
    "docx": "Word document",
    "odt": "OpenDocument text",
    "rtf": "rich text document",
    "txt": "plain text file",
    "md": "Markdown text file",
    "pdf": "PDF",
}
KIND_NAMES = {"voice": "voice message", "audio": "audio recording", "video": "video"}


class DocumentUse(StrEnum):
    """How a document stands in the evidence."""

    STATEMENT = "statement"  # one statement, beside the answers
    ANSWERS = "answers"  # its parts answer the questions it numbers


@dataclass(frozen=True, slots=True)
class DocumentSplit:
    """A document's answers by question id (as :func:`documents.split_by_questions` found them, numbers made ids),
    and the text before the first answer."""

    answers: dict[int, tuple[Block, ...]]
    preamble: tuple[Block, ...] = ()

    def to_json(self) -> str:
        """The split as stored."""
        return json.dumps(
            {
                "answers": {str(q): [b.to_dict() for b in blocks] for q, blocks in self.answers.items()},
                "preamble": [b.to_dict() for b in self.preamble],
            }
        )

    @classmethod
    def from_json(cls, text: str | None) -> DocumentSplit | None:
        """The split back from :meth:`to_json` (None for None)."""
        if not text:
            return None
        data = json.loads(text)
        answers = {int(q): tuple(Block.from_dict(b) for b in blocks) for q, blocks in data["answers"].items()}
        return cls(answers, tuple(Block.from_dict(b) for b in data.get("preamble", ())))


@dataclass(frozen=True, slots=True)
class EvidenceDocument:
    """A document given as written evidence: the original's facts, what was read from it, and how it is used."""

    id: int
    submission_id: int
    user_id: int | None
    filename: str
    format: str
    size: int
    sha256: str
    path: str  # the original, relative to the media folder
    page_count: int | None
    content: Document
    split: DocumentSplit | None
    use: DocumentUse
    words: int
    source: str
    created_at: datetime
    removed_at: datetime | None = None

    @property
    def format_name(self) -> str:
        """``Word document``."""
        return FORMAT_NAMES.get(self.format, self.format)

    @property
    def text(self) -> str:
        """The whole text as read."""
        return self.content.text

    @property
    def split_question_ids(self) -> list[int]:
        """The questions (ids) the document answers by number, in its order; empty when it does not."""
        return list(self.split.answers) if self.split else []

    def parts(self) -> list[DocumentPart]:
        """The document as it stands in the evidence: one statement, or its answers (and any text before them)."""
        if self.use is DocumentUse.ANSWERS and self.split is not None:
            found = [DocumentPart(self, None, self.split.preamble)] if join_blocks(self.split.preamble) else []
            return found + [DocumentPart(self, q, blocks) for q, blocks in self.split.answers.items()]
        return [DocumentPart(self, None, self.content.blocks)]

    def words_as(self, use: DocumentUse) -> int:
        """How many words the document adds to the evidence when used as ``use``."""
        if use is DocumentUse.ANSWERS and self.split is not None:
            pieces = (self.split.preamble, *self.split.answers.values())
            return sum(count_words(join_blocks(blocks)) for blocks in pieces)
        return count_words(self.content.text)


@dataclass(frozen=True, slots=True)
class DocumentPart:
    """A document, or the part of it that answers one question (``question_id`` None: a statement)."""

    document: EvidenceDocument
    question_id: int | None
    blocks: tuple[Block, ...]

    @property
    def text(self) -> str:
        return join_blocks(self.blocks)

    @property
    def key(self) -> str:
        """The stable name redactions give the document (``document:12``)."""
        return f"document:{self.document.id}"


class TranscriptState(StrEnum):
    """Where a recording's transcript stands, as the witness and the secretariat read it."""

    TRANSCRIBING = "transcribing"
    WAITING = "waiting"  # for the witness's confirmation
    NEEDS_CHECKING = "needs_checking"  # the engine flagged it; not yet checked by a person
    NO_SPEECH = "no_speech"
    CONFIRMED = "confirmed"
    CORRECTED = "corrected"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class SpokenAnswer:
    """A recording given with the evidence: where it belongs, how long it is, and its transcript's state.

    ``transcript`` is the latest transcript (what the witness was shown), ``confirmed_text`` what they confirmed or
    corrected (None until then). ``review_reasons`` are the engine's reasons for a person to check it; they stay
    after the witness's confirmation, for the secretariat to see.
    """

    item_id: int
    kind: str
    question_id: int | None
    duration: float | None
    state: TranscriptState
    transcript: str
    confirmed_text: str | None
    review_reasons: tuple[str, ...] = ()
    language: str | None = None
    translation: str | None = None
    error: str | None = None

    @property
    def confirmed(self) -> bool:
        """Whether a person (the witness) has checked the transcript: only then is it evidence."""
        return self.state in (TranscriptState.CONFIRMED, TranscriptState.CORRECTED) and bool(self.confirmed_text)

    @property
    def words(self) -> int:
        """Words it adds to the evidence (confirmed transcripts only)."""
        return count_words(self.confirmed_text or "") if self.confirmed else 0

    @property
    def kind_name(self) -> str:
        """``voice message``."""
        return KIND_NAMES.get(self.kind, "recording")

    @property
    def key(self) -> str:
        """The stable name redactions give the recording (``media_item:12``)."""
        return f"media_item:{self.item_id}"


def spoken_answer(item: MediaItem, media: MediaRow | None, jobs: Sequence[Job]) -> SpokenAnswer:
    """A recording and its transcriptions (oldest first) as a :class:`SpokenAnswer`."""
    done = [j for j in jobs if j.state == "done" and j.result is not None]
    result: dict[str, Any] = done[-1].result if done else {}
    transcript = (result.get("text") or "").strip()
    reasons = tuple(str(r) for r in result.get("review_reasons") or ()) if result.get("needs_review") else ()
    if item.status == "confirmed":
        state = TranscriptState.CORRECTED if item.corrected else TranscriptState.CONFIRMED
    elif item.status in ("failed", "refused") or (jobs and all(j.state == "failed" for j in jobs)):
        state = TranscriptState.FAILED
    elif done:
        if not transcript:
            state = TranscriptState.NO_SPEECH
        elif reasons:
            state = TranscriptState.NEEDS_CHECKING
        else:
            state = TranscriptState.WAITING
    else:
        state = TranscriptState.TRANSCRIBING
    failed = next((j.error for j in reversed(jobs) if j.state == "failed"), None)
    return SpokenAnswer(
        item_id=item.id,
        kind=item.kind,
        question_id=item.question_id,
        duration=media.duration if media else None,
        state=state,
        transcript=transcript,
        confirmed_text=item.confirmed_text if item.status == "confirmed" else None,
        review_reasons=reasons,
        language=result.get("language"),
        translation=(result.get("translation") or "").strip() or None,
        error=failed if state is TranscriptState.FAILED else None,
    )


@dataclass(frozen=True, slots=True)
class EvidenceContent:
    """A submission with its documents (those in use) and recordings: what it holds, question by question."""

    submission: Submission
    documents: tuple[EvidenceDocument, ...] = ()
    spoken: tuple[SpokenAnswer, ...] = ()

    def typed(self, question_id: int) -> str:
        """The typed answer to a question (as sent), or ""."""
        return (self.submission.answers.get(question_id) or "").strip()

    def parts_for(self, question_id: int | None) -> list[DocumentPart]:
        """The document parts that answer a question (None: the statements)."""
        return [p for d in self.documents for p in d.parts() if p.question_id == question_id and p.text.strip()]

    def spoken_for(self, question_id: int | None) -> list[SpokenAnswer]:
        """The recordings given while the witness was on a question (None: as a general statement)."""
        return [s for s in self.spoken if s.question_id == question_id]

    def answered(self, question_id: int) -> bool:
        """Whether the question is answered: typed, by a document's part, or by a confirmed recording."""
        return bool(
            self.typed(question_id)
            or self.parts_for(question_id)
            or any(s.confirmed for s in self.spoken_for(question_id))
        )

    def answered_count(self, question_ids: Iterable[int]) -> int:
        """How many of these questions are answered."""
        return sum(1 for q in question_ids if self.answered(q))

    def question_words(self, question_id: int) -> int:
        """Words given in answer to one question, whatever their form."""
        typed = count_words(self.typed(question_id))
        parts = sum(count_words(p.text) for p in self.parts_for(question_id))
        return typed + parts + sum(s.words for s in self.spoken_for(question_id))

    def general_spoken(self, question_ids: Iterable[int]) -> list[SpokenAnswer]:
        """Recordings not under any of these questions (general statements, or a question since removed)."""
        known = set(question_ids)
        return [s for s in self.spoken if s.question_id not in known]

    @property
    def extra_words(self) -> int:
        """Words beyond the typed answers: documents in use and confirmed transcripts."""
        return sum(d.words for d in self.documents) + sum(s.words for s in self.spoken)

    @property
    def words(self) -> int:
        """Every word of the evidence that counts toward the limit."""
        return sum(count_words(t) for t in self.submission.answers.values()) + self.extra_words

    @property
    def has_more_than_typing(self) -> bool:
        """Whether it holds a document, or a confirmed recording (evidence without any typed answer)."""
        return bool(self.documents) or any(s.confirmed for s in self.spoken)


async def extra_words(store: Store, submission_id: int) -> int:
    """Words of a submission beyond its typed answers: its documents in use and its confirmed transcripts."""
    documents = sum(d.words for d in await store.documents.current_of(submission_id))
    spoken = sum(
        count_words(i.confirmed_text or "")
        for i in await store.media.items_of_submission(submission_id)
        if i.status == "confirmed"
    )
    return documents + spoken


async def load_content(store: Store, submission: Submission) -> EvidenceContent:
    """A submission's content: its documents in use and its recordings, each with the state of its transcript."""
    spoken = []
    for item in await store.media.items_of_submission(submission.id):
        media = await store.media.media(item.media_id)
        spoken.append(spoken_answer(item, media, await store.media.jobs_for_item(item.id)))
    documents = tuple(await store.documents.current_of(submission.id))
    return EvidenceContent(submission, documents, tuple(spoken))
