//! Turns a validated [`SearchQuery`] into a tantivy query built term by term
//! (never through a query parser, so user text is never syntax) for the text
//! and rating conditions, the collector's [`Plan`] holding the facet
//! filters, and the query fingerprint that binds cursors.

use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Query, RangeQuery, TermQuery,
};
use tantivy::schema::IndexRecordOption;

use crate::collector::Plan;
use crate::cursor::{self, Fingerprint};
use crate::error::SearchError;
use crate::query::SearchQuery;
use crate::schema::{Analyzers, Fields};

/// Words this long or longer match with one edit (insertion, deletion,
/// substitution or transposition of neighbours).
const FUZZY_MIN_CHARS: usize = 5;
/// The last word matches as a prefix from this length on; a single letter
/// would match most of the catalog.
const PREFIX_MIN_CHARS: usize = 2;

/// Weight of an exact word match per field; typo and prefix matches score a
/// constant, scaled per field by [`LOOSE_BOOST`].
const TITLE_BOOST: f32 = 3.0;
const BRAND_BOOST: f32 = 2.0;
const BODY_BOOST: f32 = 1.0;
const LOOSE_BOOST: f32 = 0.5;

pub(crate) struct Prepared {
    pub query: Box<dyn Query>,
    pub plan: Plan,
}

pub(crate) fn prepare(query: &SearchQuery, fields: &Fields, analyzers: &Analyzers) -> Result<Prepared, SearchError> {
    query.validate()?;
    let mut words = analyzers.words(query.text.as_deref().unwrap_or(""));
    dedup_in_order(&mut words);

    let fold_all = |values: &[String]| {
        let mut folded: Vec<String> = values.iter().map(|v| analyzers.keyword(v)).collect();
        folded.sort();
        folded.dedup();
        folded
    };
    let genders: Vec<String> = query.gender.iter().map(|g| g.as_str().to_owned()).collect();
    let keyword_values = [
        fold_all(&query.brand),
        fold_all(&query.category),
        fold_all(&genders),
        fold_all(&query.colour),
        fold_all(&query.size),
    ];
    let price = match (query.min_price_minor, query.max_price_minor) {
        (None, None) => None,
        (low, high) => Some((low.unwrap_or(i64::MIN), high.unwrap_or(i64::MAX))),
    };
    let min_rating = query.min_rating.map(|rating| crate::schema::rating_hundredths(Some(rating)));

    let mut fingerprint = Fingerprint::new();
    fingerprint.bytes(&[query.sort.tag()]);
    fingerprint.bytes(&(words.len() as u64).to_le_bytes());
    for word in &words {
        fingerprint.str(word);
    }
    for values in &keyword_values {
        fingerprint.bytes(&(values.len() as u64).to_le_bytes());
        for value in values {
            fingerprint.str(value);
        }
    }
    let (low, high) = price.unwrap_or((0, 0));
    fingerprint
        .bytes(&[u8::from(price.is_some())])
        .bytes(&low.to_le_bytes())
        .bytes(&high.to_le_bytes())
        .bytes(&min_rating.unwrap_or(i64::MIN).to_le_bytes());
    let fingerprint = fingerprint.finish();

    let after = match &query.cursor {
        Some(text) => Some(cursor::decode(text, query.sort, fingerprint)?),
        None => None,
    };

    let mut required: Vec<Box<dyn Query>> = Vec::new();
    if !words.is_empty() {
        required.push(text_query(&words, fields));
    }
    if let Some(min) = min_rating {
        required
            .push(filter(RangeQuery::new(Bound::Included(Term::from_field_i64(fields.rating, min)), Bound::Unbounded)));
    }
    // The facet filters are not part of the tantivy query: the collector
    // applies them as bitsets, because documents failing exactly one of them
    // still count in that facet.
    let restricted = !required.is_empty();
    let tantivy_query: Box<dyn Query> = if required.is_empty() {
        // Never run: an unrestricted collector takes the live documents.
        Box::new(AllQuery)
    } else if required.len() == 1 {
        required.remove(0)
    } else {
        Box::new(BooleanQuery::intersection(required))
    };

    let keyword_filters = keyword_values.map(|values| (!values.is_empty()).then_some(values));
    Ok(Prepared {
        query: tantivy_query,
        plan: Plan {
            keyword_filters,
            price,
            restricted,
            sort: query.sort,
            scored: query.sort == crate::query::Sort::Relevance && !words.is_empty(),
            after,
            limit: query.limit,
            fingerprint,
        },
    })
}

/// A filter that matches without touching the score, so that relevance
/// depends on the text alone and stays the same from page to page.
fn filter(query: impl Query) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(Box::new(query), 0.0))
}

/// Every word must match in some field; per word an exact match in the
/// title weighs most, then brand, then the rest.
fn text_query(words: &[String], fields: &Fields) -> Box<dyn Query> {
    let boosted = [(fields.title, TITLE_BOOST), (fields.brand_text, BRAND_BOOST), (fields.body, BODY_BOOST)];
    let mut per_word: Vec<Box<dyn Query>> = Vec::with_capacity(words.len());
    for (index, word) in words.iter().enumerate() {
        let chars = word.chars().count();
        let is_last = index + 1 == words.len();
        let mut alternatives: Vec<Box<dyn Query>> = Vec::new();
        for (field, boost) in boosted {
            let term = Term::from_field_text(field, word);
            alternatives.push(Box::new(BoostQuery::new(
                Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)),
                boost,
            )));
            if chars >= FUZZY_MIN_CHARS {
                alternatives.push(Box::new(BoostQuery::new(
                    Box::new(FuzzyTermQuery::new(term.clone(), 1, true)),
                    boost * LOOSE_BOOST,
                )));
            }
            if is_last && chars >= PREFIX_MIN_CHARS {
                alternatives.push(Box::new(BoostQuery::new(
                    Box::new(FuzzyTermQuery::new_prefix(term, 0, true)),
                    boost * LOOSE_BOOST,
                )));
            }
        }
        per_word.push(Box::new(BooleanQuery::union(alternatives)));
    }
    if per_word.len() == 1 { per_word.remove(0) } else { Box::new(BooleanQuery::intersection(per_word)) }
}

fn dedup_in_order(words: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    words.retain(|word| seen.insert(word.clone()));
}
