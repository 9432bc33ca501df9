"""Everything taken out of a text of the record before it is published, in order: the secretariat's redacted
passages, an anonymous author's own name, then personal data found automatically (:mod:`exports.pii`).
Each removal is recorded as an :class:`AppliedRedaction` for the audit log, with the stable name of the text it
came from (its ``target``), so that the domain notes each automatic redaction once however often it exports.

Every export goes through here: the evidence volume (:class:`SubmissionRedactor`), the oral evidence transcript
(:func:`redact_transcript`: the secretariat's redactions of each answer, then personal data in every question and
answer) and the formal minutes (:func:`redact_minutes`: personal data in the items).

Redaction works on the text as printed (:func:`exports._docx.clean`: no characters XML cannot hold, nothing
invisible, no bidirectional controls), and looks for passages and names in its skeleton
(:func:`exports._normalise.fold`), so that look-alike letters, fullwidth forms, accents and typographic
apostrophes do not hide a name. Every search is linear in the text: a name or passage is its words, escaped,
joined by runs of white space (which cannot overlap the words).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import replace

from ._docx import clean, one_line
from ._normalise import fold
from .pii import find_personal_data, redact
from .readmodels import Answer, AppliedRedaction, MinutesDoc, Redaction, Submission, TranscriptDoc

log = logging.getLogger(__name__)

NAME_REPLACEMENT = "[name redacted]"
TRANSCRIPT = "transcript"  # the reference of what the oral evidence transcript redacts
MINUTES = "minutes"
_MIN_NAME_LENGTH = 3  # shorter "names" would redact ordinary words


class Redactor:
    """Redacts texts of one piece of the record (``reference``) and remembers what it took out: the secretariat's
    ``redactions`` (each scoped to a question number or a target, or to every text), ``names`` as whole words in
    any letter case, and personal data."""

    def __init__(self, reference: str, redactions: Iterable[Redaction] = (), names: Iterable[str] = ()) -> None:
        self.reference = reference
        self.redactions = list(redactions)
        self.applied: list[AppliedRedaction] = []
        self._used: set[int] = set()
        self._names = [pattern for pattern in map(_name_pattern, names) if pattern is not None]
        self._target = ""

    def apply(self, text: str, location: str, question_number: int | None = None, target: str | None = None) -> str:
        """``text`` as it may be published: cleaned of what cannot or should not be printed, then redacted.
        ``target`` names the text stably (``media_item:12``); without it, the reference and ``location`` do."""
        self._target = target or f"{self.reference}/{location}"
        text = clean(text or "")
        text = self._secretariat(text, location, question_number, target)
        for pattern in self._names:
            text = self._replace_found(text, pattern, NAME_REPLACEMENT, "name", location)
        matches = find_personal_data(text)
        for match in matches:
            self.applied.append(AppliedRedaction(self.reference, match.kind, match.text, location, self._target))
        return redact(text, matches) if matches else text

    def unapplied(self) -> list[Redaction]:
        """The secretariat's redactions whose passage was found nowhere in the texts given."""
        return [r for index, r in enumerate(self.redactions) if index not in self._used]

    def _secretariat(self, text: str, location: str, question_number: int | None, target: str | None) -> str:
        for index, redaction in enumerate(self.redactions):
            applies = redaction.question_number is None or redaction.question_number == question_number
            applies = applies and (redaction.target is None or redaction.target == target)
            passage = clean(redaction.passage)
            if not applies or not passage.strip():
                continue
            before = len(self.applied)
            text = self._replace_passage(text, passage, redaction.replacement, location)
            if len(self.applied) > before:
                self._used.add(index)
        return text

    def _replace_passage(self, text: str, passage: str, replacement: str, location: str) -> str:
        """Replace every occurrence of ``passage``: word for word first, then allowing for differences of
        white space and of disguise (look-alike letters, fullwidth forms, accents)."""
        count = text.count(passage)
        if count:
            applied = AppliedRedaction(self.reference, "secretariat", passage, location, self._target)
            self.applied.extend([applied] * count)
            return text.replace(passage, replacement)
        pattern = _words_pattern(passage, 0)
        return self._replace_found(text, pattern, replacement, "secretariat", location) if pattern else text

    def _replace_found(self, text: str, pattern: re.Pattern[str], replacement: str, kind: str, location: str) -> str:
        """Replace every passage of ``text`` whose skeleton ``pattern`` matches."""
        folded = fold(text)
        spans = [folded.span(*match.span()) for match in pattern.finditer(folded.text)]
        if not spans:
            return text
        pieces: list[str] = []
        cursor = 0
        for start, end in spans:
            self.applied.append(AppliedRedaction(self.reference, kind, text[start:end], location, self._target))
            pieces += [text[cursor:start], replacement]
            cursor = end
        pieces.append(text[cursor:])
        return "".join(pieces)


