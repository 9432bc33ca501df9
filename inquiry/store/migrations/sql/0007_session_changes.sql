-- 0007_session_changes: sessions moved or cancelled after they were scheduled, panels changed, declarations of
-- interest, witnesses' attendance, and formal minutes corrected and agreed.

-- A cancelled session is kept, with who cancelled it, when and why. (The status CHECK of 0003 cannot be changed in
-- place, so a session is cancelled when cancelled_at is set; its status stays 'scheduled'.)
ALTER TABLE sessions ADD COLUMN cancelled_at TEXT;
ALTER TABLE sessions ADD COLUMN cancelled_by INTEGER;
ALTER TABLE sessions ADD COLUMN cancel_reason TEXT;

-- The minutes are a draft until the committee agrees them (at its next meeting): the date it agreed them, and who
-- recorded that, when. Reopening them to correct them clears the three.
ALTER TABLE sessions ADD COLUMN minutes_agreed_on TEXT;
ALTER TABLE sessions ADD COLUMN minutes_agreed_by INTEGER;
ALTER TABLE sessions ADD COLUMN minutes_agreed_at TEXT;

-- Whether a witness gave oral evidence, as marked by the secretariat or the chair; NULL: not marked, and the record
-- decides (an answer in the thread, or their voice on a recording).
ALTER TABLE session_witnesses ADD COLUMN attendance TEXT CHECK (attendance IN ('gave_evidence', 'not_called', 'absent'));

-- Minute items are corrected in place (the audit log keeps the text before, with who and why) and removed by
-- marking them: a removed item keeps its row and its number.
ALTER TABLE minute_items ADD COLUMN edited_at TEXT;
ALTER TABLE minute_items ADD COLUMN edited_by INTEGER;
ALTER TABLE minute_items ADD COLUMN removed_at TEXT;
ALTER TABLE minute_items ADD COLUMN removed_by INTEGER;
ALTER TABLE minute_items ADD COLUMN removed_reason TEXT;

-- Members' declarations of interest at a session, printed under item 1 of its minutes. One per member (declaring
-- again replaces the text); a withdrawn declaration is kept, marked withdrawn.
CREATE TABLE session_declarations (
    id            INTEGER PRIMARY KEY,
    session_id    INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL,
    name          TEXT NOT NULL,
    interest      TEXT NOT NULL,
    recorded_by   INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT,
    withdrawn_at  TEXT,
    withdrawn_by  INTEGER,
    UNIQUE (session_id, user_id)
);
