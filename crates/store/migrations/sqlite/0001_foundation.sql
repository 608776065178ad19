-- Foundation schema: the seed's ER diagram plus what accounts need.
-- Ids are UUIDs stored as 16-byte blobs; times are RFC 3339 text in UTC.

CREATE TABLE users (
    id               BLOB PRIMARY KEY NOT NULL,
    name             TEXT NOT NULL,
    email            TEXT NOT NULL,
    email_normalized TEXT NOT NULL UNIQUE,
    avatar           TEXT,
    myntra_id        TEXT,
    profile          TEXT NOT NULL DEFAULT '{}',
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);

CREATE TABLE credentials (
    user_id       BLOB PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    password_hash TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE token_families (
    id             BLOB PRIMARY KEY NOT NULL,
    user_id        BLOB NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at     TEXT NOT NULL,
    revoked_at     TEXT,
    revoked_reason TEXT
);
CREATE INDEX token_families_user ON token_families(user_id);

CREATE TABLE refresh_tokens (
    id         BLOB PRIMARY KEY NOT NULL,
    family_id  BLOB NOT NULL REFERENCES token_families(id) ON DELETE CASCADE,
    token_hash BLOB NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id);

CREATE TABLE audit_log (
    id          BLOB PRIMARY KEY NOT NULL,
    occurred_at TEXT NOT NULL,
    event       TEXT NOT NULL,
    actor_id    BLOB,
    subject_id  BLOB,
    room_id     BLOB,
    ip          TEXT,
    details     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_time ON audit_log(occurred_at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE rooms (
    id                BLOB PRIMARY KEY NOT NULL,
    name              TEXT NOT NULL,
    owner_id          BLOB NOT NULL REFERENCES users(id),
    visibility        TEXT NOT NULL CHECK (visibility IN ('private', 'public')),
    invite_code       TEXT NOT NULL UNIQUE,
    invite_expires_at TEXT,
    invite_max_uses   INTEGER,
    invite_uses       INTEGER NOT NULL DEFAULT 0,
    activity_seq      INTEGER NOT NULL DEFAULT 0,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX rooms_owner ON rooms(owner_id);

CREATE TABLE room_members (
    id                 BLOB PRIMARY KEY NOT NULL,
    room_id            BLOB NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    user_id            BLOB NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role               TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
    is_online          INTEGER NOT NULL DEFAULT 0,
    joined_at          TEXT NOT NULL,
    last_seen          TEXT,
    secret_enabled     INTEGER NOT NULL DEFAULT 0,
    secret_hidden_from TEXT NOT NULL DEFAULT '[]',
    UNIQUE (room_id, user_id)
);
CREATE INDEX room_members_user ON room_members(user_id);

CREATE TABLE products (
    id                   BLOB PRIMARY KEY NOT NULL,
    sku                  TEXT NOT NULL UNIQUE,
    title                TEXT NOT NULL,
    brand                TEXT NOT NULL,
    category             TEXT NOT NULL,
    price_minor          INTEGER NOT NULL,
    original_price_minor INTEGER NOT NULL,
    currency             TEXT NOT NULL,
    images               TEXT NOT NULL DEFAULT '[]',
    description          TEXT NOT NULL DEFAULT '',
    rating               REAL,
    reviews              INTEGER NOT NULL DEFAULT 0,
    metadata             TEXT NOT NULL DEFAULT '{}',
    content_hash         INTEGER NOT NULL DEFAULT 0,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX products_updated ON products(updated_at);

CREATE TABLE room_activities (
    id          BLOB PRIMARY KEY NOT NULL,
    room_id     BLOB NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    user_id     BLOB NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    product_id  BLOB REFERENCES products(id) ON DELETE SET NULL,
    action_type TEXT NOT NULL,
    message     TEXT,
    is_secret   INTEGER NOT NULL DEFAULT 0,
    visibility  TEXT NOT NULL DEFAULT '"everyone"',
    metadata    TEXT NOT NULL DEFAULT '{}',
    created_at  TEXT NOT NULL,
    UNIQUE (room_id, seq)
);
CREATE INDEX room_activities_product ON room_activities(room_id, product_id);

CREATE TABLE recommendations (
    id           BLOB PRIMARY KEY NOT NULL,
    room_id      BLOB NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    for_user_id  BLOB REFERENCES users(id) ON DELETE CASCADE,
    type         TEXT NOT NULL,
    product_ids  TEXT NOT NULL DEFAULT '[]',
    reason       TEXT NOT NULL,
    triggered_by BLOB REFERENCES users(id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX recommendations_room ON recommendations(room_id, type);

CREATE TABLE trip_plans (
    id           BLOB PRIMARY KEY NOT NULL,
    room_id      BLOB NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    created_by   BLOB REFERENCES users(id) ON DELETE SET NULL,
    destination  TEXT NOT NULL,
    trip_type    TEXT NOT NULL,
    duration     INTEGER NOT NULL,
    start_date   TEXT,
    climate      TEXT,
    travelers    INTEGER NOT NULL,
    occasion     TEXT,
    plan         TEXT NOT NULL DEFAULT '{}',
    packing_list TEXT NOT NULL DEFAULT '[]',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX trip_plans_room ON trip_plans(room_id);
