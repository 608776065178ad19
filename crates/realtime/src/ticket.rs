//! Connection tickets: the single-use, short-lived secret a client trades its
//! access token for, so that no token travels in a WebSocket URL.
//!
//! This module owns issuing and redeeming tickets. It must not authenticate
//! anyone: the HTTP layer issues a ticket only to an authenticated user.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use domain::UserId;
use parking_lot::Mutex;
use rand::RngCore;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use time::OffsetDateTime;
use tokio::time::Instant;

/// 256 random bits.
const TICKET_BYTES: usize = 32;
/// Longest text `redeem` looks up; anything longer is no ticket.
const MAX_TICKET_CHARS: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedTicket {
    /// base64url without padding.
    pub ticket: String,
    pub expires_at: OffsetDateTime,
}

#[derive(Debug, thiserror::Error)]
pub enum TicketError {
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
}

/// Where tickets live; cheap to clone.
#[derive(Clone)]
pub struct TicketStore {
    backend: Arc<Backend>,
}

enum Backend {
    // parking_lot: a map lookup under the lock, never across an await.
    InProcess(Mutex<HashMap<String, (UserId, Instant)>>),
    Redis(ConnectionManager),
}

fn key(ticket: &str) -> String {
    format!("familyroom:ticket:{ticket}")
}

impl TicketStore {
    pub fn in_process() -> TicketStore {
        TicketStore { backend: Arc::new(Backend::InProcess(Mutex::new(HashMap::new()))) }
    }

    pub async fn redis(redis_url: &str) -> Result<TicketStore, TicketError> {
        let client = redis::Client::open(redis_url)?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Duration::from_secs(2))
            .set_response_timeout(Duration::from_secs(1))
            .set_number_of_retries(2);
        let conn = ConnectionManager::new_with_config(client, config).await?;
        Ok(TicketStore { backend: Arc::new(Backend::Redis(conn)) })
    }

    /// A new ticket for `user_id`, valid for `ttl` (at least one millisecond).
    pub async fn issue(&self, user_id: UserId, ttl: Duration) -> Result<IssuedTicket, TicketError> {
        let ttl = ttl.max(Duration::from_millis(1));
        let mut bytes = [0u8; TICKET_BYTES];
        rand::rng().fill_bytes(&mut bytes);
        let ticket = URL_SAFE_NO_PAD.encode(bytes);
        let expires_at = OffsetDateTime::now_utc() + ttl;
        match &*self.backend {
            Backend::InProcess(tickets) => {
                let now = Instant::now();
                let mut tickets = tickets.lock();
                // Unredeemed tickets would otherwise pile up.
                tickets.retain(|_, (_, expires)| *expires > now);
                tickets.insert(ticket.clone(), (user_id, now + ttl));
            }
            Backend::Redis(conn) => {
                let mut conn = conn.clone();
                let millis = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX);
                let _: Option<String> = redis::cmd("SET")
                    .arg(key(&ticket))
                    .arg(user_id.to_string())
                    .arg("NX")
                    .arg("PX")
                    .arg(millis)
                    .query_async(&mut conn)
                    .await?;
            }
        }
        Ok(IssuedTicket { ticket, expires_at })
    }

    /// The ticket's user, once: a second redeem, an expired or an unknown
    /// ticket gives `None`.
    pub async fn redeem(&self, ticket: &str) -> Result<Option<UserId>, TicketError> {
        if ticket.is_empty() || ticket.len() > MAX_TICKET_CHARS {
            return Ok(None);
        }
        match &*self.backend {
            Backend::InProcess(tickets) => {
                let entry = tickets.lock().remove(ticket);
                Ok(entry.filter(|(_, expires)| *expires > Instant::now()).map(|(user, _)| user))
            }
            Backend::Redis(conn) => {
                let mut conn = conn.clone();
                let user: Option<String> = redis::cmd("GETDEL").arg(key(ticket)).query_async(&mut conn).await?;
                Ok(user.and_then(|user| UserId::parse(&user).ok()))
            }
        }
    }
}
