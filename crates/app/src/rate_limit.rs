//! Attempt limits for sign-up and sign-in, per client address and per
//! account. In-process (GCRA via `governor`) on one node; a fixed-window
//! counter in Redis when nodes share one, so the limit holds across them.

use std::{num::NonZeroU32, sync::Arc, time::Duration};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter as Governor, clock::Clock};

use crate::error::{AppError, AppResult};

/// Where counts are kept.
#[derive(Clone)]
pub enum RateLimiter {
    Local(Arc<DefaultKeyedRateLimiter<String>>, u32),
    Redis(redis::aio::ConnectionManager, u32),
}

impl RateLimiter {
    /// `per_minute` attempts per key per minute.
    pub fn local(per_minute: u32) -> Self {
        let per_minute = NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        Self::Local(Arc::new(Governor::keyed(Quota::per_minute(per_minute))), per_minute.get())
    }

    pub fn redis(connection: redis::aio::ConnectionManager, per_minute: u32) -> Self {
        Self::Redis(connection, per_minute.max(1))
    }

    /// Counts one attempt under `scope:key`; `RateLimited` when over.
    pub async fn check(&self, scope: &str, key: &str) -> AppResult<()> {
        match self {
            Self::Local(limiter, _) => limiter.check_key(&format!("{scope}:{key}")).map_err(|not_until| {
                let wait = not_until.wait_time_from(governor::clock::DefaultClock::default().now());
                AppError::RateLimited { retry_after_secs: wait.as_secs().max(1) }
            }),
            Self::Redis(connection, per_minute) => {
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap_or(Duration::ZERO)
                    .as_secs();
                let window = now / 60;
                let redis_key = format!("familyroom:rl:{scope}:{key}:{window}");
                let mut connection = connection.clone();
                let (count,): (u64,) = redis::pipe()
                    .atomic()
                    .incr(&redis_key, 1)
                    .expire(&redis_key, 120)
                    .ignore()
                    .query_async(&mut connection)
                    .await
                    .map_err(|e| AppError::Unavailable(format!("redis: {e}")))?;
                if count > u64::from(*per_minute) {
                    Err(AppError::RateLimited { retry_after_secs: 60 - now % 60 })
                } else {
                    Ok(())
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_attempt_past_the_limit_is_refused_with_a_wait() {
        let limiter = RateLimiter::local(3);
        for _ in 0..3 {
            limiter.check("login", "a").await.unwrap();
        }
        match limiter.check("login", "a").await {
            Err(AppError::RateLimited { retry_after_secs }) => assert!(retry_after_secs >= 1),
            other => panic!("expected a rate limit, got {other:?}"),
        }
        limiter.check("login", "b").await.unwrap();
    }
}
