//! One pass over the matching documents that yields a whole page: the total,
//! every facet's counts under the other filters, and the top `limit` items
//! after the cursor. It reads only fast-field columns (term ordinals and
//! numbers), never stored documents.
//!
//! The query handed to tantivy is a superset: it keeps documents that fail
//! at most one facet filter, because those still count for the facet of the
//! filter they fail. This collector decides membership itself from the
//! columns, and must agree exactly with the filter terms built in `plan`.

use std::collections::{BinaryHeap, HashMap};
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, ColumnValues, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader, TantivyError};

use crate::cursor::Position;
use crate::query::{PRICE_BUCKETS_MINOR, Sort};
use crate::schema::{
    self, Analyzers, F_BRAND, F_CATEGORY, F_COLOUR, F_CREATED, F_DISCOUNT, F_GENDER, F_ID_HI, F_ID_LO, F_PRICE,
    F_RATING, F_SIZE,
};

/// The keyword facets, in the order of [`Plan::keyword_filters`]. The price
/// facet is dimension [`PRICE_DIM`].
pub(crate) const KEYWORD_FIELDS: [&str; 5] = [F_BRAND, F_CATEGORY, F_GENDER, F_COLOUR, F_SIZE];
const SIZE_DIM: usize = 4;
const PRICE_DIM: usize = 5;

/// What the collector must decide, already normalised by `plan`.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    /// Folded accepted values per keyword facet; `None` when that filter is off.
    pub keyword_filters: [Option<Vec<String>>; 5],
    /// Inclusive price bounds in minor units, when the price filter is on.
    pub price: Option<(i64, i64)>,
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
    pub keyword_counts: [HashMap<String, u64>; 5],
    pub price_counts: [u64; PRICE_BUCKETS_MINOR.len()],
}

pub(crate) struct PageCollector {
    pub plan: Arc<Plan>,
    pub analyzers: Arc<Analyzers>,
}

impl Collector for PageCollector {
    type Fruit = PageFruit;
    type Child = PageSegmentCollector;

    fn for_segment(&self, _segment_local_id: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<Self::Child> {
        let fast = segment.fast_fields();
        let mut keyword = Vec::with_capacity(KEYWORD_FIELDS.len());
        for (dim, name) in KEYWORD_FIELDS.iter().enumerate() {
            let column = fast.str(name)?;
            let accepted = match (&self.plan.keyword_filters[dim], &column) {
                (Some(values), Some(column)) => Some(accepted_ordinals(column, values, &self.analyzers)?),
                // The filter is on but no document of the segment has the field.
                (Some(_), None) => Some(Vec::new()),
                (None, _) => None,
            };
            let counts = vec![0u32; column.as_ref().map_or(0, |c| c.num_terms())];
            keyword.push(KeywordColumn { ords: column.as_ref().map(|c| c.ords().clone()), column, accepted, counts });
        }
        let keyword: [KeywordColumn; 5] =
            keyword.try_into().map_err(|_| TantivyError::InternalError("keyword facet count".into()))?;

        let price_column = fast.i64(F_PRICE)?;
        let price = price_column.clone().first_or_default_col(0);
        let key = match (self.plan.sort, self.plan.scored) {
            (Sort::Relevance, true) => SortKey::Score,
            (Sort::Relevance, false) => SortKey::Constant,
            (Sort::PriceAsc, _) => SortKey::Ascending(price.clone()),
            (Sort::PriceDesc, _) => SortKey::Descending(price.clone()),
            (Sort::Rating, _) => SortKey::Descending(fast.i64(F_RATING)?.first_or_default_col(schema::NO_RATING)),
            (Sort::Newest, _) => SortKey::Descending(fast.i64(F_CREATED)?.first_or_default_col(i64::MIN)),
            (Sort::Discount, _) => SortKey::DescendingU64(fast.u64(F_DISCOUNT)?.first_or_default_col(0)),
        };
        let active = self
            .plan
            .keyword_filters
            .iter()
            .enumerate()
            .filter(|(_, f)| f.is_some())
            .fold(0u8, |mask, (dim, _)| mask | (1 << dim))
            | if self.plan.price.is_some() { 1 << PRICE_DIM } else { 0 };

        Ok(PageSegmentCollector {
            keyword,
            price,
            price_column,
            price_filter: self.plan.price,
            price_counts: [0; PRICE_BUCKETS_MINOR.len()],
            key,
            id_hi: fast.u64(F_ID_HI)?.first_or_default_col(0),
            id_lo: fast.u64(F_ID_LO)?.first_or_default_col(0),
            after: self.plan.after,
            limit: self.plan.limit,
            heap: BinaryHeap::with_capacity(self.plan.limit + 1),
            total: 0,
            after_cursor: 0,
            active,
        })
    }

    fn requires_scoring(&self) -> bool {
        self.plan.scored
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
                for (value, count) in counts {
                    *merged.entry(value).or_insert(0) += count;
                }
            }
            for (merged, count) in page.price_counts.iter_mut().zip(fruit.price_counts) {
                *merged += count;
            }
        }
        items.sort_unstable();
        items.truncate(self.plan.limit);
        page.items = items;
        Ok(page)
    }
}

