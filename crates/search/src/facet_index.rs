//! Per-segment in-memory value indexes of the facet fields ([`SegmentFacets`])
//! and their cache ([`FacetCache`]). They are built once per segment from the
//! fast-field columns, so that a search turns each facet filter into a bitset
//! and counts a facet by AND and popcount, reading documents one by one only
//! where that is cheaper (small sets, rare values).
//!
//! Segments never change once written, so an entry keyed by segment id stays
//! valid for the segment's life; deletes are not part of it (the alive set is
//! kept beside it, keyed by the delete opstamp). The cache holds only the
//! segments of the last searcher it was warmed with, which bounds its memory
//! by the size of the live index.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use parking_lot::Mutex;
use tantivy::columnar::{ColumnValues, StrColumn};
use tantivy::index::SegmentId;
use tantivy::{DocId, Opstamp, Searcher, SegmentReader};

use crate::bitset::Bits;
use crate::collector::{KEYWORD_FIELDS, PRICE_DIM, SIZE_DIM, price_bucket};
use crate::query::PRICE_BUCKETS_MINOR;
use crate::schema::{self, Analyzers, F_CREATED, F_DISCOUNT, F_ID_HI, F_ID_LO, F_PRICE, F_RATING};

/// Facet dimensions: the keyword facets in the order of [`KEYWORD_FIELDS`],
/// then the price buckets.
pub(crate) const DIMS: usize = KEYWORD_FIELDS.len() + 1;

/// A value is kept as a bitset once it has at least `max_doc / DENSE_DIVISOR`
/// documents, so that counting a facet over a large set is mostly popcount
/// and few documents are visited one by one. A single-valued facet has at
/// most this many such values, which bounds its bitsets to
/// `DENSE_DIVISOR * max_doc / 8` bytes; rarer values are lists of documents
/// (4 bytes each).
const DENSE_DIVISOR: usize = 128;

/// The price filter is a range: the documents sorted by price give it as a
/// slice of positions. Prefix bitsets every `max_doc / PRICE_STEPS`
/// positions let most of the slice be taken by one AND-NOT instead of a
/// bit per document.
const PRICE_STEPS: usize = 16;
/// Below this many documents a segment keeps no price prefix bitsets.
const PRICE_PREFIX_MIN_DOCS: u32 = 4096;

/// Counting one facet over a set either visits every member and reads its
/// value (per document) or popcounts the set against each frequent value's
/// bitset and visits only the members with a rare value (per value). A
/// popcount word costs about this fraction of a visited document.
const WORDS_PER_VISIT: usize = 2;

/// Ordinals of a single-valued facet per document, in the narrowest integer
/// that holds them. The type's maximum means "no value".
enum Ords {
    U8(Vec<u8>),
    U16(Vec<u16>),
    U32(Vec<u32>),
}

trait Ordinal: Copy {
    fn index(self) -> usize;
}

impl Ordinal for u8 {
    #[inline]
    fn index(self) -> usize {
        usize::from(self)
    }
}

impl Ordinal for u16 {
    #[inline]
    fn index(self) -> usize {
        usize::from(self)
    }
}

impl Ordinal for u32 {
    #[inline]
    fn index(self) -> usize {
        self as usize
    }
}

impl Ords {
    /// `ords` uses `u32::MAX` for "no value".
    fn compact(ords: Vec<u32>, num_values: usize) -> Self {
        if num_values < usize::from(u8::MAX) {
            Self::U8(ords.iter().map(|ord| u8::try_from(*ord).unwrap_or(u8::MAX)).collect())
        } else if num_values < usize::from(u16::MAX) {
            Self::U16(ords.iter().map(|ord| u16::try_from(*ord).unwrap_or(u16::MAX)).collect())
        } else {
            Self::U32(ords)
        }
    }

