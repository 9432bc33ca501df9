"""The record as documents: read-models of minutes, transcripts and the evidence volume, and the export service."""
