-- 0013_upload_requests_and_entered_evidence: what an upload link was asked for beyond its grant, and evidence the
-- secretariat entered for someone outside Discord.

-- An upload link of the secretariat carries what the file will need when it arrives: for a session's recording,
-- when the recording started; for evidence received by post, who it is from and how it may be published (JSON).
CREATE TABLE upload_requests (
    grant_id    TEXT PRIMARY KEY REFERENCES upload_grants (id) ON DELETE CASCADE,
    details     TEXT NOT NULL DEFAULT '{}',
    created_at  TEXT NOT NULL
);

-- Evidence received outside Discord (by post, by email) and entered by the secretariat: the submission has no
-- witness account (user_id is NULL). entered_by: the secretariat member (NULL: from the command line);
-- received_on: the date it was received (YYYY-MM-DD); via: how it was entered.
CREATE TABLE entered_evidence (
    submission_id  INTEGER PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,
    entered_by     INTEGER,
    received_on    TEXT NOT NULL,
    via            TEXT NOT NULL CHECK (via IN ('discord', 'upload', 'command_line')),
    created_at     TEXT NOT NULL
);