    /// Adds one to `counts[ord]` for every member of `set` (less those of
    /// `except`). "No value" is past the end of `counts` and so not counted.
    fn tally(&self, set: &Bits, except: Option<&Bits>, counts: &mut [u32]) {
        match self {
            Self::U8(ords) => tally(ords, set, except, counts),
            Self::U16(ords) => tally(ords, set, except, counts),
            Self::U32(ords) => tally(ords, set, except, counts),
        }
    }

    fn heap_bytes(&self) -> usize {
        match self {
            Self::U8(ords) => ords.capacity(),
            Self::U16(ords) => ords.capacity() * 2,
            Self::U32(ords) => ords.capacity() * 4,
        }
    }
}

fn tally<T: Ordinal>(ords: &[T], set: &Bits, except: Option<&Bits>, counts: &mut [u32]) {
    let add = |doc: DocId| {
        if let Some(ord) = ords.get(doc as usize)
            && let Some(count) = counts.get_mut(ord.index())
        {
            *count += 1;
        }
    };
    match except {
        Some(except) => set.for_each_not_in(except, add),
        None => set.for_each(add),
    }
}

/// The documents having one value.
enum Posting {
    Dense(Bits),
    /// Ascending.
    Sparse(Vec<DocId>),
}

impl Posting {
    fn new(mut docs: Vec<DocId>, max_doc: u32) -> Self {
        if docs.len() * DENSE_DIVISOR >= max_doc as usize && !docs.is_empty() {
            Self::Dense(Bits::from_docs(max_doc, &docs))
        } else {
            docs.shrink_to_fit();
            Self::Sparse(docs)
        }
    }

    fn heap_bytes(&self) -> usize {
        match self {
            Self::Dense(bits) => bits.heap_bytes(),
            Self::Sparse(docs) => docs.capacity() * std::mem::size_of::<DocId>(),
        }
    }
}

/// One facet of one segment: who has which value.
struct ValueIndex {
    /// Per value ordinal.
    postings: Vec<Posting>,
    /// For a single-valued facet: the value of each document, and the union
    /// of the dense postings (the documents the per-value count covers).
    single: Option<(Ords, Option<Bits>)>,
}

impl ValueIndex {
    fn empty() -> Self {
        Self { postings: Vec::new(), single: None }
    }

    /// `ords[doc]` is the value of `doc`, `u32::MAX` for none.
    fn single_valued(max_doc: u32, num_values: usize, ords: Vec<u32>) -> Self {
        let mut lists = vec![Vec::new(); num_values];
        for (doc, ord) in ords.iter().enumerate() {
            if let Some(list) = lists.get_mut(*ord as usize) {
                list.push(doc as DocId);
            }
        }
        let postings: Vec<Posting> = lists.into_iter().map(|docs| Posting::new(docs, max_doc)).collect();
        let mut dense_union: Option<Bits> = None;
        for posting in &postings {
            if let Posting::Dense(bits) = posting {
                match &mut dense_union {
                    Some(union) => union.union_with(bits),
                    None => dense_union = Some(bits.clone()),
                }
            }
        }
        Self { postings, single: Some((Ords::compact(ords, num_values), dense_union)) }
    }

    /// `lists[ord]`: the ascending documents having value `ord`.
    fn multi_valued(max_doc: u32, lists: Vec<Vec<DocId>>) -> Self {
        Self { postings: lists.into_iter().map(|docs| Posting::new(docs, max_doc)).collect(), single: None }
    }

    fn num_values(&self) -> usize {
        self.postings.len()
    }

    /// The documents having any of `ords`.
    fn union(&self, ords: &[usize], max_doc: u32) -> Bits {
        let mut out: Option<Bits> = None;
        for ord in ords {
            if let Some(Posting::Dense(bits)) = self.postings.get(*ord) {
                match &mut out {
                    Some(out) => out.union_with(bits),
                    None => out = Some(bits.clone()),
                }
            }
        }
        let mut out = out.unwrap_or_else(|| Bits::empty(max_doc));
        for ord in ords {
            if let Some(Posting::Sparse(docs)) = self.postings.get(*ord) {
                out.insert_all(docs);
            }
        }
        out
    }

