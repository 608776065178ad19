// The cart, wishlist and votes, shared by both backends. Included by
// `sqlite.rs` and `postgres.rs` inside a module that imports `Db`,
// `BackendStore`, `LOCK_ROWS` and `StoreError`.

use async_trait::async_trait;
use domain::{CartLineId, ProductId, RoomId, UserId, WishlistItemId, product::SizeStock, visibility::Visibility};
use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{
    ActivityRecord, NewActivity,
    cart::{
        ActivityFor, CartLineChange, CartLineRecord, CartProduct, CartWrite, Carts, MAX_LINE_QUANTITY, NewCartLine,
        NewWishlistItem, ProductComment, ProductHolding, Recipient, VoteRecord, WishlistItemRecord, merge_key,
    },
};

const PRODUCT_COLUMNS: &str = "p.id AS product_id, p.sku, p.title, p.brand, p.images, p.price_minor, \
    p.currency AS product_currency, p.metadata";

#[derive(sqlx::FromRow)]
struct ProductRow {
    product_id: Uuid,
    sku: String,
    title: String,
    brand: String,
    images: Json<serde_json::Value>,
    price_minor: i64,
    product_currency: String,
    metadata: Json<serde_json::Value>,
}

impl From<ProductRow> for CartProduct {
    fn from(row: ProductRow) -> Self {
        // Images are URLs or `{url}` objects depending on the feed; sizes
        // that do not parse count as absent rather than failing the cart.
        let image = row.images.0.as_array().and_then(|list| list.first()).and_then(|first| {
            first.as_str().map(str::to_owned).or_else(|| first.get("url").and_then(|u| u.as_str()).map(str::to_owned))
        });
        let sizes = row
            .metadata
            .0
            .get("sizes")
            .and_then(|s| serde_json::from_value::<Vec<SizeStock>>(s.clone()).ok())
            .unwrap_or_default();
        CartProduct {
            id: ProductId(row.product_id),
            sku: row.sku,
            title: row.title,
            brand: row.brand,
            image,
            price_minor: row.price_minor,
            currency: row.product_currency,
            sizes,
        }
    }
}

fn line_select() -> String {
    format!(
        "SELECT l.id, l.room_id, l.size, l.quantity, l.added_by, l.buying_for_user_id, l.buying_for_name, \
         l.visibility, l.price_at_add_minor, l.currency, l.version, l.created_at, l.updated_at, {PRODUCT_COLUMNS} \
         FROM cart_lines l JOIN products p ON p.id = l.product_id"
    )
}

#[derive(sqlx::FromRow)]
struct LineRow {
    id: Uuid,
    room_id: Uuid,
    size: String,
    quantity: i64,
    added_by: Uuid,
    buying_for_user_id: Option<Uuid>,
    buying_for_name: Option<String>,
    visibility: Json<Visibility>,
    price_at_add_minor: i64,
    currency: String,
    version: i64,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
    #[sqlx(flatten)]
    product: ProductRow,
}

