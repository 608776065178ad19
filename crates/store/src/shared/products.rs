// Products and sync state, shared by both backends. Included by `sqlite.rs`
// and `postgres.rs` inside a module that imports `Db`, `BackendStore`,
// `LOCK_ROWS` and `StoreError`.

use async_trait::async_trait;
use domain::{
    ProductId,
    money::{Currency, Money},
    product::{Product, ProductMetadata},
};
use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::products::{NewProduct, Products, UpsertOutcome};

const PRODUCT_COLUMNS: &str = "id, sku, title, brand, category, price_minor, original_price_minor, currency, \
    images, description, rating, reviews, metadata, created_at, updated_at";

#[derive(sqlx::FromRow)]
struct ProductRow {
    id: Uuid,
    sku: String,
    title: String,
    brand: String,
    category: String,
    price_minor: i64,
    original_price_minor: i64,
    currency: String,
    images: Json<Vec<String>>,
    description: String,
    rating: Option<f32>,
    reviews: i64,
    metadata: Json<ProductMetadata>,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl TryFrom<ProductRow> for Product {
    type Error = StoreError;

    fn try_from(row: ProductRow) -> Result<Self, StoreError> {
        let currency = Currency::parse(&row.currency).map_err(StoreError::Corrupt)?;
        Ok(Product {
            id: ProductId(row.id),
            sku: row.sku,
            title: row.title,
            brand: row.brand,
            category: row.category,
            price: Money::new(row.price_minor, currency),
            original_price: Money::new(row.original_price_minor, currency),
            images: row.images.0,
            description: row.description,
            rating: row.rating,
            reviews: u32::try_from(row.reviews).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            metadata: row.metadata.0,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

// The hash is a u64; both databases store a signed 64-bit integer, so the
// bits are kept and only the sign reading differs.
fn stored_hash(hash: u64) -> i64 {
    i64::from_ne_bytes(hash.to_ne_bytes())
}

/// One keyset page of products by id: ascending after `cursor`, or
/// descending before it (newest first, as ids are time-ordered).
async fn page_by_id(
    store: &BackendStore,
    cursor: Option<ProductId>,
    limit: u32,
    newest_first: bool,
) -> Result<Vec<Product>, StoreError> {
    let (compare, order) = if newest_first { ("<", "DESC") } else { (">", "ASC") };
    let limit = i64::from(limit);
    let rows: Vec<ProductRow> = match cursor {
        Some(cursor) => {
            sqlx::query_as(&format!(
                "SELECT {PRODUCT_COLUMNS} FROM products WHERE id {compare} $1 ORDER BY id {order} LIMIT $2"
            ))
            .bind(cursor.0)
            .bind(limit)
            .fetch_all(store.reader())
            .await?
        }
        None => {
            sqlx::query_as(&format!("SELECT {PRODUCT_COLUMNS} FROM products ORDER BY id {order} LIMIT $1"))
                .bind(limit)
                .fetch_all(store.reader())
                .await?
        }
    };
    rows.into_iter().map(Product::try_from).collect()
}

#[async_trait]
impl Products for BackendStore {
    async fn upsert_products(&self, rows: &[NewProduct]) -> Result<Vec<(ProductId, UpsertOutcome)>, StoreError> {
        let mut outcomes = Vec::with_capacity(rows.len());
        let mut tx = self.writer().begin().await?;
        for row in rows {
            let p = &row.product;
            let hash = stored_hash(row.content_hash);
            let existing: Option<(Uuid, i64)> =
                sqlx::query_as(&format!("SELECT id, content_hash FROM products WHERE sku = $1{LOCK_ROWS}"))
                    .bind(&p.sku)
                    .fetch_optional(&mut *tx)
                    .await?;
            let outcome = match existing {
                Some((id, old)) if old == hash => (ProductId(id), UpsertOutcome::Unchanged),
                Some((id, _)) => {
                    sqlx::query(
                        "UPDATE products SET title = $2, brand = $3, category = $4, price_minor = $5, \
                         original_price_minor = $6, currency = $7, images = $8, description = $9, rating = $10, \
                         reviews = $11, metadata = $12, content_hash = $13, updated_at = $14 WHERE id = $1",
                    )
                    .bind(id)
                    .bind(&p.title)
                    .bind(&p.brand)
                    .bind(&p.category)
                    .bind(p.price.minor)
                    .bind(p.original_price.minor)
                    .bind(p.price.currency.as_str())
                    .bind(Json(&p.images))
                    .bind(&p.description)
                    .bind(p.rating)
                    .bind(i64::from(p.reviews))
                    .bind(Json(&p.metadata))
                    .bind(hash)
                    .bind(p.updated_at)
                    .execute(&mut *tx)
                    .await?;
                    (ProductId(id), UpsertOutcome::Updated)
                }
                None => {
                    sqlx::query(
                        "INSERT INTO products (id, sku, title, brand, category, price_minor, original_price_minor, \
                         currency, images, description, rating, reviews, metadata, content_hash, created_at, \
                         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
                    )
                    .bind(p.id.0)
                    .bind(&p.sku)
                    .bind(&p.title)
                    .bind(&p.brand)
                    .bind(&p.category)
                    .bind(p.price.minor)
                    .bind(p.original_price.minor)
                    .bind(p.price.currency.as_str())
                    .bind(Json(&p.images))
                    .bind(&p.description)
                    .bind(p.rating)
                    .bind(i64::from(p.reviews))
                    .bind(Json(&p.metadata))
                    .bind(hash)
                    .bind(p.created_at)
                    .bind(p.updated_at)
                    .execute(&mut *tx)
                    .await?;
                    (p.id, UpsertOutcome::Inserted)
                }
            };
            outcomes.push(outcome);
        }
        tx.commit().await?;
        Ok(outcomes)
    }

    async fn get_product(&self, id: ProductId) -> Result<Product, StoreError> {
        let row: ProductRow = sqlx::query_as(&format!("SELECT {PRODUCT_COLUMNS} FROM products WHERE id = $1"))
            .bind(id.0)
            .fetch_one(self.reader())
            .await?;
        row.try_into()
    }

    async fn get_products(&self, ids: &[ProductId]) -> Result<Vec<Product>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut query = sqlx::QueryBuilder::<Db>::new(format!("SELECT {PRODUCT_COLUMNS} FROM products WHERE id IN ("));
        let mut list = query.separated(", ");
        for id in ids {
            list.push_bind(id.0);
        }
        query.push(")");
        let rows: Vec<ProductRow> = query.build_query_as().fetch_all(self.reader()).await?;
        let mut by_id = std::collections::HashMap::with_capacity(rows.len());
        for row in rows {
            let product = Product::try_from(row)?;
            by_id.insert(product.id, product);
        }
        Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
    }

    async fn list_products_after(&self, after: Option<ProductId>, limit: u32) -> Result<Vec<Product>, StoreError> {
        page_by_id(self, after, limit, false).await
    }

    async fn list_products_before(&self, before: Option<ProductId>, limit: u32) -> Result<Vec<Product>, StoreError> {
        page_by_id(self, before, limit, true).await
    }

    async fn count_products(&self) -> Result<u64, StoreError> {
        let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM products").fetch_one(self.reader()).await?;
        u64::try_from(count).map_err(|e| StoreError::Corrupt(e.to_string()))
    }

    async fn get_sync_state(&self, key: &str) -> Result<Option<serde_json::Value>, StoreError> {
        let row: Option<(Json<serde_json::Value>,)> = sqlx::query_as("SELECT value FROM sync_state WHERE key = $1")
            .bind(key)
            .fetch_optional(self.reader())
            .await?;
        Ok(row.map(|(value,)| value.0))
    }

    async fn put_sync_state(&self, key: &str, value: &serde_json::Value, at: OffsetDateTime) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sync_state (key, value, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(key)
        .bind(Json(value))
        .bind(at)
        .execute(self.writer())
        .await?;
        Ok(())
    }
}
