-- The abuse limits (sign-in, sign-up, token refresh, comments), shared by
-- every instance on this database: one row per limited key, holding when
-- its allowance is next whole again (the generic cell rate algorithm's
-- "theoretical arrival time", in milliseconds since the epoch) and whether
-- the last attempt was let through.
--
-- Unlogged: a count that matters for an hour at most is not worth a WAL
-- record and a flushed commit per attempt; after a crash the table starts
-- empty, and replicas never see it (they take no writes).
CREATE UNLOGGED TABLE rate_limits (
    bucket TEXT PRIMARY KEY NOT NULL,
    tat_ms BIGINT NOT NULL,
    allowed BOOLEAN NOT NULL
);
