"""File names for exported documents."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from exports import export_filename


def test_names_carry_the_code_the_kind_and_the_date_or_session():
    assert export_filename("evidence", "SCI", date(2026, 1, 15)) == "SCI-evidence-2026-01-15.docx"
    assert (
        export_filename("evidence", "SCI", datetime(2026, 1, 15, 23, 0, tzinfo=UTC)) == "SCI-evidence-2026-01-15.docx"
    )
    assert export_filename("minutes", "SCI", 2) == "SCI-minutes-session-2.docx"
    assert export_filename("transcript", "SCI", "Session 2") == "SCI-transcript-session-2.docx"


def test_names_are_safe_on_every_file_system():
    name = export_filename("minutes", "SCI/../x", "Séance 3: “Lockdown” \x00 <b>")
    assert name == "SCI-x-minutes-seance-3-lockdown-b.docx"
    assert export_filename("evidence", "", "") == "inquiry-evidence.docx"


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown export kind 'report'"):
        export_filename("report", "SCI", 1)
