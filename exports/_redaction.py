"""Everything taken out of a submission's text before it is published, in order: the secretariat's redacted
passages, an anonymous author's own name, then personal data found automatically (:mod:`exports.pii`).
Each removal is recorded as an :class:`AppliedRedaction` for the audit log."""

from __future__ import annotations

import logging
import re

from ._docx import clean, one_line
from .pii import find_personal_data, redact
from .readmodels import AppliedRedaction, Redaction, Submission

log = logging.getLogger(__name__)

NAME_REPLACEMENT = "[name redacted]"
_MIN_NAME_LENGTH = 3  # shorter "names" would redact ordinary words


class SubmissionRedactor:
    """Redacts the texts of one submission and remembers what it took out."""

    def __init__(self, submission: Submission) -> None:
        self.reference = submission.reference
        self.redactions = list(submission.redactions)
        self.applied: list[AppliedRedaction] = []
        self._used: set[int] = set()
        self._names = _own_names(submission) if submission.publication == "anonymous" else []

    def apply(self, text: str, location: str, question_number: int | None = None) -> str:
        """``text`` as it may be published: redacted, and cleaned of characters XML cannot hold."""
        text = self._secretariat(text or "", location, question_number)
        text = clean(text)
        for name in self._names:
            text = self._replace(text, name, NAME_REPLACEMENT, "name", location)
        matches = find_personal_data(text)
        for match in matches:
            self.applied.append(AppliedRedaction(self.reference, match.kind, match.text, location))
        return redact(text, matches) if matches else text

    def unapplied(self) -> list[Redaction]:
        """The secretariat's redactions whose passage was found nowhere in the submission."""
        return [r for index, r in enumerate(self.redactions) if index not in self._used]

    def _secretariat(self, text: str, location: str, question_number: int | None) -> str:
        for index, redaction in enumerate(self.redactions):
            applies = redaction.question_number is None or redaction.question_number == question_number
            if not applies or not redaction.passage.strip():
                continue
            before = len(self.applied)
            text = self._replace(text, redaction.passage, redaction.replacement, "secretariat", location)
            if len(self.applied) > before:
                self._used.add(index)
        return text

    def _replace(self, text: str, passage: str, replacement: str, kind: str, location: str) -> str:
        """Replace every occurrence of ``passage``: word for word first, then allowing for differences of
        white space and (for names) of letter case."""
        count = text.count(passage) if kind != "name" else 0
        if count:
            self.applied.extend(AppliedRedaction(self.reference, kind, passage, location) for _ in range(count))
            return text.replace(passage, replacement)
        words = passage.split()
        if not words:
            return text
        flags = re.IGNORECASE if kind == "name" else 0
        pattern = re.compile(r"\s+".join(re.escape(word) for word in words), flags)
        if kind == "name":
            pattern = re.compile(rf"(?<!\w){pattern.pattern}(?!\w)", flags)
        found = [match.group() for match in pattern.finditer(text)]
        if not found:
            return text
        self.applied.extend(AppliedRedaction(self.reference, kind, original, location) for original in found)
        return pattern.sub(lambda _match: replacement, text)


def _own_names(submission: Submission) -> list[str]:
    """The names an anonymous submission must not show: its author's, and its organisation's."""
    names = [submission.submitter_name]
    if submission.capacity == "organisation" and submission.organisation:
        names.append(submission.organisation)
    cleaned = [one_line(name) for name in names if name]
    return sorted({name for name in cleaned if len(name) >= _MIN_NAME_LENGTH}, key=len, reverse=True)
