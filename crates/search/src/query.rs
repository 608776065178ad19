//! What a caller asks the index for and what it gets back: the query with its
//! filters and sort, and one page of ids with counts and facets. Plain data;
//! validation lives here, execution does not.

use domain::ProductId;
use domain::product::Gender;
use serde::{Deserialize, Serialize};

use crate::error::SearchError;

/// Longest search text accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// Largest page size.
pub const MAX_LIMIT: usize = 100;
/// Page size when the caller gives none.
pub const DEFAULT_LIMIT: usize = 20;
/// Values returned per facet field.
pub const FACET_TOP: usize = 30;
/// The highest rating; the lowest is 0.
pub const MAX_RATING: f32 = 5.0;

/// Order of a result list. Every order breaks ties by product id, ascending,
/// so that a list is total and cursor paging is exact.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Best text match first. Without text every product scores the same
    /// and the order is by id.
    #[default]
    Relevance,
    PriceAsc,
    PriceDesc,
    /// Highest rating first; unrated products come last.
    Rating,
    /// Most recently created first.
    Newest,
    /// Largest percentage off the original price first.
    Discount,
}

impl Sort {
    pub const ALL: [Sort; 6] =
        [Self::Relevance, Self::PriceAsc, Self::PriceDesc, Self::Rating, Self::Newest, Self::Discount];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Relevance => "relevance",
            Self::PriceAsc => "price_asc",
            Self::PriceDesc => "price_desc",
            Self::Rating => "rating",
            Self::Newest => "newest",
            Self::Discount => "discount",
        }
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|sort| sort.as_str() == text)
            .ok_or_else(|| "must be one of relevance, price_asc, price_desc, rating, newest, discount".into())
    }

    pub(crate) fn tag(self) -> u8 {
        match self {
            Self::Relevance => 0,
            Self::PriceAsc => 1,
            Self::PriceDesc => 2,
            Self::Rating => 3,
            Self::Newest => 4,
            Self::Discount => 5,
        }
    }
}

/// One search. Values of one filter are alternatives (OR); different filters
/// must all hold (AND). Text filters (`category`, `brand`, `colour`, `size`)
/// compare case-insensitively with accents folded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchQuery {
    /// Free text; words must all match (with typo tolerance and a prefix
    /// match on the last word). `None`, empty or only punctuation: no text
    /// condition.
    pub text: Option<String>,
    /// The product's narrowest category (`Product::category`).
    pub category: Vec<String>,
    pub brand: Vec<String>,
    pub gender: Vec<Gender>,
    pub colour: Vec<String>,
    /// A size matches only while its stock is above zero.
    pub size: Vec<String>,
    /// Inclusive bounds on the price in minor units.
    pub min_price_minor: Option<i64>,
    pub max_price_minor: Option<i64>,
    /// Products without a rating never pass this filter.
    pub min_rating: Option<f32>,
    pub sort: Sort,
    /// `1..=MAX_LIMIT`.
    pub limit: usize,
    /// `next_cursor` of the previous page of the same query and sort.
    pub cursor: Option<String>,
}

impl Default for SearchQuery {
    fn default() -> Self {
        Self {
            text: None,
            category: Vec::new(),
            brand: Vec::new(),
            gender: Vec::new(),
            colour: Vec::new(),
            size: Vec::new(),
            min_price_minor: None,
            max_price_minor: None,
            min_rating: None,
            sort: Sort::default(),
            limit: DEFAULT_LIMIT,
            cursor: None,
        }
    }
}

impl SearchQuery {
    /// Checks the rules that do not need the index.
    pub fn validate(&self) -> Result<(), SearchError> {
        if let Some(text) = &self.text
            && text.chars().count() > MAX_QUERY_CHARS
        {
            return Err(SearchError::QueryTooLong { max: MAX_QUERY_CHARS });
        }
        if !(1..=MAX_LIMIT).contains(&self.limit) {
            return Err(SearchError::BadLimit { max: MAX_LIMIT });
        }
        if let Some(rating) = self.min_rating
            && (!rating.is_finite() || !(0.0..=MAX_RATING).contains(&rating))
        {
            return Err(SearchError::BadFilter { field: "min_rating", reason: "must be a number between 0 and 5" });
        }
        Ok(())
    }
}

/// One value of a facet and how many products have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// A price range in minor units: `min_minor` inclusive, `max_minor`
/// exclusive, `None` for no upper end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceBucket {
    pub min_minor: i64,
    pub max_minor: Option<i64>,
    pub count: u64,
}

/// Counts per facet. Each field's counts apply every active filter except
/// that field's own (disjunctive faceting), so a user can widen a choice.
/// Value lists hold at most [`FACET_TOP`] entries, by count descending then
/// value; `price` always lists every bucket of [`PRICE_BUCKETS_MINOR`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    pub brand: Vec<FacetCount>,
    pub category: Vec<FacetCount>,
    pub gender: Vec<FacetCount>,
    pub colour: Vec<FacetCount>,
    pub size: Vec<FacetCount>,
    pub price: Vec<PriceBucket>,
}

/// Lower bounds of the price buckets in minor units of INR: under ₹500,
/// ₹500–1000, ₹1000–2000, ₹2000–5000, ₹5000 and more.
pub const PRICE_BUCKETS_MINOR: [i64; 5] = [0, 50_000, 100_000, 200_000, 500_000];

/// One page of results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchPage {
    /// In the requested order; at most `limit`.
    pub ids: Vec<ProductId>,
    /// Products matching every filter, across all pages.
    pub total: u64,
    /// Present while more results follow this page.
    pub next_cursor: Option<String>,
    pub facets: Facets,
}
