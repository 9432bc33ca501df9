-- Media received as evidence (kept by content hash, never deleted), where each arrived, and the durable
-- transcription queue whose rows survive restarts.
CREATE TABLE media (
    id            INTEGER PRIMARY KEY,
    sha256        TEXT NOT NULL UNIQUE,
    path          TEXT NOT NULL,
    filename      TEXT NOT NULL,
    content_type  TEXT,
    size_bytes    INTEGER NOT NULL,
    duration      REAL,
    has_video     INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
);

CREATE TABLE media_items (
    id                  INTEGER PRIMARY KEY,
    media_id            INTEGER NOT NULL REFERENCES media (id),
    kind                TEXT NOT NULL CHECK (kind IN ('voice', 'audio', 'video')),
    user_id             INTEGER,
    submission_id       INTEGER REFERENCES submissions (id) ON DELETE CASCADE,
    question_id         INTEGER REFERENCES questions (id),
    session_id          INTEGER,
    discord_message_id  INTEGER,
    discord_channel_id  INTEGER,
    status              TEXT NOT NULL DEFAULT 'queued'
                        CHECK (status IN ('queued', 'transcribed', 'confirmed', 'failed', 'refused')),
    confirmed_text      TEXT,
    corrected           INTEGER NOT NULL DEFAULT 0,
    confirmed_at        TEXT,
    created_at          TEXT NOT NULL,
    UNIQUE (discord_message_id, media_id)
);
CREATE INDEX media_items_by_submission ON media_items (submission_id);

CREATE TABLE transcription_jobs (
    id                 INTEGER PRIMARY KEY,
    media_id           INTEGER NOT NULL REFERENCES media (id),
    item_id            INTEGER REFERENCES media_items (id) ON DELETE SET NULL,
    engine             TEXT NOT NULL,
    model              TEXT NOT NULL,
    language           TEXT,
    translate          INTEGER NOT NULL DEFAULT 0,
    state              TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
    attempts           INTEGER NOT NULL DEFAULT 0,
    not_before         TEXT NOT NULL,
    progress           REAL NOT NULL DEFAULT 0,
    error              TEXT,
    result_json        TEXT,
    notify_channel_id  INTEGER,
    notify_message_id  INTEGER,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    UNIQUE (media_id, engine, model, translate)
);
CREATE INDEX jobs_ready ON transcription_jobs (state, not_before);
