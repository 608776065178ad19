//! The meanings a search can fail with. Callers map these to responses; no
//! tantivy type leaks through this enum.

/// Why a search, a suggestion or an index write failed.
#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum SearchError {
    /// The cursor is not one this index issued for this query and sort: it
    /// was forged, truncated, or belongs to another query.
    #[error("the cursor is not valid for this query")]
    BadCursor,
    /// The search text is longer than [`crate::MAX_QUERY_CHARS`] characters.
    #[error("the search text is longer than {max} characters")]
    QueryTooLong { max: usize },
    /// The page size is outside `1..=`[`crate::MAX_LIMIT`].
    #[error("limit must be between 1 and {max}")]
    BadLimit { max: usize },
    /// A filter value breaks a rule (for example a rating that is not a
    /// number between 0 and 5). `field` names the query parameter.
    #[error("{field} {reason}")]
    BadFilter { field: &'static str, reason: &'static str },
    /// The index itself failed (I/O, a corrupt or locked directory). The
    /// text is for logs, never for clients.
    #[error("search index failure: {0}")]
    Index(String),
}

impl From<tantivy::TantivyError> for SearchError {
    fn from(error: tantivy::TantivyError) -> Self {
        Self::Index(error.to_string())
    }
}

impl From<std::io::Error> for SearchError {
    fn from(error: std::io::Error) -> Self {
        Self::Index(error.to_string())
    }
}
