-- Foundation schema: the seed's ER diagram plus what accounts need.

CREATE TABLE users (
    id               UUID PRIMARY KEY,
    name             TEXT NOT NULL,
    email            TEXT NOT NULL,
    email_normalized TEXT NOT NULL UNIQUE,
    avatar           TEXT,
    myntra_id        TEXT,
    profile          JSONB NOT NULL DEFAULT '{}',
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);

CREATE TABLE credentials (
    user_id       UUID PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    password_hash TEXT NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE token_families (
    id             UUID PRIMARY KEY,
    user_id        UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at     TIMESTAMPTZ NOT NULL,
    revoked_at     TIMESTAMPTZ,
    revoked_reason TEXT
);
CREATE INDEX token_families_user ON token_families(user_id);

CREATE TABLE refresh_tokens (
    id         UUID PRIMARY KEY,
    family_id  UUID NOT NULL REFERENCES token_families(id) ON DELETE CASCADE,
    token_hash BYTEA NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);
CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id);

CREATE TABLE audit_log (
    id          UUID PRIMARY KEY,
    occurred_at TIMESTAMPTZ NOT NULL,
    event       TEXT NOT NULL,
    actor_id    UUID,
    subject_id  UUID,
    room_id     UUID,
    ip          TEXT,
    details     JSONB NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_time ON audit_log(occurred_at);
CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'audit_log is append-only'; END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE TABLE rooms (
    id                UUID PRIMARY KEY,
    name              TEXT NOT NULL,
    owner_id          UUID NOT NULL REFERENCES users(id),
    visibility        TEXT NOT NULL CHECK (visibility IN ('private', 'public')),
    invite_code       TEXT NOT NULL UNIQUE,
    invite_expires_at TIMESTAMPTZ,
    invite_max_uses   BIGINT,
    invite_uses       BIGINT NOT NULL DEFAULT 0,
    activity_seq      BIGINT NOT NULL DEFAULT 0,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX rooms_owner ON rooms(owner_id);

CREATE TABLE room_members (
    id                 UUID PRIMARY KEY,
    room_id            UUID NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    user_id            UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role               TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
    is_online          BOOLEAN NOT NULL DEFAULT FALSE,
    joined_at          TIMESTAMPTZ NOT NULL,
    last_seen          TIMESTAMPTZ,
    secret_enabled     BOOLEAN NOT NULL DEFAULT FALSE,
    secret_hidden_from JSONB NOT NULL DEFAULT '[]',
    UNIQUE (room_id, user_id)
);
CREATE INDEX room_members_user ON room_members(user_id);

CREATE TABLE products (
    id                   UUID PRIMARY KEY,
    sku                  TEXT NOT NULL UNIQUE,
    title                TEXT NOT NULL,
    brand                TEXT NOT NULL,
    category             TEXT NOT NULL,
    price_minor          BIGINT NOT NULL,
    original_price_minor BIGINT NOT NULL,
    currency             TEXT NOT NULL,
    images               JSONB NOT NULL DEFAULT '[]',
    description          TEXT NOT NULL DEFAULT '',
    rating               REAL,
    reviews              BIGINT NOT NULL DEFAULT 0,
    metadata             JSONB NOT NULL DEFAULT '{}',
    content_hash         BIGINT NOT NULL DEFAULT 0,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX products_updated ON products(updated_at);

CREATE TABLE room_activities (
    id          UUID PRIMARY KEY,
    room_id     UUID NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    seq         BIGINT NOT NULL,
    user_id     UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    product_id  UUID REFERENCES products(id) ON DELETE SET NULL,
    action_type TEXT NOT NULL,
    message     TEXT,
    is_secret   BOOLEAN NOT NULL DEFAULT FALSE,
    visibility  JSONB NOT NULL DEFAULT '"everyone"',
    metadata    JSONB NOT NULL DEFAULT '{}',
    created_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (room_id, seq)
);
CREATE INDEX room_activities_product ON room_activities(room_id, product_id);

CREATE TABLE recommendations (
    id           UUID PRIMARY KEY,
    room_id      UUID NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    for_user_id  UUID REFERENCES users(id) ON DELETE CASCADE,
    type         TEXT NOT NULL,
    product_ids  JSONB NOT NULL DEFAULT '[]',
    reason       TEXT NOT NULL,
    triggered_by UUID REFERENCES users(id) ON DELETE SET NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX recommendations_room ON recommendations(room_id, type);

CREATE TABLE trip_plans (
    id           UUID PRIMARY KEY,
    room_id      UUID NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    created_by   UUID REFERENCES users(id) ON DELETE SET NULL,
    destination  TEXT NOT NULL,
    trip_type    TEXT NOT NULL,
    duration     INTEGER NOT NULL,
    start_date   DATE,
    climate      TEXT,
    travelers    INTEGER NOT NULL,
    occasion     TEXT,
    plan         JSONB NOT NULL DEFAULT '{}',
    packing_list JSONB NOT NULL DEFAULT '[]',
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX trip_plans_room ON trip_plans(room_id);
