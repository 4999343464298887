-- Sign-ins that ended are read at every start (and after a lost change
-- listener): what access tokens still alive may belong to.
CREATE INDEX refresh_tokens_revoked_at ON refresh_tokens (revoked_at) WHERE revoked_at IS NOT NULL;
