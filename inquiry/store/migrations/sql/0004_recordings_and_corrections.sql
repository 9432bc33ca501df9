-- Recordings of oral evidence sessions (one file, or one track per speaker), the uncorrected transcript they give
-- (timed segments attributed to speakers and questions), and witnesses' corrections of transcription errors.
CREATE TABLE session_recordings (
    id           INTEGER PRIMARY KEY,
    session_id   INTEGER NOT NULL REFERENCES sessions (id),
    filename     TEXT NOT NULL,
    multitrack   INTEGER NOT NULL DEFAULT 0,
    status       TEXT NOT NULL DEFAULT 'transcribing' CHECK (status IN ('transcribing', 'done', 'failed')),
    uploaded_by  INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    finished_at  TEXT
);

CREATE TABLE session_recording_tracks (
    id            INTEGER PRIMARY KEY,
    recording_id  INTEGER NOT NULL REFERENCES session_recordings (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    filename      TEXT NOT NULL,
    raw_speaker   TEXT,
    speaker_name  TEXT,
    user_id       INTEGER,
    witness_id    INTEGER REFERENCES session_witnesses (id),
    media_id      INTEGER REFERENCES media (id),
    job_id        INTEGER REFERENCES transcription_jobs (id),
    status        TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'done', 'failed')),
    error         TEXT,
    result_json   TEXT
);
CREATE INDEX tracks_by_job ON session_recording_tracks (job_id);

-- The uncorrected transcript of a recording, in time order; question_id is NULL before the first question.
CREATE TABLE session_transcript_segments (
    id            INTEGER PRIMARY KEY,
    recording_id  INTEGER NOT NULL REFERENCES session_recordings (id) ON DELETE CASCADE,
    session_id    INTEGER NOT NULL REFERENCES sessions (id),
    track_id      INTEGER NOT NULL REFERENCES session_recording_tracks (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    start_s       REAL NOT NULL,
    end_s         REAL NOT NULL,
    speaker_name  TEXT,
    user_id       INTEGER,
    witness_id    INTEGER,
    question_id   INTEGER REFERENCES session_questions (id),
    text          TEXT NOT NULL,
    UNIQUE (recording_id, position)
);

-- When each witness was sent their uncorrected transcript, and until when they may propose corrections.
CREATE TABLE session_correction_windows (
    session_id  INTEGER NOT NULL REFERENCES sessions (id),
    user_id     INTEGER NOT NULL,
    opened_at   TEXT NOT NULL,
    closes_at   TEXT NOT NULL,
    PRIMARY KEY (session_id, user_id)
);

-- Every proposed correction, with the text it would replace: both versions are kept whatever the decision.
CREATE TABLE session_corrections (
    id             INTEGER PRIMARY KEY,
    answer_id      INTEGER NOT NULL REFERENCES session_answers (id),
    session_id     INTEGER NOT NULL REFERENCES sessions (id),
    user_id        INTEGER NOT NULL,
    original_text  TEXT NOT NULL,
    proposed_text  TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'approved', 'declined')),
    reason         TEXT,
    proposed_at    TEXT NOT NULL,
    decided_by     INTEGER,
    decided_at     TEXT
);
CREATE UNIQUE INDEX one_pending_correction ON session_corrections (answer_id) WHERE status = 'proposed';
CREATE INDEX corrections_by_session ON session_corrections (session_id, status);
