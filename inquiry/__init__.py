"""The inquiry domain: models, rules, services and the SQLite store."""
