"""What every feature of the domain shares: errors, pure text rules, the role mapping and the audit log."""
