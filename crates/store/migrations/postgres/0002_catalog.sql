-- Catalog: where a partner-feed sync stands, per feed, so a restart resumes.
CREATE TABLE sync_state (
    key        TEXT PRIMARY KEY,
    value      JSONB NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
