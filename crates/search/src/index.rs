//! [`ProductIndex`]: the tantivy index of the catalog, its single writer and
//! its reader. It owns writing, committing and reloading (which warms the
//! facet bitsets of the new segments), and runs searches and suggestions; it
//! never reads the database, which stays the source of truth: the index can
//! always be rebuilt from it.
//!
//! All methods block (tantivy is synchronous and CPU-bound); async callers
//! run them on a blocking thread.

use std::path::Path;
use std::sync::Arc;

use domain::ProductId;
use domain::product::Product;
use parking_lot::Mutex;
use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument};
use uuid::Uuid;

use crate::collector::{PageCollector, PageFruit};
use crate::cursor::{self, Position};
use crate::error::SearchError;
use crate::facet_index::FacetCache;
use crate::plan;
use crate::query::{FACET_TOP, FacetCount, Facets, PRICE_BUCKETS_MINOR, PriceBucket, SearchPage, SearchQuery};
use crate::schema::{self, Analyzers, Fields};
use crate::suggest;

/// Indexing memory shared by the writer threads; tantivy flushes a segment
/// when it is used up.
const WRITER_HEAP_BYTES: usize = 96 * 1024 * 1024;
/// The machines have two cores: two indexing threads keep both busy during a
/// rebuild without starving anything for long, since rebuilds are rare.
const WRITER_THREADS: usize = 2;
/// One per core.
const SEARCH_THREADS: usize = 2;
/// Tests create many small indexes; tantivy needs at least 15 MB per thread.
const RAM_WRITER_HEAP_BYTES: usize = 32 * 1024 * 1024;

/// The searchable catalog. `Send + Sync`; share it behind an `Arc`.
///
/// Writes (`upsert`, `delete`, `clear_and_rebuild`) are invisible until
/// [`ProductIndex::commit`] returns (a rebuild commits by itself). Searches
/// run concurrently with writes and see the last commit.
pub struct ProductIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter<TantivyDocument>>,
    fields: Fields,
    analyzers: Arc<Analyzers>,
    /// Facet bitsets of the live segments; warmed whenever the reader
    /// reloads, which only this type does.
    facets: Arc<FacetCache>,
}

impl std::fmt::Debug for ProductIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProductIndex").field("docs", &self.doc_count()).finish_non_exhaustive()
    }
}

impl ProductIndex {
    /// Opens the index in `path`, creating the directory and an empty index
    /// when absent. An index written with another layout (an older release)
    /// is discarded and recreated empty: it is derived data, and the caller
    /// sees `doc_count() == 0` and rebuilds it from the database.
    ///
    /// Fails when another process holds the writer lock on `path`.
    pub fn open_in_dir(path: impl AsRef<Path>) -> Result<Self, SearchError> {
        let path = path.as_ref();
        std::fs::create_dir_all(path)?;
        let fields = Fields::build();
        let directory = MmapDirectory::open(path).map_err(|e| SearchError::Index(e.to_string()))?;
        let exists = Index::exists(&directory).map_err(|e| SearchError::Index(e.to_string()))?;
        let index = if exists {
            let index = Index::open(directory)?;
            if index.schema() == fields.schema {
                index
            } else {
                tracing::warn!(path = %path.display(), "search index layout changed; recreating it empty");
                drop(index);
                std::fs::remove_dir_all(path)?;
                std::fs::create_dir_all(path)?;
                let directory = MmapDirectory::open(path).map_err(|e| SearchError::Index(e.to_string()))?;
                Index::create(directory, fields.schema.clone(), Default::default())?
            }
        } else {
            Index::create(directory, fields.schema.clone(), Default::default())?
        };
        let mut index = index;
        // Segments of one search are collected in parallel.
        index.set_multithread_executor(SEARCH_THREADS)?;
        Self::with_index(index, fields, WRITER_HEAP_BYTES)
    }

    /// An index held in memory only, for tests.
    pub fn in_ram() -> Result<Self, SearchError> {
        let fields = Fields::build();
        let index = Index::create_in_ram(fields.schema.clone());
        Self::with_index(index, fields, RAM_WRITER_HEAP_BYTES)
    }

