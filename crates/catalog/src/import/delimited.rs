//! The CSV reader: a header, then one record at a time through a mapping,
//! repairing unquoted delimiters in the mapping's overflow column and
//! catching a file cut off inside a quoted field.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, Read};

use super::mapping::{Cell, Row};
use super::{ErrorBudget, ImportError, MAX_CONSECUTIVE_ERRORS, MAX_ROW_BYTES, Mapping, RowError, RowErrorKind};
use crate::ProductDraft;

/// Reads a CSV catalog row by row. Iterating yields one result per record;
/// it ends after the last record or after a fatal error.
pub struct CsvImport<R: Read> {
    reader: csv::Reader<QuoteTracker<R>>,
    mapping: Mapping,
    columns: HashMap<String, usize>,
    header_len: usize,
    overflow: Option<usize>,
    record: csv::ByteRecord,
    budget: ErrorBudget,
    pending_fatal: Option<RowError>,
    done: bool,
}

impl<R: Read> std::fmt::Debug for CsvImport<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvImport").field("mapping", &self.mapping.name).finish_non_exhaustive()
    }
}

impl<R: Read> CsvImport<R> {
    /// Reads the header and checks it against `mapping`, or picks the
    /// built-in mapping that fits the header when `mapping` is `None`.
    pub fn new(input: R, mapping: Option<Mapping>) -> Result<Self, ImportError> {
        let delimiter = mapping.as_ref().map_or(b',', Mapping::delimiter);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(QuoteTracker::new(input, delimiter));
        let mut header = csv::ByteRecord::new();
        match reader.read_byte_record(&mut header) {
            Ok(true) => {}
            Ok(false) => return Err(ImportError::Empty),
            Err(e) => return Err(ImportError::Io(io::Error::new(io::ErrorKind::InvalidData, e.to_string()))),
        }
        let mut names = Vec::with_capacity(header.len());
        for (i, raw) in header.iter().enumerate() {
            let raw = if i == 0 { raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw) } else { raw };
            let name = std::str::from_utf8(raw).map_err(|_| ImportError::HeaderNotText)?;
            names.push(name.trim().to_owned());
        }
        let mapping = match mapping {
            Some(m) => m,
            None => Mapping::detect(&names).ok_or_else(|| ImportError::UnrecognisedHeader { header: names.clone() })?,
        };
        let columns: HashMap<String, usize> = names.iter().enumerate().map(|(i, n)| (n.clone(), i)).collect();
        for (target, spec) in &mapping.fields {
            if spec.optional {
                continue;
            }
            if let Some(column) = spec.source_columns().find(|c| !columns.contains_key(*c)) {
                return Err(ImportError::MissingColumn {
                    field: target.as_str().to_owned(),
                    column: column.to_owned(),
                });
            }
        }
        let overflow = match &mapping.csv.overflow_column {
            Some(c) => Some(*columns.get(c).ok_or_else(|| ImportError::MissingOverflowColumn(c.clone()))?),
            None => None,
        };
        Ok(Self {
            reader,
            mapping,
            columns,
            header_len: names.len(),
            overflow,
            record: csv::ByteRecord::new(),
            budget: ErrorBudget::new(MAX_CONSECUTIVE_ERRORS),
            pending_fatal: None,
            done: false,
        })
    }

    /// Stops after `limit` consecutive bad rows instead of
    /// [`MAX_CONSECUTIVE_ERRORS`].
    pub fn with_error_limit(mut self, limit: u32) -> Self {
        self.budget.set_limit(limit);
        self
    }

    /// The mapping in use (the detected one when none was given).
    pub fn mapping(&self) -> &Mapping {
        &self.mapping
    }

    fn convert(&self, line: u64) -> Result<ProductDraft, RowError> {
        let found = self.record.len();
        let expected = self.header_len;
        let fields: Vec<&[u8]> = self.record.iter().collect();
        let joined: Vec<Cow<'_, [u8]>> = if found == expected {
            fields.into_iter().map(Cow::Borrowed).collect()
        } else if let Some(at) = self.overflow.filter(|_| found > expected) {
            let extra = found - expected;
            let delimiter = [self.mapping.delimiter()];
            let mut out: Vec<Cow<'_, [u8]>> = fields[..at].iter().map(|f| Cow::Borrowed(*f)).collect();
            out.push(Cow::Owned(fields[at..=at + extra].join(&delimiter[..])));
            out.extend(fields[at + extra + 1..].iter().map(|f| Cow::Borrowed(*f)));
            out
        } else if found == 1 && self.record.get(0).is_some_and(|f| f.iter().all(u8::is_ascii_whitespace)) {
            return Err(RowError::new(line, RowErrorKind::Malformed, None, "blank row"));
        } else {
            let what = if found > expected { "too many" } else { "too few" };
            return Err(RowError::new(
                line,
                RowErrorKind::Malformed,
                None,
                format!("{what} fields: expected {expected}, found {found}"),
            ));
        };
        let mut cells = Vec::with_capacity(joined.len());
        for (i, raw) in joined.iter().enumerate() {
            match std::str::from_utf8(raw) {
                Ok(text) => cells.push(text),
                Err(_) => {
                    let column = self.columns.iter().find(|(_, at)| **at == i).map(|(name, _)| name.clone());
                    return Err(RowError::new(line, RowErrorKind::Malformed, column, "not valid UTF-8"));
                }
            }
        }
        let row = CsvRow { columns: &self.columns, cells: &cells };
        self.mapping.apply(&row).map_err(|(kind, field, reason)| RowError::new(line, kind, field, reason))
    }
}

