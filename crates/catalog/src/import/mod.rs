//! File imports: streaming readers that turn a CSV or JSON Lines file into
//! [`ProductDraft`]s one row at a time, in bounded memory (a row is capped at
//! [`MAX_ROW_BYTES`]; the file is never collected).
//!
//! A CSV file is read through a [`Mapping`]: a built-in one chosen by name
//! (`myntra-styles`, `myntra-products`) or detected from the header, or one
//! read from a TOML mapping file ([`mapping`] describes the format). A JSON
//! Lines file holds one partner-shaped product per line
//! ([`crate::partner::PartnerProduct`]) unless a mapping is given, in which
//! case top-level keys are the columns.
//!
//! A row that cannot become a draft yields a [`RowError`] naming its line,
//! field and reason, and reading goes on. A truncated or binary file yields
//! errors and ends; nothing panics. After [`MAX_CONSECUTIVE_ERRORS`] bad rows
//! in a row the reader gives up with a last, fatal error.

mod delimited;
mod jsonl;
pub mod mapping;

use std::fmt;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

pub use delimited::CsvImport;
pub use jsonl::JsonLinesImport;
pub use mapping::{Mapping, MappingError};

#[cfg(doc)]
use crate::ProductDraft;

/// The longest row (CSV record or JSON line) read; longer ones are errors,
/// which keeps memory bounded on a file that is not a catalog.
pub const MAX_ROW_BYTES: usize = 1 << 20;

/// Bad rows in a row after which a reader stops.
pub const MAX_CONSECUTIVE_ERRORS: u32 = 1000;

/// How serious a row error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowErrorKind {
    /// The row is well formed but left out by the mapping's policy (a row
    /// without a price under `missing_price = "skip"`). Does not count
    /// towards [`MAX_CONSECUTIVE_ERRORS`].
    Skipped,
    /// A value breaks a rule: missing sku or title, unparsable number,
    /// price not above zero, rating outside 0..5.
    Invalid,
    /// The row itself is broken: wrong number of fields, not UTF-8, not
    /// JSON, too long, cut off by the end of the file.
    Malformed,
    /// Reading stops after this error.
    Fatal,
}

/// A row that did not become a draft.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct RowError {
    /// 1-based line where the row starts (for a partner feed page: the
    /// 1-based position of the product in the page).
    pub line: u64,
    /// The draft field at fault (`"price"`, `"title"`, …), or the source
    /// column for a field that is not UTF-8; `None` for the whole row.
    pub field: Option<String>,
    pub reason: String,
    pub kind: RowErrorKind,
}

impl RowError {
    pub(crate) fn new(line: u64, kind: RowErrorKind, field: Option<String>, reason: impl Into<String>) -> Self {
        Self { line, field, reason: reason.into(), kind }
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "line {}: {field}: {}", self.line, self.reason),
            None => write!(f, "line {}: {}", self.line, self.reason),
        }
    }
}

/// A file that cannot be read as a catalog at all, found before any row.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file could not be read: {0}")]
    Io(#[from] std::io::Error),
    #[error("the file is empty")]
    Empty,
    #[error("the header is not valid UTF-8 text: not a CSV file?")]
    HeaderNotText,
    #[error("the header matches no built-in mapping ({}): give a mapping", .header.join(","))]
    UnrecognisedHeader { header: Vec<String> },
    #[error("mapping field {field} reads column '{column}', which the header lacks")]
    MissingColumn { field: String, column: String },
    #[error("mapping's overflow column '{0}' is not in the header")]
    MissingOverflowColumn(String),
}

/// The kind of a catalog file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    JsonLines,
}

impl Format {
    /// JSON Lines for `.jsonl`, `.ndjson` and `.json`; CSV otherwise.
    pub fn from_path(path: &Path) -> Self {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("jsonl" | "ndjson" | "json") => Self::JsonLines,
            _ => Self::Csv,
        }
    }
}

/// The rows of one catalog file, whatever its format.
pub type Rows = Box<dyn Iterator<Item = Result<crate::ProductDraft, RowError>> + Send>;

/// Opens a catalog file, its format told by its extension ([`Format::from_path`]).
/// A CSV file without a mapping is matched to a built-in one by its header; a
/// JSON Lines file without one holds partner products.
pub fn open_file(path: &Path, mapping: Option<Mapping>) -> Result<Rows, ImportError> {
    let file = File::open(path)?;
    Ok(match Format::from_path(path) {
        Format::Csv => Box::new(CsvImport::new(file, mapping)?),
        Format::JsonLines => Box::new(JsonLinesImport::new(BufReader::new(file), mapping)),
    })
}

/// Counts consecutive bad rows and turns the one past the limit into the
/// final error.
#[derive(Debug)]
pub(crate) struct ErrorBudget {
    limit: u32,
    consecutive: u32,
}

impl ErrorBudget {
    pub(crate) fn new(limit: u32) -> Self {
        Self { limit, consecutive: 0 }
    }

    pub(crate) fn set_limit(&mut self, limit: u32) {
        self.limit = limit.max(1);
    }

    /// Records the outcome of a row; `true` when the reader must stop.
    pub(crate) fn record<T>(&mut self, row: &Result<T, RowError>) -> bool {
        match row {
            Ok(_) => self.consecutive = 0,
            Err(e) if e.kind == RowErrorKind::Skipped => {}
            Err(_) => self.consecutive += 1,
        }
        self.consecutive >= self.limit
    }

    pub(crate) fn exhausted(&self, line: u64) -> RowError {
        RowError::new(
            line,
            RowErrorKind::Fatal,
            None,
            format!("too many consecutive bad rows ({}): not a catalog file?", self.consecutive),
        )
    }
}
