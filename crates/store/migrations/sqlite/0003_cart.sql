-- The family cart, wishlist and votes (issue #7).
--
-- Merging: a line is one per (room, product, size, recipient, merge_key).
-- `buying_for_key` is '' (nobody named), 'u:<user id>' or 'n:<lower-cased
-- name>'. `merge_key` is '' for a line the whole room sees, so every
-- member's public adds merge into one line; a restricted line carries
-- '<author id>:<canonical visibility>', so it merges only with the same
-- author's line of the same visibility. A secret add never changes a line a
-- hidden member sees (their quantity or total would move), and a public add
-- never lands in a line somebody cannot see.

CREATE TABLE cart_lines (
    id                 BLOB PRIMARY KEY NOT NULL,
    room_id            BLOB NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    product_id         BLOB NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    size               TEXT NOT NULL,
    quantity           INTEGER NOT NULL CHECK (quantity > 0 AND quantity <= 99),
    added_by           BLOB NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    buying_for_user_id BLOB REFERENCES users(id) ON DELETE SET NULL,
    buying_for_name    TEXT,
    buying_for_key     TEXT NOT NULL DEFAULT '',
    visibility         TEXT NOT NULL DEFAULT '"everyone"',
    merge_key          TEXT NOT NULL DEFAULT '',
    price_at_add_minor INTEGER NOT NULL,
    currency           TEXT NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    UNIQUE (room_id, product_id, size, buying_for_key, merge_key)
);
CREATE INDEX cart_lines_room ON cart_lines(room_id, created_at);

CREATE TABLE wishlist_items (
    id                 BLOB PRIMARY KEY NOT NULL,
    room_id            BLOB NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    product_id         BLOB NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    added_by           BLOB NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    buying_for_user_id BLOB REFERENCES users(id) ON DELETE SET NULL,
    buying_for_name    TEXT,
    buying_for_key     TEXT NOT NULL DEFAULT '',
    visibility         TEXT NOT NULL DEFAULT '"everyone"',
    merge_key          TEXT NOT NULL DEFAULT '',
    created_at         TEXT NOT NULL,
    UNIQUE (room_id, product_id, buying_for_key, merge_key)
);
CREATE INDEX wishlist_items_room ON wishlist_items(room_id, created_at);

CREATE TABLE votes (
    room_id    BLOB NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    product_id BLOB NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    user_id    BLOB NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    value      INTEGER NOT NULL CHECK (value IN (-1, 1)),
    visibility TEXT NOT NULL DEFAULT '"everyone"',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (room_id, product_id, user_id)
);
