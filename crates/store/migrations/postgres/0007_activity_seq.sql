-- PostgreSQL keeps the counter: bumping it locks the room's row, so that
-- concurrent appends to one room commit in sequence order while other
-- rooms' appends go on in parallel. SQLite dropped it in its 0007 (decision
-- 0014); this says why it stays here.
COMMENT ON COLUMN rooms.activity_seq IS
    'The last activity sequence number given in the room. Appends increment it, which locks the row until commit, so per room the commit order is the seq order.';
