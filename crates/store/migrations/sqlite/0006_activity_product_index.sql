-- Activities by product, for activities that name one. No query reads
-- activities by (room, product); the one lookup by product is deleting a
-- product, which sets its activities' product_id to NULL. Activities without
-- a product (messages, joins, leaves) are most of the log: leaving them out
-- of the index spares every such append an index write (decision 0013).
DROP INDEX room_activities_product;
CREATE INDEX room_activities_product ON room_activities(product_id) WHERE product_id IS NOT NULL;