    fn with_index(index: Index, fields: Fields, heap_bytes: usize) -> Result<Self, SearchError> {
        schema::register_analyzers(index.tokenizers());
        let writer = index.writer_with_num_threads(WRITER_THREADS, heap_bytes)?;
        // Reloads happen in `commit`, so that a commit is visible as soon as
        // it returns; a timed policy would leave a window.
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let this = Self {
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
            analyzers: Arc::new(Analyzers::new()),
            facets: Arc::new(FacetCache::default()),
        };
        this.warm_facets()?;
        Ok(this)
    }

    /// Reloads the reader to the last commit and builds the facet bitsets of
    /// its new segments (dropping those of the segments gone), so that the
    /// first searches after a commit do not pay for them.
    fn reload(&self) -> Result<(), SearchError> {
        self.reader.reload()?;
        self.warm_facets()
    }

    fn warm_facets(&self) -> Result<(), SearchError> {
        self.facets.warm(&self.reader.searcher(), &self.analyzers)?;
        Ok(())
    }

    /// Adds the products, replacing any indexed product with the same id.
    pub fn upsert(&self, products: &[Product]) -> Result<(), SearchError> {
        let writer = self.writer.lock();
        for product in products {
            writer.delete_term(self.fields.id_term(product.id));
            writer.add_document(self.fields.document(product))?;
        }
        Ok(())
    }

    /// Removes the products; unknown ids are ignored.
    pub fn delete(&self, ids: &[ProductId]) -> Result<(), SearchError> {
        let writer = self.writer.lock();
        for id in ids {
            writer.delete_term(self.fields.id_term(*id));
        }
        Ok(())
    }

    /// Makes every write so far durable and visible to searches that start
    /// after this returns.
    pub fn commit(&self) -> Result<(), SearchError> {
        let mut writer = self.writer.lock();
        writer.commit()?;
        self.reload()?;
        Ok(())
    }

    /// Replaces the whole content with `products` in one commit: searches
    /// see the old catalog until the new one is complete. On failure nothing
    /// changes. Uncommitted writes made before the call are discarded.
    /// Returns the number of products indexed.
    pub fn clear_and_rebuild(&self, products: impl IntoIterator<Item = Product>) -> Result<u64, SearchError> {
        let mut writer = self.writer.lock();
        writer.rollback()?;
        let filled = (|| -> Result<u64, SearchError> {
            writer.delete_all_documents()?;
            let mut count = 0u64;
            for product in products {
                writer.add_document(self.fields.document(&product))?;
                count += 1;
            }
            Ok(count)
        })();
        match filled {
            Ok(count) => {
                writer.commit()?;
                self.reload()?;
                Ok(count)
            }
            Err(error) => {
                writer.rollback()?;
                Err(error)
            }
        }
    }

