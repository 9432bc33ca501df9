-- 0006_outbox_and_submission_changes: schema changes (filled in as the feature lands).
SELECT 1;
