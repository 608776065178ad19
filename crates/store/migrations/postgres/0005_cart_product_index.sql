-- Cart lines and wishlist items by product: a catalog change looks up the
-- rooms holding the changed products (to tell them), and deleting a product
-- cascades to its lines and items.
CREATE INDEX cart_lines_product ON cart_lines(product_id);
CREATE INDEX wishlist_items_product ON wishlist_items(product_id);
