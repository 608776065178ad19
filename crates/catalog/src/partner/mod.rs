//! The partner feed client: pulls a partner's paged JSON product feed,
//! `GET {base_url}?updated_since={rfc3339}&cursor={opaque}&limit=N`, whose
//! page is `{"products": [PartnerProduct…], "next_cursor": "…" | null}`.
//!
//! Transient failures (connection errors, timeouts, 408, 429 and 5xx) are
//! retried with exponential backoff and jitter; other 4xx answers and
//! malformed pages are not, since asking again gives the same answer. The
//! caller saves the [`SyncCursor`] of each page after storing its products,
//! so a crash resumes at the page after the last one stored. This module
//! does not store anything and runs no schedule.

mod product;

use std::time::Duration;

use domain::money::Currency;
use rand::Rng;
use reqwest::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

pub use product::{Amount, PartnerMoney, PartnerProduct, PartnerSize};

use crate::ProductDraft;
use crate::import::RowError;

/// How to sign in to the partner's feed.
#[derive(Clone, Default)]
pub enum PartnerAuth {
    #[default]
    None,
    /// `Authorization: Bearer {token}`.
    Bearer(String),
    /// `Authorization: Basic base64({username}:{password})`.
    Basic { username: String, password: String },
}

impl std::fmt::Debug for PartnerAuth {
    // Secrets never reach a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::None => f.write_str("None"),
            Self::Bearer(_) => f.write_str("Bearer(<redacted>)"),
            Self::Basic { username, .. } => write!(f, "Basic({username}:<redacted>)"),
        }
    }
}

/// Where the feed is and how hard to try.
#[derive(Debug, Clone)]
pub struct PartnerConfig {
    /// The feed's URL without query; `http` or `https`.
    pub base_url: String,
    pub auth: PartnerAuth,
    /// Products asked for per page (`limit`).
    pub page_limit: u32,
    /// Tries per page, the first included; at least 1.
    pub max_attempts: u32,
    /// The wait before the second try; doubled for each later one.
    pub base_delay: Duration,
    /// No wait is longer, whatever the doubling or `Retry-After` says.
    pub max_delay: Duration,
    /// For one request, connecting and reading the whole page.
    pub request_timeout: Duration,
    /// The currency of amounts that name none.
    pub currency: Currency,
    /// A larger page is refused, keeping memory bounded.
    pub max_page_bytes: usize,
}

impl PartnerConfig {
    /// A configuration with the defaults: 100 products a page, 5 tries
    /// starting 500 ms apart and at most 30 s apart, 30 s per request, INR,
    /// pages up to 32 MiB, no authentication.
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            auth: PartnerAuth::None,
            page_limit: 100,
            max_attempts: 5,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            request_timeout: Duration::from_secs(30),
            currency: Currency::INR,
            max_page_bytes: 32 << 20,
        }
    }
}

/// Where a sync stands: saved by the caller after each page, and passed back
/// to resume.
///
/// A sweep asks for everything changed since `updated_since` (inclusive, so
/// a product changed at that very instant is fetched twice rather than
/// missed; re-importing is idempotent by [`crate::content_hash`]), page by
/// page. When its last page is fetched, the next sweep starts from the
/// newest `updated_at` the sweep saw.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncCursor {
    /// `None` fetches the whole catalog.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub updated_since: Option<OffsetDateTime>,
    /// The partner's opaque cursor of the next page; `None` at a sweep's
    /// first page.
    #[serde(default)]
    pub page_cursor: Option<String>,
    /// The newest `updated_at` seen so far in this sweep.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub high_water: Option<OffsetDateTime>,
}

impl SyncCursor {
    /// A first sync: the whole catalog.
    pub fn full() -> Self {
        Self::default()
    }

    /// A sync of what changed since `time`.
    pub fn since(time: OffsetDateTime) -> Self {
        Self { updated_since: Some(time), ..Self::default() }
    }
}

