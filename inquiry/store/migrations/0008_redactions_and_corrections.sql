-- 0008_redactions_and_corrections: schema changes (filled in as the feature lands).
SELECT 1;
