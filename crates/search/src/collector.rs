//! Collects a whole page: the total, every facet's counts under the other
//! filters (disjunctive faceting), and the top `limit` items after the
//! cursor.
//!
//! tantivy runs only the part of the query that needs the inverted index
//! (text and the rating range); without it, no document is visited at all.
//! The facet filters are bitsets from the segment's [`SegmentFacets`]: the
//! full matches are the base set AND every filter, and each facet counts
//! over the base set AND every filter but its own. Only the full matches are
//! then read one by one, to rank them; with relevance and text they are
//! ranked as tantivy scores them.

use std::borrow::Cow;
use std::collections::BinaryHeap;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::ColumnValues;
use tantivy::query::Weight;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader, TantivyError};

use crate::bitset::Bits;
use crate::cursor::Position;
use crate::facet_index::{DIMS, FacetCache, SegmentFacets};
use crate::query::{PRICE_BUCKETS_MINOR, Sort};
use crate::schema::{Analyzers, F_BRAND, F_CATEGORY, F_COLOUR, F_GENDER, F_SIZE};

/// The keyword facets, in the order of [`Plan::keyword_filters`]. The price
/// facet is dimension [`PRICE_DIM`].
pub(crate) const KEYWORD_FIELDS: [&str; 5] = [F_BRAND, F_CATEGORY, F_GENDER, F_COLOUR, F_SIZE];
/// The only multi-valued keyword facet.
pub(crate) const SIZE_DIM: usize = 4;
pub(crate) const PRICE_DIM: usize = 5;

/// What the collector must decide, already normalised by `plan`.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    /// Folded accepted values per keyword facet; `None` when that filter is off.
    pub keyword_filters: [Option<Vec<String>>; 5],
    /// Inclusive price bounds in minor units, when the price filter is on.
    pub price: Option<(i64, i64)>,
    /// Whether the tantivy query restricts the documents (text or rating);
    /// without it every live document is a candidate and tantivy is not run.
    pub restricted: bool,
    pub sort: Sort,
    /// Relevance with text: the tantivy score is the sort key.
    pub scored: bool,
    pub after: Option<Position>,
    pub limit: usize,
    /// Binds a cursor to the query that issued it.
    pub fingerprint: u64,
}

/// The merged result of all segments.
#[derive(Debug, Default)]
pub(crate) struct PageFruit {
    /// In order, at most `limit`.
    pub items: Vec<Position>,
    pub total: u64,
    /// Full matches strictly after the cursor (or all, without one).
    pub after_cursor: u64,
    /// Per keyword facet, nonzero counts by value, one entry per value.
    pub keyword_counts: [Vec<(Arc<str>, u64)>; 5],
    pub price_counts: [u64; PRICE_BUCKETS_MINOR.len()],
}

pub(crate) struct PageCollector {
    pub plan: Arc<Plan>,
    pub analyzers: Arc<Analyzers>,
    pub facets: Arc<FacetCache>,
}

impl Collector for PageCollector {
    type Fruit = PageFruit;
    type Child = PageSegmentCollector;

