//! Time limits that cost nothing when the work finishes without waiting.
//!
//! `tokio::time::timeout` registers a timer before the first poll. Arming and
//! cancelling a timer per socket write or per request wakes the runtime's
//! time driver, which measured as a fifth of a cached HTTP read's CPU
//! (decision 0010) and a visible share of every WebSocket delivery. Most
//! writes and most cached requests complete in their first poll, so the work
//! is polled once before a timer exists; only work that has to wait gets one.

use std::future::Future;
use std::task::Poll;
use std::time::Duration;

pub use tokio::time::error::Elapsed;

/// Runs `work` to completion unless it is still pending `limit` after this
/// call. Work that completes in its first poll never arms a timer.
pub async fn within<F: Future>(limit: Duration, work: F) -> Result<F::Output, Elapsed> {
    let started = tokio::time::Instant::now();
    let mut work = std::pin::pin!(work);
    if let Poll::Ready(output) = futures::poll!(work.as_mut()) {
        return Ok(output);
    }
    tokio::time::timeout_at(started + limit, work).await
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::within;

    #[tokio::test]
    async fn work_that_is_ready_at_once_needs_no_timer() {
        // A zero limit still lets ready work through: no timer is consulted.
        assert_eq!(within(Duration::ZERO, async { 7 }).await.ok(), Some(7));
    }

    #[tokio::test]
    async fn work_that_waits_but_finishes_in_time_answers_normally() {
        let waits = async {
            tokio::task::yield_now().await;
            "done"
        };
        assert_eq!(within(Duration::from_secs(5), waits).await.ok(), Some("done"));
    }

    #[tokio::test(start_paused = true)]
    async fn work_past_its_limit_fails() {
        let outcome = within(Duration::from_millis(20), std::future::pending::<()>()).await;
        assert!(outcome.is_err());
    }
}
