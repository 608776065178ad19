//! Catalog use cases: product search, suggestions and product pages over the
//! search index and the store, the read-through product cache, opening a
//! product in a room (a `viewed` activity), demo seeding, file import and
//! reindexing.
//!
//! The store is the source of truth; the index and the caches are derived
//! and are brought up to date by [`App::after_products_changed`] after every
//! committed change. Every index call blocks, so each runs on the blocking
//! pool.

use std::{path::Path, sync::Arc, time::Duration};

use ::catalog::{ProductDraft, content_hash, import::RowError, import::RowErrorKind, import::Rows};
use domain::{
    ActivityId, FieldErrors, ProductId, RoomId,
    activity::ActionType,
    clock::now,
    money::Money,
    product::{Gender, Product},
    role::RoomAction,
    visibility::Visibility,
};
use search::{ProductIndex, SearchError, SearchQuery, Sort};
use serde::{Deserialize, Serialize};
use store::{NewActivity, NewProduct, UpsertOutcome};
use utoipa::{IntoParams, ToSchema};

use crate::{
    App, Caller,
    activities::ActivityView,
    error::{AppError, AppResult},
};

/// Seed of the demo catalog: fixed, so every node and every start generates
/// the same products.
pub const DEMO_SEED: u64 = 0x00FA_3111_7800_0001;
/// Rows per transaction when importing, seeding or syncing.
pub const IMPORT_BATCH: usize = 500;
/// How long this node trusts its in-process copy of a product. Another node's
/// change invalidates Redis at once but this copy only when it expires.
const LOCAL_CACHE_TTL: Duration = Duration::from_secs(30);
const REDIS_CACHE_TTL_SECS: u64 = 300;
const SUGGEST_LIMIT: usize = 10;

/// A product as the cache keeps it: the record, and its JSON encoded once,
/// so that a cached read sends bytes instead of cloning and encoding the
/// record for every request.
pub struct CachedProduct {
    pub product: Product,
    pub json: bytes::Bytes,
}

impl CachedProduct {
    fn encode(product: Product) -> Result<Self, serde_json::Error> {
        let json = serde_json::to_vec(&product)?.into();
        Ok(Self { product, json })
    }
}

/// The catalog's derived state: the index and the product cache.
pub(crate) struct Catalog {
    index: Arc<ProductIndex>,
    cache: moka::future::Cache<ProductId, Arc<CachedProduct>>,
}

impl Catalog {
    /// Opens the index in `data_dir/index`, or in memory without a data dir.
    pub(crate) fn open(data_dir: Option<&Path>) -> AppResult<Self> {
        let index = match data_dir {
            Some(dir) => ProductIndex::open_in_dir(dir.join("index")),
            None => ProductIndex::in_ram(),
        }
        .map_err(|e| AppError::Unavailable(format!("search index: {e}")))?;
        Ok(Self {
            index: Arc::new(index),
            cache: moka::future::Cache::builder().max_capacity(100_000).time_to_live(LOCAL_CACHE_TTL).build(),
        })
    }
}

/// The query string of `GET /api/v1/products`. Every value arrives as text
/// and is parsed here, so a malformed one is a 422 naming its field rather
/// than a rejection by the extractor. List filters take comma-separated
/// alternatives.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProductSearchInput {
    /// Free text, at most 200 characters.
    #[param(value_type = Option<crate::schema::SearchText>, inline)]
    pub q: Option<String>,
    /// Comma-separated categories.
    pub category: Option<String>,
    pub brand: Option<String>,
    /// Comma-separated: men, women, boys, girls, unisex.
    #[param(value_type = Option<domain::schema::GenderList>, inline)]
    pub gender: Option<String>,
    pub colour: Option<String>,
    pub size: Option<String>,
    /// Major units, e.g. `499` or `499.50`.
    #[param(value_type = Option<domain::schema::DecimalAmount>, inline)]
    pub min_price: Option<String>,
    /// Major units, not below `min_price`.
    #[param(value_type = Option<domain::schema::DecimalAmount>, inline)]
    pub max_price: Option<String>,
    /// 0 to 5.
    #[param(value_type = Option<crate::schema::MinRating>, inline)]
    pub min_rating: Option<String>,
    /// relevance, price_asc, price_desc, rating, newest or discount.
    #[param(value_type = Option<crate::schema::SearchSort>, inline)]
    pub sort: Option<String>,
    /// 1 to 100, default 20.
    #[param(value_type = Option<crate::schema::SearchPageSize>, inline)]
    pub limit: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacetCountView {
    pub value: String,
    pub count: u64,
}