    /// Products visible to searches (as of the last commit).
    pub fn doc_count(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// One page of results with total and facets; see [`SearchQuery`] for
    /// the meaning of each field.
    ///
    /// Errors: [`SearchError::QueryTooLong`], [`SearchError::BadLimit`],
    /// [`SearchError::BadFilter`], [`SearchError::BadCursor`] for a cursor
    /// not issued for this query and sort; never a panic, whatever the text.
    pub fn search(&self, query: &SearchQuery) -> Result<SearchPage, SearchError> {
        let prepared = plan::prepare(query, &self.fields, &self.analyzers)?;
        let plan = Arc::new(prepared.plan);
        let collector =
            PageCollector { plan: plan.clone(), analyzers: self.analyzers.clone(), facets: self.facets.clone() };
        let searcher = self.reader.searcher();
        let fruit = searcher.search(prepared.query.as_ref(), &collector)?;
        Ok(page_from(fruit, &plan))
    }

    /// Completions for a search box: title words, brands and categories that
    /// start with `prefix` (case and accents ignored), most frequent first,
    /// lower-cased, without duplicates, at most `limit`.
    pub fn suggest(&self, prefix: &str, limit: usize) -> Result<Vec<String>, SearchError> {
        suggest::suggest(&self.reader.searcher(), &self.fields, &self.analyzers, prefix, limit)
    }

    /// Bytes the index takes on disk (or in memory for [`ProductIndex::in_ram`]).
    pub fn size_bytes(&self) -> Result<u64, SearchError> {
        let space = self.reader.searcher().space_usage()?;
        Ok(space.total().get_bytes())
    }

    /// Bytes of memory held by the facet bitsets of the live segments (kept
    /// beside the index, rebuilt from it after each commit that changes
    /// segments).
    pub fn facet_memory_bytes(&self) -> u64 {
        self.facets.heap_bytes() as u64
    }

    /// Waits for background segment merges to finish and merges everything
    /// into as few segments as possible. For benchmarks and after a rebuild
    /// when searches matter more than the time it takes.
    pub fn optimize(&self) -> Result<(), SearchError> {
        let mut writer = self.writer.lock();
        let segments = self.index.searchable_segment_ids()?;
        if segments.len() > 1 {
            writer.merge(&segments).wait().map_err(|e| SearchError::Index(e.to_string()))?;
        }
        writer.commit()?;
        self.reload()?;
        Ok(())
    }
}

fn page_from(fruit: PageFruit, plan: &crate::collector::Plan) -> SearchPage {
    let next_cursor = match fruit.items.last() {
        Some(last) if fruit.after_cursor > fruit.items.len() as u64 => {
            Some(cursor::encode(plan.sort, plan.fingerprint, *last))
        }
        _ => None,
    };
    let ids = fruit.items.iter().map(|Position { id, .. }| ProductId(Uuid::from_u128(*id))).collect();
    let [brand, category, gender, colour, size] = fruit.keyword_counts.map(top_values);
    let price = PRICE_BUCKETS_MINOR
        .iter()
        .enumerate()
        .map(|(bucket, min_minor)| PriceBucket {
            min_minor: *min_minor,
            max_minor: PRICE_BUCKETS_MINOR.get(bucket + 1).copied(),
            count: fruit.price_counts[bucket],
        })
        .collect();
    SearchPage { ids, total: fruit.total, next_cursor, facets: Facets { brand, category, gender, colour, size, price } }
}

fn top_values(counts: Vec<(Arc<str>, u64)>) -> Vec<FacetCount> {
    let mut counts = counts;
    counts.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts.truncate(FACET_TOP);
    counts.into_iter().map(|(value, count)| FacetCount { value: value.to_string(), count }).collect()
}

#[cfg(test)]
mod tests {
    use domain::money::Money;
    use domain::product::ProductMetadata;
    use time::OffsetDateTime;

    use super::*;

    fn product(n: u128) -> Product {
        Product {
            id: ProductId(Uuid::from_u128(n)),
            sku: format!("SKU-{n}"),
            title: "Plain Shirt".to_owned(),
            brand: "Generic".to_owned(),
            category: "Shirts".to_owned(),
            price: Money::inr(10_000),
            original_price: Money::inr(10_000),
            images: Vec::new(),
            description: String::new(),
            rating: None,
            reviews: 0,
            metadata: ProductMetadata::default(),
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    fn live_segments(index: &ProductIndex) -> usize {
        index.reader.searcher().segment_readers().len()
    }

    #[test]
    fn the_facet_cache_holds_exactly_the_live_segments() {
        let index = ProductIndex::in_ram().unwrap();
        for batch in 0..3u128 {
            index.upsert(&[product(batch * 2), product(batch * 2 + 1)]).unwrap();
            index.commit().unwrap();
        }
        assert!(live_segments(&index) >= 1);
        assert_eq!(index.facets.len(), live_segments(&index));
        assert!(index.facet_memory_bytes() > 0);

        index.optimize().unwrap();
        assert_eq!(live_segments(&index), 1);
        assert_eq!(index.facets.len(), 1);

        index.clear_and_rebuild(Vec::new()).unwrap();
        assert_eq!(index.facets.len(), live_segments(&index));
        assert_eq!(index.search(&SearchQuery::default()).unwrap().total, 0);
    }
}
