"""Who may read which written evidence, and which of its fields: the confidentiality rules in one place.

Three kinds of reader:

- **the secretariat** reads every submission it has received (never a witness's unfinished draft, never what an
  erasure removed), with everything the witness gave: their name, their contact details, the text before any
  redaction, its own decisions with their reasons, and the audit trail;
- **the committee** (the chair and members) reads the evidence the secretariat has accepted (or published), as it
  would be published: the witness named as they chose to be (``an individual`` / ``an organisation`` when they asked
  for anonymity), redactions applied, contact details never shown, none of the secretariat's notes. Evidence given
  in confidence is shown to the committee only when the secretariat allows it for the inquiry;
- **the public** reads the evidence volume: accepted or published evidence, never confidential evidence, as above.

Everything here is a pure function of the reader, the submission and the inquiry's settings, so that every face
(the read view, the forum, the exports) can ask the same question and get the same answer.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from inquiry.core.models import Role
from inquiry.evidence.models import Capacity, Publication, Submission, SubmissionStatus
from inquiry.inquiries.models import Inquiry

log = logging.getLogger(__name__)

S = SubmissionStatus
MIN_NAME_LENGTH = 3  # shorter "names" would withhold ordinary words wherever they appear


class Reader(StrEnum):
    """Who reads the evidence."""

    SECRETARIAT = "secretariat"
    COMMITTEE = "committee"  # the chair and members
    PUBLIC = "public"  # readers of the published evidence volume


# The roles that open the committee's read view (the secretariat too, to see what the committee sees).
COMMITTEE_VIEW_ROLES = (Role.CHAIR, Role.MEMBER, Role.SECRETARIAT)

# Which submissions each reader may read, by status. Drafts are the witness's alone; erased evidence is gone.
STATUSES: dict[Reader, frozenset[SubmissionStatus]] = {
    Reader.SECRETARIAT: frozenset({S.SUBMITTED, S.ACCEPTED, S.REJECTED, S.PUBLISHED, S.WITHDRAWN}),
    Reader.COMMITTEE: frozenset({S.ACCEPTED, S.PUBLISHED}),
    Reader.PUBLIC: frozenset({S.ACCEPTED, S.PUBLISHED}),
}


@dataclass(frozen=True, slots=True)
class AccessSettings:
    """An inquiry's choices about access: whether its committee may read evidence given in confidence."""

    committee_reads_confidential: bool = False

    @classmethod
    def of(cls, inquiry: Inquiry) -> AccessSettings:
        """The settings an inquiry holds."""
        return cls(committee_reads_confidential=inquiry.committee_reads_confidential)


@dataclass(frozen=True, slots=True)
class Fields:
    """Which parts of a submission a reader sees, beyond its answers."""

    own_name: bool  # the name and organisation the witness gave, whatever their publication preference
    contact: bool  # their private contact details
    decision_reason: bool  # the secretariat's reasons for its decisions
    audit: bool  # the audit trail
    unredacted: bool  # the text before the secretariat's redactions and the automatic removal of personal data


FIELDS: dict[Reader, Fields] = {
    Reader.SECRETARIAT: Fields(own_name=True, contact=True, decision_reason=True, audit=True, unredacted=True),
    Reader.COMMITTEE: Fields(own_name=False, contact=False, decision_reason=False, audit=False, unredacted=False),
    Reader.PUBLIC: Fields(own_name=False, contact=False, decision_reason=False, audit=False, unredacted=False),
}


def reader_for(roles: Iterable[Role]) -> Reader | None:
    """The reader a holder of these inquiry roles is: the secretariat, the committee, or nobody (None: a witness or
    anyone else reads their own evidence through /my-evidence, and the rest once it is published)."""
    held = set(roles)
    if Role.SECRETARIAT in held:
        return Reader.SECRETARIAT
    if held & {Role.CHAIR, Role.MEMBER}:
        return Reader.COMMITTEE
    return None


def fields_for(reader: Reader) -> Fields:
    """Which fields of a submission ``reader`` sees."""
    return FIELDS[reader]


def statuses_for(reader: Reader) -> frozenset[SubmissionStatus]:
    """The states in which ``reader`` may read a submission."""
    return STATUSES[reader]


def may_read(reader: Reader, submission: Submission, settings: AccessSettings) -> bool:
    """Whether ``reader`` may read ``submission`` at all."""
    if submission.status not in STATUSES[reader]:
        return False
    if submission.publication is Publication.CONFIDENTIAL:
        if reader is Reader.PUBLIC:
            return False
        if reader is Reader.COMMITTEE:
            return settings.committee_reads_confidential
    return True


def readable(reader: Reader, submissions: Iterable[Submission], settings: AccessSettings) -> list[Submission]:
    """Those of ``submissions`` that ``reader`` may read, in the order given."""
    return [s for s in submissions if may_read(reader, s, settings)]


def name_shown(reader: Reader, submission: Submission) -> str:
    """Who the evidence is from, as ``reader`` sees it: the name given for the secretariat; for anyone else, the
    name the witness chose to be published under (``an individual`` / ``an organisation`` when they asked not to
    be named, or gave their evidence in confidence)."""
    if FIELDS[reader].own_name:
        return submission.display_name
    if submission.publication is not Publication.NAMED:
        return _anonymous(submission)
    organisation = submission.capacity is Capacity.ORGANISATION and submission.organisation
    name = submission.organisation if organisation else submission.submitter_name
    return " ".join((name or "").split()) or _anonymous(submission)


def names_withheld(reader: Reader, submission: Submission) -> tuple[str, ...]:
    """Names to take out of the evidence's text for ``reader``: the witness's own, and their organisation's, when
    they are not shown by name (longest first; names too short to tell from ordinary words are left)."""
    if FIELDS[reader].own_name or submission.publication is Publication.NAMED:
        return ()
    names = [submission.submitter_name]
    if submission.capacity is Capacity.ORGANISATION:
        names.append(submission.organisation)
    kept = {" ".join(name.split()) for name in names if name}
    return tuple(sorted((n for n in kept if len(n) >= MIN_NAME_LENGTH), key=len, reverse=True))


def in_the_volume(submission: Submission) -> bool:
    """Whether a submission is printed in the published evidence volume."""
    return may_read(Reader.PUBLIC, submission, AccessSettings())


def _anonymous(submission: Submission) -> str:
    return "an organisation" if submission.capacity is Capacity.ORGANISATION else "an individual"
