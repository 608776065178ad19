//! The product index: full-text search with typo tolerance, filters,
//! disjunctive facets, sorts and cursor paging over the catalog, built on
//! tantivy. It indexes `domain::product::Product` and answers with product
//! ids only; loading products, and deciding what a caller may see, belong to
//! the layers above. The index is derived data: the store is the source of
//! truth and [`ProductIndex::clear_and_rebuild`] recreates it.

mod bitset;
mod collector;
mod cursor;
mod error;
mod facet_index;
mod index;
mod plan;
mod query;
mod schema;
mod suggest;

pub use error::SearchError;
pub use index::ProductIndex;
pub use query::{
    DEFAULT_LIMIT, FACET_TOP, FacetCount, Facets, MAX_LIMIT, MAX_QUERY_CHARS, MAX_RATING, PRICE_BUCKETS_MINOR,
    PriceBucket, SearchPage, SearchQuery, Sort,
};
