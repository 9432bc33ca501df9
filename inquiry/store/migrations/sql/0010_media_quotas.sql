-- 0010_media_quotas: a transcription job per recording (item), not per file; a finished transcript of the same file
-- is reused for another item instead of transcribing it again; jobs are served in turn, person by person; and
-- every file taken in for checking is counted against its sender's limits.

-- The jobs table again, keyed by item: the same file sent twice (by one witness or two, for one question or
-- another) is two items with a job each, with their own notice and result. ``reused_from`` names the job whose
-- result was copied (nothing transcribed again); ``claim_seq`` numbers the claims, so that the queue can take next
-- the person it served least recently; ``announced_at`` is when the bot was told the job ended (a job that ends
-- while the bot is down, or in another process, is told on the next round). The table is rebuilt (new table, copy, drop, rename) with ids kept;
-- session_recording_tracks.job_id is set aside while the old table goes, then put back.
CREATE TEMP TABLE track_jobs_0010 AS
    SELECT id, job_id FROM session_recording_tracks WHERE job_id IS NOT NULL;
UPDATE session_recording_tracks SET job_id = NULL WHERE job_id IS NOT NULL;

CREATE TABLE transcription_jobs_0010 (
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
    reused_from        INTEGER,
    claim_seq          INTEGER,
    announced_at       TEXT,
    UNIQUE (item_id, engine, model, translate)
);

INSERT INTO transcription_jobs_0010 (id, media_id, item_id, engine, model, language, translate, state, attempts,
    not_before, progress, error, result_json, notify_channel_id, notify_message_id, created_at, updated_at,
    announced_at)
SELECT id, media_id, item_id, engine, model, language, translate, state, attempts, not_before, progress, error,
    result_json, notify_channel_id, notify_message_id, created_at, updated_at,
    CASE WHEN state IN ('done', 'failed') THEN updated_at END
FROM transcription_jobs;

-- A shared job whose item is gone goes to the oldest item of its file.
UPDATE transcription_jobs_0010
SET item_id = (SELECT min(i.id) FROM media_items i WHERE i.media_id = transcription_jobs_0010.media_id)
WHERE item_id IS NULL;

-- Every other item of a file gets its own job: the shared job's result (marked reused) when it was done, its
-- failure when it failed (both as told already), else queued (it will take the result when there is one).
INSERT INTO transcription_jobs_0010 (media_id, item_id, engine, model, language, translate, state, attempts,
    not_before, progress, error, result_json, created_at, updated_at, reused_from, announced_at)
SELECT j.media_id, i.id, j.engine, j.model, j.language, j.translate,
    CASE j.state WHEN 'running' THEN 'queued' ELSE j.state END,
    0, j.not_before, CASE j.state WHEN 'done' THEN 1 ELSE 0 END, j.error,
    CASE j.state WHEN 'done' THEN j.result_json END, j.created_at, j.updated_at,
    CASE j.state WHEN 'done' THEN j.id END, j.announced_at
FROM transcription_jobs_0010 j
JOIN media_items i ON i.media_id = j.media_id AND i.id IS NOT j.item_id
WHERE j.reused_from IS NULL
    AND NOT EXISTS (SELECT 1 FROM transcription_jobs_0010 o WHERE o.item_id = i.id AND o.engine = j.engine
        AND o.model = j.model AND o.translate = j.translate);

DROP TABLE transcription_jobs;
ALTER TABLE transcription_jobs_0010 RENAME TO transcription_jobs;
UPDATE session_recording_tracks
SET job_id = (SELECT t.job_id FROM track_jobs_0010 t WHERE t.id = session_recording_tracks.id)
WHERE id IN (SELECT id FROM track_jobs_0010);
DROP TABLE track_jobs_0010;

CREATE INDEX jobs_ready ON transcription_jobs (state, not_before);
CREATE INDEX jobs_by_file ON transcription_jobs (media_id, engine, model, translate, state);
CREATE INDEX jobs_by_claim ON transcription_jobs (claim_seq);
CREATE INDEX jobs_to_announce ON transcription_jobs (state) WHERE announced_at IS NULL;
CREATE INDEX media_items_by_user ON media_items (user_id, created_at);

-- Every file a person sent that was taken in for checking (accepted or refused), for their limits: files an
-- hour and bytes a day. Kept two days (the longest limit is a day), then swept.
CREATE TABLE media_intake (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL,
    size_bytes  INTEGER NOT NULL,
    status      TEXT NOT NULL DEFAULT 'checking' CHECK (status IN ('checking', 'accepted', 'refused')),
    media_id    INTEGER,
    reason      TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX media_intake_by_user ON media_intake (user_id, created_at);
