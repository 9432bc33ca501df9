-- 0014_committee_access: whether the chair and members of an inquiry's committee may read the evidence given to it in
-- confidence (they always read accepted evidence given for publication). Off until the secretariat allows it; each
-- change is in the audit log.
ALTER TABLE inquiries ADD COLUMN committee_confidential INTEGER NOT NULL DEFAULT 0 CHECK (committee_confidential IN (0, 1));