    /// Adds to `counts[ord]` the members of `set` having value `ord`.
    fn count(&self, set: &Bits, counts: &mut [u32]) {
        let members = set.count() as usize;
        if members == 0 {
            return;
        }
        let dense = self.postings.iter().filter(|p| matches!(p, Posting::Dense(_))).count();
        let per_value_words = dense * set.word_count();
        match &self.single {
            Some((ords, dense_union)) => {
                if dense == 0 || per_value_words > members * WORDS_PER_VISIT {
                    ords.tally(set, None, counts);
                } else {
                    self.count_dense(set, counts);
                    ords.tally(set, dense_union.as_ref(), counts);
                }
            }
            None => {
                self.count_dense(set, counts);
                for (posting, count) in self.postings.iter().zip(counts.iter_mut()) {
                    if let Posting::Sparse(docs) = posting {
                        *count += docs.iter().filter(|doc| set.contains(**doc)).count() as u32;
                    }
                }
            }
        }
    }

    fn count_dense(&self, set: &Bits, counts: &mut [u32]) {
        for (posting, count) in self.postings.iter().zip(counts.iter_mut()) {
            if let Posting::Dense(bits) = posting {
                *count += set.count_and(bits) as u32;
            }
        }
    }

    fn heap_bytes(&self) -> usize {
        let postings: usize = self.postings.iter().map(Posting::heap_bytes).sum();
        let single = self
            .single
            .as_ref()
            .map_or(0, |(ords, union)| ords.heap_bytes() + union.as_ref().map_or(0, Bits::heap_bytes));
        postings + single
    }
}

/// The values of one keyword facet as the dictionary holds them.
struct Terms {
    /// Per ordinal, as written (shown in facet counts), interned by the
    /// cache: equal values of different segments are one allocation, so
    /// that merging segment counts compares pointers, not strings.
    shown: Vec<Arc<str>>,
    /// Folded value to ordinals: the filter value `nike` accepts `Nike` and
    /// `NIKE` alike.
    by_folded: HashMap<String, Vec<usize>>,
}

impl Terms {
    fn read(column: &StrColumn, analyzers: &Analyzers) -> tantivy::Result<Self> {
        let mut shown: Vec<Arc<str>> = vec![Arc::from(""); column.num_terms()];
        let mut by_folded: HashMap<String, Vec<usize>> = HashMap::new();
        let mut stream = column.dictionary().stream()?;
        while stream.advance() {
            let Some(ord) = usize::try_from(stream.term_ord()).ok().filter(|ord| *ord < shown.len()) else {
                continue;
            };
            let bytes = stream.key();
            shown[ord] = Arc::from(String::from_utf8_lossy(bytes).as_ref());
            // Same folding as the filter values get in `plan`; plain ASCII
            // folds to its trimmed lower case without the analyzer.
            let Ok(text) = std::str::from_utf8(bytes) else { continue };
            let folded = if text.is_ascii() { text.trim().to_ascii_lowercase() } else { analyzers.keyword(text) };
            by_folded.entry(folded).or_default().push(ord);
        }
        Ok(Self { shown, by_folded })
    }

    fn heap_bytes(&self) -> usize {
        let shown: usize = self.shown.iter().map(|s| s.len() + 2 * std::mem::size_of::<usize>()).sum::<usize>()
            + self.shown.capacity() * std::mem::size_of::<Arc<str>>();
        let folded: usize = self
            .by_folded
            .iter()
            .map(|(k, v)| k.capacity() + std::mem::size_of::<String>() + v.capacity() * 8 + 24)
            .sum();
        shown + folded
    }
}

/// The documents sorted by price, with prefix bitsets, for range filters.
struct PriceIndex {
    /// Document ids in ascending (price, id) order.
    by_price: Vec<DocId>,
    /// Price per document (the first value, 0 without one).
    prices: Arc<dyn ColumnValues<i64>>,
    /// `prefixes[k]`: the documents at positions `< (k + 1) * step`.
    prefixes: Vec<Bits>,
    step: usize,
}

