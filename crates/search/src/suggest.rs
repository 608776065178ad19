//! Search-box completions from the term dictionaries: no documents are
//! loaded. Title words complete the last word typed; brands and categories
//! complete the whole input.

use std::collections::HashMap;

use tantivy::Searcher;
use tantivy::schema::Field;

use crate::error::SearchError;
use crate::query::{MAX_LIMIT, MAX_QUERY_CHARS};
use crate::schema::{Analyzers, Fields};

/// Terms read per field and segment at most, so that a one-letter prefix
/// costs a bounded amount of work.
const MAX_TERMS_SCANNED: usize = 5_000;

pub(crate) fn suggest(
    searcher: &Searcher,
    fields: &Fields,
    analyzers: &Analyzers,
    prefix: &str,
    limit: usize,
) -> Result<Vec<String>, SearchError> {
    if prefix.chars().count() > MAX_QUERY_CHARS {
        return Err(SearchError::QueryTooLong { max: MAX_QUERY_CHARS });
    }
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(SearchError::BadLimit { max: MAX_LIMIT });
    }
    // Ranked by (rank, frequency): whole-input matches and single words
    // before a last word completed after earlier words, which says nothing
    // about those words occurring together.
    let mut found: HashMap<String, (u8, u64)> = HashMap::new();
    let mut keep = |text: String, rank: u8, freq: u64| {
        let slot = found.entry(text).or_insert((rank, 0));
        *slot = (*slot).max((rank, freq));
    };

    let whole = analyzers.keyword(prefix);
    if !whole.is_empty() {
        for field in [fields.brand, fields.category] {
            for (term, freq) in terms_with_prefix(searcher, field, &whole)? {
                keep(term, 1, freq);
            }
        }
    }
    let mut words = analyzers.words(prefix);
    if let Some(last) = words.pop() {
        let head = words.join(" ");
        for (term, freq) in terms_with_prefix(searcher, fields.title, &last)? {
            if head.is_empty() {
                keep(term, 1, freq);
            } else {
                keep(format!("{head} {term}"), 0, freq);
            }
        }
    }

    let mut ranked: Vec<(String, (u8, u64))> = found.into_iter().collect();
    ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(ranked.into_iter().take(limit).map(|(text, _)| text).collect())
}

/// Terms of `field` starting with `prefix` and their document frequency,
/// summed over segments (deleted documents still count until a merge).
fn terms_with_prefix(searcher: &Searcher, field: Field, prefix: &str) -> Result<HashMap<String, u64>, SearchError> {
    let mut terms: HashMap<String, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted.terms().range().ge(prefix.as_bytes()).into_stream()?;
        let mut scanned = 0;
        while scanned < MAX_TERMS_SCANNED && stream.advance() {
            scanned += 1;
            let key = stream.key();
            if !key.starts_with(prefix.as_bytes()) {
                break;
            }
            let Ok(text) = std::str::from_utf8(key) else {
                continue;
            };
            *terms.entry(text.to_owned()).or_insert(0) += u64::from(stream.value().doc_freq);
        }
    }
    Ok(terms)
}
