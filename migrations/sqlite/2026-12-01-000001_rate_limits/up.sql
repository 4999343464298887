-- The abuse limits (sign-in, sign-up, token refresh, comments), shared by
-- every instance on this database: one row per limited key, holding when
-- its allowance is next whole again (the generic cell rate algorithm's
-- "theoretical arrival time", in milliseconds since the epoch) and whether
-- the last attempt was let through.
CREATE TABLE rate_limits (
    bucket TEXT PRIMARY KEY NOT NULL,
    tat_ms BIGINT NOT NULL,
    allowed BOOLEAN NOT NULL
);
