-- Guild configuration, inquiries, questions, written submissions and the audit log.
CREATE TABLE guild_config (
    guild_id             INTEGER PRIMARY KEY,
    chair_role_id        INTEGER,
    secretariat_role_id  INTEGER,
    member_role_id       INTEGER,
    call_channel_id      INTEGER,
    evidence_forum_id    INTEGER,
    sessions_channel_id  INTEGER,
    updated_at           TEXT NOT NULL
);

CREATE TABLE inquiries (
    id                 INTEGER PRIMARY KEY,
    guild_id           INTEGER NOT NULL,
    code               TEXT NOT NULL,
    title              TEXT NOT NULL,
    terms_of_reference TEXT NOT NULL DEFAULT '',
    word_limit         INTEGER NOT NULL DEFAULT 3000 CHECK (word_limit > 0),
    status             TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
    closes_at          TEXT,
    next_reference     INTEGER NOT NULL DEFAULT 1,
    call_channel_id    INTEGER,
    call_message_id    INTEGER,
    created_by         INTEGER NOT NULL,
    created_at         TEXT NOT NULL,
    UNIQUE (guild_id, code)
);

CREATE TABLE questions (
    id          INTEGER PRIMARY KEY,
    inquiry_id  INTEGER NOT NULL REFERENCES inquiries (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    text        TEXT NOT NULL,
    UNIQUE (inquiry_id, position)
);

CREATE TABLE submissions (
    id                INTEGER PRIMARY KEY,
    inquiry_id        INTEGER NOT NULL REFERENCES inquiries (id),
    user_id           INTEGER,
    status            TEXT NOT NULL DEFAULT 'draft'
                      CHECK (status IN ('draft', 'submitted', 'accepted', 'rejected', 'published',
                                        'withdrawn', 'erased')),
    capacity          TEXT CHECK (capacity IN ('individual', 'organisation')),
    submitter_name    TEXT,
    organisation      TEXT,
    contact           TEXT,
    publication       TEXT CHECK (publication IN ('named', 'anonymous', 'confidential')),
    step              INTEGER NOT NULL DEFAULT 0,
    reference_number  INTEGER,
    reference         TEXT,
    late              INTEGER NOT NULL DEFAULT 0,
    word_count        INTEGER NOT NULL DEFAULT 0,
    decision_reason   TEXT,
    forum_thread_id   INTEGER,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    submitted_at      TEXT,
    UNIQUE (inquiry_id, reference_number)
);
CREATE INDEX submissions_by_user ON submissions (user_id, inquiry_id);
-- One live draft per witness and inquiry; submitted ones may be many.
CREATE UNIQUE INDEX one_draft_per_witness ON submissions (inquiry_id, user_id) WHERE status = 'draft';

CREATE TABLE answers (
    submission_id  INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    question_id    INTEGER NOT NULL REFERENCES questions (id),
    text           TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (submission_id, question_id)
);

CREATE TABLE redactions (
    id             INTEGER PRIMARY KEY,
    submission_id  INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    question_id    INTEGER NOT NULL REFERENCES questions (id),
    passage        TEXT NOT NULL,
    reason         TEXT NOT NULL,
    actor_id       INTEGER NOT NULL,
    created_at     TEXT NOT NULL
);

CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY,
    inquiry_id     INTEGER REFERENCES inquiries (id),
    submission_id  INTEGER REFERENCES submissions (id),
    actor_id       INTEGER,
    action         TEXT NOT NULL,
    detail         TEXT NOT NULL DEFAULT '',
    reason         TEXT,
    at             TEXT NOT NULL
);
CREATE INDEX audit_by_submission ON audit_log (submission_id);
