"""Written evidence: drafts, answers, submitting, editing, withdrawing, and erasure at a witness's request."""