/// One fetched page.
#[derive(Debug)]
pub struct FeedPage {
    /// Each product as a draft, or why it could not be one (its `line` is
    /// its 1-based position in the page). One bad product does not fail the
    /// page.
    pub products: Vec<Result<ProductDraft, RowError>>,
    /// The cursor to save once the products are stored, and to fetch next.
    pub next: SyncCursor,
    /// This was the sweep's last page: `next` starts the next sweep.
    pub sweep_done: bool,
}

/// Why a page could not be fetched.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error("the partner feed configuration is invalid: {0}")]
    Config(String),
    #[error("the partner feed refused the credentials (HTTP {status})")]
    Unauthorized { status: u16 },
    #[error("the partner feed refused the request (HTTP {status}): {detail}")]
    Rejected { status: u16, detail: String },
    #[error("the partner feed is unavailable after {attempts} attempts: {last}")]
    Unavailable { attempts: u32, last: String },
    #[error("the partner feed sent a page that is not the expected JSON: {0}")]
    Malformed(String),
}

/// A client of one partner's feed.
#[derive(Debug, Clone)]
pub struct PartnerFeed {
    config: PartnerConfig,
    base: reqwest::Url,
    http: reqwest::Client,
}

#[derive(Deserialize)]
struct PageWire {
    products: Vec<Value>,
    #[serde(default)]
    next_cursor: Option<String>,
}

/// The outcome of one try that did not give a page.
enum Failure {
    Retry { reason: String, retry_after: Option<Duration> },
    Stop(FeedError),
}

