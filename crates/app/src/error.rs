//! The use cases' error: what went wrong in the caller's terms. The HTTP edge
//! turns each variant into a problem+json answer; internal causes are carried
//! for the log and never shown to clients.

use domain::FieldErrors;
use store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Values that break a rule, per field (422).
    #[error("validation failed: {0}")]
    Validation(FieldErrors),
    /// A request that cannot be understood (400), e.g. a forged cursor.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// No or bad credentials (401). The text is safe to show.
    #[error("unauthenticated: {0}")]
    Unauthenticated(&'static str),
    /// Authenticated but not allowed (403).
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The resource does not exist or the caller may not know it does (404).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The write conflicts with current state (409); `code` is stable.
    #[error("conflict: {message}")]
    Conflict { code: &'static str, message: String },
    /// A versioned write met a newer state (409 `conflict`); `current` is
    /// that state, sent so the client can retry over it.
    #[error("stale: {message}")]
    Stale { message: String, current: serde_json::Value },
    /// Too many attempts (429).
    #[error("rate limited for {retry_after_secs}s")]
    RateLimited { retry_after_secs: u64 },
    /// A dependency (database, Redis) does not answer (503); cause logged.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// A bug or corrupt data (500); cause logged, never sent.
    #[error("internal: {0}")]
    Internal(String),
}

impl AppError {
    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        Self::Validation(FieldErrors::single(field, message))
    }

    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::Internal(cause.to_string())
    }
}

impl From<FieldErrors> for AppError {
    fn from(errors: FieldErrors) -> Self {
        Self::Validation(errors)
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => AppError::NotFound("resource"),
            StoreError::Conflict { constraint } => {
                AppError::Conflict { code: "conflict", message: format!("conflicts with existing data ({constraint})") }
            }
            StoreError::Unavailable(cause) => AppError::Unavailable(cause),
            StoreError::Corrupt(cause) | StoreError::Config(cause) => AppError::Internal(cause),
            // Writers retry once on a stale read; a second change in between
            // reaches the client as a conflict it can retry.
            StoreError::Stale => AppError::Conflict {
                code: "changed_meanwhile",
                message: "your membership in this room changed while this was saved; try again".into(),
            },
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
