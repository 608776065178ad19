//! Storage: one interface, [`Store`], with a SQLite and a PostgreSQL
//! implementation chosen by the database URL's scheme.
//!
//! Each write the domain sees as one step is one transaction inside a backend;
//! no transaction type leaks out. The query code both backends share lives in
//! `shared/` and is compiled once per backend with that backend's concrete
//! `Db` type, so each is type-checked on its own and the SQL is written once.
//! Migrations are per backend with the same version numbers.

mod accounts;
mod ai;
mod cart;
mod error;
mod media;
mod postgres;
mod products;
mod rooms;
mod sqlite;

use std::{path::Path, sync::Arc};

pub use accounts::*;
pub use ai::*;
pub use cart::*;
pub use error::StoreError;
pub use media::*;
pub use products::*;
pub use rooms::*;

/// Everything the application persists.
pub trait Store: Accounts + Rooms + Media + Carts + Products + Ai + Send + Sync + 'static {
    /// Which backend answers: `sqlite` or `postgres`.
    fn backend(&self) -> Backend;
}

/// The storage engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Connection pool figures for `/metrics`.
#[derive(Debug, Clone, Copy, Default)]
pub struct PoolStats {
    pub size: u32,
    pub idle: u32,
    pub max: u32,
}

/// Where the database is and how large its pool may be.
#[derive(Debug, Clone)]
pub struct StoreOptions<'a> {
    /// `None` for the embedded SQLite file in `data_dir`; otherwise a
    /// `postgres://` or `sqlite:` URL.
    pub url: Option<&'a str>,
    pub data_dir: &'a Path,
    pub max_connections: u32,
}

/// Opens (creating if needed) the database and brings its schema up to date.
pub async fn open(options: StoreOptions<'_>) -> Result<Arc<dyn Store>, StoreError> {
    match options.url {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            let store = postgres::PgStore::connect(url, options.max_connections).await?;
            store.migrate().await?;
            Ok(Arc::new(store))
        }
        Some(url) if url.starts_with("sqlite:") => {
            let store = sqlite::SqliteStore::connect_url(url, options.max_connections).await?;
            store.migrate().await?;
            Ok(Arc::new(store))
        }
        Some(_) => Err(StoreError::Config("database URL must start with postgres:// or sqlite:".into())),
        None => {
            let path = options.data_dir.join("familyroom.db");
            let store = sqlite::SqliteStore::connect_file(&path, options.max_connections).await?;
            store.migrate().await?;
            Ok(Arc::new(store))
        }
    }
}

/// Schema versions each backend ships, for the drift test and `familyroom migrate`.
pub fn migration_versions(backend: Backend) -> Vec<(i64, String)> {
    let migrator = match backend {
        Backend::Sqlite => &sqlite::MIGRATOR,
        Backend::Postgres => &postgres::MIGRATOR,
    };
    migrator.iter().map(|m| (m.version, m.description.to_string())).collect()
}