/// Marks the dictionary ordinals of `column` whose folded value is one of
/// `values`. Folding each dictionary entry (rather than looking the filter
/// value up directly) is what lets `Nike`, `NIKE` and `nike` all pass.
fn accepted_ordinals(column: &StrColumn, values: &[String], analyzers: &Analyzers) -> tantivy::Result<Vec<bool>> {
    let mut accepted = vec![false; column.num_terms()];
    let mut stream = column.dictionary().stream()?;
    while stream.advance() {
        let Ok(text) = std::str::from_utf8(stream.key()) else {
            continue;
        };
        // Plain ASCII folds to its lower case; skip the analyzer for it.
        let pass = if text.is_ascii() {
            values.iter().any(|v| v.eq_ignore_ascii_case(text.trim()))
        } else {
            values.contains(&analyzers.keyword(text))
        };
        if pass && let Some(slot) = usize::try_from(stream.term_ord()).ok().and_then(|ord| accepted.get_mut(ord)) {
            *slot = true;
        }
    }
    Ok(accepted)
}

pub(crate) fn price_bucket(price: i64) -> usize {
    PRICE_BUCKETS_MINOR.iter().rposition(|lower| price >= *lower).unwrap_or(0)
}

struct KeywordColumn {
    column: Option<StrColumn>,
    ords: Option<Column<u64>>,
    /// Per dictionary ordinal, whether it passes this facet's filter; `None`
    /// when the filter is off.
    accepted: Option<Vec<bool>>,
    counts: Vec<u32>,
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
    keyword_counts: [HashMap<String, u64>; 5],
    price_counts: [u64; PRICE_BUCKETS_MINOR.len()],
}

pub(crate) struct PageSegmentCollector {
    keyword: [KeywordColumn; 5],
    price: Arc<dyn ColumnValues<i64>>,
    price_column: Column<i64>,
    price_filter: Option<(i64, i64)>,
    price_counts: [u64; PRICE_BUCKETS_MINOR.len()],
    key: SortKey,
    id_hi: Arc<dyn ColumnValues<u64>>,
    id_lo: Arc<dyn ColumnValues<u64>>,
    after: Option<Position>,
    limit: usize,
    /// The best `limit` items seen so far; the worst on top.
    heap: BinaryHeap<Position>,
    total: u64,
    after_cursor: u64,
    /// Bit per facet dimension whose filter is on.
    active: u8,
}

impl PageSegmentCollector {
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

    fn collect(&mut self, doc: DocId, score: Score) {
        let mut ords = [None; SIZE_DIM];
        for (dim, slot) in ords.iter_mut().enumerate() {
            *slot = self.keyword[dim].ords.as_ref().and_then(|c| c.first(doc));
        }
        let price = self.price.get_val(doc);
        self.process(doc, score, ords, price);
    }

