-- A room's next activity sequence number is read from the log's
-- (room_id, seq) index: SQLite's one writer already serialises appends, and
-- a counter on the room's row cost every append one more page written to the
-- WAL (decision 0014). Every append bumped the counter and inserted its seq
-- together, and no activity is deleted but with its room, so the index
-- holds the same last number the column did.
ALTER TABLE rooms DROP COLUMN activity_seq;
