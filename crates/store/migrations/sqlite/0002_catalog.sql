-- Catalog: where a partner-feed sync stands, per feed, so a restart resumes.
CREATE TABLE sync_state (
    key        TEXT PRIMARY KEY NOT NULL,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