impl From<LineRow> for CartLineRecord {
    fn from(row: LineRow) -> Self {
        CartLineRecord {
            id: CartLineId(row.id),
            room_id: RoomId(row.room_id),
            product: row.product.into(),
            size: row.size,
            quantity: row.quantity,
            added_by: UserId(row.added_by),
            buying_for: Recipient { user: row.buying_for_user_id.map(UserId), name: row.buying_for_name },
            visibility: row.visibility.0,
            price_at_add_minor: row.price_at_add_minor,
            currency: row.currency,
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

fn item_select() -> String {
    format!(
        "SELECT w.id, w.room_id, w.added_by, w.buying_for_user_id, w.buying_for_name, w.visibility, w.created_at, \
         {PRODUCT_COLUMNS} FROM wishlist_items w JOIN products p ON p.id = w.product_id"
    )
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    id: Uuid,
    room_id: Uuid,
    added_by: Uuid,
    buying_for_user_id: Option<Uuid>,
    buying_for_name: Option<String>,
    visibility: Json<Visibility>,
    created_at: OffsetDateTime,
    #[sqlx(flatten)]
    product: ProductRow,
}

impl From<ItemRow> for WishlistItemRecord {
    fn from(row: ItemRow) -> Self {
        WishlistItemRecord {
            id: WishlistItemId(row.id),
            room_id: RoomId(row.room_id),
            product: row.product.into(),
            added_by: UserId(row.added_by),
            buying_for: Recipient { user: row.buying_for_user_id.map(UserId), name: row.buying_for_name },
            visibility: row.visibility.0,
            created_at: row.created_at,
        }
    }
}

async fn line_in(
    tx: &mut sqlx::Transaction<'_, Db>,
    room: RoomId,
    id: Uuid,
) -> Result<Option<CartLineRecord>, StoreError> {
    let row: Option<LineRow> = sqlx::query_as(&format!("{} WHERE l.room_id = $1 AND l.id = $2", line_select()))
        .bind(room.0)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.map(CartLineRecord::from))
}

/// Inserts the line or adds to its twin in one statement, so two concurrent
/// adds of the same thing both count and neither fails.
async fn upsert_line_in(tx: &mut sqlx::Transaction<'_, Db>, line: &NewCartLine) -> Result<CartLineRecord, StoreError> {
    let (id,): (Uuid,) = sqlx::query_as(&format!(
        "INSERT INTO cart_lines (id, room_id, product_id, size, quantity, added_by, buying_for_user_id, \
         buying_for_name, buying_for_key, visibility, merge_key, price_at_add_minor, currency, version, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14, $14) \
         ON CONFLICT (room_id, product_id, size, buying_for_key, merge_key) DO UPDATE SET \
         quantity = CASE WHEN cart_lines.quantity + excluded.quantity > {MAX_LINE_QUANTITY} THEN {MAX_LINE_QUANTITY} \
         ELSE cart_lines.quantity + excluded.quantity END, \
         version = cart_lines.version + 1, updated_at = excluded.updated_at RETURNING id"
    ))
    .bind(line.id.0)
    .bind(line.room_id.0)
    .bind(line.product_id.0)
    .bind(&line.size)
    .bind(line.quantity.min(MAX_LINE_QUANTITY))
    .bind(line.added_by.0)
    .bind(line.buying_for.user.map(|u| u.0))
    .bind(&line.buying_for.name)
    .bind(line.buying_for.key())
    .bind(Json(&line.visibility))
    .bind(merge_key(line.added_by, &line.visibility))
    .bind(line.price_at_add_minor)
    .bind(&line.currency)
    .bind(line.at)
    .fetch_one(&mut **tx)
    .await?;
    line_in(tx, line.room_id, id).await?.ok_or(StoreError::NotFound)
}

fn normalise_vote(value: i64) -> i64 {
    value.signum()
}

#[async_trait]
impl Carts for BackendStore {
    async fn cart_product(&self, id: ProductId) -> Result<Option<CartProduct>, StoreError> {
        let row: Option<ProductRow> =
            sqlx::query_as(&format!("SELECT {PRODUCT_COLUMNS} FROM products p WHERE p.id = $1"))
                .bind(id.0)
                .fetch_optional(self.reader())
                .await?;
        Ok(row.map(CartProduct::from))
    }

    async fn list_cart_lines(&self, room: RoomId) -> Result<Vec<CartLineRecord>, StoreError> {
        let rows: Vec<LineRow> =
            sqlx::query_as(&format!("{} WHERE l.room_id = $1 ORDER BY l.created_at, l.id", line_select()))
                .bind(room.0)
                .fetch_all(self.reader())
                .await?;
        Ok(rows.into_iter().map(CartLineRecord::from).collect())
    }

    async fn get_cart_line(&self, room: RoomId, id: CartLineId) -> Result<CartLineRecord, StoreError> {
        let row: LineRow = sqlx::query_as(&format!("{} WHERE l.room_id = $1 AND l.id = $2", line_select()))
            .bind(room.0)
            .bind(id.0)
            .fetch_one(self.reader())
            .await?;
        Ok(row.into())
    }

    async fn add_cart_line(
        &self,
        line: NewCartLine,
        activity: ActivityFor<CartLineRecord>,
    ) -> Result<(CartLineRecord, ActivityRecord), StoreError> {
        let mut tx = self.writer().begin().await?;
        let record = upsert_line_in(&mut tx, &line).await?;
        let appended = super::rooms::append_in(&mut tx, &activity(&record)).await?;
        tx.commit().await?;
        Ok((record, appended))
    }

    async fn update_cart_line(
        &self,
        room: RoomId,
        id: CartLineId,
        change: CartLineChange,
        activity: ActivityFor<CartLineRecord>,
    ) -> Result<CartWrite, StoreError> {
        let mut tx = self.writer().begin().await?;
        // Lock the line's row alone (a locking join would lock the product too).
        let locked: Option<(i64,)> =
            sqlx::query_as(&format!("SELECT version FROM cart_lines WHERE room_id = $1 AND id = $2{LOCK_ROWS}"))
                .bind(room.0)
                .bind(id.0)
                .fetch_optional(&mut *tx)
                .await?;
        if locked.is_none() {
            return Err(StoreError::NotFound);
        }
        let current = line_in(&mut tx, room, id.0).await?.ok_or(StoreError::NotFound)?;
        if change.expected_version.is_some_and(|expected| expected != current.version) {
            return Ok(CartWrite::Stale(Box::new(current)));
        }
        let recipient = change.buying_for.unwrap_or_else(|| current.buying_for.clone());
        let visibility = change.visibility.unwrap_or_else(|| current.visibility.clone());
        sqlx::query(
            "UPDATE cart_lines SET size = $3, quantity = $4, buying_for_user_id = $5, buying_for_name = $6, \
             buying_for_key = $7, visibility = $8, merge_key = $9, version = version + 1, updated_at = $10 \
             WHERE room_id = $1 AND id = $2",
        )
        .bind(room.0)
        .bind(id.0)
        .bind(change.size.as_deref().unwrap_or(&current.size))
        .bind(change.quantity.unwrap_or(current.quantity))
        .bind(recipient.user.map(|u| u.0))
        .bind(&recipient.name)
        .bind(recipient.key())
        .bind(Json(&visibility))
        .bind(merge_key(current.added_by, &visibility))
        .bind(change.at)
        .execute(&mut *tx)
        .await?;
        let record = line_in(&mut tx, room, id.0).await?.ok_or(StoreError::NotFound)?;
        let appended = super::rooms::append_in(&mut tx, &activity(&record)).await?;
        tx.commit().await?;
        Ok(CartWrite::Done(Box::new(record), appended))
    }

    async fn remove_cart_line(
        &self,
        room: RoomId,
        id: CartLineId,
        activity: ActivityFor<CartLineRecord>,
    ) -> Result<ActivityRecord, StoreError> {
        let mut tx = self.writer().begin().await?;
        let record = line_in(&mut tx, room, id.0).await?.ok_or(StoreError::NotFound)?;
        let deleted = sqlx::query("DELETE FROM cart_lines WHERE room_id = $1 AND id = $2")
            .bind(room.0)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        if deleted.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let appended = super::rooms::append_in(&mut tx, &activity(&record)).await?;
        tx.commit().await?;
        Ok(appended)
    }

    async fn reveal_cart_line(
        &self,
        room: RoomId,
        id: CartLineId,
        at: OffsetDateTime,
        activity: ActivityFor<CartLineRecord>,
    ) -> Result<(CartLineRecord, ActivityRecord), StoreError> {
        let mut tx = self.writer().begin().await?;
        let line = line_in(&mut tx, room, id.0).await?.ok_or(StoreError::NotFound)?;
        let twin: Option<(Uuid,)> = sqlx::query_as(&format!(
            "SELECT id FROM cart_lines WHERE room_id = $1 AND product_id = $2 AND size = $3 AND buying_for_key = $4 \
             AND merge_key = '' AND id <> $5{LOCK_ROWS}"
        ))
        .bind(room.0)
        .bind(line.product.id.0)
        .bind(&line.size)
        .bind(line.buying_for.key())
        .bind(id.0)
        .fetch_optional(&mut *tx)
        .await?;
        let survivor = match twin {
            Some((twin,)) => {
                sqlx::query("DELETE FROM cart_lines WHERE id = $1").bind(id.0).execute(&mut *tx).await?;
                sqlx::query(&format!(
                    "UPDATE cart_lines SET quantity = CASE WHEN quantity + $2 > {MAX_LINE_QUANTITY} \
                     THEN {MAX_LINE_QUANTITY} ELSE quantity + $2 END, version = version + 1, updated_at = $3 \
                     WHERE id = $1"
                ))
                .bind(twin)
                .bind(line.quantity)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                twin
            }
            None => {
                sqlx::query(
                    "UPDATE cart_lines SET visibility = $3, merge_key = '', version = version + 1, updated_at = $4 \
                     WHERE room_id = $1 AND id = $2",
                )
                .bind(room.0)
                .bind(id.0)
                .bind(Json(Visibility::Everyone))
                .bind(at)
                .execute(&mut *tx)
                .await?;
                id.0
            }
        };
        let record = line_in(&mut tx, room, survivor).await?.ok_or(StoreError::NotFound)?;
        let appended = super::rooms::append_in(&mut tx, &activity(&record)).await?;
        tx.commit().await?;
        Ok((record, appended))
    }

    async fn list_wishlist(&self, room: RoomId) -> Result<Vec<WishlistItemRecord>, StoreError> {
        let rows: Vec<ItemRow> =
            sqlx::query_as(&format!("{} WHERE w.room_id = $1 ORDER BY w.created_at, w.id", item_select()))
                .bind(room.0)
                .fetch_all(self.reader())
                .await?;
        Ok(rows.into_iter().map(WishlistItemRecord::from).collect())
    }

    async fn get_wishlist_item(&self, room: RoomId, id: WishlistItemId) -> Result<WishlistItemRecord, StoreError> {
        let row: ItemRow = sqlx::query_as(&format!("{} WHERE w.room_id = $1 AND w.id = $2", item_select()))
            .bind(room.0)
            .bind(id.0)
            .fetch_one(self.reader())
            .await?;
        Ok(row.into())
    }

    async fn add_wishlist_item(
        &self,
        item: NewWishlistItem,
        activity: ActivityFor<WishlistItemRecord>,
    ) -> Result<(WishlistItemRecord, Option<ActivityRecord>), StoreError> {
        let mut tx = self.writer().begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO wishlist_items (id, room_id, product_id, added_by, buying_for_user_id, buying_for_name, \
             buying_for_key, visibility, merge_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (room_id, product_id, buying_for_key, merge_key) DO NOTHING",
        )
        .bind(item.id.0)
        .bind(item.room_id.0)
        .bind(item.product_id.0)
        .bind(item.added_by.0)
        .bind(item.buying_for.user.map(|u| u.0))
        .bind(&item.buying_for.name)
        .bind(item.buying_for.key())
        .bind(Json(&item.visibility))
        .bind(merge_key(item.added_by, &item.visibility))
        .bind(item.at)
        .execute(&mut *tx)
        .await?;
        let row: ItemRow = sqlx::query_as(&format!(
            "{} WHERE w.room_id = $1 AND w.product_id = $2 AND w.buying_for_key = $3 AND w.merge_key = $4",
            item_select()
        ))
        .bind(item.room_id.0)
        .bind(item.product_id.0)
        .bind(item.buying_for.key())
        .bind(merge_key(item.added_by, &item.visibility))
        .fetch_one(&mut *tx)
        .await?;
        let record = WishlistItemRecord::from(row);
        let appended = if inserted.rows_affected() == 1 {
            Some(super::rooms::append_in(&mut tx, &activity(&record)).await?)
        } else {
            None
        };
        tx.commit().await?;
        Ok((record, appended))
    }

    async fn remove_wishlist_item(
        &self,
        room: RoomId,
        id: WishlistItemId,
        activity: ActivityFor<WishlistItemRecord>,
    ) -> Result<ActivityRecord, StoreError> {
        let mut tx = self.writer().begin().await?;
        let row: ItemRow = sqlx::query_as(&format!("{} WHERE w.room_id = $1 AND w.id = $2", item_select()))
            .bind(room.0)
            .bind(id.0)
            .fetch_one(&mut *tx)
            .await?;
        let record = WishlistItemRecord::from(row);
        let deleted = sqlx::query("DELETE FROM wishlist_items WHERE room_id = $1 AND id = $2")
            .bind(room.0)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        if deleted.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let appended = super::rooms::append_in(&mut tx, &activity(&record)).await?;
        tx.commit().await?;
        Ok(appended)
    }

    async fn move_wishlist_item_to_cart(
        &self,
        room: RoomId,
        id: WishlistItemId,
        line: NewCartLine,
        activity: ActivityFor<CartLineRecord>,
    ) -> Result<(CartLineRecord, ActivityRecord), StoreError> {
        let mut tx = self.writer().begin().await?;
        let deleted = sqlx::query("DELETE FROM wishlist_items WHERE room_id = $1 AND id = $2")
            .bind(room.0)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        if deleted.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let record = upsert_line_in(&mut tx, &line).await?;
        let appended = super::rooms::append_in(&mut tx, &activity(&record)).await?;
        tx.commit().await?;
        Ok((record, appended))
    }

    async fn set_vote(
        &self,
        vote: VoteRecord,
        room: RoomId,
        at: OffsetDateTime,
        activity: NewActivity,
    ) -> Result<Option<ActivityRecord>, StoreError> {
        let mut tx = self.writer().begin().await?;
        let existing: Option<(i64,)> = sqlx::query_as(&format!(
            "SELECT value FROM votes WHERE room_id = $1 AND product_id = $2 AND user_id = $3{LOCK_ROWS}"
        ))
        .bind(room.0)
        .bind(vote.product_id.0)
        .bind(vote.user_id.0)
        .fetch_optional(&mut *tx)
        .await?;
        let value = normalise_vote(vote.value);
        if existing.map(|(v,)| v).unwrap_or(0) == value {
            return Ok(None);
        }
        if value == 0 {
            sqlx::query("DELETE FROM votes WHERE room_id = $1 AND product_id = $2 AND user_id = $3")
                .bind(room.0)
                .bind(vote.product_id.0)
                .bind(vote.user_id.0)
                .execute(&mut *tx)
                .await?;
        } else {
            sqlx::query(
                "INSERT INTO votes (room_id, product_id, user_id, value, visibility, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (room_id, product_id, user_id) DO UPDATE SET \
                 value = excluded.value, visibility = excluded.visibility, updated_at = excluded.updated_at",
            )
            .bind(room.0)
            .bind(vote.product_id.0)
            .bind(vote.user_id.0)
            .bind(value)
            .bind(Json(&vote.visibility))
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        let appended = super::rooms::append_in(&mut tx, &activity).await?;
        tx.commit().await?;
        Ok(Some(appended))
    }

    async fn list_votes(&self, room: RoomId, product: Option<ProductId>) -> Result<Vec<VoteRecord>, StoreError> {
        let rows: Vec<(Uuid, Uuid, i64, Json<Visibility>)> = sqlx::query_as(
            "SELECT product_id, user_id, value, visibility FROM votes WHERE room_id = $1 \
             AND product_id = COALESCE($2, product_id) ORDER BY product_id, user_id",
        )
        .bind(room.0)
        .bind(product.map(|p| p.0))
        .fetch_all(self.reader())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(product_id, user_id, value, visibility)| VoteRecord {
                product_id: ProductId(product_id),
                user_id: UserId(user_id),
                value,
                visibility: visibility.0,
            })
            .collect())
    }

    async fn list_product_holdings(&self, products: &[ProductId]) -> Result<Vec<ProductHolding>, StoreError> {
        if products.is_empty() {
            return Ok(Vec::new());
        }
        // Served by the `*_product` indexes (migration 0005).
        let mut query = sqlx::QueryBuilder::<Db>::new(
            "SELECT room_id, product_id, added_by, visibility FROM cart_lines WHERE product_id IN (",
        );
        let mut list = query.separated(", ");
        for id in products {
            list.push_bind(id.0);
        }
        query.push(
            ") UNION ALL SELECT room_id, product_id, added_by, visibility FROM wishlist_items WHERE product_id IN (",
        );
        let mut list = query.separated(", ");
        for id in products {
            list.push_bind(id.0);
        }
        query.push(")");
        let rows: Vec<(Uuid, Uuid, Uuid, Json<Visibility>)> = query.build_query_as().fetch_all(self.reader()).await?;
        Ok(rows
            .into_iter()
            .map(|(room_id, product_id, added_by, visibility)| ProductHolding {
                room_id: RoomId(room_id),
                product_id: ProductId(product_id),
                added_by: UserId(added_by),
                visibility: visibility.0,
            })
            .collect())
    }

    async fn list_product_comments(&self, room: RoomId) -> Result<Vec<ProductComment>, StoreError> {
        let rows: Vec<(Uuid, Uuid, Json<Visibility>)> = sqlx::query_as(
            "SELECT product_id, user_id, visibility FROM room_activities WHERE room_id = $1 \
             AND action_type = 'commented' AND product_id IS NOT NULL ORDER BY seq",
        )
        .bind(room.0)
        .fetch_all(self.reader())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(product_id, user_id, visibility)| ProductComment {
                product_id: ProductId(product_id),
                user_id: UserId(user_id),
                visibility: visibility.0,
            })
            .collect())
    }
}
