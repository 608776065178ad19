//! Per-node caches of what nearly every request reads: whether a login is
//! still active, who the signed-in user is, and each member's recommendation
//! lists. They are kept coherent across
//! nodes: whoever changes or revokes one publishes its key on Redis and every
//! node drops it at once. A short time-to-live bounds the staleness if a
//! message is lost, and a node that lost its subscription forgets everything
//! when it comes back, since it may have missed messages meanwhile. A single
//! node makes every change itself, so there the time-to-live only returns
//! the memory of entries nobody uses.
//!
//! Every entry lives a randomly shortened time-to-live: entries filled in a
//! burst (a node's first minute, every member of a room coming back) would
//! otherwise expire in one burst and be read again all at once, which on a
//! busy node is a stall of every request behind those reads (decision 0012).

use std::sync::{Arc, Weak};
use std::time::Duration;

use domain::{RoomId, TokenFamilyId, UserId};
use futures::StreamExt;
use moka::future::Cache;
use redis::AsyncCommands;
use uuid::Uuid;

use crate::accounts::UserView;
use crate::recommendations::RecommendationView;

/// (room, viewer, for_user): the lists `viewer` is shown for `for_user`.
pub(crate) type ListsKey = (RoomId, UserId, UserId);
type Lists = Cache<ListsKey, Arc<Vec<RecommendationView>>>;

/// How long a node of several may keep an entry that another node changed,
/// should the change message be lost.
const SHARED_TTL: Duration = Duration::from_secs(10);
/// One node hears every change it makes: its entries do not go stale. The
/// time-to-live bounds what quiet logins and users keep in memory, and how
/// long a logout would go unnoticed by a second node wrongly run without
/// Redis (every node of several needs it; docs/ARCHITECTURE.md).
const LOCAL_TTL: Duration = Duration::from_secs(120);
/// Memberships are never trusted (see [`Caches::members`]): a stale one costs
/// one retried append, so they may live long on every node.
const MEMBERS_TTL: Duration = Duration::from_secs(600);
/// Recommendation lists change only on a refresh, which announces itself.
const LISTS_TTL: Duration = Duration::from_secs(60);
const CHANNEL: &str = "familyroom:caches";
const MAX_RECONNECT_DELAY: Duration = Duration::from_secs(5);
const HEALTH_INTERVAL: Duration = Duration::from_secs(5);
const HEALTH_TIMEOUT: Duration = Duration::from_secs(2);

/// What has changed, as sent to the other nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Changed {
    /// A login was revoked (logout, reuse detection).
    Session(TokenFamilyId),
    /// A user's name, avatar or profile changed.
    User(UserId),
    /// A member's recommendation lists in a room were recomputed.
    Recommendations(RoomId, UserId),
}

impl Changed {
    fn encode(self) -> String {
        match self {
            Self::Session(id) => format!("session:{}", id.0),
            Self::User(id) => format!("user:{}", id.0),
            Self::Recommendations(room, member) => format!("recs:{}:{}", room.0, member.0),
        }
    }

    fn decode(text: &str) -> Option<Self> {
        let (kind, rest) = text.split_once(':')?;
        match kind {
            "session" => Some(Self::Session(TokenFamilyId(Uuid::parse_str(rest).ok()?))),
            "user" => Some(Self::User(UserId(Uuid::parse_str(rest).ok()?))),
            "recs" => {
                let (room, member) = rest.split_once(':')?;
                Some(Self::Recommendations(RoomId(Uuid::parse_str(room).ok()?), UserId(Uuid::parse_str(member).ok()?)))
            }
            _ => None,
        }
    }
}

