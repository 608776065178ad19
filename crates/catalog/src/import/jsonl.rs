//! The JSON Lines reader: one JSON object per line, read through a mapping
//! (top-level keys are the columns) or, without one, as a partner product.

use std::borrow::Cow;
use std::io::{BufRead, Read};

use serde_json::Value;

use super::mapping::{Cell, Row};
use super::{ErrorBudget, MAX_CONSECUTIVE_ERRORS, MAX_ROW_BYTES, Mapping, RowError, RowErrorKind};
use crate::ProductDraft;
use crate::partner::PartnerProduct;
use domain::money::Currency;

/// Reads a JSON Lines catalog line by line; blank lines are passed over.
pub struct JsonLinesImport<R: BufRead> {
    input: R,
    mapping: Option<Mapping>,
    currency: Currency,
    line: u64,
    buf: Vec<u8>,
    budget: ErrorBudget,
    pending_fatal: Option<RowError>,
    done: bool,
}

impl<R: BufRead> std::fmt::Debug for JsonLinesImport<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonLinesImport").field("line", &self.line).finish_non_exhaustive()
    }
}

enum Line {
    End,
    Text,
    TooLong,
    Failed(std::io::Error),
}

impl<R: BufRead> JsonLinesImport<R> {
    /// Lines are partner products ([`PartnerProduct`]) when `mapping` is
    /// `None`, whose `price_minor` amounts are in `INR` unless
    /// [`Self::with_currency`] says otherwise.
    pub fn new(input: R, mapping: Option<Mapping>) -> Self {
        Self {
            input,
            mapping,
            currency: Currency::INR,
            line: 0,
            buf: Vec::new(),
            budget: ErrorBudget::new(MAX_CONSECUTIVE_ERRORS),
            pending_fatal: None,
            done: false,
        }
    }

    /// The currency of partner products' bare `price_minor` amounts.
    pub fn with_currency(mut self, currency: Currency) -> Self {
        self.currency = currency;
        self
    }

    /// Stops after `limit` consecutive bad rows instead of
    /// [`MAX_CONSECUTIVE_ERRORS`].
    pub fn with_error_limit(mut self, limit: u32) -> Self {
        self.budget.set_limit(limit);
        self
    }

    /// Reads one line into `buf` without its terminator, never holding more
    /// than [`MAX_ROW_BYTES`] of it.
    fn read_line(&mut self) -> Line {
        self.buf.clear();
        let limit = MAX_ROW_BYTES as u64 + 1;
        match self.input.by_ref().take(limit).read_until(b'\n', &mut self.buf) {
            Err(e) => return Line::Failed(e),
            Ok(0) => return Line::End,
            Ok(_) => {}
        }
        if self.buf.last() == Some(&b'\n') {
            self.buf.pop();
            if self.buf.last() == Some(&b'\r') {
                self.buf.pop();
            }
            return Line::Text;
        }
        if self.buf.len() <= MAX_ROW_BYTES {
            return Line::Text; // the last line, without a terminator
        }
        // Pass over the rest of the overlong line in bounded pieces.
        loop {
            self.buf.clear();
            match self.input.by_ref().take(limit).read_until(b'\n', &mut self.buf) {
                Ok(0) => break,
                Ok(_) if self.buf.last() == Some(&b'\n') => break,
                Ok(_) => {}
                Err(e) => return Line::Failed(e),
            }
        }
        self.buf.clear();
        Line::TooLong
    }

    fn convert(&self, line: u64) -> Result<ProductDraft, RowError> {
        let malformed = |reason: String| RowError::new(line, RowErrorKind::Malformed, None, reason);
        let text = std::str::from_utf8(&self.buf).map_err(|_| malformed("not valid UTF-8".into()))?;
        let value: Value = serde_json::from_str(text).map_err(|e| malformed(format!("not JSON: {e}")))?;
        if !value.is_object() {
            return Err(malformed("not a JSON object".into()));
        }
        match &self.mapping {
            Some(mapping) => mapping
                .apply(&JsonRow(&value))
                .map_err(|(kind, field, reason)| RowError::new(line, kind, field, reason)),
            None => PartnerProduct::from_value(value)
                .and_then(|p| p.into_draft(self.currency))
                .map_err(|(kind, field, reason)| RowError::new(line, kind, field, reason)),
        }
    }
}

impl<R: BufRead> Iterator for JsonLinesImport<R> {
    type Item = Result<ProductDraft, RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(fatal) = self.pending_fatal.take() {
            self.done = true;
            return Some(Err(fatal));
        }
        loop {
            if self.done {
                return None;
            }
            self.line += 1;
            let line = self.line;
            let row = match self.read_line() {
                Line::End => {
                    self.done = true;
                    return None;
                }
                Line::Failed(e) => {
                    self.done = true;
                    return Some(Err(RowError::new(line, RowErrorKind::Fatal, None, format!("read failed: {e}"))));
                }
                Line::TooLong => Err(RowError::new(
                    line,
                    RowErrorKind::Malformed,
                    None,
                    format!("line longer than {} KiB", MAX_ROW_BYTES / 1024),
                )),
                Line::Text if self.buf.iter().all(u8::is_ascii_whitespace) => continue,
                Line::Text => self.convert(line),
            };
            if self.budget.record(&row) {
                self.pending_fatal = Some(self.budget.exhausted(line));
            }
            return Some(row);
        }
    }
}

struct JsonRow<'a>(&'a Value);

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

impl Row for JsonRow<'_> {
    fn cell(&self, column: &str) -> Cell<'_> {
        match self.0.get(column) {
            None | Some(Value::Null) => Cell::Missing,
            Some(Value::String(s)) => Cell::Text(Cow::Borrowed(s)),
            Some(Value::Array(items)) => Cell::List(items.iter().filter_map(scalar_text).collect()),
            Some(other) => Cell::Text(Cow::Owned(other.to_string())),
        }
    }
}