impl<R: Read> Iterator for CsvImport<R> {
    type Item = Result<ProductDraft, RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(fatal) = self.pending_fatal.take() {
            self.done = true;
            return Some(Err(fatal));
        }
        if self.done {
            return None;
        }
        let read = self.reader.read_byte_record(&mut self.record);
        let line = self.record.position().map_or_else(|| self.reader.position().line(), |p| p.line());
        match read {
            Ok(false) => {
                self.done = true;
                None
            }
            Err(e) => {
                // Only the reader's own I/O (including the row-size cap) fails
                // here: flexible byte records have no other error.
                self.done = true;
                let reason = match e.kind() {
                    csv::ErrorKind::Io(io) => io.to_string(),
                    _ => e.to_string(),
                };
                Some(Err(RowError::new(line, RowErrorKind::Fatal, None, reason)))
            }
            Ok(true) => {
                let tracker = self.reader.get_ref();
                // Once the tracker has seen the end of the input, this record
                // is the last one; inside quotes means it was cut off.
                let row = if tracker.at_eof && tracker.state == QuoteState::Quoted {
                    self.done = true;
                    Err(RowError::new(
                        line,
                        RowErrorKind::Malformed,
                        None,
                        "the file ends inside a quoted field: truncated?",
                    ))
                } else {
                    self.convert(line)
                };
                if self.budget.record(&row) {
                    self.pending_fatal = Some(self.budget.exhausted(line));
                }
                Some(row)
            }
        }
    }
}

struct CsvRow<'a> {
    columns: &'a HashMap<String, usize>,
    cells: &'a [&'a str],
}

impl Row for CsvRow<'_> {
    fn cell(&self, column: &str) -> Cell<'_> {
        match self.columns.get(column).and_then(|&i| self.cells.get(i)) {
            Some(text) => Cell::Text(Cow::Borrowed(text)),
            None => Cell::Missing,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QuoteState {
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

/// Passes bytes through while following CSV quoting the way the `csv`
/// crate reads it, so that the end of the input can be told to fall inside
/// a quoted field (the crate silently closes it), and failing a record
/// longer than [`MAX_ROW_BYTES`] so that a file without line breaks cannot
/// grow a record without bound.
struct QuoteTracker<R> {
    inner: R,
    state: QuoteState,
    delimiter: u8,
    record_bytes: usize,
    at_eof: bool,
}

impl<R> QuoteTracker<R> {
    fn new(inner: R, delimiter: u8) -> Self {
        Self { inner, state: QuoteState::FieldStart, delimiter, record_bytes: 0, at_eof: false }
    }
}

impl<R: Read> Read for QuoteTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() {
            self.at_eof = true;
        }
        for &b in &buf[..n] {
            let end_of_record = matches!(b, b'\n' | b'\r');
            self.state = match (self.state, b) {
                (QuoteState::FieldStart, b'"') => QuoteState::Quoted,
                (QuoteState::Quoted, b'"') => QuoteState::QuoteInQuoted,
                (QuoteState::Quoted, _) => QuoteState::Quoted,
                (QuoteState::QuoteInQuoted, b'"') => QuoteState::Quoted,
                (_, b'\n' | b'\r') => QuoteState::FieldStart,
                (_, d) if d == self.delimiter => QuoteState::FieldStart,
                _ => QuoteState::Unquoted,
            };
            if end_of_record && self.state == QuoteState::FieldStart {
                self.record_bytes = 0;
            } else {
                self.record_bytes += 1;
                if self.record_bytes > MAX_ROW_BYTES {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("a row longer than {} KiB: not a catalog file?", MAX_ROW_BYTES / 1024),
                    ));
                }
            }
        }
        Ok(n)
    }
}
