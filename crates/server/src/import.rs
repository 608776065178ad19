//! `familyroom catalog import` and `familyroom search reindex`: the
//! functions the command line calls, kept here so tests call the same code.

use std::path::Path;

use anyhow::Context;
use app::{App, catalog::ImportSummary};
use catalog::import::{Mapping, RowError};
use domain::money::Money;

/// Where a mapping comes from: a built-in name or a TOML file.
pub fn load_mapping(spec: &str) -> anyhow::Result<Mapping> {
    if Mapping::builtin_names().contains(&spec) {
        return Mapping::builtin(spec).map_err(|e| anyhow::anyhow!("mapping {spec}: {e}"));
    }
    let text = std::fs::read_to_string(spec).with_context(|| format!("cannot read the mapping file {spec}"))?;
    Mapping::from_toml(&text).map_err(|e| anyhow::anyhow!("mapping file {spec}: {e}"))
}

/// Imports `file` in batches, reporting each bad row to `on_error`. Fails
/// (a non-zero exit) only when the file cannot be read as a catalog at all
/// or reading stopped on a fatal error; bad rows are counted as skipped.
pub async fn import_file(
    app: &App,
    file: &Path,
    mapping: Option<&str>,
    default_price: Option<&str>,
    on_error: impl FnMut(&RowError) + Send,
) -> anyhow::Result<ImportSummary> {
    let mut mapping = mapping.map(load_mapping).transpose()?;
    if let Some(price) = default_price {
        let minor = Money::parse_major(price).map_err(|e| anyhow::anyhow!("--default-price {e}"))?;
        let base = match mapping.take() {
            Some(mapping) => mapping,
            None => detect_mapping(file)?,
        };
        mapping = Some(base.with_default_price(Money::inr(minor)));
    }
    let rows =
        catalog::import::open_file(file, mapping).with_context(|| format!("cannot import {}", file.display()))?;
    let summary = app.import_rows(rows, on_error).await.map_err(|e| anyhow::anyhow!("import failed: {e}"))?;
    Ok(summary)
}

/// The built-in mapping matching the file's CSV header.
fn detect_mapping(file: &Path) -> anyhow::Result<Mapping> {
    let mut reader =
        csv::ReaderBuilder::new().from_path(file).with_context(|| format!("cannot read {}", file.display()))?;
    let header: Vec<String> = reader.headers()?.iter().map(str::to_owned).collect();
    Mapping::detect(&header).ok_or_else(|| anyhow::anyhow!("the header matches no built-in mapping: give --mapping"))
}