impl PriceIndex {
    fn build(max_doc: u32, prices: Arc<dyn ColumnValues<i64>>) -> Self {
        let mut pairs: Vec<(i64, DocId)> = (0..max_doc).map(|doc| (prices.get_val(doc), doc)).collect();
        pairs.sort_unstable();
        let by_price: Vec<DocId> = pairs.into_iter().map(|(_, doc)| doc).collect();
        let (step, prefixes) = if max_doc >= PRICE_PREFIX_MIN_DOCS {
            let step = by_price.len().div_ceil(PRICE_STEPS);
            let mut prefixes = Vec::with_capacity(PRICE_STEPS);
            let mut running = Bits::empty(max_doc);
            for chunk in by_price.chunks(step) {
                running.insert_all(chunk);
                prefixes.push(running.clone());
            }
            // The last prefix is every document; `range` never needs it.
            prefixes.pop();
            (step, prefixes)
        } else {
            (0, Vec::new())
        };
        Self { by_price, prices, prefixes, step }
    }

    /// Documents priced within `low..=high`.
    fn range(&self, low: i64, high: i64, max_doc: u32) -> Bits {
        let price = |doc: &DocId| self.prices.get_val(*doc);
        let start = self.by_price.partition_point(|doc| price(doc) < low);
        let end = self.by_price.partition_point(|doc| price(doc) <= high);
        let mut bits = Bits::empty(max_doc);
        if start >= end {
            return bits;
        }
        let positions = |from: usize, to: usize| self.by_price.get(from..to).unwrap_or(&[]);
        // Whole steps inside the range: prefix(to) minus prefix(from).
        let (first_step, last_step) =
            if self.step == 0 { (0, 0) } else { (start.div_ceil(self.step), end / self.step) };
        if first_step >= last_step {
            bits.insert_all(positions(start, end));
            return bits;
        }
        let prefix = |k: usize| -> Option<&Bits> { k.checked_sub(1).and_then(|i| self.prefixes.get(i)) };
        match prefix(last_step) {
            Some(upper) => bits.union_with(upper),
            // Past the last prefix: every document.
            None => bits = Bits::full(max_doc),
        }
        if let Some(lower) = prefix(first_step) {
            bits.subtract(lower);
        }
        bits.insert_all(positions(start, first_step * self.step));
        bits.insert_all(positions(last_step * self.step, end));
        bits
    }

    fn heap_bytes(&self) -> usize {
        self.by_price.capacity() * std::mem::size_of::<DocId>()
            + self.prefixes.iter().map(Bits::heap_bytes).sum::<usize>()
    }
}

/// Deletes seen by one segment reader: the same segment gets new deletes
/// under a new opstamp.
type AliveKey = (Option<Opstamp>, u32);

/// Everything the facets need of one segment.
pub(crate) struct SegmentFacets {
    max_doc: u32,
    /// Keyword facets, then price buckets.
    values: [ValueIndex; DIMS],
    /// Per keyword facet; `None` when no document of the segment has it.
    terms: [Option<Terms>; KEYWORD_FIELDS.len()],
    price: PriceIndex,
    columns: Columns,
    alive: Mutex<Option<(AliveKey, Arc<Bits>)>>,
}

/// The fast-field columns a search reads per full match (sort keys and
/// ids), opened once per segment rather than once per search.
pub(crate) struct Columns {
    pub price: Arc<dyn ColumnValues<i64>>,
    pub rating: Arc<dyn ColumnValues<i64>>,
    pub created: Arc<dyn ColumnValues<i64>>,
    pub discount: Arc<dyn ColumnValues<u64>>,
    pub id_hi: Arc<dyn ColumnValues<u64>>,
    pub id_lo: Arc<dyn ColumnValues<u64>>,
}

/// Documents read per column call while building.
const BUILD_BLOCK: usize = 1024;

