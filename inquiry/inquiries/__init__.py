"""Inquiries: creating them, their numbered questions, templates, opening and closing the call."""
