-- One row per training job. The job itself is a JSON document (the Job record); the columns beside
-- it are what queries and claims need, so a new job field never needs a migration.
-- Times are epoch milliseconds: the same on H2 and PostgreSQL, free of time-zone mapping.
CREATE TABLE jobs (
    id               VARCHAR(64)  NOT NULL PRIMARY KEY,
    status           VARCHAR(16)  NOT NULL,
    created_at       BIGINT       NOT NULL,
    updated_at       BIGINT       NOT NULL,
    worker_id        VARCHAR(255),
    lease_until      BIGINT,
    cancel_requested BOOLEAN      NOT NULL DEFAULT FALSE,
    claims           INTEGER      NOT NULL DEFAULT 0,
    record           TEXT         NOT NULL
);

CREATE INDEX jobs_by_status ON jobs (status, created_at);
