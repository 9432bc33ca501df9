"""Changes to a submission: what changed (for the audit log and the forum post), and what to say when someone
else changed it first."""

from __future__ import annotations

from inquiry.core.errors import InvalidState
from inquiry.evidence.models import CAPACITY_LABELS, PUBLICATION_LABELS, Submission, SubmissionStatus

WITHDRAWN_BY_WITNESS = "withdrawn by the witness"

_DONE_BY = {
    SubmissionStatus.SUBMITTED: "submitted",
    SubmissionStatus.ACCEPTED: "accepted by the secretariat",
    SubmissionStatus.REJECTED: "rejected by the secretariat",
    SubmissionStatus.PUBLISHED: "published by the secretariat",
    SubmissionStatus.ERASED: "erased at the witness's request",
}


class StateConflict(InvalidState):
    """Someone else changed the submission between reading it and changing it; nothing was changed."""


def what_happened(now: Submission | None) -> str:
    """``withdrawn by the witness``: what became of a submission, in words."""
    if now is None:
        return "withdrawn"
    if now.status is SubmissionStatus.WITHDRAWN:
        return WITHDRAWN_BY_WITNESS if now.decision_reason == WITHDRAWN_BY_WITNESS else "withdrawn by the secretariat"
    return _DONE_BY.get(now.status, now.status.value)


def conflict(before: Submission, now: Submission | None) -> StateConflict:
    """The error for a change refused because the submission moved on from ``before`` to ``now`` meanwhile."""
    if before.status is SubmissionStatus.DRAFT and now is not None and now.status is SubmissionStatus.SUBMITTED:
        return StateConflict(f"This evidence has already been submitted as {now.reference}; nothing changed.")
    label = before.reference or "This draft"
    if now is not None and now.status is before.status:
        return StateConflict(f"{label} was changed meanwhile; nothing changed. Please look again and retry.")
    return StateConflict(f"{label} was {what_happened(now)} meanwhile; nothing changed.")


def details_changes(before: Submission, after: dict) -> list[str]:
    """What a change of details alters, before → after (contact details are never repeated)."""
    changes = []
    if after["capacity"] is not before.capacity:
        changes.append(
            f"capacity: {_label(CAPACITY_LABELS, before.capacity)} → {_label(CAPACITY_LABELS, after['capacity'])}"
        )
    if after["name"] != before.submitter_name:
        changes.append(f"name: {before.submitter_name or '(none)'} → {after['name'] or '(none)'}")
    if after["organisation"] != before.organisation:
        changes.append(f"organisation: {before.organisation or '(none)'} → {after['organisation'] or '(none)'}")
    if after["contact"] != before.contact:
        changes.append("contact details changed (never shown)")
    if after["publication"] is not before.publication:
        old, new = _label(PUBLICATION_LABELS, before.publication), _label(PUBLICATION_LABELS, after["publication"])
        changes.append(f"publication: {old} → {new}")
    return changes


def _label(labels: dict, value) -> str:
    return labels.get(value, "not chosen") if value is not None else "not chosen"