    /// Without scores tantivy hands over blocks of documents; reading each
    /// column for the whole block at once is markedly faster than per
    /// document.
    fn collect_block(&mut self, docs: &[DocId]) {
        const BLOCK: usize = tantivy::COLLECT_BLOCK_BUFFER_LEN;
        for docs in docs.chunks(BLOCK) {
            let mut ords = [[None; BLOCK]; SIZE_DIM];
            for (dim, out) in ords.iter_mut().enumerate() {
                if let Some(column) = &self.keyword[dim].ords {
                    column.first_vals(docs, &mut out[..docs.len()]);
                }
            }
            let mut prices = [None; BLOCK];
            self.price_column.first_vals(docs, &mut prices[..docs.len()]);
            for (i, doc) in docs.iter().enumerate() {
                let doc_ords = [ords[0][i], ords[1][i], ords[2][i], ords[3][i]];
                self.process(*doc, 0.0, doc_ords, prices[i].unwrap_or(0));
            }
        }
    }

    fn harvest(self) -> SegmentFruit {
        self.harvest_counts()
    }
}

impl PageSegmentCollector {
    /// `ords` are the single-valued keyword ordinals of `doc`, read once for
    /// both the filters and the counts.
    #[inline]
    fn process(&mut self, doc: DocId, score: Score, ords: [Option<u64>; SIZE_DIM], price: i64) {
        let mut failed = 0u8;
        for (dim, ord) in ords.iter().enumerate() {
            let facet = &self.keyword[dim];
            if let Some(accepted) = &facet.accepted {
                let ord = *ord;
                let pass = ord.and_then(|o| accepted.get(o as usize).copied()).unwrap_or(false);
                if !pass {
                    failed |= 1 << dim;
                }
            }
        }
        let sizes = &self.keyword[SIZE_DIM];
        if let (Some(accepted), Some(column)) = (&sizes.accepted, &sizes.column) {
            let pass = column.term_ords(doc).any(|o| accepted.get(o as usize).copied().unwrap_or(false));
            if !pass {
                failed |= 1 << SIZE_DIM;
            }
        } else if sizes.accepted.is_some() {
            failed |= 1 << SIZE_DIM;
        }
        if let Some((low, high)) = self.price_filter
            && (price < low || price > high)
        {
            failed |= 1 << PRICE_DIM;
        }
        debug_assert_eq!(failed & !self.active, 0);
        if failed.count_ones() > 1 {
            return;
        }

        // A facet counts the document when every other dimension passes.
        let counts_for = |dim: usize| failed & !(1u8 << dim) == 0;
        for (dim, ord) in ords.iter().enumerate() {
            if let Some(ord) = ord
                && counts_for(dim)
                && let Some(count) = self.keyword[dim].counts.get_mut(*ord as usize)
            {
                *count += 1;
            }
        }
        if counts_for(SIZE_DIM) {
            let sizes = &mut self.keyword[SIZE_DIM];
            if let Some(column) = &sizes.column {
                for ord in column.term_ords(doc) {
                    if let Some(count) = sizes.counts.get_mut(ord as usize) {
                        *count += 1;
                    }
                }
            }
        }
        if counts_for(PRICE_DIM) {
            self.price_counts[price_bucket(price)] += 1;
        }

        if failed == 0 {
            self.total += 1;
            self.rank(doc, score);
        }
    }

    fn harvest_counts(self) -> SegmentFruit {
        let mut keyword_counts: [HashMap<String, u64>; 5] = Default::default();
        for (facet, out) in self.keyword.iter().zip(keyword_counts.iter_mut()) {
            let Some(column) = &facet.column else { continue };
            if facet.counts.iter().all(|count| *count == 0) {
                continue;
            }
            let nonzero: Vec<(u64, u32)> = facet
                .counts
                .iter()
                .enumerate()
                .filter(|(_, count)| **count > 0)
                .map(|(ord, count)| (ord as u64, *count))
                .collect();
            let mut counts = nonzero.iter().map(|(_, c)| *c);
            column
                .dictionary()
                .sorted_ords_to_term_cb(nonzero.iter().map(|(ord, _)| *ord), |bytes| {
                    let count = counts.next().unwrap_or(0);
                    out.insert(String::from_utf8_lossy(bytes).into_owned(), u64::from(count));
                    Ok(())
                })
                .map_err(|e| e.to_string())?;
        }
        Ok(SegmentPage {
            items: self.heap.into_vec(),
            total: self.total,
            after_cursor: self.after_cursor,
            keyword_counts,
            price_counts: self.price_counts,
        })
    }
}
