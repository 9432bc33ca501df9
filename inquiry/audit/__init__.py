"""The audit trail: every change to the record, with who, when, what, why and what it is about; read in pages and
written out as CSV."""