impl SegmentFacets {
    pub fn build(reader: &SegmentReader, analyzers: &Analyzers) -> tantivy::Result<Self> {
        let max_doc = reader.max_doc();
        let fast = reader.fast_fields();
        let mut values: [ValueIndex; DIMS] = std::array::from_fn(|_| ValueIndex::empty());
        let mut terms: [Option<Terms>; KEYWORD_FIELDS.len()] = Default::default();
        for (dim, name) in KEYWORD_FIELDS.iter().enumerate() {
            let Some(column) = fast.str(name)? else { continue };
            terms[dim] = Some(Terms::read(&column, analyzers)?);
            let num_values = column.num_terms();
            values[dim] = if dim == SIZE_DIM {
                let mut lists = vec![Vec::new(); num_values];
                for doc in 0..max_doc {
                    for ord in column.term_ords(doc) {
                        if let Some(list) = usize::try_from(ord).ok().and_then(|ord| lists.get_mut(ord)) {
                            list.push(doc);
                        }
                    }
                }
                ValueIndex::multi_valued(max_doc, lists)
            } else {
                // The collector has always read the first value of these.
                let mut ords = Vec::with_capacity(max_doc as usize);
                let docs: Vec<DocId> = (0..max_doc).collect();
                let mut block = [None; BUILD_BLOCK];
                for chunk in docs.chunks(BUILD_BLOCK) {
                    let out = &mut block[..chunk.len()];
                    out.fill(None);
                    column.ords().first_vals(chunk, out);
                    ords.extend(out.iter().map(|ord| ord.and_then(|o| u32::try_from(o).ok()).unwrap_or(u32::MAX)));
                }
                ValueIndex::single_valued(max_doc, num_values, ords)
            };
        }
        let prices = fast.i64(F_PRICE)?.first_or_default_col(0);
        let buckets: Vec<u32> = (0..max_doc).map(|doc| price_bucket(prices.get_val(doc)) as u32).collect();
        values[PRICE_DIM] = ValueIndex::single_valued(max_doc, PRICE_BUCKETS_MINOR.len(), buckets);
        let columns = Columns {
            price: prices.clone(),
            rating: fast.i64(F_RATING)?.first_or_default_col(schema::NO_RATING),
            created: fast.i64(F_CREATED)?.first_or_default_col(i64::MIN),
            discount: fast.u64(F_DISCOUNT)?.first_or_default_col(0),
            id_hi: fast.u64(F_ID_HI)?.first_or_default_col(0),
            id_lo: fast.u64(F_ID_LO)?.first_or_default_col(0),
        };
        let price = PriceIndex::build(max_doc, prices);
        Ok(Self { max_doc, values, terms, price, columns, alive: Mutex::new(None) })
    }

    pub fn max_doc(&self) -> u32 {
        self.max_doc
    }

    /// Number of distinct values of facet `dim` (price: buckets).
    pub fn num_values(&self, dim: usize) -> usize {
        self.values.get(dim).map_or(0, ValueIndex::num_values)
    }

    /// Value `ord` of keyword facet `dim` as written.
    pub fn shown(&self, dim: usize, ord: usize) -> Option<&Arc<str>> {
        self.terms.get(dim)?.as_ref()?.shown.get(ord)
    }

    pub fn columns(&self) -> &Columns {
        &self.columns
    }

    /// Documents whose keyword facet `dim` has one of `folded` values.
    pub fn keyword_filter(&self, dim: usize, folded: &[String]) -> Bits {
        let Some(Some(terms)) = self.terms.get(dim) else {
            return Bits::empty(self.max_doc);
        };
        let mut ords: Vec<usize> = folded.iter().filter_map(|v| terms.by_folded.get(v)).flatten().copied().collect();
        ords.sort_unstable();
        ords.dedup();
        self.values[dim].union(&ords, self.max_doc)
    }

    /// Documents priced within `low..=high`.
    pub fn price_filter(&self, low: i64, high: i64) -> Bits {
        self.price.range(low, high, self.max_doc)
    }

    /// Adds to `counts[ord]` the members of `set` having value `ord` of
    /// facet `dim`.
    pub fn count(&self, dim: usize, set: &Bits, counts: &mut [u32]) {
        if let Some(values) = self.values.get(dim) {
            values.count(set, counts);
        }
    }

