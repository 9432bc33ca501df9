-- 0010_media_quotas: schema changes (filled in as the feature lands).
SELECT 1;
