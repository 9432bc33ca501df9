"""The confidentiality rules of :mod:`inquiry.evidence.access`, state by state and preference by preference."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from inquiry.core.models import Role
from inquiry.evidence.access import (
    AccessSettings,
    Fields,
    Reader,
    fields_for,
    in_the_volume,
    may_read,
    name_shown,
    names_withheld,
    reader_for,
)
from inquiry.evidence.models import Capacity, Publication, Submission, SubmissionStatus

S, P = SubmissionStatus, Publication
NOW = datetime(2026, 1, 1, tzinfo=UTC)
ALLOWED, NOT_ALLOWED = AccessSettings(committee_reads_confidential=True), AccessSettings()


def submission(status=S.ACCEPTED, publication=P.NAMED, *, organisation: str | None = None) -> Submission:
    return Submission(
        id=1, inquiry_id=1, user_id=7, status=status,
        capacity=Capacity.ORGANISATION if organisation else Capacity.INDIVIDUAL,
        submitter_name="Sam Okafor", organisation=organisation, contact="sam@example.org", publication=publication,
        step=0, reference="SCI0001", late=False, word_count=10, decision_reason="Out of scope.", forum_thread_id=None,
        created_at=NOW, updated_at=NOW, submitted_at=NOW,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("roles", "reader"),
    [
        ({Role.SECRETARIAT, Role.CHAIR}, Reader.SECRETARIAT),
        ({Role.CHAIR}, Reader.COMMITTEE),
        ({Role.MEMBER}, Reader.COMMITTEE),
        (set(), None),
    ],
)
def test_roles_make_readers(roles, reader):
    assert reader_for(roles) is reader


@pytest.mark.parametrize("status", list(SubmissionStatus))
@pytest.mark.parametrize("publication", list(Publication))
def test_who_may_read_what(status, publication):
    evidence = submission(status, publication)
    in_record = status in (S.ACCEPTED, S.PUBLISHED)
    received = status not in (S.DRAFT, S.ERASED)
    confidential = publication is P.CONFIDENTIAL
    assert may_read(Reader.SECRETARIAT, evidence, NOT_ALLOWED) is received
    assert may_read(Reader.COMMITTEE, evidence, NOT_ALLOWED) is (in_record and not confidential)
    assert may_read(Reader.COMMITTEE, evidence, ALLOWED) is in_record
    assert may_read(Reader.PUBLIC, evidence, ALLOWED) is (in_record and not confidential)
    assert in_the_volume(evidence) is (in_record and not confidential)


def test_names_as_each_reader_sees_them():
    named_org = submission(organisation="Leeds Older People's Forum")
    assert name_shown(Reader.COMMITTEE, named_org) == "Leeds Older People's Forum"
    assert name_shown(Reader.COMMITTEE, submission()) == "Sam Okafor"
    for publication in (P.ANONYMOUS, P.CONFIDENTIAL):
        assert name_shown(Reader.COMMITTEE, submission(publication=publication)) == "an individual"
        anonymous_org = submission(publication=publication, organisation="Leeds Older People's Forum")
        assert name_shown(Reader.PUBLIC, anonymous_org) == "an organisation"
        assert names_withheld(Reader.COMMITTEE, anonymous_org) == ("Leeds Older People's Forum", "Sam Okafor")
        assert name_shown(Reader.SECRETARIAT, anonymous_org) == "Leeds Older People's Forum"
        assert names_withheld(Reader.SECRETARIAT, anonymous_org) == ()
    assert names_withheld(Reader.COMMITTEE, submission()) == ()


def test_only_the_secretariat_sees_contact_details_reasons_the_audit_and_unredacted_text():
    assert fields_for(Reader.SECRETARIAT) == Fields(True, True, True, True, True)
    for reader in (Reader.COMMITTEE, Reader.PUBLIC):
        fields = fields_for(reader)
        assert not (fields.own_name or fields.contact or fields.decision_reason or fields.audit or fields.unredacted)
