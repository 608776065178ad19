//! The catalog in storage: products keyed by sku with a content hash that
//! makes re-importing the same data a no-op, and the `sync_state` key → JSON
//! table where partner-feed cursors survive restarts.

use async_trait::async_trait;
use domain::{ProductId, product::Product};
use time::OffsetDateTime;

use crate::StoreError;

/// A product to upsert by its sku. `product.id`, `created_at` and
/// `updated_at` apply only when the sku is new; an existing row keeps its id
/// and creation time.
#[derive(Debug, Clone)]
pub struct NewProduct {
    pub product: Product,
    /// `catalog::content_hash` of the source draft: equal hashes mean
    /// "unchanged" and nothing is written.
    pub content_hash: u64,
}

/// What an upsert did to one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpsertOutcome {
    Inserted,
    Updated,
    Unchanged,
}

#[async_trait]
pub trait Products {
    /// Upserts the batch by sku in one transaction; per row, in input order,
    /// the stored id and what happened. A sku repeated in the batch is
    /// written in order (the later row wins).
    async fn upsert_products(&self, rows: &[NewProduct]) -> Result<Vec<(ProductId, UpsertOutcome)>, StoreError>;
    /// `NotFound` when absent.
    async fn get_product(&self, id: ProductId) -> Result<Product, StoreError>;
    /// The products of `ids` in the order of `ids`; unknown ids are left out.
    async fn get_products(&self, ids: &[ProductId]) -> Result<Vec<Product>, StoreError>;
    /// Up to `limit` products with an id above `after`, in id order: a
    /// full scan in batches (for reindexing) without holding a cursor open.
    async fn list_products_after(&self, after: Option<ProductId>, limit: u32) -> Result<Vec<Product>, StoreError>;
    /// Newest first (ids are time-ordered): the page before `before`.
    async fn list_products_before(&self, before: Option<ProductId>, limit: u32) -> Result<Vec<Product>, StoreError>;
    async fn count_products(&self) -> Result<u64, StoreError>;
    async fn get_sync_state(&self, key: &str) -> Result<Option<serde_json::Value>, StoreError>;
    async fn put_sync_state(&self, key: &str, value: &serde_json::Value, at: OffsetDateTime) -> Result<(), StoreError>;
}
