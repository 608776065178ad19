//! What can go wrong in storage, in the store's own words: callers never see
//! a driver error type.

/// A storage failure.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness or reference rule refused the write.
    #[error("conflict on {constraint}")]
    Conflict { constraint: String },
    /// The database could not be reached or answered with an error; the
    /// text is for logs only.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Stored data could not be read back (a bug or manual tampering).
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("bad database configuration: {0}")]
    Config(String),
    /// A write's precondition no longer holds (see
    /// [`crate::NewActivity::author_as_of`]): read again and retry.
    #[error("the data the write was decided on has changed")]
    Stale,
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() || db.is_foreign_key_violation() => {
                StoreError::Conflict {
                    constraint: db.constraint().map(str::to_owned).unwrap_or_else(|| db.message().to_owned()),
                }
            }
            sqlx::Error::ColumnDecode { .. } | sqlx::Error::Decode(_) | sqlx::Error::ColumnNotFound(_) => {
                StoreError::Corrupt(error.to_string())
            }
            _ => StoreError::Unavailable(error.to_string()),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(error: sqlx::migrate::MigrateError) -> Self {
        StoreError::Unavailable(format!("migration failed: {error}"))
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(error: serde_json::Error) -> Self {
        StoreError::Corrupt(error.to_string())
    }
}
