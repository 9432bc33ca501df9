"""Helpers every feature of the Discord face shares: role checks, the error handler, formatting, the forum."""