/// A price range in minor units: `min_minor` inclusive, `max_minor` exclusive.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PriceBucketView {
    pub min_minor: i64,
    pub max_minor: Option<i64>,
    pub count: u64,
}

/// Counts per facet; each ignores its own filter, so a choice can be widened.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacetsView {
    pub brand: Vec<FacetCountView>,
    pub category: Vec<FacetCountView>,
    pub gender: Vec<FacetCountView>,
    pub colour: Vec<FacetCountView>,
    pub size: Vec<FacetCountView>,
    pub price: Vec<PriceBucketView>,
}

impl From<search::Facets> for FacetsView {
    fn from(f: search::Facets) -> Self {
        let counts = |list: Vec<search::FacetCount>| {
            list.into_iter().map(|c| FacetCountView { value: c.value, count: c.count }).collect()
        };
        Self {
            brand: counts(f.brand),
            category: counts(f.category),
            gender: counts(f.gender),
            colour: counts(f.colour),
            size: counts(f.size),
            price: f
                .price
                .into_iter()
                .map(|b| PriceBucketView { min_minor: b.min_minor, max_minor: b.max_minor, count: b.count })
                .collect(),
        }
    }
}

/// One page of search results.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProductPage {
    pub items: Vec<Product>,
    /// Present while more results follow.
    pub next_cursor: Option<String>,
    /// Products matching every filter, across all pages.
    pub total: u64,
    pub facets: FacetsView,
}

/// What an import, a seeding or a sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub read: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub skipped: u64,
    /// Set when reading stopped early on a fatal error.
    pub fatal: Option<String>,
}

impl std::fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "read {}, inserted {}, updated {}, unchanged {}, skipped {}",
            self.read, self.inserted, self.updated, self.unchanged, self.skipped
        )
    }
}

fn list(text: Option<&str>) -> Vec<String> {
    text.map(|t| t.split(',').map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned).collect()).unwrap_or_default()
}

fn search_error(error: SearchError) -> AppError {
    match error {
        SearchError::BadCursor => AppError::BadRequest("the cursor is not valid for this query".into()),
        SearchError::QueryTooLong { max } => AppError::validation("q", format!("must be at most {max} characters")),
        SearchError::BadLimit { max } => AppError::validation("limit", format!("must be from 1 to {max}")),
        SearchError::BadFilter { field, reason } => AppError::validation(field, reason),
        SearchError::Index(cause) => AppError::Internal(format!("search index: {cause}")),
    }
}

async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> AppResult<T> {
    tokio::task::spawn_blocking(work).await.map_err(|e| AppError::internal(format!("blocking task: {e}")))
}

impl ProductSearchInput {
    /// Parses every parameter, collecting each bad one.
    pub fn parse(self) -> AppResult<SearchQuery> {
        let mut errors = FieldErrors::new();
        let price = |errors: &mut FieldErrors, field: &str, text: Option<&str>| {
            text.and_then(|t| errors.take(field, Money::parse_major(t)))
        };
        let min_price_minor = price(&mut errors, "min_price", self.min_price.as_deref());
        let max_price_minor = price(&mut errors, "max_price", self.max_price.as_deref());
        if let (Some(min), Some(max)) = (min_price_minor, max_price_minor)
            && min > max
        {
            errors.push("max_price", "must not be below min_price");
        }
        let min_rating = self.min_rating.as_deref().and_then(|t| {
            errors.take(
                "min_rating",
                // Checked before it is narrowed to the index's f32, so that a
                // number just outside the range is refused, not rounded into it.
                t.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|r| r.is_finite() && (0.0..=f64::from(search::MAX_RATING)).contains(r))
                    .map(|r| r as f32)
                    .ok_or_else(|| "must be a number between 0 and 5".to_string()),
            )
        });
        let sort = match self.sort.as_deref().filter(|s| !s.is_empty()) {
            Some(text) => errors.take("sort", Sort::parse(text)).unwrap_or_default(),
            None => Sort::default(),
        };
        let limit = match self.limit.as_deref() {
            Some(text) => errors
                .take(
                    "limit",
                    text.trim()
                        .parse::<usize>()
                        .ok()
                        .filter(|n| (1..=search::MAX_LIMIT).contains(n))
                        .ok_or_else(|| format!("must be a whole number from 1 to {}", search::MAX_LIMIT)),
                )
                .unwrap_or(search::DEFAULT_LIMIT),
            None => search::DEFAULT_LIMIT,
        };
        let mut gender = Vec::new();
        for text in list(self.gender.as_deref()) {
            if let Some(g) = errors.take("gender", Gender::parse(&text)) {
                gender.push(g);
            }
        }
        if let Some(q) = &self.q
            && q.chars().count() > search::MAX_QUERY_CHARS
        {
            errors.push("q", format!("must be at most {} characters", search::MAX_QUERY_CHARS));
        }
        errors.into_result()?;
        let query = SearchQuery {
            text: self.q,
            category: list(self.category.as_deref()),
            brand: list(self.brand.as_deref()),
            gender,
            colour: list(self.colour.as_deref()),
            size: list(self.size.as_deref()),
            min_price_minor,
            max_price_minor,
            min_rating,
            sort,
            limit,
            cursor: self.cursor.filter(|c| !c.is_empty()),
        };
        query.validate().map_err(search_error)?;
        Ok(query)
    }
}

