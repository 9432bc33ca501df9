"""Written evidence sent as a file: a witness gives a document with their draft (or their sent evidence, until it is
accepted), the bot keeps the original under its SHA-256, reads it in a child process with limits, and keeps what it
read. The document stands as one statement; when it answers the questions by their numbers, the witness may use it
as answers under them instead. A refused file changes nothing.

Changes to evidence already sent follow the typed answers' rules: within the word limit, audited, and noted on the
forum post through the outbox.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePath

from documents import DEFAULT_MAX_BYTES, DocumentRefused, Limits, extract_document_isolated, split_by_questions
from documents.model import Document
from inquiry.core.errors import InvalidInput, NotAllowed, NotFound
from inquiry.core.rules import count_words
from inquiry.evidence.changes import conflict
from inquiry.evidence.content import DocumentSplit, DocumentUse, EvidenceDocument, extra_words
from inquiry.evidence.models import Submission, SubmissionStatus
from inquiry.inquiries.models import Inquiry, Question
from inquiry.outbox.service import OutboxService
from inquiry.store import Store
from storage import FolderStorage, MediaStorage, StorageError

log = logging.getLogger(__name__)

MAX_DOCUMENTS = 5  # documents one submission may hold at once
FOLDER = "documents"  # under the media folder
EDITABLE = (SubmissionStatus.DRAFT.value, SubmissionStatus.SUBMITTED.value)
SOURCES = ("form", "direct_message", "upload")
NOTE_CHARS = 1200


class DocumentNotTaken(InvalidInput):
    """A file that was not taken as evidence, and why (``reason``: the documents package's code, or ``limit``)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class DocumentTaken:
    """A document now part of the evidence (``duplicate``: the same file was part of it already)."""

    document: EvidenceDocument
    submission: Submission
    inquiry: Inquiry
    duplicate: bool = False

    def question_numbers(self) -> list[int]:
        """The numbers of the questions it answers by number (empty when it does not)."""
        return numbers_of(self.inquiry, self.document.split_question_ids)


def numbers_of(inquiry: Inquiry, question_ids: list[int]) -> list[int]:
    """The positions of these questions, in order."""
    positions = {q.id: q.position for q in inquiry.questions}
    return sorted(positions[q] for q in question_ids if q in positions)


def unchanged(submission: Submission) -> str:
    """``Your draft is unchanged.``"""
    return "Your draft is unchanged." if submission.status is SubmissionStatus.DRAFT else "Your evidence is unchanged."


class DocumentService:
    """Documents given with a witness's evidence: taking one in, choosing how it is used, taking it back out."""

    def __init__(
        self,
        store: Store,
        clock: Callable[[], datetime],
        outbox: OutboxService,
        media_dir: Path,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        limits: Limits | None = None,
        storage: MediaStorage | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.outbox = outbox
        self.media_dir = Path(media_dir)
        self.storage = storage or FolderStorage(self.media_dir)  # where originals are kept
        self.max_bytes = max_bytes
        self.limits = limits

    # Reading ------------------------------------------------------------------------------------

    async def of_submission(self, submission_id: int) -> list[EvidenceDocument]:
        """The documents a submission holds now, oldest first."""
        return await self.store.documents.current_of(submission_id)

    async def own(self, user_id: int, document_id: int) -> EvidenceDocument:
        """A witness's own document (refused for anyone else's, and once it is taken back out)."""
        document = await self.store.documents.get(document_id)
        if document is None or document.user_id != user_id or document.removed_at is not None:
            raise NotFound("That document is no longer part of your evidence.")
        return document

    def path_of(self, document: EvidenceDocument) -> Path:
        """Where the original file is kept when media are kept in the folder ``media_dir``."""
        return self.media_dir / document.path

    async def text_for_redaction(self, submission: Submission, document_id: int) -> tuple[str, str] | None:
        """A document's text and its name for the secretariat (``document #3 (evidence.docx)``), for redactions."""
        document = await self.store.documents.get(document_id)
        if document is None or document.submission_id != submission.id or document.removed_at is not None:
            return None
        return document.text, f"document #{document.id} ({document.filename})"

    def check_size(self, filename: str, size: int, submission: Submission) -> None:
        """Refuse a file too large to be a document before it is downloaded."""
        if size > self.max_bytes:
            raise DocumentNotTaken(
                f"I could not take {filename}: it is {size / 2**20:.1f} MB; the most that can be taken is"
                f" {self.max_bytes / 2**20:.0f} MB. Please send a smaller file: without pictures, or as a Word"
                f" document or plain text. {unchanged(submission)}",
                "too_large",
            )

    # Taking a document in -----------------------------------------------------------------------

    async def receive(
        self,
        submission_id: int,
        user_id: int,
        data: bytes,
        filename: str,
        content_type: str | None = None,
        *,
        source: str,
        message_id: int | None = None,
    ) -> DocumentTaken:
        """Read a file the witness gave with their evidence and make it part of it, as one statement.

        Refused (:class:`DocumentNotTaken`, nothing changed) when the evidence can no longer be changed, holds
        :data:`MAX_DOCUMENTS` already, the file is not a document that can be read, or, for evidence already sent,
        it would go over the word limit.
        """
        if source not in SOURCES:
            raise ValueError(f"unknown source {source!r}")
        submission = await self._editable(submission_id, user_id)
        inquiry = await self._inquiry(submission)
        filename = PurePath(filename or "document").name[:200] or "document"
        self.check_size(filename, len(data), submission)
        sha256 = hashlib.sha256(data).hexdigest()
        existing = await self.store.documents.find_current(submission.id, sha256)
        if existing is not None:
            return DocumentTaken(existing, submission, inquiry, duplicate=True)
        if len(await self.store.documents.current_of(submission.id)) >= MAX_DOCUMENTS:
            raise DocumentNotTaken(
                f"Your evidence holds {MAX_DOCUMENTS} documents already, the most it can. Remove one from the"
                f" overview first, or put what you want to add in one of them. {unchanged(submission)}",
                "limit",
            )
        document = await self._read(data, filename, submission)
        split = _split(document, inquiry.questions)
        words = count_words(document.text)
        await self._check_limit(submission, inquiry, words)
        path = await self._keep(data, document.sha256, document.format.value, filename, submission)
        now = self.clock()
        async with self.store.transaction():
            total = await self._total(submission) + words
            await self._touch(submission, total)
            document_id = await self.store.documents.add(
                submission_id=submission.id,
                user_id=user_id,
                document=document,
                path=path,
                filename=filename,
                content_type=content_type,
                split=split,
                words=words,
                source=source,
                message_id=message_id,
                now=now,
            )
            if document_id is None:  # the same file arrived twice at once
                raise conflict(submission, await self.store.submissions.get(submission.id))
            if submission.status is SubmissionStatus.SUBMITTED:
                await self._note(
                    submission,
                    user_id,
                    "document added by witness",
                    document_id,
                    f"{filename}: {words:,} words; {submission.word_count:,} → {total:,} words",
                    f"The witness added a document, {filename} ({words:,} words), as one statement:\n"
                    + _excerpt(document.text),
                )
        self.outbox.wake()
        log.info("document %s (%s, %d words) taken for %s", document_id, document.format.value, words, submission.id)
        return DocumentTaken(await self.store.documents.get(document_id), await self._fresh(submission), inquiry)

    async def use(self, submission_id: int, user_id: int, document_id: int, use: DocumentUse) -> DocumentTaken:
        """Use a document as answers to the questions it numbers, or as one statement."""
        submission = await self._editable(submission_id, user_id)
        inquiry = await self._inquiry(submission)
        document = await self.own(user_id, document_id)
        if document.submission_id != submission.id:
            raise NotFound("That document is no longer part of your evidence.")
        if use is DocumentUse.ANSWERS and document.split is None:
            raise InvalidInput(
                f"{document.filename} does not answer the questions by their numbers, so it stands as one statement."
            )
        if document.use is use:
            return DocumentTaken(document, submission, inquiry)
        words = document.words_as(use)
        await self._check_limit(submission, inquiry, words - document.words)
        now = self.clock()
        async with self.store.transaction():
            total = await self._total(submission) - document.words + words
            await self._touch(submission, total)
            if not await self.store.documents.set_use_if(
                document.id, was=document.use.value, use=use.value, words=words, now=now, editable=EDITABLE
            ):
                raise conflict(submission, await self.store.submissions.get(submission.id))
            if submission.status is SubmissionStatus.SUBMITTED:
                how = _use_words(inquiry, document, use)
                await self._note(
                    submission,
                    user_id,
                    "document use changed by witness",
                    document.id,
                    f"{document.filename}: {how}",
                    f"The witness now uses the document {document.filename} {how}.",
                )
        self.outbox.wake()
        return DocumentTaken(await self.store.documents.get(document.id), await self._fresh(submission), inquiry)

    async def remove(self, submission_id: int, user_id: int, document_id: int) -> DocumentTaken:
        """Take a document back out of the evidence (the original is kept until the evidence is erased)."""
        submission = await self._editable(submission_id, user_id)
        inquiry = await self._inquiry(submission)
        document = await self.own(user_id, document_id)
        if document.submission_id != submission.id:
            raise NotFound("That document is no longer part of your evidence.")
        now = self.clock()
        async with self.store.transaction():
            total = await self._total(submission) - document.words
            await self._touch(submission, total)
            if not await self.store.documents.remove_if(document.id, now=now, editable=EDITABLE):
                raise conflict(submission, await self.store.submissions.get(submission.id))
            if submission.status is SubmissionStatus.SUBMITTED:
                await self._note(
                    submission,
                    user_id,
                    "document removed by witness",
                    document.id,
                    f"{document.filename}: {submission.word_count:,} → {total:,} words",
                    f"The witness took the document {document.filename} out of their evidence.",
                )
        self.outbox.wake()
        return DocumentTaken(await self.store.documents.get(document.id), await self._fresh(submission), inquiry)

    # Helpers ------------------------------------------------------------------------------------

    async def _read(self, data: bytes, filename: str, submission: Submission) -> Document:
        try:
            return await extract_document_isolated(
                data, filename, self.max_bytes, count_words=count_words, limits=self.limits
            )
        except DocumentRefused as refusal:
            log.info("document %s refused: %s", filename[:80], refusal.reason.value)
            raise DocumentNotTaken(
                f"I could not take {filename}: {refusal.message} {unchanged(submission)}", refusal.reason.value
            ) from refusal

    async def _check_limit(self, submission: Submission, inquiry: Inquiry, added: int) -> None:
        """Evidence already sent stays within the word limit (a draft may go over it until it is submitted)."""
        if submission.status is not SubmissionStatus.SUBMITTED or added <= 0:
            return
        words = await self._total(submission) + added
        if words > inquiry.word_limit:
            raise DocumentNotTaken(
                f"With this document your evidence would come to {words:,} words, over the limit of"
                f" {inquiry.word_limit:,} by {words - inquiry.word_limit:,}. {unchanged(submission)} Shorten your"
                " answers or the document, and send it again.",
                "word_limit",
            )

    async def _total(self, submission: Submission) -> int:
        typed = sum(count_words(t) for t in (await self._fresh(submission)).answers.values())
        return typed + await extra_words(self.store, submission.id)

    async def _note(
        self, submission: Submission, user_id: int, action: str, document_id: int, detail: str, note: str
    ) -> None:
        change = await self.store.audit.record(
            inquiry_id=submission.inquiry_id,
            submission_id=submission.id,
            actor_id=user_id,
            action=action,
            detail=detail,
            at=self.clock(),
            target_kind="document",
            target_id=document_id,
        )
        await self.outbox.forum_update_owed(submission.id, change, note, actor_id=user_id)

    async def _editable(self, submission_id: int, user_id: int) -> Submission:
        submission = await self.store.submissions.get(submission_id)
        if submission is None or submission.user_id != user_id:
            raise NotFound("I cannot find that submission among yours.")
        if not submission.editable_by_witness:
            raise NotAllowed(f"{submission.reference} is {submission.status.value}: it can no longer be changed.")
        return submission

    async def _inquiry(self, submission: Submission) -> Inquiry:
        inquiry = await self.store.inquiries.get(submission.inquiry_id)
        if inquiry is None:
            raise NotFound("That inquiry no longer exists.")
        return inquiry

    async def _fresh(self, submission: Submission) -> Submission:
        return await self.store.submissions.get(submission.id) or submission

    async def _touch(self, submission: Submission, words: int) -> None:
        if not await self.store.submissions.touch(submission.id, submission.status, words, self.clock()):
            raise conflict(submission, await self.store.submissions.get(submission.id))

    async def _keep(self, data: bytes, sha256: str, extension: str, filename: str, submission: Submission) -> str:
        """Keep the original under its SHA-256 (once); return its key, its path relative to the media folder."""
        key = original_key(sha256, extension)
        try:
            await self.storage.put(key, data, sha256)
        except StorageError as error:
            log.error("could not keep document %s in the media storage: %s", key, error)
            raise DocumentNotTaken(
                f"I could not keep {filename} just now: the storage for evidence files did not take it. Please send"
                f" it again in a few minutes. {unchanged(submission)}",
                "storage",
            ) from error
        return key


def original_key(sha256: str, extension: str) -> str:
    """Where a document's original is kept: its content address under the documents' folder."""
    return f"{FOLDER}/{sha256[:2]}/{sha256}.{extension}"


def _split(document: Document, questions: list[Question]) -> DocumentSplit | None:
    """The document's answers by question id, when it plainly answers the questions by their numbers."""
    found = split_by_questions(document, len(questions), questions=[q.text for q in questions])
    if found is None:
        return None
    by_position = {q.position: q.id for q in questions}
    answers = {by_position[n]: blocks for n, blocks in sorted(found.blocks.items()) if n in by_position}
    return DocumentSplit(answers, found.preamble_blocks) if answers else None


def _use_words(inquiry: Inquiry, document: EvidenceDocument, use: DocumentUse) -> str:
    if use is DocumentUse.ANSWERS:
        return "as answers to " + ", ".join(f"Q{n}" for n in numbers_of(inquiry, document.split_question_ids))
    return "as one statement"


def _excerpt(text: str) -> str:
    text = text.strip()
    if len(text) <= NOTE_CHARS:
        return text
    return text[:NOTE_CHARS].rsplit(" ", 1)[0] + " …\n*(the start: the whole document is in /review show)*"