    /// The documents `reader` has not deleted; `None` when it has deleted
    /// none.
    pub fn alive(&self, reader: &SegmentReader) -> Option<Arc<Bits>> {
        let alive = reader.alive_bitset()?;
        let key = (reader.delete_opstamp(), reader.num_docs());
        let mut cached = self.alive.lock();
        if let Some((cached_key, bits)) = &*cached
            && *cached_key == key
        {
            return Some(bits.clone());
        }
        let mut bits = Bits::empty(self.max_doc);
        for doc in alive.iter_alive() {
            bits.insert(doc);
        }
        let bits = Arc::new(bits);
        *cached = Some((key, bits.clone()));
        Some(bits)
    }

    pub fn heap_bytes(&self) -> usize {
        let values: usize = self.values.iter().map(ValueIndex::heap_bytes).sum();
        let terms: usize = self.terms.iter().flatten().map(Terms::heap_bytes).sum();
        let alive = self.alive.lock().as_ref().map_or(0, |(_, bits)| bits.heap_bytes());
        values + terms + self.price.heap_bytes() + alive
    }
}

/// The facet indexes of the live segments, shared by all searches.
#[derive(Default)]
pub(crate) struct FacetCache {
    inner: Mutex<CacheState>,
}

#[derive(Default)]
struct CacheState {
    /// The segments of the searcher last warmed with; only these are kept.
    live: HashSet<SegmentId>,
    segments: HashMap<SegmentId, Arc<SegmentFacets>>,
    /// One allocation per distinct keyword facet value.
    interned: HashSet<Arc<str>>,
}

impl FacetCache {
    /// The facet index of `reader`'s segment, built now if absent. Built
    /// entries for segments outside the live set (a search that started
    /// before the last reload) are used once and not kept.
    pub fn get(&self, reader: &SegmentReader, analyzers: &Analyzers) -> tantivy::Result<Arc<SegmentFacets>> {
        let id = reader.segment_id();
        if let Some(found) = self.inner.lock().segments.get(&id) {
            return Ok(found.clone());
        }
        // Built without the lock: a large segment takes a while, and other
        // segments' searches must not wait for it.
        let mut built = SegmentFacets::build(reader, analyzers)?;
        let mut state = self.inner.lock();
        // Every segment's values are interned, kept or not: the merge of
        // counts relies on it.
        for terms in built.terms.iter_mut().flatten() {
            for value in &mut terms.shown {
                match state.interned.get(value.as_ref()) {
                    Some(interned) => *value = interned.clone(),
                    None => {
                        state.interned.insert(value.clone());
                    }
                }
            }
        }
        let built = Arc::new(built);
        if !state.live.contains(&id) {
            return Ok(built);
        }
        Ok(state.segments.entry(id).or_insert(built).clone())
    }

    /// Makes the segments of `searcher` the live set, drops every other
    /// entry, and builds the missing ones, so that the first searches after
    /// a commit do not pay for it.
    pub fn warm(&self, searcher: &Searcher, analyzers: &Analyzers) -> tantivy::Result<()> {
        {
            let mut state = self.inner.lock();
            state.live = searcher.segment_readers().iter().map(SegmentReader::segment_id).collect();
            let CacheState { live, segments, interned } = &mut *state;
            segments.retain(|id, _| live.contains(id));
            // Values no segment (or search in flight) holds any more.
            interned.retain(|value| Arc::strong_count(value) > 1);
        }
        for reader in searcher.segment_readers() {
            let facets = self.get(reader, analyzers)?;
            facets.alive(reader);
        }
        Ok(())
    }

    /// Memory held by the cached indexes.
    pub fn heap_bytes(&self) -> usize {
        let segments: Vec<Arc<SegmentFacets>> = self.inner.lock().segments.values().cloned().collect();
        segments.iter().map(|facets| facets.heap_bytes()).sum()
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.inner.lock().segments.len()
    }
}
