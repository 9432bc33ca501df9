"""Two people (or two devices) changing one submission at the same moment, on the real store: each change is a
conditional update in one transaction, so exactly one wins and the other is told, and nothing else happens."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from inquiry.evidence.changes import StateConflict
from inquiry.evidence.models import Publication, SubmissionStatus
from inquiry.outbox.models import OutboxKind
from inquiry.services import Services

GUILD, SECRETARIAT, WITNESS = 1, 2, 3
Q1 = "Lunch clubs closed overnight, and with them the only weekly contact many older people had."


@pytest.fixture
async def services(store):
    now = datetime(2026, 1, 1, tzinfo=UTC)
    built = Services.build(store, clock=lambda: now, tz=ZoneInfo("Europe/London"))
    inquiry = await built.inquiries.create(GUILD, code="SCI", title="Social connection", terms="", actor_id=SECRETARIAT)
    inquiry = await built.inquiries.load_template(inquiry, "social-connection", SECRETARIAT)
    await built.inquiries.open_call(inquiry, now + timedelta(days=14), SECRETARIAT)
    return built


async def draft(services, user_id: int = WITNESS):
    inquiry = await services.inquiries.resolve(GUILD, "SCI")
    submission = await services.submissions.start_or_resume(inquiry, user_id)
    await services.submissions.set_details(submission.id, user_id, name="Amira Khan", organisation=None, contact=None)
    await services.submissions.set_publication(submission.id, user_id, Publication.NAMED)
    return await services.submissions.save_answer(submission.id, user_id, inquiry.questions[0].id, Q1)


async def submitted(services, user_id: int = WITNESS):
    submission = await draft(services, user_id)
    return (await services.submissions.submit(submission.id, user_id)).submission


def kinds(rows) -> list[str]:
    return [row.kind.value for row in rows]


async def test_a_double_submit_takes_one_reference_and_owes_one_receipt_and_one_post(services):
    submission = await draft(services)
    first, second = await asyncio.gather(
        services.submissions.submit(submission.id, WITNESS),
        services.submissions.submit(submission.id, WITNESS),
        return_exceptions=True,
    )
    results = [r for r in (first, second) if not isinstance(r, BaseException)]
    refusals = [r for r in (first, second) if isinstance(r, BaseException)]
    assert len(results) == 1 and len(refusals) == 1
    assert isinstance(refusals[0], StateConflict)
    assert str(refusals[0]) == "This evidence has already been submitted as SCI0001; nothing changed."
    assert results[0].submission.reference == "SCI0001"

    rows = await services.outbox.of_submission(submission.id)
    assert sorted(kinds(rows)) == ["forum_post", "receipt"]
    audit = await services.store.audit.for_submission(submission.id)
    assert [e.action for e in audit] == ["submitted"]
    # The refused click took no reference: the next witness gets the next one.
    assert (await submitted(services, user_id=99)).reference == "SCI0002"


# The race is staged by SQLite's one connection taking statements in order: both sides read before either writes.
# With PostgreSQL's pool the second may read after the first committed, which is the ordinary sequential case.
@pytest.mark.sqlite_only
@pytest.mark.parametrize("accept_first", [True, False])
async def test_accept_and_withdraw_at_once_one_wins_and_the_other_is_told(services, accept_first):
    submission = await submitted(services)
    inquiry = await services.inquiries.resolve(GUILD, "SCI")
    accept = services.review.accept(inquiry, "SCI0001", SECRETARIAT)
    withdraw = services.submissions.withdraw(submission.id, WITNESS)
    if accept_first:
        accepted, withdrawn = await asyncio.gather(accept, withdraw, return_exceptions=True)
    else:
        withdrawn, accepted = await asyncio.gather(withdraw, accept, return_exceptions=True)
    outcomes = {"accept": accepted, "withdraw": withdrawn}

    failed = {name: o for name, o in outcomes.items() if isinstance(o, BaseException)}
    assert len(failed) == 1, outcomes
    [(loser, error)] = failed.items()
    assert isinstance(error, StateConflict)
    final = await services.submissions.submission(submission.id)
    decisions = [e.action for e in await services.store.audit.for_submission(submission.id)][1:]
    notices = [r for r in await services.outbox.of_submission(submission.id) if r.kind is OutboxKind.WITNESS_NOTICE]
    if loser == "accept":
        assert str(error) == "SCI0001 was withdrawn by the witness meanwhile; nothing changed."
        assert final.status is SubmissionStatus.WITHDRAWN
        assert decisions == ["withdrawn by witness"]
        assert notices == []  # nobody is told "accepted"
    else:
        assert str(error) == "SCI0001 was accepted by the secretariat meanwhile; nothing changed."
        assert final.status is SubmissionStatus.ACCEPTED
        assert decisions == ["accepted"]
        assert [n.payload["status"] for n in notices] == ["accepted"]


# The race is staged by SQLite's one connection taking statements in order: both sides read before either writes.
# With PostgreSQL's pool the second may read after the first committed, which is the ordinary sequential case.
@pytest.mark.sqlite_only
async def test_an_edit_racing_an_acceptance_never_changes_accepted_evidence(services):
    submission = await submitted(services)
    inquiry = await services.inquiries.resolve(GUILD, "SCI")
    question = inquiry.questions[0].id
    edited, accepted = await asyncio.gather(
        services.submissions.save_answer(submission.id, WITNESS, question, "A late change of mind."),
        services.review.accept(inquiry, "SCI0001", SECRETARIAT),
        return_exceptions=True,
    )
    final = await services.submissions.submission(submission.id)
    if isinstance(edited, BaseException):
        assert str(edited) == "SCI0001 was accepted by the secretariat meanwhile; nothing changed."
        assert final.answers[question] == Q1
    else:
        assert isinstance(accepted, StateConflict)
        assert final.status is SubmissionStatus.SUBMITTED and final.answers[question] == "A late change of mind."
    assert isinstance(edited, BaseException) != isinstance(accepted, BaseException)


async def test_two_decisions_at_once_are_not_both_taken(services):
    await submitted(services)
    inquiry = await services.inquiries.resolve(GUILD, "SCI")
    outcomes = await asyncio.gather(
        services.review.accept(inquiry, "SCI0001", SECRETARIAT),
        services.review.reject(inquiry, "SCI0001", SECRETARIAT, "Out of scope."),
        return_exceptions=True,
    )
    assert sum(isinstance(o, StateConflict) for o in outcomes) == 1
    final = await services.review.find(inquiry, "SCI0001")
    notices = [r for r in await services.outbox.of_submission(final.id) if r.kind is OutboxKind.WITNESS_NOTICE]
    assert [n.payload["status"] for n in notices] == [final.status.value]


async def test_an_erasure_owes_the_deletion_of_the_forum_post_in_its_transaction(services):
    submission = await submitted(services)
    await services.review.attach_forum_thread(submission, 4242)
    report = await services.privacy.forget(WITNESS)
    assert [s.reference for s in report.erased] == ["SCI0001"]
    [delete] = [r for r in await services.outbox.of_submission(submission.id) if r.kind is OutboxKind.FORUM_DELETE]
    assert delete.payload == {"thread_id": 4242}
    again = await services.privacy.forget(WITNESS)  # nothing left to erase: nothing more owed
    assert again.erased == []
