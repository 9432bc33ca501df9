-- 0009_erasure_and_audit: the audit log names what each entry is about (a submission, a session, a recording, a
-- minute, a redaction ...), the session it belongs to, and the value before and after where that helps; the names
-- people go by on each server (for the audit trail's "who"); the bot's direct messages that hold a witness's
-- evidence (so that erasure can delete them); and which submissions each document saved to the export folder holds.

ALTER TABLE audit_log ADD COLUMN target_kind TEXT;
ALTER TABLE audit_log ADD COLUMN target_id INTEGER;
ALTER TABLE audit_log ADD COLUMN session_id INTEGER;
ALTER TABLE audit_log ADD COLUMN before_value TEXT;
ALTER TABLE audit_log ADD COLUMN after_value TEXT;
-- The actor's name at the time, when the service knew it (or "(erased witness)" after an erasure).
ALTER TABLE audit_log ADD COLUMN actor_name TEXT;

UPDATE audit_log SET target_kind = 'submission', target_id = submission_id WHERE submission_id IS NOT NULL;
UPDATE audit_log SET target_kind = 'inquiry', target_id = inquiry_id
    WHERE target_kind IS NULL AND inquiry_id IS NOT NULL;

CREATE INDEX audit_by_inquiry ON audit_log (inquiry_id, id);
CREATE INDEX audit_by_session ON audit_log (session_id, id);
CREATE INDEX audit_by_target ON audit_log (target_kind, target_id);

-- A person's display name on a server, as last seen by the bot.
CREATE TABLE display_names (
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    name        TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

-- Direct messages the bot sent a witness that hold their evidence (receipts with a copy of the answers,
-- transcripts of their recordings, decisions on it): deleted when the witness asks to be forgotten.
CREATE TABLE witness_messages (
    id             INTEGER PRIMARY KEY,
    user_id        INTEGER NOT NULL,
    submission_id  INTEGER,
    channel_id     INTEGER NOT NULL,
    message_id     INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    sent_at        TEXT NOT NULL,
    UNIQUE (channel_id, message_id)
);
CREATE INDEX witness_messages_by_user ON witness_messages (user_id, submission_id);

-- Documents written to the export folder, and the submissions each holds (an erased submission's documents are
-- deleted and the secretariat is told to make them again).
CREATE TABLE saved_exports (
    id            INTEGER PRIMARY KEY,
    inquiry_id    INTEGER NOT NULL REFERENCES inquiries (id),
    session_id    INTEGER,
    kind          TEXT NOT NULL,
    filename      TEXT NOT NULL,
    path          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    deleted_at    TEXT,
    deleted_why   TEXT
);
CREATE TABLE saved_export_submissions (
    export_id      INTEGER NOT NULL REFERENCES saved_exports (id) ON DELETE CASCADE,
    submission_id  INTEGER NOT NULL,
    PRIMARY KEY (export_id, submission_id)
);
CREATE INDEX saved_exports_by_submission ON saved_export_submissions (submission_id);
