-- When a session's recording started, in seconds after the chair opened the session (negative: before it).
-- Spoken passages are attributed to the questions put at the same moment.
ALTER TABLE session_recordings ADD COLUMN started_offset_s REAL NOT NULL DEFAULT 0;