impl App {
    fn catalog(&self) -> &Catalog {
        &self.inner.catalog
    }

    /// Seeds the demo catalog when the store holds no product, and rebuilds
    /// the index when it is empty but the store is not. Runs at start.
    pub(crate) async fn prepare_catalog(&self, demo_products: usize) -> AppResult<()> {
        let stored = self.inner.store.count_products().await?;
        if stored == 0 && demo_products > 0 {
            let drafts: Vec<ProductDraft> =
                blocking(move || ::catalog::demo::generate(demo_products, DEMO_SEED).collect()).await?;
            let mut summary = ImportSummary::default();
            for chunk in drafts.chunks(IMPORT_BATCH) {
                self.upsert_drafts(chunk.to_vec(), &mut summary).await?;
            }
            tracing::info!(%summary, "demo catalog seeded");
            return Ok(());
        }
        let index = self.catalog().index.clone();
        if stored > 0 && index.doc_count() == 0 {
            let indexed = self.reindex().await?;
            tracing::info!(indexed, "search index rebuilt from the database");
        }
        Ok(())
    }

    /// Rebuilds the index from the database, reading it in id order in
    /// batches; the number of products indexed.
    pub async fn reindex(&self) -> AppResult<u64> {
        let index = self.catalog().index.clone();
        let store = self.inner.store.clone();
        let runtime = tokio::runtime::Handle::current();
        let indexed = blocking(move || {
            let failure: std::cell::RefCell<Option<AppError>> = std::cell::RefCell::new(None);
            let mut after: Option<ProductId> = None;
            let mut batch: std::vec::IntoIter<Product> = Vec::new().into_iter();
            let products = std::iter::from_fn(|| {
                loop {
                    if let Some(product) = batch.next() {
                        return Some(product);
                    }
                    if failure.borrow().is_some() {
                        return None;
                    }
                    // This closure runs on a blocking-pool thread, where
                    // waiting for the runtime is allowed.
                    match runtime.block_on(store.list_products_after(after, IMPORT_BATCH as u32)) {
                        Ok(next) if next.is_empty() => return None,
                        Ok(next) => {
                            after = next.last().map(|p| p.id);
                            batch = next.into_iter();
                        }
                        Err(e) => {
                            *failure.borrow_mut() = Some(e.into());
                            return None;
                        }
                    }
                }
            });
            let indexed = index.clear_and_rebuild(products).map_err(search_error);
            match failure.into_inner() {
                Some(error) => Err(error),
                None => indexed,
            }
        })
        .await??;
        Ok(indexed)
    }