impl PartnerFeed {
    pub fn new(config: PartnerConfig) -> Result<Self, FeedError> {
        let base = reqwest::Url::parse(&config.base_url)
            .map_err(|e| FeedError::Config(format!("base_url '{}': {e}", config.base_url)))?;
        if !matches!(base.scheme(), "http" | "https") {
            return Err(FeedError::Config("base_url must be http or https".into()));
        }
        if config.max_attempts == 0 || config.page_limit == 0 {
            return Err(FeedError::Config("max_attempts and page_limit must be at least 1".into()));
        }
        let http = reqwest::Client::builder()
            .timeout(config.request_timeout)
            .connect_timeout(config.request_timeout)
            .user_agent(concat!("familyroom-catalog/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| FeedError::Config(format!("HTTP client: {e}")))?;
        Ok(Self { config, base, http })
    }

    /// The URL of the page `cursor` points at.
    pub fn page_url(&self, cursor: &SyncCursor) -> Result<reqwest::Url, FeedError> {
        let mut url = self.base.clone();
        {
            let mut query = url.query_pairs_mut();
            if let Some(since) = cursor.updated_since {
                let since = since
                    .to_offset(time::UtcOffset::UTC)
                    .format(&Rfc3339)
                    .map_err(|e| FeedError::Config(format!("updated_since: {e}")))?;
                query.append_pair("updated_since", &since);
            }
            if let Some(page) = &cursor.page_cursor {
                query.append_pair("cursor", page);
            }
            query.append_pair("limit", &self.config.page_limit.to_string());
        }
        Ok(url)
    }

    /// Fetches the page `cursor` points at, retrying transient failures.
    pub async fn fetch_page(&self, cursor: &SyncCursor) -> Result<FeedPage, FeedError> {
        let url = self.page_url(cursor)?;
        let mut attempt = 1;
        loop {
            match self.try_once(url.clone()).await {
                Ok(body) => return self.parse_page(&body, cursor),
                Err(Failure::Stop(e)) => return Err(e),
                Err(Failure::Retry { reason, .. }) if attempt >= self.config.max_attempts => {
                    return Err(FeedError::Unavailable { attempts: attempt, last: reason });
                }
                Err(Failure::Retry { reason, retry_after }) => {
                    let wait = self.backoff(attempt, retry_after);
                    tracing::warn!(attempt, ?wait, %reason, "partner feed page failed; retrying");
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
            }
        }
    }

    /// Exponential backoff with "equal jitter": half the doubled delay plus a
    /// random part of the other half, so that clients that failed together
    /// do not retry together; never shorter than `Retry-After`, never longer
    /// than `max_delay`.
    fn backoff(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        let doubled = self.config.base_delay.saturating_mul(1u32 << (attempt - 1).min(20));
        let capped = doubled.min(self.config.max_delay);
        let half = capped / 2;
        let jitter = half.mul_f64(rand::rng().random_range(0.0..=1.0));
        (half + jitter).max(retry_after.unwrap_or_default()).min(self.config.max_delay)
    }

    async fn try_once(&self, url: reqwest::Url) -> Result<Vec<u8>, Failure> {
        let mut request = self.http.get(url).header(reqwest::header::ACCEPT, "application/json");
        request = match &self.config.auth {
            PartnerAuth::None => request,
            PartnerAuth::Bearer(token) => request.bearer_auth(token),
            PartnerAuth::Basic { username, password } => request.basic_auth(username, Some(password)),
        };
        let mut response =
            request.send().await.map_err(|e| Failure::Retry { reason: describe(&e), retry_after: None })?;
        let status = response.status();
        if !status.is_success() {
            let retry_after = response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            let detail = excerpt_of(&mut response).await;
            return Err(match status {
                StatusCode::TOO_MANY_REQUESTS | StatusCode::REQUEST_TIMEOUT => {
                    Failure::Retry { reason: format!("HTTP {}", status.as_u16()), retry_after }
                }
                s if s.is_server_error() => {
                    Failure::Retry { reason: format!("HTTP {}: {detail}", s.as_u16()), retry_after }
                }
                StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                    Failure::Stop(FeedError::Unauthorized { status: status.as_u16() })
                }
                s => Failure::Stop(FeedError::Rejected { status: s.as_u16(), detail }),
            });
        }
        let mut body = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > self.config.max_page_bytes {
                        return Err(Failure::Stop(FeedError::Malformed(format!(
                            "page larger than {} bytes",
                            self.config.max_page_bytes
                        ))));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => return Ok(body),
                Err(e) => return Err(Failure::Retry { reason: describe(&e), retry_after: None }),
            }
        }
    }

    fn parse_page(&self, body: &[u8], cursor: &SyncCursor) -> Result<FeedPage, FeedError> {
        let page: PageWire = serde_json::from_slice(body).map_err(|e| FeedError::Malformed(e.to_string()))?;
        let mut high_water = cursor.high_water;
        let mut products = Vec::with_capacity(page.products.len());
        for (i, value) in page.products.into_iter().enumerate() {
            // Read apart from the product, so a product that fails to map
            // still moves the cursor past its change.
            let updated =
                value.get("updated_at").and_then(Value::as_str).and_then(|t| OffsetDateTime::parse(t, &Rfc3339).ok());
            if let Some(t) = updated {
                high_water = Some(high_water.map_or(t, |h| h.max(t)));
            }
            let line = i as u64 + 1;
            products.push(
                PartnerProduct::from_value(value)
                    .and_then(|p| p.into_draft(self.config.currency))
                    .map_err(|(kind, field, reason)| RowError::new(line, kind, field, reason)),
            );
        }
        let (next, sweep_done) = match page.next_cursor.filter(|c| !c.is_empty()) {
            Some(page_cursor) => {
                (SyncCursor { updated_since: cursor.updated_since, page_cursor: Some(page_cursor), high_water }, false)
            }
            None => (
                SyncCursor { updated_since: high_water.or(cursor.updated_since), page_cursor: None, high_water: None },
                true,
            ),
        };
        Ok(FeedPage { products, next, sweep_done })
    }
}

fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timed out".into()
    } else if e.is_connect() {
        format!("could not connect: {e}")
    } else {
        e.to_string()
    }
}

/// The start of an error answer's body, for the error message; reading
/// stops after a few hundred bytes, so a huge error page costs nothing.
async fn excerpt_of(response: &mut reqwest::Response) -> String {
    const MAX: usize = 200;
    let mut bytes = Vec::new();
    while bytes.len() <= MAX {
        match response.chunk().await {
            Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
            // The body is only an explanation: a failure to read it leaves
            // what was read.
            Ok(None) | Err(_) => break,
        }
    }
    let mut text = String::from_utf8_lossy(&bytes).into_owned();
    if text.len() > MAX {
        let mut end = MAX;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push('…');
    }
    text
}