    fn for_segment(&self, _segment_local_id: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<Self::Child> {
        let facets = self.facets.get(segment, &self.analyzers)?;
        let mut filters: [Option<Bits>; DIMS] = Default::default();
        for (dim, values) in self.plan.keyword_filters.iter().enumerate() {
            filters[dim] = values.as_ref().map(|values| facets.keyword_filter(dim, values));
        }
        filters[PRICE_DIM] = self.plan.price.map(|(low, high)| facets.price_filter(low, high));
        // Only a scored search needs it up front: it ranks while tantivy
        // scores.
        let all =
            if self.plan.scored { intersection(None, filters.iter().flatten()).map(Cow::into_owned) } else { None };
        let base = if self.plan.restricted {
            Base::Matched(Bits::empty(facets.max_doc()))
        } else {
            match facets.alive(segment) {
                Some(alive) => Base::Alive(alive),
                None => Base::All,
            }
        };

        let columns = facets.columns();
        let key = match (self.plan.sort, self.plan.scored) {
            (Sort::Relevance, true) => SortKey::Score,
            (Sort::Relevance, false) => SortKey::Constant,
            (Sort::PriceAsc, _) => SortKey::Ascending(columns.price.clone()),
            (Sort::PriceDesc, _) => SortKey::Descending(columns.price.clone()),
            (Sort::Rating, _) => SortKey::Descending(columns.rating.clone()),
            (Sort::Newest, _) => SortKey::Descending(columns.created.clone()),
            (Sort::Discount, _) => SortKey::DescendingU64(columns.discount.clone()),
        };
        let ranking = Ranking {
            key,
            id_hi: columns.id_hi.clone(),
            id_lo: columns.id_lo.clone(),
            after: self.plan.after,
            limit: self.plan.limit,
            heap: BinaryHeap::with_capacity(self.plan.limit + 1),
            after_cursor: 0,
        };
        Ok(PageSegmentCollector { facets, filters, all, base, scored: self.plan.scored, ranking })
    }

    fn requires_scoring(&self) -> bool {
        self.plan.scored
    }

    /// As tantivy's own, except that an unrestricted query is not run at
    /// all: the candidates are then the live documents, known as a bitset.
    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment_ord: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentFruit> {
        let mut child = self.for_segment(segment_ord, reader)?;
        if self.plan.restricted {
            let alive = reader.alive_bitset();
            if self.plan.scored {
                weight.for_each(reader, &mut |doc, score| {
                    if alive.is_none_or(|alive| alive.is_alive(doc)) {
                        child.collect(doc, score);
                    }
                })?;
            } else {
                weight.for_each_no_score(reader, &mut |docs| {
                    for doc in docs {
                        if alive.is_none_or(|alive| alive.is_alive(*doc)) {
                            child.collect(*doc, 0.0);
                        }
                    }
                })?;
            }
        }
        Ok(child.harvest())
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFruit>) -> tantivy::Result<PageFruit> {
        let mut page = PageFruit::default();
        let mut items = Vec::new();
        for fruit in fruits {
            let fruit = fruit.map_err(TantivyError::InternalError)?;
            items.extend(fruit.items);
            page.total += fruit.total;
            page.after_cursor += fruit.after_cursor;
            for (merged, counts) in page.keyword_counts.iter_mut().zip(fruit.keyword_counts) {
                merged.extend(counts);
            }
            for (merged, count) in page.price_counts.iter_mut().zip(fruit.price_counts) {
                *merged += count;
            }
        }
        // Segments have their own dictionaries: add up equal values. The
        // cache interns values, so equal values are the same pointer.
        for counts in &mut page.keyword_counts {
            counts.sort_unstable_by_key(|(value, _)| Arc::as_ptr(value).cast::<u8>() as usize);
            counts.dedup_by(|next, kept| {
                let same = Arc::ptr_eq(&next.0, &kept.0);
                if same {
                    kept.1 += next.1;
                }
                same
            });
        }
        items.sort_unstable();
        items.truncate(self.plan.limit);
        page.items = items;
        Ok(page)
    }
}

/// The members of `base` (every document when `None`) and of every set of
/// `sets`, borrowed when that is one set; `None` for "every document".
fn intersection<'a>(base: Option<&'a Bits>, sets: impl IntoIterator<Item = &'a Bits>) -> Option<Cow<'a, Bits>> {
    let mut sets = base.into_iter().chain(sets);
    let first = sets.next()?;
    let mut out: Cow<'a, Bits> = Cow::Borrowed(first);
    for set in sets {
        out = Cow::Owned(match out {
            Cow::Borrowed(only) => Bits::and(only, set),
            Cow::Owned(mut out) => {
                out.intersect_with(set);
                out
            }
        });
    }
    Some(out)
}

pub(crate) fn price_bucket(price: i64) -> usize {
    PRICE_BUCKETS_MINOR.iter().rposition(|lower| price >= *lower).unwrap_or(0)
}

/// The candidates of a segment: the documents tantivy matched, or every live
/// document when the query is unrestricted.
enum Base {
    Matched(Bits),
    Alive(Arc<Bits>),
    /// Every document: the segment has no deletes.
    All,
}

impl Base {
    fn bits(&self) -> Option<&Bits> {
        match self {
            Self::Matched(bits) => Some(bits),
            Self::Alive(bits) => Some(bits),
            Self::All => None,
        }
    }
}

enum SortKey {
    Score,
    Constant,
    Ascending(Arc<dyn ColumnValues<i64>>),
    Descending(Arc<dyn ColumnValues<i64>>),
    DescendingU64(Arc<dyn ColumnValues<u64>>),
}

impl SortKey {
    /// Maps the value to a `u64` whose ascending order is the sort order.
    #[inline]
    fn key(&self, doc: DocId, score: Score) -> u64 {
        match self {
            Self::Score => u64::from(u32::MAX - sortable_f32(score)),
            Self::Constant => 0,
            Self::Ascending(column) => tantivy::i64_to_u64(column.get_val(doc)),
            Self::Descending(column) => u64::MAX - tantivy::i64_to_u64(column.get_val(doc)),
            Self::DescendingU64(column) => u64::MAX - column.get_val(doc),
        }
    }
}

/// The bits of `value` as a `u32` that orders like the float does.
fn sortable_f32(value: f32) -> u32 {
    let bits = value.to_bits();
    if bits & 0x8000_0000 != 0 { !bits } else { bits | 0x8000_0000 }
}

pub(crate) type SegmentFruit = Result<SegmentPage, String>;

pub(crate) struct SegmentPage {
    items: Vec<Position>,
    total: u64,
    after_cursor: u64,
    keyword_counts: [Vec<(Arc<str>, u64)>; 5],
    price_counts: [u64; PRICE_BUCKETS_MINOR.len()],
}

pub(crate) struct PageSegmentCollector {
    facets: Arc<SegmentFacets>,
    /// Per facet dimension, the documents passing its filter when it is on.
    filters: [Option<Bits>; DIMS],
    /// For a scored search, the documents passing every filter; `None`
    /// without filters or scores.
    all: Option<Bits>,
    base: Base,
    scored: bool,
    ranking: Ranking,
}

/// The top `limit` after the cursor, and how many full matches follow it.
struct Ranking {
    key: SortKey,
    id_hi: Arc<dyn ColumnValues<u64>>,
    id_lo: Arc<dyn ColumnValues<u64>>,
    after: Option<Position>,
    limit: usize,
    /// The best `limit` items seen so far; the worst on top.
    heap: BinaryHeap<Position>,
    after_cursor: u64,
}

impl Ranking {
    #[inline]
    fn id(&self, doc: DocId) -> u128 {
        (u128::from(self.id_hi.get_val(doc)) << 64) | u128::from(self.id_lo.get_val(doc))
    }