pub(crate) struct Caches {
    /// Login (token family) → still active.
    pub sessions: Cache<TokenFamilyId, bool>,
    /// The user as `GET /me` answers it.
    pub users: Cache<UserId, Arc<UserView>>,
    /// Recommendation lists; the table is the truth.
    pub recommendations: Lists,
    /// Room memberships as appends decide from them. Never invalidated and
    /// never trusted: an append carries the membership it was decided on
    /// and the store refuses it if the room no longer has it
    /// (`store::NewActivity::author_as_of`), so a stale entry costs a
    /// retry, not a leak.
    pub members: Cache<(RoomId, UserId), Arc<store::MemberRecord>>,
    publisher: Option<redis::aio::ConnectionManager>,
}

impl Caches {
    /// Local caches only (one node).
    pub fn local() -> Self {
        Self {
            sessions: Self::cache(LOCAL_TTL),
            users: Self::cache(LOCAL_TTL),
            recommendations: Self::lists(),
            members: Self::cache(MEMBERS_TTL),
            publisher: None,
        }
    }

    /// Caches shared with the other nodes through Redis: subscribes once so
    /// that this node hears every change from now on, then keeps the
    /// subscription alive in a task for as long as the caches live.
    pub async fn shared(url: &str, publisher: redis::aio::ConnectionManager) -> Result<Arc<Self>, redis::RedisError> {
        let client = redis::Client::open(url)?;
        let first = subscribe(&client).await?;
        let caches = Arc::new(Self {
            sessions: Self::cache(SHARED_TTL),
            users: Self::cache(SHARED_TTL),
            recommendations: Self::lists(),
            members: Self::cache(MEMBERS_TTL),
            publisher: Some(publisher),
        });
        tokio::spawn(listen(client, Arc::downgrade(&caches), first));
        Ok(caches)
    }

    fn cache<K, V>(ttl: Duration) -> Cache<K, V>
    where
        K: std::hash::Hash + Eq + Send + Sync + 'static,
        V: Clone + Send + Sync + 'static,
    {
        Cache::builder().max_capacity(1_000_000).expire_after(SpreadTtl(ttl)).build()
    }

    fn lists() -> Lists {
        Cache::builder()
            .max_capacity(200_000)
            .expire_after(SpreadTtl(LISTS_TTL))
            .support_invalidation_closures()
            .build()
    }

    /// Drops the entry here and tells the other nodes to drop theirs.
    /// Publishing is best effort: a lost message costs at most [`SHARED_TTL`].
    pub async fn forget(&self, changed: Changed) {
        self.forget_local(changed).await;
        if let Some(publisher) = &self.publisher {
            let mut connection = publisher.clone();
            let published: Result<i64, _> = connection.publish(CHANNEL, changed.encode()).await;
            if let Err(error) = published {
                metrics::counter!("cache_invalidation_publish_failures_total").increment(1);
                tracing::warn!(%error, "caches: redis publish failed; other nodes catch up within the TTL");
            }
        }
    }

    async fn forget_local(&self, changed: Changed) {
        match changed {
            Changed::Session(id) => self.sessions.invalidate(&id).await,
            Changed::User(id) => self.users.invalidate(&id).await,
            Changed::Recommendations(room, member) => {
                self.recommendations.invalidate(&(room, member, member)).await;
                // Lists other members see for this one are derived from the same signals.
                let registered =
                    self.recommendations.invalidate_entries_if(move |key, _| key.0 == room && key.2 == member);
                if let Err(error) = registered {
                    tracing::warn!(%error, "caches: cannot drop derived recommendation lists");
                }
            }
        }
    }

    fn forget_everything(&self) {
        self.sessions.invalidate_all();
        self.users.invalidate_all();
        self.recommendations.invalidate_all();
    }
}

/// A time-to-live shortened by up to a quarter at random per entry, so that
/// entries made together do not all expire together.
struct SpreadTtl(Duration);

impl SpreadTtl {
    fn pick(&self) -> Duration {
        self.0.mul_f64(1.0 - rand::random::<f64>() / 4.0)
    }
}

impl<K, V> moka::Expiry<K, V> for SpreadTtl {
    fn expire_after_create(&self, _key: &K, _value: &V, _created_at: std::time::Instant) -> Option<Duration> {
        Some(self.pick())
    }

