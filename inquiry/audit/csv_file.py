"""The audit trail as a CSV file: one row per entry, oldest first, with the columns
``when, who, action, target, reason, details``."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from inquiry.audit.service import AuditRow

COLUMNS = ("when", "who", "action", "target", "reason", "details")


def audit_csv(rows: Iterable[AuditRow]) -> str:
    """The rows as CSV text (RFC 4180 quoting, CRLF line ends as the csv module writes them)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(getattr(row, column)) for column in COLUMNS])
    return out.getvalue()


def _cell(value: str) -> str:
    """A cell a spreadsheet shows as text: a leading =, +, - or @ would make it a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
