//! Partner-feed sync: pulls the partner's pages, upserts them, and saves the
//! cursor after each stored page, so a restart resumes at the page after the
//! last one stored. Index and caches follow each page through
//! [`App::after_products_changed`] (inside `upsert_drafts`).

use std::{collections::HashSet, time::Duration};

use ::catalog::partner::{PartnerFeed, SyncCursor};
use domain::clock::now;

use crate::{
    App,
    catalog::ImportSummary,
    error::{AppError, AppResult},
};

/// The `sync_state` key of the partner feed's cursor.
pub const PARTNER_CURSOR_KEY: &str = "partner_feed";

impl App {
    /// Where the partner sync stands: the saved cursor, or a full sync.
    pub async fn partner_cursor(&self) -> AppResult<SyncCursor> {
        match self.inner.store.get_sync_state(PARTNER_CURSOR_KEY).await? {
            Some(value) => serde_json::from_value(value).map_err(AppError::internal),
            None => Ok(SyncCursor::full()),
        }
    }

    /// Runs one sweep from the saved cursor to the feed's last page. A page
    /// that cannot be fetched ends the sweep with an error; the pages stored
    /// before it stay stored and their cursor saved. A feed that hands back
    /// a cursor it already gave in this sweep is refused, so a broken feed
    /// cannot keep the sync looping.
    pub async fn sync_partner_sweep(&self, feed: &PartnerFeed) -> AppResult<ImportSummary> {
        let mut cursor = self.partner_cursor().await?;
        let mut summary = ImportSummary::default();
        let mut seen = HashSet::new();
        loop {
            if let Some(page_cursor) = &cursor.page_cursor
                && !seen.insert(page_cursor.clone())
            {
                return Err(AppError::Unavailable(format!("the partner feed repeated the cursor {page_cursor}")));
            }
            let page =
                feed.fetch_page(&cursor).await.map_err(|e| AppError::Unavailable(format!("partner feed: {e}")))?;
            let mut drafts = Vec::with_capacity(page.products.len());
            for product in page.products {
                match product {
                    Ok(draft) => drafts.push(draft),
                    Err(error) => {
                        tracing::warn!(%error, "partner product skipped");
                        summary.read += 1;
                        summary.skipped += 1;
                    }
                }
            }
            self.upsert_drafts(drafts, &mut summary).await?;
            let value = serde_json::to_value(&page.next).map_err(AppError::internal)?;
            self.inner.store.put_sync_state(PARTNER_CURSOR_KEY, &value, now()).await?;
            cursor = page.next;
            if page.sweep_done {
                return Ok(summary);
            }
        }
    }

    /// Runs a sweep every `interval` in the background while the app lives.
    /// The task holds the app only during a sweep, so dropping the app (a
    /// shutdown) ends it.
    pub fn spawn_partner_sync(&self, feed: PartnerFeed, interval: Duration) {
        let app = std::sync::Arc::downgrade(&self.inner);
        tokio::spawn(async move {
            loop {
                let Some(inner) = app.upgrade() else { return };
                let current = App { inner };
                match current.sync_partner_sweep(&feed).await {
                    Ok(summary) => tracing::info!(%summary, "partner sync sweep done"),
                    Err(e) => tracing::warn!(error = %e, "partner sync sweep stopped; retrying after the interval"),
                }
                drop(current);
                tokio::time::sleep(interval).await;
            }
        });
    }
}
