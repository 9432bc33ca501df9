-- Private upload links for files too large for Discord. A grant lets one person send one file to one target
-- (their draft, a session's recording, evidence received by post for an inquiry) until it expires; it is used up
-- when the file arrives whole, then keeps the bot's answer (taken in, or refused and why).
CREATE TABLE upload_grants (
    id           TEXT PRIMARY KEY,
    guild_id     INTEGER,
    user_id      INTEGER NOT NULL,
    target_kind  TEXT NOT NULL CHECK (target_kind IN ('draft', 'session', 'post')),
    target_id    INTEGER NOT NULL,
    question_id  INTEGER,
    description  TEXT NOT NULL,
    created_by   INTEGER,
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'received', 'complete', 'refused')),
    message      TEXT,
    filename     TEXT,
    size_bytes   INTEGER,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    received_at  TEXT,
    finished_at  TEXT
);

CREATE INDEX upload_grants_by_user ON upload_grants (user_id);
CREATE INDEX upload_grants_by_target ON upload_grants (target_kind, target_id);
