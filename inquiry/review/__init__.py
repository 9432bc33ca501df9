"""The secretariat's review of written evidence: decisions, redactions and the audit log."""