class SubmissionRedactor(Redactor):
    """Redacts the texts of one submission: its secretariat's redactions, and its author's own names when it is
    published anonymously."""

    def __init__(self, submission: Submission) -> None:
        names = _own_names(submission) if submission.publication == "anonymous" else []
        super().__init__(submission.reference, submission.redactions, names)


def redact_transcript(
    doc: TranscriptDoc,
) -> tuple[TranscriptDoc, list[AppliedRedaction], list[tuple[str, Redaction]]]:
    """The transcript as it may be published: each answer without the passages the secretariat redacted from it,
    and no personal data in any question or answer; with what was taken out, and the secretariat's redactions whose
    passage was found nowhere (``(where, redaction)``). Struck questions and answers are not printed: left as
    they are."""
    applied: list[AppliedRedaction] = []
    unapplied: list[tuple[str, Redaction]] = []

    def answer(said: Answer, where: str) -> Answer:
        if said.struck:
            return said
        redactor = Redactor(TRANSCRIPT, said.redactions)
        text = redactor.apply(said.text, f"{where}, {one_line(said.witness_name)}", target=said.key or None)
        applied.extend(redactor.applied)
        unapplied.extend((where, r) for r in redactor.unapplied())
        return replace(said, text=text)

    questions = []
    for question in doc.questions:
        if question.struck:
            questions.append(question)
            continue
        where = f"Q{question.number}"
        redactor = Redactor(TRANSCRIPT)
        text = redactor.apply(question.text, where, target=question.key or None)
        applied.extend(redactor.applied)
        questions.append(replace(question, text=text, answers=[answer(a, where) for a in question.answers]))
    opening = [answer(said, "opening") for said in doc.opening]
    return replace(doc, questions=questions, opening=opening), applied, unapplied


def redact_minutes(doc: MinutesDoc) -> tuple[MinutesDoc, list[AppliedRedaction]]:
    """The minutes without personal data in their items and declarations; with what was taken out."""
    redactor = Redactor(MINUTES)
    items = [
        replace(item, text=redactor.apply(item.text, f"item {number}", target=item.key or None))
        for number, item in enumerate(doc.items, start=1)
    ]
    declarations = [redactor.apply(text, "declarations") for text in doc.declarations]
    return replace(doc, items=items, declarations=declarations), redactor.applied


def _words_pattern(passage: str, flags: int) -> re.Pattern[str] | None:
    """A pattern for ``passage``'s skeleton, its words separated by any white space."""
    words = fold(passage).text.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(word) for word in words), flags)


def _name_pattern(name: str) -> re.Pattern[str] | None:
    """A name as whole words in any letter case."""
    words = _words_pattern(name, re.IGNORECASE)
    return re.compile(rf"(?<!\w){words.pattern}(?!\w)", re.IGNORECASE) if words else None


def _own_names(submission: Submission) -> list[str]:
    """The names an anonymous submission must not show: its author's, and its organisation's."""
    names = [submission.submitter_name]
    if submission.capacity == "organisation" and submission.organisation:
        names.append(submission.organisation)
    cleaned = [one_line(name) for name in names if name]
    return sorted({name for name in cleaned if len(name) >= _MIN_NAME_LENGTH}, key=len, reverse=True)
