"""Oral evidence sessions: scheduling, panels, the record, recordings, corrections and reminders."""
