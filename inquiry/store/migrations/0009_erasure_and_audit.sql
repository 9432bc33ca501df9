-- 0009_erasure_and_audit: schema changes (filled in as the feature lands).
SELECT 1;
