"""The outbox: side effects on Discord written with the change that causes them, then sent and retried."""
