-- Oral evidence sessions: schedule and place, reminders, panels of witnesses, members present, numbered
-- questions (numbered across all the sessions of an inquiry), answers, and items for the formal minutes.
ALTER TABLE inquiries ADD COLUMN next_oral_question INTEGER NOT NULL DEFAULT 1;

CREATE TABLE sessions (
    id              INTEGER PRIMARY KEY,
    inquiry_id      INTEGER NOT NULL REFERENCES inquiries (id),
    number          INTEGER NOT NULL,
    title           TEXT NOT NULL,
    starts_at       TEXT NOT NULL,
    ends_at         TEXT NOT NULL,
    place_kind      TEXT NOT NULL CHECK (place_kind IN ('stage', 'voice', 'external')),
    channel_id      INTEGER,
    location        TEXT,
    status          TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'open', 'closed')),
    current_panel   INTEGER NOT NULL DEFAULT 1,
    event_id        INTEGER,
    thread_id       INTEGER UNIQUE,
    opened_at       TEXT,
    closed_at       TEXT,
    created_by      INTEGER NOT NULL,
    created_at      TEXT NOT NULL,
    UNIQUE (inquiry_id, number),
    CHECK ((place_kind = 'external') = (location IS NOT NULL AND channel_id IS NULL))
);

-- One row per reminder and offset; sent_at is set once, so a reminder is never sent twice.
CREATE TABLE session_reminders (
    id              INTEGER PRIMARY KEY,
    session_id      INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    minutes_before  INTEGER NOT NULL CHECK (minutes_before > 0),
    due_at          TEXT NOT NULL,
    sent_at         TEXT,
    outcome         TEXT,
    UNIQUE (session_id, minutes_before)
);
CREATE INDEX reminders_due ON session_reminders (sent_at, due_at);

-- Who was told: one row per reminder and person, written before the message goes out.
CREATE TABLE session_reminder_deliveries (
    reminder_id  INTEGER NOT NULL REFERENCES session_reminders (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL,
    delivered    INTEGER NOT NULL DEFAULT 0,
    at           TEXT NOT NULL,
    PRIMARY KEY (reminder_id, user_id)
);

CREATE TABLE session_witnesses (
    id            INTEGER PRIMARY KEY,
    session_id    INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    panel         INTEGER NOT NULL CHECK (panel >= 1),
    position      INTEGER NOT NULL,
    user_id       INTEGER,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL DEFAULT '',
    organisation  TEXT NOT NULL DEFAULT '',
    UNIQUE (session_id, user_id),
    UNIQUE (session_id, panel, position)
);

-- Members present (the chair among them) and apologies; may_ask lets a member put questions.
CREATE TABLE session_members (
    session_id  INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL,
    name        TEXT NOT NULL,
    attendance  TEXT NOT NULL DEFAULT 'present' CHECK (attendance IN ('present', 'apology')),
    is_chair    INTEGER NOT NULL DEFAULT 0,
    may_ask     INTEGER NOT NULL DEFAULT 0,
    position    INTEGER NOT NULL,
    PRIMARY KEY (session_id, user_id)
);
CREATE UNIQUE INDEX one_chair_per_session ON session_members (session_id) WHERE is_chair = 1;

CREATE TABLE session_questions (
    id             INTEGER PRIMARY KEY,
    session_id     INTEGER NOT NULL REFERENCES sessions (id),
    inquiry_id     INTEGER NOT NULL REFERENCES inquiries (id),
    number         INTEGER NOT NULL,
    panel          INTEGER NOT NULL,
    asked_by       INTEGER NOT NULL,
    asker_name     TEXT NOT NULL,
    asker_is_chair INTEGER NOT NULL DEFAULT 0,
    text           TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'struck')),
    struck_reason  TEXT,
    struck_by      INTEGER,
    struck_at      TEXT,
    message_id     INTEGER,
    asked_at       TEXT NOT NULL,
    closed_at      TEXT,
    UNIQUE (inquiry_id, number)
);
CREATE INDEX questions_by_session ON session_questions (session_id, number);

-- What witnesses (and members) said under a question. Spoken answers wait for their transcript; corrections of
-- transcription errors are kept beside the uncorrected text, never over it.
CREATE TABLE session_answers (
    id                 INTEGER PRIMARY KEY,
    session_id         INTEGER NOT NULL REFERENCES sessions (id),
    question_id        INTEGER NOT NULL REFERENCES session_questions (id),
    witness_id         INTEGER REFERENCES session_witnesses (id),
    user_id            INTEGER,
    speaker_name       TEXT NOT NULL,
    message_id         INTEGER UNIQUE,
    spoken             INTEGER NOT NULL DEFAULT 0,
    attachment_name    TEXT,
    attachment_url     TEXT,
    media_item_id      INTEGER REFERENCES media_items (id) ON DELETE SET NULL,
    uncorrected_text   TEXT,
    corrected_text     TEXT,
    correction_status  TEXT NOT NULL DEFAULT 'none'
                       CHECK (correction_status IN ('none', 'awaiting_transcript', 'proposed', 'accepted', 'rejected')),
    created_at         TEXT NOT NULL
);
CREATE INDEX answers_by_question ON session_answers (question_id, id);

CREATE TABLE minute_items (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES sessions (id),
    number      INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('decision', 'action', 'note')),
    text        TEXT NOT NULL,
    owner       TEXT,
    due         TEXT,
    actor_id    INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (session_id, number)
);