    /// Brings the index and the caches up to date with the store for `ids`
    /// (changed or deleted), then tells the rooms holding them in a cart or
    /// wishlist; called after every committed catalog change.
    pub async fn after_products_changed(&self, ids: &[ProductId]) -> AppResult<()> {
        if ids.is_empty() {
            return Ok(());
        }
        self.catalog_changed_for_ai();
        let mut products = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(IMPORT_BATCH) {
            products.extend(self.inner.store.get_products(chunk).await?);
        }
        let gone: Vec<ProductId> = ids.iter().filter(|id| !products.iter().any(|p| p.id == **id)).copied().collect();
        let index = self.catalog().index.clone();
        blocking(move || {
            index.upsert(&products)?;
            index.delete(&gone)?;
            index.commit()
        })
        .await?
        .map_err(search_error)?;
        for id in ids {
            self.catalog().cache.invalidate(id).await;
        }
        if let Some(connection) = &self.inner.redis {
            let mut connection = connection.clone();
            let keys: Vec<String> = ids.iter().map(|id| redis_key(*id)).collect();
            let deleted: redis::RedisResult<()> = redis::cmd("DEL").arg(&keys).query_async(&mut connection).await;
            if let Err(e) = deleted {
                tracing::warn!(error = %e, "product cache invalidation in redis failed");
            }
        }
        // After the caches: a client refetching on this frame reads the new state.
        self.announce_catalog_changes(ids).await;
        Ok(())
    }

    /// Upserts one batch of drafts in one transaction and updates index and
    /// caches; adds the outcome to `summary`.
    pub async fn upsert_drafts(&self, drafts: Vec<ProductDraft>, summary: &mut ImportSummary) -> AppResult<()> {
        let at = now();
        let mut rows = Vec::with_capacity(drafts.len());
        for draft in drafts {
            summary.read += 1;
            if draft.validate().is_err() {
                summary.skipped += 1;
                continue;
            }
            let hash = content_hash(&draft);
            rows.push(NewProduct { product: draft.into_product(ProductId::new(), at, at), content_hash: hash });
        }
        if rows.is_empty() {
            return Ok(());
        }
        let outcomes = self.inner.store.upsert_products(&rows).await?;
        let mut changed = Vec::new();
        for (id, outcome) in outcomes {
            match outcome {
                UpsertOutcome::Inserted => summary.inserted += 1,
                UpsertOutcome::Updated => summary.updated += 1,
                UpsertOutcome::Unchanged => {
                    summary.unchanged += 1;
                    continue;
                }
            }
            changed.push(id);
        }
        changed.sort();
        changed.dedup();
        self.after_products_changed(&changed).await
    }

    /// Imports a file's rows in batches of [`IMPORT_BATCH`], one transaction
    /// each, updating the index after each batch. Each bad row goes to
    /// `on_error`; memory stays bounded by one batch.
    pub async fn import_rows(
        &self,
        rows: Rows,
        mut on_error: impl FnMut(&RowError) + Send,
    ) -> AppResult<ImportSummary> {
        let mut summary = ImportSummary::default();
        let mut rows = Some(rows);
        while let Some(mut source) = rows.take() {
            let (source, drafts, errors) = blocking(move || {
                let mut drafts = Vec::new();
                let mut errors = Vec::new();
                let mut ended = false;
                while drafts.len() + errors.len() < IMPORT_BATCH {
                    match source.next() {
                        Some(Ok(draft)) => drafts.push(draft),
                        Some(Err(error)) => errors.push(error),
                        None => {
                            ended = true;
                            break;
                        }
                    }
                }
                ((!ended).then_some(source), drafts, errors)
            })
            .await?;
            for error in &errors {
                on_error(error);
                summary.read += 1;
                summary.skipped += 1;
                if error.kind == RowErrorKind::Fatal {
                    summary.fatal = Some(error.to_string());
                }
            }
            self.upsert_drafts(drafts, &mut summary).await?;
            if summary.fatal.is_some() {
                break;
            }
            rows = source;
        }
        Ok(summary)
    }

    pub async fn search_products(&self, input: ProductSearchInput) -> AppResult<ProductPage> {
        let query = input.parse()?;
        let index = self.catalog().index.clone();
        let page = blocking(move || index.search(&query)).await?.map_err(search_error)?;
        let items = self.inner.store.get_products(&page.ids).await?;
        Ok(ProductPage { items, next_cursor: page.next_cursor, total: page.total, facets: page.facets.into() })
    }

