-- 0007_session_changes: schema changes (filled in as the feature lands).
SELECT 1;