    #[inline]
    fn rank(&mut self, doc: DocId, score: Score) {
        let key = self.key.key(doc, score);
        if let Some(after) = self.after
            && key < after.key
        {
            return;
        }
        let on_cursor_key = self.after.is_some_and(|after| key == after.key);
        let may_enter = match self.heap.peek() {
            Some(worst) if self.heap.len() >= self.limit => key <= worst.key,
            _ => true,
        };
        if !on_cursor_key && !may_enter {
            self.after_cursor += 1;
            return;
        }
        let position = Position { key, id: self.id(doc) };
        if self.after.is_some_and(|after| position <= after) {
            return;
        }
        self.after_cursor += 1;
        if self.heap.len() < self.limit {
            self.heap.push(position);
        } else if self.heap.peek().is_some_and(|worst| position < *worst) {
            self.heap.pop();
            self.heap.push(position);
        }
    }
}

impl SegmentCollector for PageSegmentCollector {
    type Fruit = SegmentFruit;

    /// Only called for a restricted query, with live documents.
    fn collect(&mut self, doc: DocId, score: Score) {
        if let Base::Matched(matched) = &mut self.base {
            matched.insert(doc);
        }
        // Scores exist only now: rank the full matches as they come.
        if self.scored && self.all.as_ref().is_none_or(|all| all.contains(doc)) {
            self.ranking.rank(doc, score);
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        if let Base::Matched(matched) = &mut self.base {
            matched.insert_all(docs);
        }
    }

    fn harvest(self) -> SegmentFruit {
        let Self { facets, filters, all: _, base, scored, mut ranking } = self;
        let max_doc = facets.max_doc();
        let base = base.bits();
        let everything = || Cow::Owned(Bits::full(max_doc));
        let full = intersection(base, filters.iter().flatten()).unwrap_or_else(everything);
        if !scored {
            full.for_each(|doc| ranking.rank(doc, 0.0));
        }

        let mut counts: [Vec<u32>; DIMS] = std::array::from_fn(|dim| vec![0; facets.num_values(dim)]);
        for (dim, counts) in counts.iter_mut().enumerate() {
            if counts.is_empty() {
                continue;
            }
            if filters[dim].is_none() {
                facets.count(dim, &full, counts);
                continue;
            }
            // This facet's own filter is left out.
            let others = filters.iter().enumerate().filter(|(other, _)| *other != dim).filter_map(|(_, f)| f.as_ref());
            let counted = intersection(base, others).unwrap_or_else(everything);
            facets.count(dim, &counted, counts);
        }

        let mut keyword_counts: [Vec<(Arc<str>, u64)>; 5] = Default::default();
        for (dim, out) in keyword_counts.iter_mut().enumerate() {
            for (ord, count) in counts[dim].iter().enumerate().filter(|(_, count)| **count > 0) {
                if let Some(value) = facets.shown(dim, ord) {
                    out.push((value.clone(), u64::from(*count)));
                }
            }
        }
        let mut price_counts = [0u64; PRICE_BUCKETS_MINOR.len()];
        for (out, count) in price_counts.iter_mut().zip(&counts[PRICE_DIM]) {
            *out = u64::from(*count);
        }
        Ok(SegmentPage {
            items: ranking.heap.into_vec(),
            total: full.count(),
            after_cursor: ranking.after_cursor,
            keyword_counts,
            price_counts,
        })
    }
}
