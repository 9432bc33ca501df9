"""What evidence holds, in every form, over a real SQLite store: documents kept once per content and changed only
while their submission may be, the state of a recording's transcript as the witness and the secretariat read it,
and which questions count as answered and how many words the evidence has."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from documents import extract_document
from inquiry.core.rules import count_words
from inquiry.evidence.content import (
    DocumentSplit,
    DocumentUse,
    EvidenceContent,
    TranscriptState,
    spoken_answer,
)
from inquiry.evidence.models import Submission, SubmissionStatus
from transcription.ledger import Job, MediaItem, MediaRow

NOW = datetime(2020, 4, 1, 12, tzinfo=UTC)
TEXT = "Question 1\n\nLunch clubs closed overnight.\n\nQuestion 2\n\nVolunteers phoned every member."


def item(status: str = "queued", *, corrected: bool = False, text: str | None = None, question: int | None = 7):
    return MediaItem(1, 1, "voice", 5, 1, question, None, 10, 11, status, text, corrected, None, NOW)


def job(state: str, result: dict | None = None) -> Job:
    return Job(
        1, 1, 1, "faster-whisper", "tiny.en", None, False, state, 1, NOW, 1.0, None, result, None, None, NOW, NOW
    )


MEDIA = MediaRow(1, "ab" * 32, "ab/x.ogg", "voice-message.ogg", "audio/ogg", 1000, 12.0, False, NOW)
HEARD = {"text": "Volunteers phoned every member.", "language": "en"}
FLAGGED = {**HEARD, "needs_review": True, "review_reasons": ["the language is uncertain"]}


@pytest.mark.parametrize(
    ("status", "jobs", "state"),
    [
        ("queued", [job("queued")], TranscriptState.TRANSCRIBING),
        ("queued", [job("running")], TranscriptState.TRANSCRIBING),
        ("transcribed", [job("done", HEARD)], TranscriptState.WAITING),
        ("transcribed", [job("done", FLAGGED)], TranscriptState.NEEDS_CHECKING),
        ("transcribed", [job("done", {"text": "", "language": "en"})], TranscriptState.NO_SPEECH),
        ("failed", [job("failed")], TranscriptState.FAILED),
    ],
)
def test_the_state_of_a_recordings_transcript(status, jobs, state):
    spoken = spoken_answer(item(status), MEDIA, jobs)
    assert spoken.state is state
    assert not spoken.confirmed and spoken.words == 0
    assert spoken.duration == 12.0


def test_a_confirmed_transcript_counts_and_keeps_the_engines_flag():
    confirmed = spoken_answer(
        item("confirmed", text="Volunteers phoned every member weekly."), MEDIA, [job("done", FLAGGED)]
    )
    assert confirmed.state is TranscriptState.CONFIRMED and confirmed.confirmed and confirmed.words == 5
    assert confirmed.review_reasons == ("the language is uncertain",)
    corrected = spoken_answer(item("confirmed", corrected=True, text="Fixed."), MEDIA, [job("done", HEARD)])
    assert corrected.state is TranscriptState.CORRECTED and corrected.words == 1


def submission(answers: dict[int, str]) -> Submission:
    return Submission(
        1, 1, 5, SubmissionStatus.DRAFT, None, None, None, None, None, 0, None, False, 0, None, None, NOW, NOW, None,
        answers,
    )  # fmt: skip


async def test_answered_questions_and_words_count_every_form_of_evidence(store):
    document = extract_document(TEXT.encode(), "evidence.txt", count_words=count_words)
    split = DocumentSplit({7: document.blocks[1:2], 8: document.blocks[3:4]})
    await store.execute("INSERT INTO inquiries (id, guild_id, code, title, created_by, created_at) VALUES"
                             " (1, 1, 'SCI', 'T', 1, '2020-01-01')")  # fmt: skip
    await store.execute("INSERT INTO submissions (id, inquiry_id, user_id, created_at, updated_at) VALUES"
                             " (1, 1, 5, '2020-01-01', '2020-01-01')")  # fmt: skip
    added = await store.documents.add(
        submission_id=1, user_id=5, document=document, path="documents/x.txt", filename="evidence.txt",
        content_type="text/plain", split=split, words=document.word_count, source="form", message_id=None, now=NOW,
    )  # fmt: skip
    again = await store.documents.add(
        submission_id=1, user_id=5, document=document, path="documents/x.txt", filename="copy.txt",
        content_type="text/plain", split=split, words=document.word_count, source="form", message_id=None, now=NOW,
    )  # fmt: skip
    assert added is not None and again is None  # the same content is one document of that evidence
    [stored] = await store.documents.current_of(1)
    assert stored.use is DocumentUse.STATEMENT and stored.split_question_ids == [7, 8]

    typed = {9: "Councils should fund hubs."}
    content = EvidenceContent(
        submission(typed), (stored,), (spoken_answer(item("transcribed"), MEDIA, [job("done", HEARD)]),)
    )
    assert [content.answered(q) for q in (7, 8, 9)] == [False, False, True]  # a statement answers no question
    assert content.words == 4 + stored.words

    assert await store.documents.set_use_if(
        stored.id, was="statement", use="answers", words=stored.words_as(DocumentUse.ANSWERS), now=NOW,
        editable=("draft", "submitted"),
    )  # fmt: skip
    [used] = await store.documents.current_of(1)
    confirmed = spoken_answer(item("confirmed", text="Yes."), MEDIA, [job("done", HEARD)])
    content = EvidenceContent(submission(typed), (used,), (confirmed,))
    assert [content.answered(q) for q in (7, 8, 9)] == [True, True, True]
    assert content.question_words(7) == count_words("Lunch clubs closed overnight.") + 1
    assert content.words == 4 + used.words + 1 and used.words == 8

    await store.execute("UPDATE submissions SET status = 'accepted' WHERE id = 1")
    assert not await store.documents.set_use_if(
        used.id, was="answers", use="statement", words=1, now=NOW, editable=("draft", "submitted")
    )  # accepted evidence cannot be changed any more
    assert not await store.documents.remove_if(used.id, now=NOW, editable=("draft", "submitted"))
    assert await store.documents.erase_of_submissions([1]) == ["documents/x.txt"]
    assert await store.documents.current_of(1) == []