    // An update is a fresh read of the truth: it starts a new lifetime.
    fn expire_after_update(
        &self,
        _key: &K,
        _value: &V,
        _updated_at: std::time::Instant,
        _duration_until_expiry: Option<Duration>,
    ) -> Option<Duration> {
        Some(self.pick())
    }
}

async fn subscribe(client: &redis::Client) -> Result<redis::aio::PubSub, redis::RedisError> {
    let mut pubsub = client.get_async_pubsub().await?;
    pubsub.subscribe(CHANNEL).await?;
    Ok(pubsub)
}

async fn listen(client: redis::Client, caches: Weak<Caches>, first: redis::aio::PubSub) {
    let mut next = Some(first);
    let mut delay = Duration::from_millis(100);
    loop {
        let pubsub = match next.take() {
            Some(pubsub) => pubsub,
            None => match subscribe(&client).await {
                Ok(pubsub) => {
                    delay = Duration::from_millis(100);
                    // Changes published while unsubscribed never reach us.
                    match caches.upgrade() {
                        Some(caches) => caches.forget_everything(),
                        None => return,
                    }
                    tracing::info!("caches: redis subscription restored");
                    pubsub
                }
                Err(error) => {
                    tracing::warn!(%error, "caches: redis subscribe failed; retrying");
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(MAX_RECONNECT_DELAY);
                    if caches.strong_count() == 0 {
                        return;
                    }
                    continue;
                }
            },
        };
        let (mut sink, mut stream) = pubsub.split();
        let mut health = tokio::time::interval(HEALTH_INTERVAL);
        health.reset();
        loop {
            tokio::select! {
                message = stream.next() => {
                    let Some(message) = message else { break };
                    let Some(caches) = caches.upgrade() else { return };
                    let payload: Result<String, _> = message.get_payload();
                    match payload.ok().as_deref().and_then(Changed::decode) {
                        Some(changed) => caches.forget_local(changed).await,
                        None => tracing::warn!("caches: undecodable message on redis"),
                    }
                }
                _ = health.tick() => {
                    if caches.strong_count() == 0 {
                        return;
                    }
                    // A half-open TCP connection never ends the stream: probe it.
                    let pong = tokio::time::timeout(HEALTH_TIMEOUT, sink.ping::<redis::Value>()).await;
                    if !matches!(pong, Ok(Ok(_))) {
                        break;
                    }
                }
            }
        }
        metrics::counter!("cache_invalidation_subscription_losses_total").increment(1);
        tracing::warn!("caches: redis subscription lost; reconnecting");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_round_trips_through_its_wire_text() {
        for changed in [
            Changed::Session(TokenFamilyId(Uuid::now_v7())),
            Changed::User(UserId(Uuid::now_v7())),
            Changed::Recommendations(RoomId(Uuid::now_v7()), UserId(Uuid::now_v7())),
        ] {
            assert_eq!(Changed::decode(&changed.encode()), Some(changed));
        }
    }

    #[test]
    fn entries_made_together_get_different_lifetimes_within_the_last_quarter_short() {
        let spread = SpreadTtl(Duration::from_secs(100));
        let lifetimes: Vec<Duration> = (0..1_000).map(|_| spread.pick()).collect();
        assert!(lifetimes.iter().all(|ttl| (Duration::from_secs(75)..=Duration::from_secs(100)).contains(ttl)));
        let shortest = lifetimes.iter().min().copied().unwrap_or_default();
        let longest = lifetimes.iter().max().copied().unwrap_or_default();
        // A thousand picks spread over most of the quarter, not one instant.
        assert!(longest - shortest > Duration::from_secs(20), "{shortest:?}..{longest:?}");
    }

    #[test]
    fn garbage_is_not_a_change() {
        for text in [
            "",
            "user",
            "user:",
            "user:not-a-uuid",
            "room:0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
            ":",
            "recs:0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
            "recs:0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b:x",
        ] {
            assert_eq!(Changed::decode(text), None, "{text}");
        }
    }
}