    /// Completions for a search box: at most ten.
    pub async fn suggest_products(&self, prefix: &str) -> AppResult<Vec<String>> {
        if prefix.chars().count() > search::MAX_QUERY_CHARS {
            return Err(AppError::validation("q", format!("must be at most {} characters", search::MAX_QUERY_CHARS)));
        }
        if prefix.trim().is_empty() {
            return Ok(Vec::new());
        }
        let index = self.catalog().index.clone();
        let prefix = prefix.to_owned();
        blocking(move || index.suggest(&prefix, SUGGEST_LIMIT)).await?.map_err(search_error)
    }

    /// A product, read through the in-process cache and Redis when set.
    pub async fn get_product(&self, id: ProductId) -> AppResult<Arc<CachedProduct>> {
        if let Some(product) = self.catalog().cache.get(&id).await {
            metrics::counter!("product_cache_requests_total", "result" => "hit").increment(1);
            return Ok(product);
        }
        if let Some(connection) = &self.inner.redis {
            let mut connection = connection.clone();
            let cached: redis::RedisResult<Option<String>> =
                redis::cmd("GET").arg(redis_key(id)).query_async(&mut connection).await;
            match cached {
                // Parsed and encoded again rather than trusted as text: a
                // node of another version may have written it.
                Ok(Some(text)) => match serde_json::from_str::<Product>(&text).map(CachedProduct::encode) {
                    Ok(Ok(product)) => {
                        metrics::counter!("product_cache_requests_total", "result" => "hit").increment(1);
                        let product = Arc::new(product);
                        self.catalog().cache.insert(id, product.clone()).await;
                        return Ok(product);
                    }
                    Ok(Err(e)) | Err(e) => tracing::warn!(error = %e, "unreadable product in the redis cache"),
                },
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "product cache read from redis failed"),
            }
        }
        metrics::counter!("product_cache_requests_total", "result" => "miss").increment(1);
        let record = self.inner.store.get_product(id).await.map_err(|e| match e {
            store::StoreError::NotFound => AppError::NotFound("product"),
            other => other.into(),
        })?;
        let product = Arc::new(CachedProduct::encode(record).map_err(AppError::internal)?);
        self.catalog().cache.insert(id, product.clone()).await;
        if let Some(connection) = &self.inner.redis {
            let mut connection = connection.clone();
            let stored: redis::RedisResult<()> = redis::cmd("SET")
                .arg(redis_key(id))
                .arg(product.json.as_ref())
                .arg("EX")
                .arg(REDIS_CACHE_TTL_SECS)
                .query_async(&mut connection)
                .await;
            if let Err(e) = stored {
                tracing::warn!(error = %e, "product cache write to redis failed");
            }
        }
        Ok(product)
    }

    /// Logs that the caller opened `product` in the room, as a `viewed`
    /// activity under the caller's secret mode, and broadcasts it.
    pub async fn open_product_in_room(
        &self,
        caller: Caller,
        room_id: RoomId,
        product_id: ProductId,
    ) -> AppResult<ActivityView> {
        let me = self.member_for_append(caller, room_id, RoomAction::Act).await?;
        self.get_product(product_id).await?;
        let make = |author: &store::MemberRecord| NewActivity {
            id: ActivityId::new(),
            room_id,
            user_id: caller.user_id,
            product_id: Some(product_id),
            action_type: ActionType::Viewed,
            message: None,
            visibility: Visibility::effective(None, &author.secret_mode),
            metadata: serde_json::json!({}),
            at: now(),
            author_as_of: None,
        };
        let record = self.append_as_member(caller, room_id, RoomAction::Act, me, make, AppError::from).await?;
        self.publish_activity(&record).await;
        Ok(self.activity_view(&record))
    }

    /// Products in the index (for reports and tests).
    pub fn indexed_products(&self) -> u64 {
        self.catalog().index.doc_count()
    }

    /// The index's size on disk in bytes.
    pub fn index_size_bytes(&self) -> AppResult<u64> {
        self.catalog().index.size_bytes().map_err(search_error)
    }
}

fn redis_key(id: ProductId) -> String {
    format!("familyroom:product:{}", id.0)
}

/// A demo catalog picture and its entity tag, or `None` for an unknown
/// article type or colour. The tag is FNV-1a of the SVG: stable across
/// processes, so every node answers the same `ETag`.
pub fn demo_image(article_type: &str, file: &str) -> Option<(String, String)> {
    let svg = ::catalog::demo::image_for_path(&format!("/images/demo/{article_type}/{file}"))?;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in svg.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    Some((svg, format!("\"{hash:016x}\"")))
}
